/*
 * test_messages.c: the English → Arabic message table (messages.h): every
 * Arabic format takes the same arguments as its English one (a mismatch
 * would be undefined behaviour in printf), every English format still
 * occurs, whole, as a string literal in the sources (else the program
 * prints something else and the translation is dead), and the locale
 * variables choose the language as POSIX says.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "messages.h"
#include "util.h"

/* The conversions of printf format F, "s,u,zu," ("%%" skipped). */
static void conversions(const char *f, buf_t *out)
{
    buf_reset(out);
    for (; *f; f++) {
        if (*f != '%')
            continue;
        f++;
        if (*f == '%')
            continue;
        f += strspn(f, "-+ #0123456789.*'$");
        size_t n = strspn(f, "hljztL");
        buf_append(out, f, n + 1);
        buf_putc(out, ',');
        f += n;
        if (!*f)
            break;
    }
}

/* Append to LITS every string literal of the C source TEXT, adjacent
 * literals joined as the compiler joins them, each followed by a NUL. */
static void literals(const char *s, buf_t *lits)
{
    int open = 0; /* inside a run of adjacent literals */
    while (*s) {
        if (s[0] == '/' && s[1] == '/') {
            s += strcspn(s, "\n");
        } else if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            s = e ? e + 2 : s + strlen(s);
        } else if (*s == '\'') {
            for (s++; *s && *s != '\''; s++)
                if (*s == '\\' && s[1])
                    s++;
            if (*s)
                s++;
        } else if (*s == '"') {
            for (s++; *s && *s != '"'; s++) {
                char c = *s;
                if (c == '\\' && s[1]) {
                    s++;
                    switch (*s) {
                    case 'n': c = '\n'; break;
                    case 't': c = '\t'; break;
                    case 'r': c = '\r'; break;
                    default: c = *s; break; /* \\ \" \' */
                    }
                }
                buf_putc(lits, c);
            }
            if (*s)
                s++;
            open = 1;
        } else if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            s++;
        } else {
            if (open)
                buf_putc(lits, '\0');
            open = 0;
            s++;
        }
    }
    if (open)
        buf_putc(lits, '\0');
}

static void read_sources(const char *root, const char *dir, buf_t *lits)
{
    buf_t path = BUF_INIT;
    buf_printf(&path, "%s/%s", root, dir);
    DIR *d = opendir(path.data);
    CHECK(d != NULL, "open %s", path.data);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        int c_file = (n > 2 && strcmp(e->d_name + n - 2, ".c") == 0) ||
                     (n > 3 && strcmp(e->d_name + n - 3, ".cc") == 0);
        if (!c_file || strcmp(e->d_name, "messages.c") == 0)
            continue;
        buf_reset(&path);
        buf_printf(&path, "%s/%s/%s", root, dir, e->d_name);
        char *text;
        size_t len;
        if (read_file(path.data, 0, &text, &len, NULL) == 0) {
            literals(text, lits);
            free(text);
        }
    }
    if (d)
        closedir(d);
    buf_free(&path);
}

static int in_sources(const buf_t *lits, const char *s)
{
    for (size_t i = 0; i < lits->len; i += strlen(lits->data + i) + 1)
        if (strcmp(lits->data + i, s) == 0)
            return 1;
    return 0;
}

/* Does S hold a letter of the Arabic block (U+0600–U+06FF)? */
static int has_arabic(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0xd8 && *p <= 0xdb)
            return 1;
    return 0;
}

static void set_locale(const char *all, const char *messages, const char *lang)
{
    const char *names[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
    const char *values[] = { all, messages, lang };
    for (int i = 0; i < 3; i++) {
        if (values[i])
            setenv(names[i], values[i], 1);
        else
            unsetenv(names[i]);
    }
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : getenv("NEWSIDX_SRC");
    CHECK(root != NULL, "source root given");
    if (!root)
        return check_report("test_messages");

    buf_t lits = BUF_INIT, ce = BUF_INIT, ca = BUF_INIT;
    read_sources(root, "common", &lits);
    read_sources(root, "indexer", &lits);
    read_sources(root, "searcher", &lits);
    CHECK(in_sources(&lits, "Try '%s --help'.\n"),
          "the literal scanner finds an escaped literal");
    CHECK(!in_sources(&lits, "no such message at all"), "nor invents one");

    size_t n = msg_count();
    CHECK(n >= 40, "a real table (%zu messages)", n);
    for (size_t i = 0; i < n; i++) {
        const char *en, *ar;
        msg_entry(i, &en, &ar);
        conversions(en, &ce);
        conversions(ar, &ca);
        CHECK_STR(buf_cstr(&ca), buf_cstr(&ce), "same conversions: %s", en);
        CHECK(has_arabic(ar) && !has_arabic(en), "languages right: %s", en);
        CHECK(in_sources(&lits, en), "printed somewhere in the sources: [%s]",
              en);
        for (size_t j = 0; j < i; j++) {
            const char *en2, *ar2;
            msg_entry(j, &en2, &ar2);
            CHECK(strcmp(en, en2) != 0, "listed once: %s", en);
        }
    }

    /* Which variable decides (POSIX: LC_ALL, LC_MESSAGES, LANG). */
    static const struct {
        const char *all, *messages, *lang;
        int arabic;
        const char *why;
    } cases[] = {
        { NULL, NULL, NULL, 0, "nothing set: English" },
        { NULL, NULL, "ar_SA.UTF-8", 1, "LANG=ar_SA.UTF-8" },
        { NULL, NULL, "ar", 1, "LANG=ar" },
        { NULL, NULL, "ar_EG", 1, "LANG=ar_EG" },
        { NULL, NULL, "ar@latin", 1, "LANG with a modifier" },
        { NULL, NULL, "arn_CL.UTF-8", 0, "Mapudungun is not Arabic" },
        { NULL, NULL, "en_US.UTF-8", 0, "LANG=en_US" },
        { "C", NULL, "ar_SA.UTF-8", 0, "LC_ALL=C overrides LANG" },
        { "", NULL, "ar_SA.UTF-8", 1, "an empty LC_ALL counts as unset" },
        { NULL, "ar_JO.UTF-8", "en_US.UTF-8", 1, "LC_MESSAGES over LANG" },
        { NULL, "C.UTF-8", "ar_SA.UTF-8", 0, "LC_MESSAGES=C over LANG" },
        { "ar_MA.UTF-8", "en_GB", "en_US", 1, "LC_ALL over the rest" },
    };
    const char *fmt = "no match for '%s'";
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        set_locale(cases[i].all, cases[i].messages, cases[i].lang);
        CHECK(msg_arabic() == cases[i].arabic, "%s", cases[i].why);
        CHECK(has_arabic(msg_tr(fmt)) == cases[i].arabic, "msg_tr: %s",
              cases[i].why);
        CHECK(has_arabic(msg_pick("en", "عربي")) == cases[i].arabic,
              "msg_pick: %s", cases[i].why);
    }
    set_locale(NULL, NULL, "ar_SA.UTF-8");
    const char *other = "a message not in the table";
    CHECK(msg_tr(other) == other, "unknown formats pass through unchanged");
    CHECK_STR(msg_tr("no match for '%s'"), "لا نتائج لـ '%s'", "a known one");
    set_locale(NULL, NULL, NULL);
    CHECK(msg_tr(fmt) == fmt, "English: the very format given");

    buf_free(&lits);
    buf_free(&ce);
    buf_free(&ca);
    return check_report("test_messages");
}
