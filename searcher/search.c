/*
 * search.c: the search pipeline of search.h (moved out of newsq.c's run(),
 * so that newsq, the benchmark and the server run the same steps).
 */
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer.h"
#include "like.h"
#include "newsince.h"
#include "order.h"
#include "schema.h"
#include "snippet.h"
#include "stories.h"
#include "suggest.h"
#include "util.h"

#define RETRIES 5

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct searcher {
    nx_db_t *db;      /* borrowed */
    analyzer_t *an;   /* owned */
};

searcher_t *searcher_new(nx_db_t *db)
{
    analyzer_t *an = analyzer_new();
    if (!an)
        return NULL;
    searcher_t *s = calloc(1, sizeof *s);
    if (!s) {
        analyzer_free(an);
        return NULL;
    }
    s->db = db;
    s->an = an;
    return s;
}

void searcher_free(searcher_t *s)
{
    if (!s)
        return;
    analyzer_free(s->an);
    free(s);
}

/* Run the search, reopening and retrying while the index changes under us. */
static nx_status_t search_retry(nx_db_t *db, int partial_ok,
                                const nx_query_t *q,
                                const nx_search_opts_t *so, uint32_t offset,
                                uint32_t limit, nx_hits_t **hits)
{
    nx_status_t s = NX_MODIFIED;
    int dropped = 0;
    for (int i = 0; i < RETRIES && (s == NX_MODIFIED || s == NX_NETWORK);
         i++) {
        if (s == NX_NETWORK) {
            /* A remote shard stopped answering: with --partial, open the
             * shards again, without those that fail, and search once more. */
            if (!partial_ok || dropped++ ||
                (s = nx_db_reopen_shards(db)) != NX_OK)
                break;
        } else if (i) {
            nx_db_reopen(db);
        }
        s = nx_search(db, q, so, offset, limit, hits);
    }
    return s;
}

/* The weight of document D (id ID) under each part of Q (for --explain).
 * A related article is found by its content hash, a main one by its id
 * (schema.h). */
static void explain_hit(nx_db_t *db, const query_t *q, const nx_doc_t *d,
                        const char *id, int related,
                        const nx_search_opts_t *so, double *w)
{
    buf_t t = BUF_INIT;
    size_t hlen = 0;
    const char *hash = related ? nx_doc_value(d, SLOT_HASH, &hlen) : NULL;
    if (hash)
        schema_term(&t, PFX_HASH, hash, hlen);
    else
        schema_term(&t, PFX_ID, id, strlen(id));
    nx_query_t *idq = nx_query_term(t.data, t.len, 1);
    buf_free(&t);
    nx_search_opts_t o = *so;
    o.collapse = 0;
    o.sort_by_value = 0;
    o.min_docid = 0;
    for (size_t i = 0; i < q->n_parts; i++) {
        nx_query_t *v[2] = { q->parts[i], idq };
        nx_query_t *f = nx_query_combine(NX_OP_FILTER, v, 2, 0);
        nx_hits_t *h = NULL;
        w[i] = 0;
        if (f && nx_search(db, f, &o, 0, 1, &h) == NX_OK && nx_hits_count(h))
            w[i] = nx_hits_weight(h, 0);
        nx_hits_free(h);
        nx_query_free(f);
    }
    nx_query_free(idq);
}

/* Record a failed search of S's index in RES; MSG (may be NULL or "") is
 * the index's own message, else the status names the failure. */
static search_status_t failed(search_result_t *res, nx_status_t st,
                              const nx_db_t *db)
{
    res->status = SEARCH_FAILED;
    res->nx = st;
    res->error = xstrdup(nx_db_strerror(db, st));
    return res->status;
}

/* The hits of the page [REQ->offset, end) of HITS (N of them, in the order
 * V gives), with what REQ asks for. */
