/*
 * qparse.h: the query language of newsq, parsed into clauses. Pure C, no
 * Xapian: query.c turns the clauses into an nx_query_t.
 *
 *   word            ranked; documents holding every word come first
 *   "a phrase"      the words in this order, adjacent (stopwords count);
 *                   also “…” and «…»; an unbalanced quote runs to the end
 *   -word -"a b"    exclude (also NOT word; AND is accepted and ignored)
 *   a OR b, a أو b  either (binds tighter than the space between words)
 *   a NEAR b        both within 10 words (NEAR/N: within N words)
 *   word*           any word starting with "word" (at least 2 letters)
 *   title:word  title:"a b"  tag:word   in the title / the keywords only
 *   source:NAME  source:"two words"     filter by source (repeat = any of)
 *   date:2023-11-29  date:2023-11  date:2023  date:2023-11..2023-12
 *                   filter by publication date (repeat = any of)
 * Words of every kind go through the analyzer, as in the index.
 */
#ifndef NX_QPARSE_H
#define NX_QPARSE_H

#include <stddef.h>

/* Bounds of a query (the whole text, and its words separated by spaces):
 * a longer one is refused with a message, not searched (10,000 words took
 * a minute and 1.6 GB). */
#define QPARSE_MAX_BYTES 4096
#define QPARSE_MAX_WORDS 100

typedef enum qfield { QF_ANY, QF_TITLE, QF_TAG } qfield_t;
typedef enum qkind { QK_WORD, QK_PHRASE, QK_PREFIX } qkind_t;

typedef struct qterm {
    qkind_t kind;
    qfield_t field;
    char *text;          /* the word(s) as typed, quotes removed */
} qterm_t;

typedef enum qclause_kind {
    QC_TERMS,            /* alternatives: a OR b OR c (one term: plain) */
    QC_NEAR,             /* all terms within WINDOW words */
} qclause_kind_t;

typedef struct qclause {
    qclause_kind_t kind;
    int negated;         /* -word, -"phrase" */
    qterm_t *terms;
    size_t n_terms;
    unsigned window;     /* QC_NEAR */
} qclause_t;

typedef struct qdate {
    char lo[9], hi[9];   /* YYYYMMDD bounds, inclusive */
} qdate_t;

typedef struct qparsed {
    qclause_t *clauses;
    size_t n_clauses;
    char **sources;      /* source: values, as typed */
    size_t n_sources;
    qdate_t *dates;
    size_t n_dates;
    char *warning;       /* a note for stderr (unbalanced quote, …) or NULL */
} qparsed_t;

/*
 * Parse TEXT into *Q. Returns 0, or -1 for a query that cannot be answered:
 * then *ERROR is a malloc'd message naming the problem and where it is
 * (caller frees) and *Q is empty. Never fails on merely odd input: stray
 * operators are dropped with a warning.
 */
int qparse(const char *text, qparsed_t *q, char **error);
void qparsed_free(qparsed_t *q);

/* Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD" into inclusive YYYYMMDD bounds.
 * Returns 1 when valid (month 1–12, day valid for the month). */
int qparse_date_bounds(const char *s, size_t n, char lo[9], char hi[9]);

#endif
