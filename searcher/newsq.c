/*
 * newsq.c: search the index from the command line.
 *
 *   newsq [--db PATH] [--limit N] [--offset N] [--format text|json|tsv|ids]
 *         [--] QUERY...
 *
 * Results go to stdout through one printer (printer.h); diagnostics to
 * stderr. Exit: 0 hits, 1 no hits, 2 usage, 3 index missing or unreadable,
 * 4 index changed during the search and the retries failed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "nx.h"
#include "printer.h"
#include "query.h"
#include "schema.h"
#include "snippet.h"
#include "util.h"

enum { EXIT_HITS = 0, EXIT_NO_HITS = 1, EXIT_USAGE = 2, EXIT_NO_INDEX = 3,
       EXIT_BUSY = 4 };

#define RETRIES 5

static const char usage_text[] =
    "usage: newsq [--db PATH] [--limit N] [--offset N]\n"
    "             [--format text|json|tsv|ids] [--] QUERY...\n"
    "\n"
    "Search the newsidx index for QUERY (words; every word goes through the\n"
    "same Arabic analyzer as the index, so الهدنه finds الهدنة and اوكرانيا\n"
    "finds أوكرانيا). Documents holding more of the words, and in the title,\n"
    "rank first.\n"
    "\n"
    "  --db PATH      the index (default: $NEWSIDX_DB, else\n"
    "                 $XDG_DATA_HOME/newsidx/index, else\n"
    "                 ~/.local/share/newsidx/index)\n"
    "  --limit N      at most N hits (default 10)\n"
    "  --offset N     skip the first N hits (default 0)\n"
    "  --format F     text (default), json (one object per line), tsv, ids\n"
    "\n"
    "exit status: 0 hits; 1 no hits; 2 usage error; 3 index missing or\n"
    "unreadable; 4 index busy (changed during the search, retries failed)\n";

static int parse_count(const char *s, unsigned long max, unsigned long *v)
{
    char *end;
    if (*s < '0' || *s > '9')
        return 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (*end || x > max)
        return 0;
    *v = (unsigned long)x;
    return 1;
}

/* A NUL-terminated copy of a document-data field, or NULL. */
static char *field(const char *data, size_t len, const char *key)
{
    size_t vlen;
    const char *v = docdata_get(data, len, key, &vlen);
    return v ? xstrndup(v, vlen) : NULL;
}

typedef struct search_args {
    nx_db_t *db;
    query_t *q;
    nx_search_opts_t opts;
    unsigned long offset, limit;
} search_args_t;

/* Run the search, reopening and retrying while the index changes under us. */
static nx_status_t search_retry(search_args_t *a, nx_hits_t **hits)
{
    nx_status_t s = NX_MODIFIED;
    for (int i = 0; i < RETRIES && s == NX_MODIFIED; i++) {
        if (i)
            nx_db_reopen(a->db);
        s = nx_search(a->db, a->q->q, &a->opts, (uint32_t)a->offset,
                      (uint32_t)a->limit, hits);
    }
    return s;
}

