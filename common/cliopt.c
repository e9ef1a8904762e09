/*
 * cliopt.c: option errors with a hint (cliopt.h).
 */
#include "cliopt.h"

#include <stdlib.h>
#include <string.h>

#include "didyoumean.h"
#include "util.h"

static size_t n_opts(const struct option *opts)
{
    size_t n = 0;
    while (opts[n].name)
        n++;
    return n;
}

/* "--name=value" → "name" (malloc'd). */
static char *long_name(const char *arg)
{
    const char *s = arg + 2, *eq = strchr(s, '=');
    return xstrndup(s, eq ? (size_t)(eq - s) : strlen(s));
}

const char *cliopt_closest(const char *typed, const struct option *opts)
{
    while (*typed == '-')
        typed++;
    char *name = xstrndup(typed, strcspn(typed, "="));
    size_t n = n_opts(opts);
    const char **names = xcalloc(n + 1, sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = opts[i].name;
    const char *best = closest_name(name, names, n);
    free(names);
    free(name);
    return best;
}

/* The long options NAME is a prefix of, "--a, --b", when there are two or
 * more (getopt_long's "ambiguous"); else NULL. Malloc'd. */
static char *ambiguous(const char *name, const struct option *opts)
{
    buf_t b = BUF_INIT;
    size_t len = strlen(name), hits = 0;
    for (const struct option *o = opts; o->name; o++)
        if (strncmp(o->name, name, len) == 0)
            buf_printf(&b, "%s--%s", hits++ ? ", " : "", o->name);
    if (hits < 2) {
        buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* The long option whose short equivalent or value is VAL, or NULL. */
static const char *name_of(int val, const struct option *opts)
{
    for (const struct option *o = opts; o->name; o++)
        if (o->val == val && !o->flag)
            return o->name;
    return NULL;
}

static int is_ascii_word(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

/* An unknown short option: find the argument it came from. getopt_long
 * moved past the argument only when the letter was its last one. */
static const char *short_arg(int argc, char **argv)
{
    if (optind < argc && argv[optind][0] == '-' && argv[optind][1] != '-' &&
        optopt && strchr(argv[optind] + 1, optopt))
        return argv[optind];
    return optind > 0 ? argv[optind - 1] : "";
}

int cliopt_fail(int c, int argc, char **argv, const struct option *opts,
                const char *context)
{
    const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
    int is_long = strncmp(arg, "--", 2) == 0;
    if (c == ':') {
        if (is_long)
            return usage_fail("%soption '%s' needs a value", context, arg);
        char dash[3] = { '-', (char)optopt, '\0' };
        return usage_fail("%soption '%s' needs a value", context, dash);
    }
    if (is_long) {
        char *name = long_name(arg);
        int r;
        char *amb = optopt ? NULL : ambiguous(name, opts);
        const char *known = optopt ? name_of(optopt, opts) : NULL;
        if (known && strchr(arg, '=')) {
            r = usage_fail("%soption '%s' takes no value", context, arg);
        } else if (amb) {
            r = usage_fail("%soption '%s' is ambiguous (%s)", context, arg, amb);
        } else {
            /* Name the option alone: "--fromat", not "--fromat=json". */
            buf_t typed = BUF_INIT, b = BUF_INIT;
            buf_printf(&typed, "--%s", name);
            const char *best = cliopt_closest(name, opts);
            if (best) {
                buf_printf(&b, "--%s", best);
                r = usage_fail("%sunknown option '%s' (did you mean %s?)",
                               context, typed.data, b.data);
            } else {
                r = usage_fail("%sunknown option '%s'", context, typed.data);
            }
            buf_free(&typed);
            buf_free(&b);
        }
        free(amb);
        free(name);
        return r;
    }
    /* A short option: "-x", or a word such as -إسرائيل meant as a query
     * word, or a long option typed with one dash (-limit). */
    const char *word = short_arg(argc, argv);
    if (!is_ascii_word(word) || optopt == 0 || (unsigned)optopt >= 0x80)
        return usage_fail("%sunknown option '%s'; put '--' before words "
                          "that start with '-'", context, word);
    buf_t b = BUF_INIT;
    buf_printf(&b, "-%c", optopt);
    const char *best = strlen(word) > 2 ? cliopt_closest(word, opts) : NULL;
    int r;
    if (best) {
        buf_t s = BUF_INIT;
        buf_printf(&s, "--%s", best);
        r = usage_fail("%sunknown option '%s' (did you mean %s?)", context,
                       word, s.data);
        buf_free(&s);
    } else {
        r = usage_fail("%sunknown option '%s'", context, b.data);
    }
    buf_free(&b);
    return r;
}
