/*
 * fuzz_query.c: the query language (qparse) and the query builder on
 * arbitrary bytes. qparse either succeeds with well-formed clauses or fails
 * with a message, never both; query_build then turns any accepted text into
 * a Xapian query (through nx.h) without crashing, and its description is a
 * string.
 */
#include <string.h>

#include "analyzer.h"
#include "fuzz.h"
#include "qparse.h"
#include "query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static analyzer_t *an;
    if (!an) {
        an = analyzer_new();
        FUZZ_CHECK(an != NULL, "analyzer_new");
    }
    if (size > 4096)
        return 0; /* queries are short; long inputs only slow the search */
    char *text = malloc(size + 1);
    FUZZ_CHECK(text != NULL, "malloc");
    memcpy(text, data, size);
    text[size] = '\0'; /* a command line cannot hold NUL: stop at the first */

    qparsed_t p;
    char *err = NULL;
    int r = qparse(text, &p, &err);
    FUZZ_CHECK(r == 0 || r == -1, "qparse returns 0 or -1");
    if (r == 0) {
        FUZZ_CHECK(err == NULL, "no message on success");
        for (size_t i = 0; i < p.n_clauses; i++) {
            FUZZ_CHECK(p.clauses[i].n_terms > 0, "a clause has terms");
            for (size_t j = 0; j < p.clauses[i].n_terms; j++)
                FUZZ_CHECK(p.clauses[i].terms[j].text != NULL, "term text");
        }
        for (size_t i = 0; i < p.n_dates; i++)
            FUZZ_CHECK(strcmp(p.dates[i].lo, p.dates[i].hi) <= 0,
                       "date range in order");
        qparsed_free(&p);
    } else {
        FUZZ_CHECK(err != NULL && *err, "a message on failure");
        FUZZ_CHECK(p.n_clauses == 0, "nothing parsed on failure");
        free(err);
    }

    query_filters_t f = { NULL, 0, NULL, NULL, NULL };
    query_t q;
    err = NULL;
    if (query_build(an, text, &f, &q, &err) == 0) {
        FUZZ_CHECK(err == NULL, "no message on success");
        if (q.q) {
            char *d = nx_query_describe(q.q);
            FUZZ_CHECK(d != NULL, "describe");
            free(d);
        }
        query_free(&q);
    } else {
        FUZZ_CHECK(err != NULL, "a message on failure");
        free(err);
    }
    free(text);
    return 0;
}
