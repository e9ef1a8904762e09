/*
 * stored.c: an article read back from the index by its id (stored.h).
 */
#include "stored.h"

#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "util.h"

/* Related articles are few per file; more than this is not a file. */
#define MAX_RELATED 1000

/* The documents holding the boolean term PREFIX+VALUE (ids only: none is
 * loaded unless LOAD). */
static nx_status_t by_term(nx_db_t *db, const char *prefix, const char *value,
                           int load, nx_hits_t **hits)
{
    buf_t t = BUF_INIT;
    schema_term(&t, prefix, value, strlen(value));
    nx_query_t *q = nx_query_term(t.data, t.len, 0);
    buf_free(&t);
    if (!q)
        return NX_NOMEM;
    nx_search_opts_t o;
    memset(&o, 0, sizeof o);
    o.ids_only = !load;
    o.sort_by_value = 1; /* in the order of their unique terms */
    o.sort_slot = SLOT_KEY;
    nx_status_t s = nx_search(db, q, &o, 0, MAX_RELATED, hits);
    nx_query_free(q);
    return s;
}

static void fill(stored_article_t *a, const char *data, size_t len)
{
    a->id = docdata_dup(data, len, DATA_ID);
    a->path = docdata_dup(data, len, DATA_PATH);
    a->title = docdata_dup(data, len, DATA_TITLE);
    a->date = docdata_dup(data, len, DATA_DATE);
    a->source = docdata_dup(data, len, DATA_SOURCE);
    a->keywords = docdata_dup(data, len, DATA_KEYWORDS);
    a->parent = docdata_dup(data, len, DATA_PARENT);
    a->text = docdata_dup(data, len, DATA_TEXT);
}

/*
 * The document of article ID: a main article by its unique term, a related
 * one ("PARENT#N") among the related articles of PARENT. On NX_OK, *H holds
 * it (documents loaded) at index *AT and *MAIN says which kind it is;
 * caller frees *H whatever the status.
 */
static nx_status_t find(nx_db_t *db, const char *id, nx_hits_t **h,
                        size_t *at, int *main)
{
    *at = 0;
    nx_status_t s = by_term(db, PFX_ID, id, 1, h);
    *main = s == NX_OK && nx_hits_count(*h);
    if (s != NX_OK || *main)
        return s;
    nx_hits_free(*h);
    *h = NULL;
    /* A related article: "PARENT#N", stored under its content hash and
     * found among PARENT's related articles. */
    const char *hash = strrchr(id, '#');
    if (!hash || hash == id)
        return NX_NOT_FOUND;
    char *parent = xstrndup(id, (size_t)(hash - id));
    s = by_term(db, PFX_PARENT, parent, 1, h);
    free(parent);
    for (size_t i = 0; s == NX_OK && i < nx_hits_count(*h); i++) {
        size_t len = 0;
        const nx_doc_t *d = nx_hits_doc(*h, i);
        const char *data = d ? nx_doc_data(d, &len) : NULL;
        size_t ilen = 0;
        const char *rid = data ? docdata_get(data, len, DATA_ID, &ilen) : NULL;
        if (rid && ilen == strlen(id) && memcmp(rid, id, ilen) == 0) {
            *at = i;
            return NX_OK;
        }
    }
    return s == NX_OK ? NX_NOT_FOUND : s;
}

nx_status_t stored_article_get(nx_db_t *db, const char *id,
                               stored_article_t *a)
{
    memset(a, 0, sizeof *a);
    nx_hits_t *h = NULL;
    size_t at = 0;
    int main = 0;
    nx_status_t s = find(db, id, &h, &at, &main);
    if (s != NX_OK) {
        nx_hits_free(h);
        return s;
    }
    size_t len = 0;
    const nx_doc_t *d = nx_hits_doc(h, at);
    const char *data = d ? nx_doc_data(d, &len) : NULL;
    if (data)
        fill(a, data, len);
    nx_hits_free(h);
    h = NULL;
    if (!main)
        return NX_OK;
    /* a main article: its related articles, by their XPARENT term */
    s = by_term(db, PFX_PARENT, id, 1, &h);
    size_t n = s == NX_OK ? nx_hits_count(h) : 0;
    a->related = xcalloc(n + 1, sizeof *a->related);
    for (size_t i = 0; i < n; i++) {
        const nx_doc_t *r = nx_hits_doc(h, i);
        const char *rd = r ? nx_doc_data(r, &len) : NULL;
        char *rid = rd ? docdata_dup(rd, len, DATA_ID) : NULL;
        if (rid)
            a->related[a->n_related++] = rid;
    }
    nx_hits_free(h);
    return s;
}

nx_status_t stored_article_docid(nx_db_t *db, const char *id,
                                 uint32_t *docid)
{
    *docid = 0;
    nx_hits_t *h = NULL;
    size_t at = 0;
    int main = 0;
    nx_status_t s = find(db, id, &h, &at, &main);
    if (s == NX_OK)
        *docid = nx_hits_docid(h, at);
    nx_hits_free(h);
    return s;
}

void stored_article_free(stored_article_t *a)
{
    if (!a)
        return;
    free(a->id);
    free(a->path);
    free(a->title);
    free(a->date);
    free(a->source);
    free(a->keywords);
    free(a->parent);
    free(a->text);
    for (size_t i = 0; i < a->n_related; i++)
        free(a->related[i]);
    free(a->related);
    memset(a, 0, sizeof *a);
}
