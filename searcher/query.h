/*
 * query.h: turning the text a user typed into a weighted Xapian query, and
 * remembering which terms it looks for (for snippets).
 *
 * Each word goes through analyzer_run (tag: analyzer-parity) and becomes
 *   OR( surface , SYNONYM(Z stems) ) over the body
 *   OR( S surface , SYNONYM(ZS stems) ) over the title, scaled by the title
 *   weight,
 * and the words are OR'ed, so BM25 ranks documents holding more of them, and
 * holding them exactly, first. Stopwords are dropped unless the query has
 * nothing else.
 */
#ifndef NX_QUERY_H
#define NX_QUERY_H

#include <stddef.h>

#include "analyzer.h"
#include "nx.h"

/* Ranking weights, tuned on ../shared/eval (see README, "Relevance"). */
typedef struct weights {
    double title;     /* title field (S terms) over the body */
    double keywords;  /* keyword field (K terms) */
    double stem;      /* stem match relative to an exact surface match */
    double all;       /* bonus query: every word present */
    double k1, b;     /* BM25 parameters */
    double near;      /* bonus per pair of neighbouring words found close */
    double slack;     /* extra positions allowed between such a pair */
} weights_t;

/* The tuned weights, or those in $NEWSQ_WEIGHTS ("title,keywords,stem,all,k1,b,near,slack";
 * a developer knob for tuning runs, not part of the CLI contract). */
weights_t weights_get(void);

typedef struct query {
    nx_query_t *q;        /* NULL when the text holds no searchable word */
    weights_t weights;    /* the weights Q was built with (BM25 k1, b too) */
    char **surfaces;      /* folded query words, for highlighting */
    size_t n_surfaces;
    char **stems;         /* their stems (no prefix) */
    size_t n_stems;
} query_t;

/* Build Q from TEXT. Returns 0, or -1 when out of memory. */
int query_build(analyzer_t *an, const char *text, query_t *q);

/* Does the analyzed word TOK match one of the query's words? */
int query_matches(const query_t *q, const an_token_t *tok);

void query_free(query_t *q);

#endif
