/*
 * query_bench.c: in-process query latency of newsq's search path.
 *
 *   query_bench --db PATH [--n N] [--limit L] QUERIES_FILE
 *
 * QUERIES_FILE holds one query per line (a "qid<TAB>text" line keeps the
 * text). The index and the analyzer are opened once; then N queries (the
 * file cycled, default 500) each go through what newsq's run() does with
 * its default options, minus the printing: query_build, nx_search for the
 * top L (default 10) with duplicates collapsed, the relaxed query when the
 * strict one matches nothing, the stored fields of every hit, the
 * parents-first order, a snippet for each hit, and a spelling suggestion
 * when nothing matched. Each query is timed alone with CLOCK_MONOTONIC.
 *
 * Prints one line of "key=value" pairs for bench/run.sh, e.g.
 *   queries=500 hits=4980 nohits=2 qps=812.4 mean_ms=1.231 p50_ms=1.02 ...
 * with the mean time per query of each phase (build_ms: parse + analyze +
 * build; search_ms: nx_search, relaxed retry included; show_ms: stored
 * fields + snippets; suggest_ms: spelling suggestions).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer.h"
#include "nx.h"
#include "order.h"
#include "query.h"
#include "schema.h"
#include "snippet.h"
#include "suggest.h"
#include "util.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Time spent in each phase over all queries (ms), to show where it goes:
 * building the query, searching, fetching + snippets, suggesting. */
static double phase[4];

/*
 * One query as newsq runs it with default options. Returns the number of
 * hits that would be printed, or -1 on a query or search error. CHECKSUM
 * accumulates snippet bytes so that no work can be optimised away.
 */
static long one_query(nx_db_t *db, analyzer_t *an, const char *text,
                      uint32_t limit, size_t *checksum)
{
    query_t q;
    char *err = NULL;
    double t = now_ms();
    query_filters_t qf = { NULL, 0, NULL, NULL, db };
    if (query_build(an, text, &qf, &q, &err) != 0) {
        free(err);
        return -1;
    }
    phase[0] += now_ms() - t;
    t = now_ms();
    long shown_n = -1;
    nx_hits_t *hits = NULL;
    if (!q.q)
        goto out;
    nx_search_opts_t so;
    memset(&so, 0, sizeof so);
    so.bm25_k1 = q.weights.k1;
    so.bm25_b = q.weights.b;
    so.collapse = 1;
    so.collapse_slot = SLOT_HASH;
    so.tie_by_value = 1;
    so.tie_slot = SLOT_KEY;
    if (nx_search(db, q.q, &so, 0, limit, &hits) != NX_OK)
        goto out;
    if (q.relaxed && nx_hits_matches_estimated(hits) == 0) {
        nx_hits_free(hits);
        hits = NULL;
        if (nx_search(db, q.relaxed, &so, 0, limit, &hits) != NX_OK)
            goto out;
    }
    phase[1] += now_ms() - t;
    t = now_ms();
    size_t n = nx_hits_count(hits);
    shown_t *v = xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        const nx_doc_t *d = nx_hits_doc(hits, i);
        size_t dlen = 0;
        const char *data = d ? nx_doc_data(d, &dlen) : "";
        v[i].id = docdata_dup(data, dlen, "id");
        v[i].parent = docdata_dup(data, dlen, "parent");
        v[i].idx = i;
    }
    parents_first(v, n);
    snippet_t sn = { BUF_INIT, NULL, 0 };
    for (size_t k = 0; k < n; k++) {
        const nx_doc_t *d = nx_hits_doc(hits, v[k].idx);
        size_t dlen = 0;
        const char *data = d ? nx_doc_data(d, &dlen) : "";
        /* newsq copies these four fields for its printer. */
        char *f[4] = { docdata_dup(data, dlen, "path"), docdata_dup(data, dlen, "title"),
                       docdata_dup(data, dlen, "date"), docdata_dup(data, dlen, "source") };
        size_t tlen = 0;
        const char *body = docdata_get(data, dlen, "text", &tlen);
        snippet_make(an, &q, body ? body : "", body ? tlen : 0, &sn);
        *checksum += sn.text.len + sn.n_marks;
        for (int j = 0; j < 4; j++)
            free(f[j]);
    }
    snippet_free(&sn);
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].parent);
    }
    free(v);
    phase[2] += now_ms() - t;
    t = now_ms();
    if (!n && nx_hits_matches_estimated(hits) == 0) {
        char *sugg = suggest_spelling(db, &q);
        if (sugg)
            *checksum += strlen(sugg);
        free(sugg);
    }
    phase[3] += now_ms() - t;
    shown_n = (long)n;
out:
    nx_hits_free(hits);
    query_free(&q);
    return shown_n;
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
        { NULL, 0, NULL, 0 },
    };
    const char *dbpath = NULL;
    long count = 500, limit = 10;
    int c;
    while ((c = getopt_long(argc, argv, "d:n:l:", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': dbpath = optarg; break;
        case 'n': count = strtol(optarg, NULL, 10); break;
        case 'l': limit = strtol(optarg, NULL, 10); break;
        default: return 2;
        }
    }
    if (!dbpath || optind != argc - 1 || count <= 0 || limit <= 0) {
        fputs("usage: query_bench --db PATH [--n N] [--limit L] QUERIES_FILE\n",
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
    analyzer_t *an = analyzer_new();
    double t2 = now_ms();
    if (!an) {
        warnx_("cannot initialise the analyzer (ICU)");
        return 3;
    }

    double *ms = xcalloc((size_t)count, sizeof *ms);
    size_t checksum = 0;
    long hits = 0, nohits = 0, errors = 0;
    double start = now_ms();
    for (long i = 0; i < count; i++) {
        double a = now_ms();
        long h = one_query(db, an, queries[(size_t)i % nq], (uint32_t)limit,
                           &checksum);
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
    nx_db_free(db);
    return errors ? 1 : 0;
}