int main(int argc, char **argv)
{
    progname = "newsq";
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "limit", required_argument, NULL, 'n' },
        { "offset", required_argument, NULL, 'o' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    const char *dbopt = NULL;
    unsigned long limit = 10, offset = 0;
    format_t format = FMT_TEXT;
    int c;
    while ((c = getopt_long(argc, argv, "d:n:o:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dbopt = optarg; break;
        case 'n':
            if (!parse_count(optarg, 100000, &limit))
                return usage_fail("--limit: not a number from 0 to 100000: '%s'",
                                   optarg);
            break;
        case 'o':
            if (!parse_count(optarg, 100000000, &offset))
                return usage_fail("--offset: not a number: '%s'", optarg);
            break;
        case 'f':
            format = format_from_name(optarg);
            if (format == FMT_LAST)
                return usage_fail("--format: expected text|json|tsv|ids, got '%s'",
                                   optarg);
            break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("newsq %s\n", NEWSIDX_VERSION); return 0;
        default: return usage_fail("%s", "invalid option");
        }
    }
    if (optind >= argc)
        return usage_fail("%s", "no query given");
    buf_t qtext = BUF_INIT;
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            buf_putc(&qtext, ' ');
        buf_puts(&qtext, argv[i]);
    }

    char *path = db_path_resolve(dbopt);
    if (!path) {
        buf_free(&qtext);
        return usage_fail("%s", "no index location: set --db or NEWSIDX_DB");
    }
    nx_db_t *db = NULL;
    char *err = NULL;
    nx_status_t s = nx_db_open(path, NX_READ, &db, &err);
    if (s != NX_OK) {
        warnx_("%s: cannot open the index (%s); build it with 'newsidx build'",
               path, err ? err : nx_status_to_string(s));
        free(err);
        free(path);
        buf_free(&qtext);
        return EXIT_NO_INDEX;
    }
    analyzer_t *an = analyzer_new();
    query_t q;
    if (!an || query_build(an, qtext.data, &q) != 0) {
        warnx_("cannot initialise the analyzer");
        nx_db_free(db);
        free(path);
        buf_free(&qtext);
        analyzer_free(an);
        return EXIT_NO_INDEX;
    }
    int rc = EXIT_NO_HITS;
    printer_t pr;
    printer_init(&pr, format, stdout, format == FMT_TEXT && want_color(stdout));
    if (!q.q) {
        warnx_("the query holds no searchable word: '%s'", qtext.data);
        pr.no_hits(&pr, qtext.data, NULL);
    } else {
        search_args_t a;
        memset(&a, 0, sizeof a);
        a.db = db;
        a.q = &q;
        a.offset = offset;
        a.limit = limit;
        a.opts.bm25_k1 = q.weights.k1;
        a.opts.bm25_b = q.weights.b;
        a.opts.collapse = 1;
        a.opts.collapse_slot = SLOT_HASH;
        nx_hits_t *hits = NULL;
        s = search_retry(&a, &hits);
        if (s != NX_OK) {
            warnx_("%s: search failed: %s", path, *nx_db_errmsg(db)
                   ? nx_db_errmsg(db) : nx_status_to_string(s));
            rc = s == NX_MODIFIED ? EXIT_BUSY : EXIT_NO_INDEX;
        } else {
            snippet_t sn = { BUF_INIT, NULL, 0 };
            size_t n = nx_hits_count(hits);
            for (size_t i = 0; i < n; i++) {
                const nx_doc_t *d = nx_hits_doc(hits, i);
                size_t dlen = 0;
                const char *data = d ? nx_doc_data(d, &dlen) : "";
                char *id = field(data, dlen, "id");
                char *fpath = field(data, dlen, "path");
                char *title = field(data, dlen, "title");
                char *date = field(data, dlen, "date");
                char *source = field(data, dlen, "source");
                char *parent = field(data, dlen, "parent");
                size_t tlen = 0;
                const char *text = docdata_get(data, dlen, "text", &tlen);
                snippet_make(an, &q, text ? text : "", text ? tlen : 0, &sn);
                hit_t h = { (unsigned)(offset + i + 1), id, fpath, title, date,
                            source, parent, nx_hits_weight(hits, i),
                            buf_cstr(&sn.text), sn.marks, sn.n_marks };
                pr.hit(&pr, &h);
                free(id); free(fpath); free(title); free(date); free(source);
                free(parent);
            }
            snippet_free(&sn);
            rc = n ? EXIT_HITS : EXIT_NO_HITS;
            if (!n && nx_hits_matches_estimated(hits) == 0) {
                warnx_("no match for '%s'", qtext.data);
                pr.no_hits(&pr, qtext.data, NULL);
            }
            nx_hits_free(hits);
        }
    }
    if (fflush(stdout) != 0 && rc == EXIT_HITS)
        rc = EXIT_NO_INDEX;
    query_free(&q);
    analyzer_free(an);
    nx_db_free(db);
    free(path);
    buf_free(&qtext);
    return rc;
}
