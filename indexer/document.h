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
    const char *seq;       /* SLOT_SEQ value: the article's mark */
    int shared;            /* a main article of a many-article file
                            * (reader.h): owned through XREL+relpath, like
                            * a related article, as other files (a newer
                            * copy of a feed) may hold it too */
} doc_meta_t;

/*
 * Term families (schema.h), for measuring what each costs and buys (the
 * term budget, bench/term_budget.sh). Every family is written unless
 * turned off by document_set_families("nolead,nopositions,...") with
 * names positions, stems, title, keywords, lead: a development knob (the
 * NEWSIDX_TERMS environment variable of newsidx build), not a feature: an
 * index built without a family answers some queries worse. Returns -1 on
 * an unknown name. Call before any document_build.
 */
enum {
    DOC_F_POSITIONS = 1, /* positions of surface and title words */
    DOC_F_STEMS = 2,     /* Z, ZS, KZ */
    DOC_F_TITLE = 4,     /* S, ZS */
    DOC_F_KEYWORDS = 8,  /* K, KZ */
    DOC_F_LEAD = 16,     /* XLEAD */
    DOC_F_ALL = 31,
};
int document_set_families(const char *spec);

/*
 * Build the document for article A into a new *DOC (caller frees) and its
 * unique term into UNIQUE (reset first). Returns NX_OK or NX_NOMEM.
 * DOC NULL: analyse the article's words only (a dry run), UNIQUE untouched.
 */
nx_status_t document_build(analyzer_t *an, const article_t *a,
                           const doc_meta_t *meta, nx_doc_t **doc,
                           buf_t *unique);

#endif