static void make_page(searcher_t *s, const search_request_t *req,
                      const query_t *q, const nx_search_opts_t *so,
                      nx_hits_t *hits, const shown_t *v, size_t n,
                      search_result_t *res)
{
    size_t first = req->offset < n ? req->offset : n;
    res->hits = xcalloc(n - first + 1, sizeof *res->hits);
    snippet_t sn = { BUF_INIT, NULL, 0 };
    for (size_t k = first; k < n; k++) {
        size_t i = v[k].idx;
        const nx_doc_t *d = nx_hits_doc(hits, i);
        size_t dlen = 0;
        const char *data = d ? nx_doc_data(d, &dlen) : "";
        search_hit_t *h = &res->hits[res->n_hits++];
        h->rank = (unsigned)(k + 1);
        h->id = v[k].id ? xstrdup(v[k].id) : NULL;
        h->parent = v[k].parent ? xstrdup(v[k].parent) : NULL;
        h->score = nx_hits_weight(hits, i);
        if (req->fields) {
            h->path = docdata_dup(data, dlen, DATA_PATH);
            h->title = docdata_dup(data, dlen, DATA_TITLE);
            h->date = docdata_dup(data, dlen, DATA_DATE);
            h->source = docdata_dup(data, dlen, DATA_SOURCE);
        }
        if (req->snippets) {
            size_t tlen = 0;
            const char *body = docdata_get(data, dlen, DATA_TEXT, &tlen);
            snippet_make(s->an, q, body ? body : "", body ? tlen : 0, &sn);
            h->snippet = xstrdup(buf_cstr(&sn.text));
            h->n_marks = sn.n_marks;
            if (sn.n_marks) {
                h->marks = xcalloc(sn.n_marks, sizeof *h->marks);
                memcpy(h->marks, sn.marks, sn.n_marks * sizeof *h->marks);
            }
        }
        if (req->explain && v[k].id)
            explain_hit(s->db, q, d, v[k].id, v[k].parent != NULL, so,
                        h->part_weights);
    }
    snippet_free(&sn);
}

static const unsigned facet_slots[SEARCH_FACETS] = {
    [SEARCH_FACET_SOURCE] = SLOT_SOURCE, [SEARCH_FACET_MONTH] = SLOT_MONTH,
};
static const char *const facet_names[SEARCH_FACETS] = {
    [SEARCH_FACET_SOURCE] = "source", [SEARCH_FACET_MONTH] = "month",
};

static int by_count_desc(const void *a, const void *b)
{
    const search_facet_value_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->value, y->value);
}

/* The match spies' counts of HITS into RES (empty values left out). */
static void take_facets(nx_hits_t *hits, search_result_t *res)
{
    for (size_t k = 0; k < SEARCH_FACETS; k++) {
        search_facet_t *f = &res->facets[k];
        size_t n = nx_hits_facet_size(hits, k);
        f->name = facet_names[k];
        f->values = xcalloc(n + 1, sizeof *f->values);
        for (size_t i = 0; i < n; i++) {
            /* months newest first: the spy lists values in order */
            size_t at = k == SEARCH_FACET_MONTH ? n - 1 - i : i;
            size_t len = 0;
            uint32_t c = 0;
            const char *v = nx_hits_facet_value(hits, k, at, &len, &c);
            if (!v || !len)
                continue;
            search_facet_value_t *fv = &f->values[f->n_values++];
            fv->value = xstrndup(v, len);
            fv->count = c;
        }
        if (k == SEARCH_FACET_SOURCE)
            qsort(f->values, f->n_values, sizeof *f->values, by_count_desc);
    }
}

/* --new-since: which of the N hits to deliver (newsince_choose: the
 * LIMIT oldest by mark), or NULL when all are (no --new-since). */
static unsigned char *newsince_keep(const search_request_t *req,
                                    nx_hits_t *hits, size_t n)
{
    if (!req->newsince)
        return NULL;
    unsigned char *keep = xcalloc(n + 1, 1);
    char **marks = xcalloc(n + 1, sizeof *marks);
    for (size_t i = 0; i < n; i++) {
        size_t ml = 0;
        const nx_doc_t *d = nx_hits_doc(hits, i);
        const char *m = d ? nx_doc_value(d, SLOT_SEQ, &ml) : NULL;
        marks[i] = m ? xstrndup(m, ml) : NULL;
    }
    newsince_choose(req->newsince, (const char *const *)marks, n, req->limit,
                    keep);
    for (size_t i = 0; i < n; i++)
        free(marks[i]);
    free(marks);
    return keep;
}

