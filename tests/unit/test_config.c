/*
 * test_config.c: settings and their origins (config.h), the config file's
 * syntax and errors, the closest-name hints (didyoumean.h), and the format
 * names shared with newsq's printers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "didyoumean.h"
#include "printer.h"
#include "util.h"

static char tmpdir[] = "/tmp/test_config.XXXXXX";
static char conf[sizeof tmpdir + 16];

static void write_conf(const char *text, size_t len)
{
    FILE *f = fopen(conf, "wb");
    CHECK(f != NULL, "write %s", conf);
    if (f) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
}

static void clear_env(void)
{
    for (int k = 0; k < CFG_NKEYS; k++)
        unsetenv(config_env_name((cfg_key_t)k));
}

/* Load TEXT as the config file; returns config_load's status. */
static int load(config_t *c, const char *text)
{
    write_conf(text, strlen(text));
    return config_load(c);
}

int main(void)
{
    /* Edit distances, and the hint chosen from them. */
    static const struct { const char *a, *b; size_t d; } dist[] = {
        { "limit", "limit", 0 }, { "limt", "limit", 1 }, { "lmiit", "limit", 1 },
        { "Format", "format", 0 }, { "", "abc", 3 }, { "kitten", "sitting", 3 },
        { "ab", "ba", 1 }, { "ca", "abc", 3 },
    };
    for (size_t i = 0; i < sizeof dist / sizeof *dist; i++)
        CHECK(edit_distance(dist[i].a, dist[i].b) == dist[i].d,
              "distance %s %s = %zu (got %zu)", dist[i].a, dist[i].b,
              dist[i].d, edit_distance(dist[i].a, dist[i].b));
    const char *const opts[] = { "db", "limit", "offset", "format", "count",
                                 "collapse", "no-collapse", "version", NULL };
    const size_t n_opts = sizeof opts / sizeof *opts;
    static const struct { const char *typed, *want; } near[] = {
        { "limt", "limit" }, { "lmit", "limit" }, { "LIMIT", "limit" },
        { "form", "format" }, { "fromat", "format" }, { "versoin", "version" },
        { "no-colapse", "no-collapse" }, { "dv", "db" }, { "x", NULL },
        { "co", NULL }, { "zzzzzz", NULL }, { "", NULL }, { "c", NULL },
    };
    for (size_t i = 0; i < sizeof near / sizeof *near; i++)
        CHECK_STR(closest_name(near[i].typed, opts, n_opts), near[i].want,
                  "closest to '%s'", near[i].typed);

    /* The format key accepts exactly newsq's formats (tag-formats). */
    CHECK_STR(config_format_names(), format_names(), "same format list");
    char *names = xstrdup(config_format_names());
    int nf = 0;
    for (char *s = strtok(names, "|"); s; s = strtok(NULL, "|"), nf++)
        CHECK((int)format_from_name(s) == nf, "format %s is printer %d", s, nf);
    CHECK(nf == FMT_LAST, "every printer has a name");
    free(names);

    CHECK(mkdtemp(tmpdir) != NULL, "temporary folder");
    snprintf(conf, sizeof conf, "%s/config", tmpdir);
    setenv("NEWSIDX_CONFIG", conf, 1);
    setenv("HOME", "/home/someone", 1);
    setenv("XDG_DATA_HOME", "", 1);
    clear_env();
    config_t c;

    /* Defaults, then the file, with comments, blanks, quotes, CRLF, BOM. */
    CHECK(load(&c, "") == 0, "empty file");
    CHECK_STR(c.item[CFG_DB].value, "/home/someone/.local/share/newsidx/index",
              "default db");
    CHECK_STR(c.item[CFG_CORPUS].value, "corpus", "default corpus");
    CHECK(config_limit(&c) == 10, "default limit");
    CHECK_STR(c.item[CFG_FORMAT].value, "text", "default format");
    CHECK(c.item[CFG_LIMIT].origin == CFG_DEFAULT, "default origin");
    CHECK(c.file_found && c.file_from_env, "file from NEWSIDX_CONFIG");
    config_free(&c);

    const char good[] = "\xef\xbb\xbf# settings\r\n\r\n  db = ~/news/index  \r\n"
                        "\tlimit=25\n# format = json\ncorpus = \"/srv/news 2023 \"\n";
    write_conf(good, sizeof good - 1);
    CHECK(config_load(&c) == 0, "good file");
    CHECK_STR(c.item[CFG_DB].value, "/home/someone/news/index", "~ expanded, CR dropped");
    CHECK_STR(c.item[CFG_CORPUS].value, "/srv/news 2023 ", "quotes keep spaces");
    CHECK(config_limit(&c) == 25, "limit from the file");
    CHECK_STR(c.item[CFG_FORMAT].value, "text", "commented line ignored");
    char where[64];
    snprintf(where, sizeof where, "%s:3", conf);
    CHECK_STR(c.item[CFG_DB].where, where, "origin names file and line");
    CHECK(c.item[CFG_DB].origin == CFG_FILE, "origin: file");

    /* The environment over the file, the command line over both. */
    config_free(&c);
    setenv("NEWSIDX_LIMIT", "7", 1);
    setenv("NEWSIDX_DB", "relative/idx", 1);
    CHECK(config_load(&c) == 0, "environment");
    CHECK(config_limit(&c) == 7 && c.item[CFG_LIMIT].origin == CFG_ENV,
          "NEWSIDX_LIMIT over the file");
    CHECK_STR(c.item[CFG_LIMIT].where, "NEWSIDX_LIMIT", "origin: variable");
    CHECK_STR(c.item[CFG_DB].value, "relative/idx",
              "a relative path is fine in the environment");
    CHECK(config_set_arg(&c, CFG_LIMIT, "3", "--limit") == 0 &&
          config_limit(&c) == 3 && c.item[CFG_LIMIT].origin == CFG_ARG,
          "--limit over NEWSIDX_LIMIT");
    CHECK_STR(c.item[CFG_LIMIT].where, "--limit", "origin: option");
    CHECK(config_set_arg(&c, CFG_LIMIT, "many", "--limit") == 2,
          "a bad --limit is a usage error");
    CHECK(config_limit(&c) == 3, "and changes nothing");
    CHECK(config_set_arg(&c, CFG_FORMAT, "xml", "--format") == 2, "bad --format");
    CHECK(config_set_arg(&c, CFG_DB, "", "--db") == 2, "empty --db");
    config_free(&c);
    setenv("NEWSIDX_LIMIT", "-1", 1);
    CHECK(config_load(&c) == 2, "a bad NEWSIDX_LIMIT is an error");
    config_free(&c);
    clear_env();

    /* Bad files: each an error (the message, naming file and line, goes to
     * stderr and is checked by tests/cli/T070-config.sh). */
    static const char *const bad[] = {
        "limit 5\n", "= 5\n", "limt = 5\n", "limit = 5\nlimit = 6\n",
        "limit = 100001\n", "limit = 5x\n", "limit = -1\n", "limit =\n",
        "format = xml\n", "db = index\n", "corpus = ./c\n", "db = ~user/x\n",
        "corpus = \" /srv\"\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK(load(&c, bad[i]) == 2, "rejected: %s", bad[i]);
        config_free(&c);
    }
    write_conf("limit = 5\n\0\n", 12);
    CHECK(config_load(&c) == 2, "a NUL byte is rejected");
    config_free(&c);
    CHECK(load(&c, "limit = 100000\nformat = ids\n") == 0 &&
          config_limit(&c) == 100000, "the largest limit");
    config_free(&c);

    /* Where the file is looked for. */
    unsetenv("NEWSIDX_CONFIG");
    setenv("XDG_CONFIG_HOME", tmpdir, 1);
    CHECK(config_load(&c) == 0, "XDG_CONFIG_HOME");
    snprintf(where, sizeof where, "%s/newsidx/config", tmpdir);
    CHECK_STR(c.file, where, "$XDG_CONFIG_HOME/newsidx/config");
    CHECK(!c.file_found, "a missing default file is no error");
    config_free(&c);
    setenv("XDG_CONFIG_HOME", "relative", 1);
    CHECK(config_load(&c) == 0, "relative XDG_CONFIG_HOME ignored");
    CHECK_STR(c.file, "/home/someone/.config/newsidx/config", "~/.config");
    config_free(&c);
    setenv("NEWSIDX_CONFIG", "/dev/null", 1);
    CHECK(config_load(&c) == 0 && c.item[CFG_LIMIT].origin == CFG_DEFAULT,
          "NEWSIDX_CONFIG=/dev/null: no file, no error");
    config_free(&c);
    setenv("NEWSIDX_CONFIG", "/nonexistent/newsidx.conf", 1);
    CHECK(config_load(&c) == 2, "a missing NEWSIDX_CONFIG is an error");
    config_free(&c);

    unlink(conf);
    rmdir(tmpdir);
    return check_report("test_config");
}
