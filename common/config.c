/*
 * config.c: settings from the command line, the environment, the config
 * file and the defaults (config.h).
 */
#include "config.h"
#include "reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "didyoumean.h"
#include "messages.h"
#include "util.h"

#define LIMIT_MAX 100000

static const char *const key_names[CFG_NKEYS] = { "db", "corpus", "limit",
                                                  "format", "json_fields",
                                                  "variants" };
static const char *const env_names[CFG_NKEYS] = { "NEWSIDX_DB", "NEWSIDX_CORPUS",
                                                  "NEWSIDX_LIMIT",
                                                  "NEWSIDX_FORMAT",
                                                  "NEWSIDX_JSON_FIELDS",
                                                  "NEWSIDX_VARIANTS" };
/* tag-formats: the names of printer.h's format_t, in its order. */
static const char *const formats[] = { "text", "json", "tsv", "ids" };

const char *config_key_name(cfg_key_t k)
{
    return k < CFG_NKEYS ? key_names[k] : "?";
}

const char *config_env_name(cfg_key_t k)
{
    return k < CFG_NKEYS ? env_names[k] : "?";
}

cfg_key_t config_key_from_name(const char *name)
{
    for (int k = 0; k < CFG_NKEYS; k++)
        if (strcmp(name, key_names[k]) == 0)
            return (cfg_key_t)k;
    return CFG_NKEYS;
}

const char *config_format_names(void)
{
    return "text|json|tsv|ids";
}

static void item_set(cfg_item_t *it, char *value, cfg_origin_t origin,
                     const char *where)
{
    free(it->value);
    free(it->where);
    it->value = value;
    it->origin = origin;
    it->where = xstrdup(where);
}

/* "~" or "~/x" → $HOME or $HOME/x (malloc'd; ~user is not supported),
 * else a copy; NULL (and WHY filled) when HOME is needed but unset. */
static char *expand_home(const char *v, buf_t *why)
{
    if (v[0] != '~')
        return xstrdup(v);
    const char *home = getenv("HOME");
    if (!home || !*home) {
        buf_puts(why, msg_tr("cannot expand '~': HOME is not set"));
        return NULL;
    }
    buf_t b = BUF_INIT;
    buf_printf(&b, "%s%s", home, v + 1);
    return b.data;
}

/*
 * Check V as a value of K. IN_FILE: V comes from the config file (paths
 * then absolute or ~/, ~ expanded). Returns the value to keep (malloc'd),
 * or NULL with the problem, translated, in WHY.
 */
static char *check_value(cfg_key_t k, const char *v, int in_file, buf_t *why)
{
    if (*v == '\0') {
        buf_puts(why, msg_tr("empty value"));
        return NULL;
    }
    switch (k) {
    case CFG_DB:
    case CFG_CORPUS:
    case CFG_VARIANTS:
        if (!in_file)
            return xstrdup(v);
        if (v[0] != '/' && strcmp(v, "~") != 0 && strncmp(v, "~/", 2) != 0) {
            buf_printf(why, msg_tr("a path in the config file must be "
                                   "absolute or start with ~/: '%s'"), v);
            return NULL;
        }
        return expand_home(v, why);
    case CFG_LIMIT: {
        /* Digits only: strtoul would take "-1", " 5" or "5x". */
        size_t n = strspn(v, "0123456789");
        errno = 0;
        unsigned long x = strtoul(v, NULL, 10);
        if (v[n] != '\0' || errno || x > LIMIT_MAX) {
            buf_printf(why, msg_tr("not a number from 0 to 100000: '%s'"), v);
            return NULL;
        }
        return xstrdup(v);
    }
    case CFG_FORMAT:
        for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
            if (strcmp(v, formats[i]) == 0)
                return xstrdup(v);
        buf_printf(why, msg_tr("expected %s, got '%s'"), config_format_names(), v);
        return NULL;
    case CFG_JSON_FIELDS: {
        reader_fields_t f;
        int bad = reader_fields_parse(v, &f, why);
        reader_fields_free(&f);
        return bad ? NULL : xstrdup(v);
    }
    default:
        return NULL;
    }
}

/* The config file's path, from NEWSIDX_CONFIG or the XDG rules. */
static void find_file(config_t *c)
{
    const char *env = getenv("NEWSIDX_CONFIG");
    if (env && *env) {
        c->file = xstrdup(env);
        c->file_from_env = 1;
        return;
    }
    buf_t b = BUF_INIT;
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg == '/')
        buf_printf(&b, "%s/newsidx/config", xdg);
    else if (home && *home)
        buf_printf(&b, "%s/.config/newsidx/config", home);
    c->file = b.data; /* NULL when neither is set */
}

static char *trim(char *s, char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    *end = '\0';
    return s;
}

