/*
 * search.h: the search pipeline, one entry point for every front end.
 *
 * newsq (options, printing, exit codes), bench/query_bench (latency) and the
 * HTTP server all call search_run(); none keeps its own copy of the steps:
 *
 *   request ──query_build (qparse + analyzer + weights)──► query
 *           ──new-since bound, filters──► nx_search, reopened and retried
 *             while the index changes (NX_MODIFIED), without failed remote
 *             shards when the request allows partial results
 *           ──nothing exact?──► the relaxed query (phrases, NEAR and fields
 *             not required)
 *           ──parents before their related articles──► the page [offset,
 *             offset+limit): stored fields, snippets + highlights, per-part
 *             weights (explain) for those hits only
 *           ──nothing at all?──► a spelling suggestion.
 *
 * The result carries data, never messages: each front end words (and
 * translates) its own warnings from the flags below.
 *
 * Threading. A searcher_t is one index handle plus one analyzer: use it
 * from one thread at a time. A server gives each thread its own searcher
 * (its own nx_db_t, opened by that thread, and its own analyzer). What
 * threads share is read-only: the ranking weights (weights_get reads the
 * environment only), the schema constants and the analyzer's static tables.
 * A request and a result belong to the thread that uses them.
 *
 * Later additions plug in as request/result fields: facets (counts by
 * source and month from Xapian match spies) go next to COUNT in the result.
 */
#ifndef NX_SEARCH_H
#define NX_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "nx.h"
#include "query.h"

typedef struct searcher searcher_t;

/*
 * A searcher over DB (borrowed: the caller opens it, keeps it open while
 * the searcher lives and frees it after). Makes the searcher's own
 * analyzer. Returns NULL when the analyzer cannot be made (ICU) or out of
 * memory.
 */
searcher_t *searcher_new(nx_db_t *db);
/* Frees the searcher and its analyzer, never DB. NULL is fine. */
void searcher_free(searcher_t *s);

typedef enum search_sort {
    SEARCH_RELEVANCE = 0,
    SEARCH_DATE_ASC = 1,
    SEARCH_DATE_DESC = -1,
} search_sort_t;

typedef struct search_request {
    const char *text;             /* the query (newsidx-query(7));
                                     NULL without LIKE: SEARCH_BAD_QUERY */
    const char *const *sources;   /* any of these sources (--source) */
    size_t n_sources;
    const char *since, *until;    /* YYYY[-MM[-DD]] or NULL */
    search_sort_t sort;
    uint32_t offset, limit;       /* the page of hits wanted */
    int collapse;                 /* one copy of identical articles */
    int count_only;               /* count the matches; no hit is returned */
    int explain;                  /* the parsed query and per-part weights */
    int fields;                   /* path, title, date, source of each hit */
    int snippets;                 /* a snippet and its highlights per hit */
    int suggest;                  /* when nothing matches: NO_MATCH and a
                                     did-you-mean */
    /* --new-since (newsince.h; begun by the caller, NULL: none): only the
     * new articles; at most LIMIT of them, the oldest (OFFSET must be 0);
     * the mark to save moves past those returned (with COUNT_ONLY: past
     * every one counted). */
    struct newsince *newsince;
    int partial;                  /* failed remote shards are left out */
    int facets;                   /* counts by source and month of the
                                     whole matching set (match spies) */
    const char *like;             /* an article's id: articles on the same
                                     subject (like.h), ranked by likeness
                                     within what TEXT finds (TEXT may be
                                     NULL or ""); an unknown id is
                                     SEARCH_BAD_QUERY */
    int collapse_story;           /* one hit per story (stories.h); the
                                     others' ids in SAME_IDS. Counts and
                                     totals stay counts of articles */
} search_request_t;

typedef struct search_hit {
    unsigned rank;                /* 1-based, offset included */
    char *id, *parent;            /* parent: a related article's */
    char *path, *title, *date, *source; /* with FIELDS; NULL if absent */
    double score;
    char *snippet;                /* with SNIPPETS, else NULL */
    size_t (*marks)[2];           /* highlights: byte ranges in SNIPPET */
    size_t n_marks;
    double part_weights[QUERY_MAX_PARTS]; /* with EXPLAIN: per part */
    /* COLLAPSE_STORY: the other hits of this story, in rank order (ids,
     * and sources: NULL when none) */
    char **same_ids, **same_sources;
    size_t n_same;
} search_hit_t;

typedef enum search_status {
    SEARCH_OK = 0,
    SEARCH_BAD_QUERY,   /* malformed query or filter: ERROR says why */
    SEARCH_NO_WORDS,    /* nothing searchable in the query */
    SEARCH_FAILED,      /* the index: NX says how, ERROR the message */
} search_status_t;

/* Where the time of one search_run went (milliseconds), for benchmarks and
 * a server's timing header. */
enum { SEARCH_T_BUILD, SEARCH_T_SEARCH, SEARCH_T_PAGE, SEARCH_T_SUGGEST,
       SEARCH_PHASES };

/* Facets: counts of the whole matching set by one value slot. */
enum { SEARCH_FACET_SOURCE, SEARCH_FACET_MONTH, SEARCH_FACETS };

typedef struct search_facet_value {
    char *value;                  /* a source as written, or "YYYY-MM" */
    unsigned long count;
} search_facet_value_t;

typedef struct search_facet {
    const char *name;             /* "source", "month" (static) */
    search_facet_value_t *values; /* sources: most articles first; months:
                                     newest first */
    size_t n_values;
} search_facet_t;

typedef struct search_result {
    search_status_t status;
    nx_status_t nx;               /* with SEARCH_FAILED */
    char *error;                  /* with any failure (malloc'd) */
    char *warning;                /* a note about the query, or NULL */
    /* EXPLAIN: the parsed query and what each word became. */
    char *parsed, *words;
    const char *part_names[QUERY_MAX_PARTS]; /* static strings */
    size_t n_parts;
    int relaxed;                  /* hits come from the relaxed query */
    search_hit_t *hits;           /* the page, in the order to show */
    size_t n_hits;
    unsigned long count;          /* COUNT_ONLY: the number of matches */
    int no_match;                 /* nothing matched at all (no page past
                                     the end): say so, with SUGGESTION */
    char *suggestion;             /* did-you-mean, or NULL */
    double ms[SEARCH_PHASES];     /* time per phase (SEARCH_T_*) */
    unsigned long total;          /* matches (Xapian's estimate) */
    int total_exact;              /* TOTAL is exact (always with FACETS) */
    search_facet_t facets[SEARCH_FACETS]; /* with FACETS */
} search_result_t;

/*
 * Run REQ with S and fill RES (reset first; free it with
 * search_result_free whatever the status). Returns RES->status. Hits and
 * their strings are owned by RES.
 */
search_status_t search_run(searcher_t *s, const search_request_t *req,
                           search_result_t *res);
void search_result_free(search_result_t *res);

#endif
