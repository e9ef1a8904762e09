/*
 * like.h: more like this (newsq --like ID, /api/search?like=ID): articles
 * about the same subject as article ID, searched by the normal pipeline
 * (search.h), so filters, paging, sorting, formats, --explain and the
 * server work with it.
 *
 * The query is made of the article's own terms: Xapian's expand set
 * (nx_db_expand_doc: a relevance set holding the article alone, the bo1
 * scheme) keeps the 30 terms that best tell it apart from the rest of the
 * index, among its body stems (Z: the subject, whatever the inflection)
 * and its surface words (no prefix: the names, exactly as written);
 * stopwords never. They are OR'ed, each weighted by BM25 as a typed word
 * would be; why these prefixes, this scheme and this many terms:
 * doc/like.md (precision@5 measured on saudinewsnet).
 *
 * Query text given with --like narrows: only the articles the text finds
 * (with its filters and exclusions), ranked by likeness to ID.
 *
 * Not more like this: the article itself, its identical copies (the same
 * SLOT_HASH) and the same story again (like_keep: the one place).
 */
#ifndef NX_LIKE_H
#define NX_LIKE_H

#include "nx.h"
#include "query.h"

typedef struct like like_t;

/*
 * Make Q (built by query_build from the request's text, which may be
 * empty, and its filters) the more-like-this query of article ID of DB:
 * Q->q and Q->relaxed rank by the article's terms within what they found
 * (everything when Q->q is NULL); Q's words (highlights) and --explain
 * parts become the article's terms. *LIKE (free with like_free) is what
 * nx_search needs to leave the article's copies out (like_search_opts).
 * Returns 0; -1 when ID is no article of DB (*ERROR, malloc'd, names it);
 * -2 when the index cannot be read (*ERROR says why). Q is unchanged on
 * failure.
 */
int like_apply(nx_db_t *db, const char *id, query_t *q, like_t **like,
               char **error);

/* Set O so that the search leaves out LIKE's copies (NULL: no change). */
void like_search_opts(like_t *like, nx_search_opts_t *o);

void like_free(like_t *like);

#endif
