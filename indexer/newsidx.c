/*
 * newsidx.c: the indexer's command line.
 *
 *   newsidx build [--corpus DIR] [--db PATH] [--max-size BYTES]
 *                 [--commit-every FILES] [--wait SECONDS] [--quiet]
 *                 [--jobs N] [--no-delete] [--dry-run]
 *   newsidx stats [--db PATH]
 *   newsidx compact [--db PATH] [--wait SECONDS]
 *   newsidx analyze [--query] TEXT...
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "analyzer.h"
#include "build.h"
#include "util.h"

static const char usage_text[] =
    "usage: newsidx build [--corpus DIR] [--db PATH] [--max-size BYTES]\n"
    "                     [--commit-every FILES] [--wait SECONDS] [--quiet]\n"
    "                     [--jobs N] [--no-delete] [--dry-run]\n"
    "       newsidx stats [--db PATH]\n"
    "       newsidx compact [--db PATH] [--wait SECONDS]\n"
    "       newsidx analyze [--query] TEXT...\n"
    "       newsidx --help | --version\n"
    "\n"
    "build    index every article file under DIR (default: corpus/) into the\n"
    "         index at PATH (default: $NEWSIDX_DB, else\n"
    "         $XDG_DATA_HOME/newsidx/index, else ~/.local/share/newsidx/index).\n"
    "         Incremental: unchanged files (same size and time) are not\n"
    "         read again, changed ones are replaced, deleted ones removed.\n"
    "         Prints one summary line: files, documents in the index, errors,\n"
    "         seconds (then files read, unchanged, removed; articles/s), and\n"
    "         a progress line while it runs when stderr is a terminal.\n"
    "         --jobs N: threads for a first build (default: one per core,\n"
    "         at most 8); later builds use one writer.\n"
    "         --no-delete: keep the articles of files deleted from DIR.\n"
    "         --dry-run: read and analyse what a build would, write nothing,\n"
    "         report the speed (articles/s).\n"
    "         --max-size BYTES: index only the start of larger files\n"
    "         (default 64 MiB; such a file counts as an error).\n"
    "         --commit-every FILES: commit after every FILES files (default\n"
    "         1000; 0: once at the end); a killed build keeps what it committed.\n"
    "         --wait SECONDS: if another build holds the index, wait for it\n"
    "         that long (default: fail at once with exit status 4).\n"
    "stats    documents, files, distinct terms, size on disk, last build\n"
    "         and its duration, corpus folder: one \"key: value\" per line.\n"
    "compact  rewrite the index compactly (smaller, faster to search);\n"
    "         readers keep working, the new index replaces the old at once.\n"
    "analyze  print, for each word of TEXT, the terms the analyzer makes of it:\n"
    "         WORD<TAB>SURFACE STEM... (--query: as a query would; stopwords\n"
    "         then make no term)\n"
    "\n"
    "exit status: 0 done; 1 done, but some files were skipped or cut (see\n"
    "stderr); 2 usage error; 3 index cannot be opened or written; 4 index\n"
    "locked by another build; 5 corpus folder unreadable\n";

static int cmd_build(int argc, char **argv)
{
    static const struct option opts[] = {
        { "corpus", required_argument, NULL, 'c' },
        { "db", required_argument, NULL, 'd' },
        { "max-size", required_argument, NULL, 'm' },
        { "commit-every", required_argument, NULL, 'C' },
        { "wait", required_argument, NULL, 'w' },
        { "quiet", no_argument, NULL, 'q' },
        { "jobs", required_argument, NULL, 'j' },
        { "dry-run", no_argument, NULL, 'n' },
        { "no-delete", no_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    build_opts_t o = { "corpus", NULL, 64u << 20, BUILD_COMMIT_EVERY, 0, 0,
                       cores < 1 ? 1 : cores > BUILD_MAX_JOBS ? BUILD_MAX_JOBS
                                                              : (unsigned)cores,
                       0, 0 };
    const char *db = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:d:m:j:nqh", opts, NULL)) != -1) {
        switch (c) {
        case 'c': o.corpus = optarg; break;
        case 'd': db = optarg; break;
        case 'q': o.quiet = 1; break;
        case 'n': o.dry_run = 1; break;
        case 'D': o.no_delete = 1; break;
        case 'j': {
            char *end;
            unsigned long v = strtoul(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end != '\0' || v == 0 ||
                v > 64)
                return usage_fail("--jobs: not a number of threads (1-64): "
                                  "'%s'", optarg);
            o.jobs = (unsigned)v;
            break;
        }
        case 'm': {
            char *end;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || v == 0)
                return usage_fail("--max-size: not a positive number of bytes: '%s'",
                                   optarg);
            o.max_size = (size_t)v;
            break;
        }
        case 'C': {
            char *end;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end != '\0')
                return usage_fail("--commit-every: not a number of files: '%s'",
                                  optarg);
            o.commit_every = (size_t)v;
            break;
        }
        case 'w': {
            char *end;
            double v = strtod(optarg, &end);
            if (*optarg < '0' || *optarg > '9' || *end != '\0' || !isfinite(v) ||
                v > 1e9)
                return usage_fail("--wait: not a number of seconds: '%s'",
                                  optarg);
            o.wait = v;
            break;
        }
        case 'h': fputs(usage_text, stdout); return 0;
        default: return usage_fail("%s", "invalid option for build");
        }
    }
    if (optind < argc)
        return usage_fail("build: unexpected argument '%s'", argv[optind]);
    char *path = db_path_resolve(db);
    if (!path)
        return usage_fail("%s", "no index location: set --db or NEWSIDX_DB");
    o.db = path;
    int r = build_run(&o);
    free(path);
    return r;
}

/* Options of stats and compact: --db, and for compact --wait, --quiet. */
static int cmd_admin(int argc, char **argv, int compact)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "wait", required_argument, NULL, 'w' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = NULL;
    double wait = 0;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'q': quiet = 1; break;
        case 'w': {
            char *end;
            double v = strtod(optarg, &end);
            if (!compact || *optarg < '0' || *optarg > '9' || *end != '\0' ||
                !isfinite(v) || v > 1e9)
                return usage_fail("--wait: not a number of seconds: '%s'",
                                  optarg);
            wait = v;
            break;
        }
        case 'h': fputs(usage_text, stdout); return 0;
        default:
            return usage_fail("invalid option for %s",
                              compact ? "compact" : "stats");
        }
    }
    if (optind < argc)
        return usage_fail("%s: unexpected argument '%s'",
                          compact ? "compact" : "stats", argv[optind]);
    char *path = db_path_resolve(db);
    if (!path)
        return usage_fail("%s", "no index location: set --db or NEWSIDX_DB");
    int r = compact ? admin_compact(path, wait, quiet) : admin_stats(path);
    free(path);
    return r;
}