search_status_t search_run(searcher_t *s, const search_request_t *req,
                           search_result_t *res)
{
    memset(res, 0, sizeof *res);
    if (!req->text && !req->like) {
        res->status = SEARCH_BAD_QUERY;
        res->error = xstrdup("no query given");
        return res->status;
    }
    double t = now_ms();
    nx_db_t *db = s->db;
    query_filters_t qf = { req->sources, req->n_sources, req->since,
                           req->until, db };
    query_t q;
    char *err = NULL;
    like_t *like = NULL;
    int built = query_build(s->an, req->text ? req->text : "", &qf, &q, &err);
    if (built == 0 && req->like && /* like.h: the article's terms instead */
        (built = like_apply(db, req->like, &q, &like, &err)) != 0)
        query_free(&q);
    if (built == -2) { /* the index's words could not be read */
        failed(res, NX_XAPIAN, NULL);
        free(res->error);
        res->error = err;
        return res->status;
    }
    if (built != 0) {
        res->status = SEARCH_BAD_QUERY;
        res->error = err; /* qparse's own words (English) */
        return res->status;
    }
    if (q.warning)
        res->warning = xstrdup(q.warning);
    nx_hits_t *hits = NULL;
    if (!q.q) {
        res->status = SEARCH_NO_WORDS;
        res->error = xstrdup(req->text ? req->text : "");
        goto out;
    }
    if (req->explain) {
        char *d = nx_query_describe(q.q);
        res->parsed = d ? d : xstrdup("");
        res->words = xstrdup(buf_cstr(&q.explain));
        for (size_t i = 0; i < q.n_parts; i++)
            res->part_names[i] = q.part_names[i];
        res->n_parts = q.n_parts;
    }

    nx_search_opts_t so;
    memset(&so, 0, sizeof so);
    so.bm25_k1 = q.weights.k1;
    so.bm25_b = q.weights.b;
    so.collapse = req->collapse;
    so.collapse_slot = SLOT_HASH;
    so.tie_by_value = 1;
    so.tie_slot = SLOT_KEY;
    like_search_opts(like, &so);
    if (req->sort != SEARCH_RELEVANCE) {
        so.sort_by_value = 1;
        so.sort_slot = SLOT_DATE;
        so.sort_reverse = req->sort == SEARCH_DATE_DESC;
    }
    if (req->facets) {
        so.spy_slots = facet_slots;
        so.n_spies = SEARCH_FACETS;
    }
    uint32_t window = req->offset + req->limit;
    if (req->collapse_story)
        window = stories_window(window);
    if (req->newsince) {
        q.q = newsince_filter(req->newsince, q.q, &so.min_docid);
        q.relaxed = newsince_filter(req->newsince, q.relaxed, &so.min_docid);
        /* every new article, so the oldest LIMIT can be chosen */
        nx_db_doccount(db, &window);
    }

    res->ms[SEARCH_T_BUILD] = now_ms() - t;
    t = now_ms();
    nx_status_t st;
    if (req->count_only) {
        /* Xapian's estimate is not exact once duplicates are collapsed:
         * count the hits themselves (ids only, no document is read). */
        uint32_t all = 0;
        nx_db_doccount(db, &all);
        so.ids_only = 1;
        st = search_retry(db, req->partial, q.q, &so, 0, all, &hits);
    } else {
        /* Fetch from the top so related articles can be ordered after
         * their parents across the whole window, then keep the page. */
        st = search_retry(db, req->partial, q.q, &so, 0, window, &hits);
    }
    if (st != NX_OK) {
        failed(res, st, db);
        goto out;
    }
    if (!req->count_only && q.relaxed &&
        nx_hits_matches_estimated(hits) == 0) {
        /* Nothing holds the phrases / NEAR groups / fields exactly: answer
         * with the articles closest to them rather than nothing. */
        nx_hits_free(hits);
        hits = NULL;
        st = search_retry(db, req->partial, q.relaxed, &so, 0, window, &hits);
        if (st != NX_OK) {
            failed(res, st, db);
            goto out;
        }
        res->relaxed = nx_hits_count(hits) != 0;
    }
    res->total = nx_hits_matches_estimated(hits);
    res->total_exact = nx_hits_matches_exact(hits);
    if (req->facets)
        take_facets(hits, res);
    if (req->count_only) {
        res->count = nx_hits_count(hits);
        if (req->newsince) /* counted is delivered */
            newsince_choose(req->newsince, NULL, 0, 0, NULL);
        goto out;
    }

    res->ms[SEARCH_T_SEARCH] = now_ms() - t;
    t = now_ms();
    size_t n_all = nx_hits_count(hits), n = 0;
    unsigned char *keep = newsince_keep(req, hits, n_all);
    shown_t *v = xcalloc(n_all + 1, sizeof *v);
    for (size_t i = 0; i < n_all; i++) {
        if (keep && !keep[i])
            continue;
        const nx_doc_t *d = nx_hits_doc(hits, i);
        size_t dlen = 0;
        const char *data = d ? nx_doc_data(d, &dlen) : "";
        v[n].id = docdata_dup(data, dlen, DATA_ID);
        v[n].parent = docdata_dup(data, dlen, DATA_PARENT);
        v[n].idx = i;
        n++;
    }
    free(keep);
    story_member_t *same = NULL;
    size_t n_same = 0;
    if (req->collapse_story) {
        same = xcalloc(n + 1, sizeof *same);
        n = stories_group(hits, v, n, same, &n_same);
        for (; n > (size_t)req->offset + req->limit; n--) { /* the pool's rest */
            free(v[n - 1].id);
            free(v[n - 1].parent);
        }
    }
    if (req->sort == SEARCH_RELEVANCE)
        parents_first(v, n);
    make_page(s, req, &q, &so, hits, v, n, res);
    for (size_t i = 0; same && i < res->n_hits; i++)
        stories_attach(hits, same, n_same, v[res->hits[i].rank - 1].idx,
                       &res->hits[i]);
    for (size_t i = 0; i < n_same; i++) {
        free(same[i].hit.id);
        free(same[i].hit.parent);
    }
    free(same);
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].parent);
    }
    free(v);
    res->ms[SEARCH_T_PAGE] = now_ms() - t;
    t = now_ms();
    if (!n_all && nx_hits_matches_estimated(hits) == 0 && req->suggest &&
        !like) {
        res->no_match = 1;
        res->suggestion = suggest_spelling(db, &q);
    }
    res->ms[SEARCH_T_SUGGEST] = now_ms() - t;
out:
    nx_hits_free(hits);
    query_free(&q);
    like_free(like);
    return res->status;
}

void search_result_free(search_result_t *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n_hits; i++) {
        search_hit_t *h = &res->hits[i];
        free(h->id);
        free(h->parent);
        free(h->path);
        free(h->title);
        free(h->date);
        free(h->source);
        free(h->snippet);
        free(h->marks);
        for (size_t k = 0; k < h->n_same; k++) {
            free(h->same_ids[k]);
            free(h->same_sources[k]);
        }
        free(h->same_ids);
        free(h->same_sources);
    }
    free(res->hits);
    free(res->error);
    free(res->warning);
    free(res->parsed);
    free(res->words);
    free(res->suggestion);
    for (size_t k = 0; k < SEARCH_FACETS; k++) {
        for (size_t i = 0; i < res->facets[k].n_values; i++)
            free(res->facets[k].values[i].value);
        free(res->facets[k].values);
    }
    memset(res, 0, sizeof *res);
}
