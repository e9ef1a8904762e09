/*
 * stored.h: an article as the index stores it, found by its id (what
 * newsq --serve shows at /article/ID and /api/article/ID). Nothing is read
 * from the corpus folder: only the document data (schema.h).
 */
#ifndef NX_STORED_H
#define NX_STORED_H

#include <stddef.h>
#include <stdint.h>

#include "nx.h"

typedef struct stored_article {
    char *id, *path, *title, *date, *source, *keywords, *parent; /* or NULL */
    char *text;         /* the original body, paragraphs joined by "\n" */
    char **related;     /* a main article: the ids of its related ones */
    size_t n_related;
} stored_article_t;

/*
 * Fill A with the article ID of DB: a main article by its unique term, a
 * related one ("PARENT#N") among the related articles of PARENT. Returns
 * NX_OK, NX_NOT_FOUND (no such id) or the index's error status. Free A
 * with stored_article_free whatever the status.
 */
nx_status_t stored_article_get(nx_db_t *db, const char *id,
                               stored_article_t *a);
void stored_article_free(stored_article_t *a);

/* The document id in DB of article ID (found as stored_article_get finds
 * it) in *DOCID: NX_OK, NX_NOT_FOUND (*DOCID 0) or the index's error. */
nx_status_t stored_article_docid(nx_db_t *db, const char *id,
                                 uint32_t *docid);

#endif