typedef struct analyze_ctx {
    const char *text;
    int query;
} analyze_ctx_t;

static int print_terms(void *vctx, const an_token_t *tok)
{
    const analyze_ctx_t *c = vctx;
    printf("%.*s\t", (int)(tok->end - tok->start), c->text + tok->start);
    if (!(c->query && tok->stopword)) {
        fwrite(tok->surface, 1, tok->surface_len, stdout);
        for (size_t i = 0; i < tok->n_stems; i++)
            printf(" Z%s", tok->stems[i]);
    }
    putchar('\n');
    return 0;
}

static int cmd_analyze(int argc, char **argv)
{
    static const struct option opts[] = {
        { "query", no_argument, NULL, 'Q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int query = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'Q': query = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return usage_fail("%s", "invalid option for analyze");
        }
    }
    if (optind >= argc)
        return usage_fail("%s", "analyze: no text given");
    analyzer_t *an = analyzer_new();
    if (!an) {
        warnx_("cannot initialise ICU word segmentation");
        return 3;
    }
    for (int i = optind; i < argc; i++) {
        analyze_ctx_t ctx = { argv[i], query };
        analyzer_run(an, argv[i], strlen(argv[i]), print_terms, &ctx);
    }
    analyzer_free(an);
    return fflush(stdout) == 0 ? 0 : 3;
}

int main(int argc, char **argv)
{
    progname = "newsidx";
    if (argc < 2)
        return usage_fail("%s", "missing command (build, stats, compact or analyze)");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("newsidx %s\n", NEWSIDX_VERSION);
        return 0;
    }
    if (strcmp(cmd, "build") == 0)
        return cmd_build(argc - 1, argv + 1);
    if (strcmp(cmd, "stats") == 0)
        return cmd_admin(argc - 1, argv + 1, 0);
    if (strcmp(cmd, "compact") == 0)
        return cmd_admin(argc - 1, argv + 1, 1);
    if (strcmp(cmd, "analyze") == 0)
        return cmd_analyze(argc - 1, argv + 1);
    return usage_fail("unknown command '%s' (build, stats, compact or analyze)", cmd);
}
