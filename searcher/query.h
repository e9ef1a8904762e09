/*
 * query.h: turning what a user typed (qparse.h) into a weighted Xapian
 * query, and remembering which words it looks for (snippets, --explain).
 *
 * Each ranked word goes through analyzer_run (tag: analyzer-parity) and
 * becomes OR(surface, SYNONYM(Z stems)) over the body, plus the same over
 * the title (S, ZS) and the keyword terms, each scaled by its field weight.
 * Ranked words are OR'ed, with two bonuses: every word present, and pairs
 * of neighbouring words found close together. Phrases, NEAR groups and
 * fielded words are required; -exclusions are AND_NOT'ed; source: and date:
 * (and --source/--since/--until) filter without weight.
 */
#ifndef NX_QUERY_H
#define NX_QUERY_H

#include <stddef.h>

#include "analyzer.h"
#include "nx.h"
#include "util.h"

/* Ranking weights, tuned on ../shared/eval (see README, "Relevance"). */
typedef struct weights {
    double title;     /* title field (S terms) over the body */
    double keywords;  /* keyword field (K terms) */
    double lead;      /* lead paragraph field (XLEAD terms) */
    double stem;      /* stem match relative to an exact surface match */
    double all;       /* bonus query: every word present */
    double k1, b;     /* BM25 parameters */
    double near;      /* bonus per pair of neighbouring words found close */
    double slack;     /* extra positions allowed between such a pair */
} weights_t;

/* The tuned weights, or those in $NEWSQ_WEIGHTS
 * ("title,keywords,stem,all,k1,b,near,slack,lead"; a developer knob for tuning
 * runs, not part of the CLI contract). */
weights_t weights_get(void);

/* Filters given as options rather than in the query text. */
typedef struct query_filters {
    const char *const *sources;  /* --source NAME (any of) */
    size_t n_sources;
    const char *since, *until;   /* YYYY[-MM[-DD]] or NULL */
    nx_db_t *db;                 /* the index, to expand word* (NULL:
                                    Xapian expands it, shard by shard) */
} query_filters_t;

#define QUERY_MAX_PARTS 8

typedef struct query {
    nx_query_t *q;        /* NULL when there is nothing to search */
    nx_query_t *relaxed;  /* phrases, NEAR and fields not required: tried
                             when Q finds nothing; NULL when the same */
    weights_t weights;    /* the weights Q was built with (BM25 k1, b too) */
    char **surfaces;      /* folded query words, for highlighting */
    size_t n_surfaces;
    char **stems;         /* their stems (no prefix) */
    size_t n_stems;
    char **prefixes;      /* folded word* prefixes */
    size_t n_prefixes;
    /* Labelled parts of Q, for --explain ("body", "title", …). */
    const char *part_names[QUERY_MAX_PARTS];
    nx_query_t *parts[QUERY_MAX_PARTS];
    size_t n_parts;
    buf_t explain;        /* what each word became, one line per word */
    char *warning;        /* a note for stderr, or NULL */
} query_t;

/*
 * Build Q from TEXT and the option filters F (may be NULL). Returns 0, or
 * -1 when the query is malformed: *ERROR is then a malloc'd message naming
 * the problem (caller frees), for exit status 2; or -2 when a part of it
 * (a prefix, an exclusion, a filter) could not be made, the index's words
 * unreadable: *ERROR says why, and no part is ever silently left out.
 */
int query_build(analyzer_t *an, const char *text, const query_filters_t *f,
                query_t *q, char **error);

/* Does the analyzed word TOK match one of the query's words? */
int query_matches(const query_t *q, const an_token_t *tok);

void query_free(query_t *q);

#endif
