/*
 * document.h: turning a parsed article into a Xapian document following the
 * schema in common/schema.h.
 */
#ifndef NX_DOCUMENT_H
#define NX_DOCUMENT_H

#include "analyzer.h"
#include "article.h"
#include "nx.h"
#include "util.h"

typedef struct doc_meta {
    const char *id;        /* document id: relpath minus extension [#k] */
    const char *parent_id; /* for a related article, else NULL */
    const char *path;      /* the file's path as shown to users */
    const char *relpath;   /* path relative to the corpus (XFILE term) */
} doc_meta_t;

/*
 * Build the document for article A into a new *DOC (caller frees) and its
 * unique term into UNIQUE (reset first). Returns NX_OK or NX_NOMEM.
 * DOC NULL: analyse the article's words only (a dry run), UNIQUE untouched.
 */
nx_status_t document_build(analyzer_t *an, const article_t *a,
                           const doc_meta_t *meta, nx_doc_t **doc,
                           buf_t *unique);

#endif
