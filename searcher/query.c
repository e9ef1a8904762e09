/*
 * query.c: query text → nx_query_t, as described in query.h.
 */
#include "query.h"

#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "util.h"

weights_t weights_get(void)
{
    /* Chosen on ../shared/eval (README, "Relevance"): arcd-dev nDCG@10
     * 0.854, knownitem MRR@10 0.695. Title 1.0 instead of 0.5 costs the
     * known-item set dearly (people remember body words, not titles); the
     * neighbour-pair bonus took knownitem from 0.692 to 0.701 and arcd-dev
     * from 0.854 to 0.856 (before the tanween-alef stem rule). */
    weights_t w = { .title = 0.5, .keywords = 0.3, .stem = 2.0, .all = 0.5,
                    .k1 = 1.0, .b = 0.75, .near = 1.0, .slack = 1 };
    const char *env = getenv("NEWSQ_WEIGHTS");
    if (env)
        sscanf(env, "%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &w.title, &w.keywords,
               &w.stem, &w.all, &w.k1, &w.b, &w.near, &w.slack);
    return w;
}

typedef struct word_q {
    char *surface;
    char *stems[AN_MAX_STEMS];
    size_t n_stems;
    int stopword;
} word_q_t;

typedef struct collect {
    word_q_t *words;
    size_t n, cap;
} collect_t;

static int collect_word(void *vctx, const an_token_t *tok)
{
    collect_t *c = vctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        c->words = xrealloc(c->words, c->cap * sizeof *c->words);
    }
    word_q_t *w = &c->words[c->n++];
    memset(w, 0, sizeof *w);
    w->surface = xstrndup(tok->surface, tok->surface_len);
    w->stopword = tok->stopword;
    for (size_t i = 0; i < tok->n_stems; i++)
        w->stems[w->n_stems++] = xstrdup(tok->stems[i]);
    return 0;
}

static nx_query_t *term_q(const char *prefix, const char *term, double wqf)
{
    buf_t b = BUF_INIT;
    buf_puts(&b, prefix);
    buf_puts(&b, term);
    nx_query_t *q = nx_query_term(b.data, b.len, wqf);
    buf_free(&b);
    return q;
}

/* OR(prefix+surface, SYNONYM(stem_prefix+stems)) for one word. */
static nx_query_t *word_query(const word_q_t *w, const char *prefix,
                              const char *stem_prefix, double stem_weight)
{
    nx_query_t *parts[2];
    size_t n = 0;
    parts[n++] = term_q(prefix, w->surface, 1);
    if (w->n_stems) {
        nx_query_t *st[AN_MAX_STEMS];
        for (size_t i = 0; i < w->n_stems; i++)
            st[i] = term_q(stem_prefix, w->stems[i], 1);
        nx_query_t *syn = nx_query_combine(NX_OP_SYNONYM, st, w->n_stems, 0);
        for (size_t i = 0; i < w->n_stems; i++)
            nx_query_free(st[i]);
        parts[n++] = nx_query_scale(syn, stem_weight);
        nx_query_free(syn);
    }
    nx_query_t *q = nx_query_combine(NX_OP_OR, parts, n, 0);
    for (size_t i = 0; i < n; i++)
        nx_query_free(parts[i]);
    return q;
}

int query_build(analyzer_t *an, const char *text, query_t *out)
{
    memset(out, 0, sizeof *out);
    collect_t c = { NULL, 0, 0 };
    analyzer_run(an, text, strlen(text), collect_word, &c);
    size_t content = 0;
    for (size_t i = 0; i < c.n; i++)
        content += !c.words[i].stopword;

    weights_t wt = weights_get();
    out->weights = wt;
    nx_query_t **subs = xcalloc(c.n * 4 + 2, sizeof *subs);
    nx_query_t **groups = xcalloc(c.n + 1, sizeof *groups);
    nx_query_t **surfs = xcalloc(c.n + 1, sizeof *surfs);
    size_t ns = 0, ng = 0, nsf = 0;
    out->surfaces = xcalloc(c.n + 1, sizeof(char *));
    out->stems = xcalloc(c.n * AN_MAX_STEMS + 1, sizeof(char *));
    for (size_t i = 0; i < c.n; i++) {
        word_q_t *w = &c.words[i];
        if (content && w->stopword)
            continue;
        nx_query_t *body = word_query(w, "", PFX_STEM, wt.stem);
        subs[ns++] = body;
        groups[ng++] = body;
        surfs[nsf++] = term_q("", w->surface, 1);
        if (wt.title > 0) {
            nx_query_t *t = word_query(w, PFX_TITLE, PFX_TITLE_STEM, wt.stem);
            subs[ns++] = nx_query_scale(t, wt.title);
            nx_query_free(t);
        }
        if (wt.keywords > 0) {
            buf_t k = BUF_INIT;
            buf_puts(&k, PFX_KEYWORD);
            buf_puts(&k, w->surface);
            nx_query_t *kq = nx_query_term(k.data, k.len, 1);
            subs[ns++] = nx_query_scale(kq, wt.keywords);
            nx_query_free(kq);
            buf_free(&k);
        }
        out->surfaces[out->n_surfaces++] = xstrdup(w->surface);
        for (size_t j = 0; j < w->n_stems; j++)
            out->stems[out->n_stems++] = xstrdup(w->stems[j]);
    }
    if (ng > 1 && wt.all > 0) {
        /* Documents holding every word get that match's weight again. */
        nx_query_t *all = nx_query_combine(NX_OP_AND, groups, ng, 0);
        subs[ns++] = nx_query_scale(all, wt.all);
        nx_query_free(all);
    }
    /* Each pair of neighbouring query words found within 2 + slack
     * positions of each other adds a bonus: people type words they saw
     * together, and a pair still counts when a third word is missing. */
    for (size_t i = 0; wt.near > 0 && i + 1 < nsf; i++) {
        nx_query_t *near = nx_query_combine(NX_OP_NEAR, surfs + i, 2,
                                            (unsigned)(2 + wt.slack));
        subs[ns++] = nx_query_scale(near, wt.near);
        nx_query_free(near);
    }
    for (size_t i = 0; i < nsf; i++)
        nx_query_free(surfs[i]);
    free(surfs);
    free(groups);
    if (ns)
        out->q = nx_query_combine(NX_OP_OR, subs, ns, 0);
    for (size_t i = 0; i < ns; i++)
        nx_query_free(subs[i]);
    free(subs);
    for (size_t i = 0; i < c.n; i++) {
        free(c.words[i].surface);
        for (size_t j = 0; j < c.words[i].n_stems; j++)
            free(c.words[i].stems[j]);
    }
    free(c.words);
    return (ns && !out->q) ? -1 : 0;
}

int query_matches(const query_t *q, const an_token_t *tok)
{
    if (tok->stopword)
        return 0;
    for (size_t i = 0; i < q->n_surfaces; i++)
        if (strcmp(q->surfaces[i], tok->surface) == 0)
            return 1;
    for (size_t i = 0; i < tok->n_stems; i++)
        for (size_t j = 0; j < q->n_stems; j++)
            if (strcmp(q->stems[j], tok->stems[i]) == 0)
                return 1;
    return 0;
}

void query_free(query_t *q)
{
    nx_query_free(q->q);
    for (size_t i = 0; i < q->n_surfaces; i++)
        free(q->surfaces[i]);
    for (size_t i = 0; i < q->n_stems; i++)
        free(q->stems[i]);
    free(q->surfaces);
    free(q->stems);
    memset(q, 0, sizeof *q);
}
