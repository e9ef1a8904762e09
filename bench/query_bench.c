/*
 * query_bench.c: in-process query latency of the search library (search.h),
 * the very code newsq runs, beside a plain-Xapian peer on the same index.
 *
 *   query_bench --db PATH [--n N] [--limit L] [--ids | --peer] QUERIES_FILE
 *
 * QUERIES_FILE holds one query per line (a "qid<TAB>text" line keeps the
 * text). The index and the analyzer are opened once; then N queries (the
 * file cycled, default 500) each go through search_run with newsq's default
 * options (top L, default 10, duplicates collapsed, stored fields and
 * snippets as the text and json formats print them); only printing is left
 * out. --ids asks what `newsq --format ids` asks: the ids, no fields, no
 * snippets. --peer runs the peer instead: the same analyzer, surface and Z
 * stem terms ORed, Xapian's default BM25, top L ids (what a plain Xapian
 * application would do, and what `quest` does). Each query is timed alone
 * with CLOCK_MONOTONIC.
 *
 * Prints one line of "key=value" pairs for bench/run.sh, e.g.
 *   queries=500 hits=4980 nohits=2 qps=812.4 mean_ms=1.231 p50_ms=1.02 ...
 * with the mean time per query of each phase of search_run (build_ms:
 * parse + analyze + build; search_ms: nx_search, relaxed retry included;
 * show_ms: the page: stored fields, snippets; suggest_ms: spelling
 * suggestions); zero for the peer.
 *
 * --like: each line is an article id, searched as `newsq --like ID` (the
 * article's expand set, then the search; like.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer.h"
#include "nx.h"
#include "schema.h"
#include "search.h"
#include "util.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Time spent in each phase over all queries (ms), as search_run reports
 * it (search.h): building the query, searching, the page (stored fields,
 * snippets), suggesting. */
static double phase[SEARCH_PHASES];

/* What each query asks for (--ids: the id only, as newsq --format ids;
 * otherwise fields and snippets, as the text and json formats). */
static int ids_only;
/* --like: the lines are article ids (newsq --like ID). */
static int like_ids;

/*
 * One query through search_run with newsq's default options. Returns the
 * number of hits, or -1 on a query or search error. CHECKSUM accumulates
 * snippet bytes so that no work can be optimised away.
 */
static long one_query(searcher_t *se, const char *text, uint32_t limit,
                      size_t *checksum)
{
    search_request_t req = { .text = text, .limit = limit, .collapse = 1,
                             .fields = !ids_only, .snippets = !ids_only,
                             .suggest = 1 };
    if (like_ids) {
        req.like = text;
        req.text = NULL;
    }
    search_result_t res;
    long n = -1;
    if (search_run(se, &req, &res) == SEARCH_OK) {
        n = (long)res.n_hits;
        for (size_t i = 0; i < res.n_hits; i++)
            *checksum += (res.hits[i].snippet ? strlen(res.hits[i].snippet)
                                              : 0) + res.hits[i].n_marks;
        if (res.suggestion)
            *checksum += strlen(res.suggestion);
    }
    for (int i = 0; i < SEARCH_PHASES; i++)
        phase[i] += res.ms[i];
    search_result_free(&res);
    return n;
}

/* ------------------------------------------------------- plain-Xapian peer */

typedef struct peer_terms {
    nx_query_t **v;
    size_t n, cap;
} peer_terms_t;

static void peer_add(peer_terms_t *t, const char *prefix, const char *term)
{
    buf_t b = BUF_INIT;
    buf_puts(&b, prefix);
    buf_puts(&b, term);
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = nx_query_term(b.data, b.len, 1);
    buf_free(&b);
}

static int peer_word(void *ctx, const an_token_t *tok)
{
    peer_terms_t *t = ctx;
    if (tok->stopword)
        return 0;
    peer_add(t, "", tok->surface);
    for (size_t i = 0; i < tok->n_stems; i++)
        peer_add(t, PFX_STEM, tok->stems[i]);
    return 0;
}

/*
 * The peer: what a plain Xapian application does with the same index.
 * Every word of TEXT through the same analyzer, its surface and Z stem
 * terms ORed, Xapian's default BM25, the top LIMIT document ids (no
 * collapse, no stored fields). Returns the number of hits or -1.
 */