/* One non-blank, non-comment line, cut in place. Returns 0 or 2. */
static int file_line(config_t *c, char *line, char *end, unsigned no,
                     unsigned seen[CFG_NKEYS])
{
    char *eq = memchr(line, '=', (size_t)(end - line));
    char *whole = xstrndup(line, (size_t)(end - line)); /* for messages */
    char *key = eq ? trim(line, eq) : NULL;
    if (!eq || !*key) {
        warnx_("%s:%u: expected 'key = value', got '%s'", c->file, no,
               trim(whole, whole + strlen(whole)));
        free(whole);
        return 2;
    }
    free(whole);
    cfg_key_t k = config_key_from_name(key);
    if (k == CFG_NKEYS) {
        const char *best = closest_name(key, key_names, CFG_NKEYS);
        if (best)
            warnx_("%s:%u: unknown key '%s' (did you mean '%s'?)", c->file,
                   no, key, best);
        else
            warnx_("%s:%u: unknown key '%s' (known keys: db, corpus, limit, "
                   "format, json_fields, variants)", c->file, no, key);
        return 2;
    }
    if (seen[k]) {
        warnx_("%s:%u: '%s' is already set on line %u", c->file, no, key,
               seen[k]);
        return 2;
    }
    seen[k] = no;
    char *v = trim(eq + 1, end);
    size_t vlen = strlen(v);
    if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
        v[vlen - 1] = '\0';
        v++;
    }
    buf_t why = BUF_INIT, where = BUF_INIT;
    buf_printf(&where, "%s:%u", c->file, no);
    char *value = check_value(k, v, 1, &why);
    if (value)
        item_set(&c->item[k], value, CFG_FILE, where.data);
    else
        warnx_("%s: %s: %s", where.data, key, why.data);
    buf_free(&why);
    buf_free(&where);
    return value ? 0 : 2;
}

static int read_config_file(config_t *c)
{
    if (!c->file)
        return 0;
    if (strcmp(c->file, "/dev/null") == 0) {
        c->file_found = 1; /* NEWSIDX_CONFIG=/dev/null: no settings */
        return 0;
    }
    char *data;
    size_t len;
    int e = read_file(c->file, 0, &data, &len, NULL);
    if (e == ENOENT && !c->file_from_env)
        return 0;
    if (e) {
        warnx_("%s: cannot read the config file: %s", c->file, strerror(e));
        return 2;
    }
    c->file_found = 1;
    unsigned seen[CFG_NKEYS] = { 0 };
    char *p = data, *stop = data + len;
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3; /* a UTF-8 BOM, as some editors write */
    int r = 0;
    for (unsigned no = 1; p < stop && r == 0; no++) {
        char *nl = memchr(p, '\n', (size_t)(stop - p));
        char *end = nl ? nl : stop;
        if (memchr(p, '\0', (size_t)(end - p))) {
            warnx_("%s:%u: not a text line (NUL byte)", c->file, no);
            r = 2;
            break;
        }
        if (end > p && end[-1] == '\r')
            end--;
        char *s = p;
        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
        if (s < end && *s != '#')
            r = file_line(c, s, end, no, seen);
        p = nl ? nl + 1 : stop;
    }
    free(data);
    return r;
}

int config_load(config_t *c)
{
    memset(c, 0, sizeof *c);
    item_set(&c->item[CFG_DB], db_path_default(), CFG_DEFAULT, "default");
    item_set(&c->item[CFG_CORPUS], xstrdup("corpus"), CFG_DEFAULT, "default");
    item_set(&c->item[CFG_LIMIT], xstrdup("10"), CFG_DEFAULT, "default");
    item_set(&c->item[CFG_FORMAT], xstrdup("text"), CFG_DEFAULT, "default");
    item_set(&c->item[CFG_JSON_FIELDS], xstrdup(""), CFG_DEFAULT, "default");
    item_set(&c->item[CFG_VARIANTS], NULL, CFG_DEFAULT, "default");
    find_file(c);
    if (read_config_file(c) != 0)
        return 2;
    for (int k = 0; k < CFG_NKEYS; k++) {
        const char *v = getenv(env_names[k]);
        if (!v || !*v)
            continue;
        buf_t why = BUF_INIT;
        char *value = check_value((cfg_key_t)k, v, 0, &why);
        if (!value)
            warnx_("%s: %s", env_names[k], why.data);
        else
            item_set(&c->item[k], value, CFG_ENV, env_names[k]);
        buf_free(&why);
        if (!value)
            return 2;
    }
    return 0;
}

int config_load_args(config_t *c, const char *const arg[CFG_NKEYS])
{
    static const char *const option_names[CFG_NKEYS] = { "--db", "--corpus",
                                                         "--limit", "--format" };
    int r = config_load(c);
    for (int k = 0; k < CFG_NKEYS && r == 0; k++)
        if (arg[k])
            r = config_set_arg(c, (cfg_key_t)k, arg[k], option_names[k]);
    return r;
}

int config_set_arg(config_t *c, cfg_key_t k, const char *value,
                   const char *option)
{
    buf_t why = BUF_INIT;
    char *v = check_value(k, value, 0, &why);
    int r = 0;
    if (v)
        item_set(&c->item[k], v, CFG_ARG, option);
    else
        r = usage_fail("%s: %s", option, why.data);
    buf_free(&why);
    return r;
}

unsigned long config_limit(const config_t *c)
{
    const char *v = c->item[CFG_LIMIT].value;
    return v ? strtoul(v, NULL, 10) : 10;
}

void config_free(config_t *c)
{
    for (int k = 0; k < CFG_NKEYS; k++) {
        free(c->item[k].value);
        free(c->item[k].where);
        c->item[k].value = c->item[k].where = NULL;
    }
    free(c->file);
    c->file = NULL;
}