static long peer_query(nx_db_t *db, analyzer_t *an, const char *text,
                       uint32_t limit, size_t *checksum)
{
    peer_terms_t t = { 0 };
    analyzer_run(an, text, strlen(text), peer_word, &t);
    long n = -1;
    nx_query_t *q = t.n ? nx_query_combine(NX_OP_OR, t.v, t.n, 0) : NULL;
    nx_search_opts_t so;
    memset(&so, 0, sizeof so);
    so.ids_only = 1;
    nx_hits_t *h = NULL;
    if (q && nx_search(db, q, &so, 0, limit, &h) == NX_OK) {
        n = (long)nx_hits_count(h);
        for (size_t i = 0; i < nx_hits_count(h); i++)
            *checksum += nx_hits_docid(h, i);
    }
    nx_hits_free(h);
    nx_query_free(q);
    for (size_t i = 0; i < t.n; i++)
        nx_query_free(t.v[i]);
    free(t.v);
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of the sorted array V of N values. */
static double pct(const double *v, size_t n, double p)
{
    size_t r = (size_t)(p / 100.0 * (double)n + 0.999999);
    return v[r ? r - 1 : 0];
}

/* Read the queries: one per line, the text after a TAB if there is one. */
static char **read_queries(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char **v = NULL, *line = NULL;
    size_t cap = 0, lcap = 0;
    ssize_t len;
    *n = 0;
    while ((len = getline(&line, &lcap, f)) >= 0) {
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        char *t = strchr(line, '\t');
        t = t ? t + 1 : line;
        if (!*t)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 256;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[(*n)++] = xstrdup(t);
    }
    free(line);
    fclose(f);
    return v;
}

int main(int argc, char **argv)
{
    progname = "query_bench";
    static const struct option longopts[] = {
        { "db", required_argument, NULL, 'd' },
        { "n", required_argument, NULL, 'n' },
        { "limit", required_argument, NULL, 'l' },
        { "peer", no_argument, NULL, 'p' },
        { "ids", no_argument, NULL, 'i' },
        { "like", no_argument, NULL, 'k' },
        { NULL, 0, NULL, 0 },
    };
    const char *dbpath = NULL;
    long count = 500, limit = 10;
    int c, peer = 0;
    while ((c = getopt_long(argc, argv, "d:n:l:", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': dbpath = optarg; break;
        case 'n': count = strtol(optarg, NULL, 10); break;
        case 'l': limit = strtol(optarg, NULL, 10); break;
        case 'p': peer = 1; break;
        case 'i': ids_only = 1; break;
        case 'k': like_ids = 1; break;
        default: return 2;
        }
    }
    if (!dbpath || optind != argc - 1 || count <= 0 || limit <= 0) {
        fputs("usage: query_bench --db PATH [--n N] [--limit L] [--ids | --peer] "
              "[--like] QUERIES_FILE\n",
              stderr);
        return 2;
    }
    size_t nq = 0;
    char **queries = read_queries(argv[optind], &nq);
    if (!queries || !nq) {
        warnx_("%s: no queries (%s)", argv[optind],
               queries ? "empty file" : strerror(errno));
        return 2;
    }

    double t0 = now_ms();
    nx_db_t *db = NULL;
    char *err = NULL;
    if (nx_db_open(dbpath, NX_READ, &db, &err) != NX_OK) {
        warnx_("%s: cannot open the index: %s", dbpath, err ? err : "?");
        free(err);
        return 3;
    }
    double t1 = now_ms();
    /* newsq makes one analyzer per process; a long-running searcher would
     * keep it, so it is made once here and its cost printed apart. */
    analyzer_t *an = peer ? analyzer_new() : NULL;
    searcher_t *se = peer ? NULL : searcher_new(db);
    double t2 = now_ms();
    if (!an && !se) {
        warnx_("cannot initialise the analyzer (ICU)");
        return 3;
    }

    double *ms = xcalloc((size_t)count, sizeof *ms);
    size_t checksum = 0;
    long hits = 0, nohits = 0, errors = 0;
    double start = now_ms();
    for (long i = 0; i < count; i++) {
        double a = now_ms();
        const char *text = queries[(size_t)i % nq];
        long h = peer ? peer_query(db, an, text, (uint32_t)limit, &checksum)
                      : one_query(se, text, (uint32_t)limit, &checksum);
        ms[i] = now_ms() - a;
        if (h < 0)
            errors++;
        else if (h == 0)
            nohits++;
        else
            hits += h;
    }
    double total = now_ms() - start;

    double sum = 0;
    for (long i = 0; i < count; i++)
        sum += ms[i];
    qsort(ms, (size_t)count, sizeof *ms, cmp_double);
    size_t n = (size_t)count;
    printf("queries=%ld distinct=%zu hits=%ld nohits=%ld errors=%ld "
           "qps=%.1f mean_ms=%.3f p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f "
           "max_ms=%.3f open_ms=%.2f analyzer_ms=%.2f build_ms=%.3f "
           "search_ms=%.3f show_ms=%.3f suggest_ms=%.3f checksum=%zu\n",
           count, nq, hits, nohits, errors, (double)count / (total / 1e3),
           sum / (double)count, pct(ms, n, 50), pct(ms, n, 95), pct(ms, n, 99),
           ms[n - 1], t1 - t0, t2 - t1, phase[0] / (double)count,
           phase[1] / (double)count, phase[2] / (double)count,
           phase[3] / (double)count, checksum);

    free(ms);
    for (size_t i = 0; i < nq; i++)
        free(queries[i]);
    free(queries);
    analyzer_free(an);
    searcher_free(se);
    nx_db_free(db);
    return errors ? 1 : 0;
}
