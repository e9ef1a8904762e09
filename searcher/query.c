/*
 * query.c: parsed query (qparse.h) → nx_query_t, as described in query.h.
 */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "qparse.h"
#include "schema.h"
#include "util.h"

#define PREFIX_MAX_EXPANSION 100

weights_t weights_get(void)
{
    /* Chosen on ../shared/eval (README, "Relevance"): arcd-dev nDCG@10
     * 0.854, knownitem MRR@10 0.708. Title 1.0 instead of 0.5 costs the
     * known-item set dearly (people remember body words, not titles); the
     * neighbour-pair bonus took knownitem from 0.692 to 0.701 and arcd-dev
     * from 0.854 to 0.856 (before the tanween-alef stem rule). */
    weights_t w = { .title = 0.5, .keywords = 0.3, .stem = 2.0, .all = 0.5,
                    .k1 = 1.0, .b = 0.75, .near = 1.0, .slack = 1,
                    .lead = 0.15 };
    const char *env = getenv("NEWSQ_WEIGHTS");
    if (env)
        sscanf(env, "%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &w.title,
               &w.keywords, &w.stem, &w.all, &w.k1, &w.b, &w.near, &w.slack,
               &w.lead);
    return w;
}

/* ------------------------------------------------------------ query lists */

typedef struct qlist {
    nx_query_t **v;
    size_t n, cap;
} qlist_t;

/* Append Q (taking it over); NULL is ignored. */
static void ql_add(qlist_t *l, nx_query_t *q)
{
    if (!q)
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = q;
}

/* Combine the list with OP (NULL when empty; the single query itself when
 * one and OP is not positional) and free the list. */
static nx_query_t *ql_combine(qlist_t *l, nx_op_t op, unsigned window)
{
    nx_query_t *q = NULL;
    if (l->n == 1 && op != NX_OP_PHRASE && op != NX_OP_NEAR)
        q = nx_query_copy(l->v[0]);
    else if (l->n > 0)
        q = nx_query_combine(op, l->v, l->n, window);
    for (size_t i = 0; i < l->n; i++)
        nx_query_free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
    return q;
}

static nx_query_t *scaled(nx_query_t *q, double factor)
{
    if (!q)
        return NULL;
    nx_query_t *s = nx_query_scale(q, factor);
    nx_query_free(q);
    return s;
}

static nx_query_t *term_q(const char *prefix, const char *term)
{
    buf_t b = BUF_INIT;
    buf_puts(&b, prefix);
    buf_puts(&b, term);
    nx_query_t *q = nx_query_term(b.data, b.len, 1);
    buf_free(&b);
    return q;
}

/* --------------------------------------------------------------- analysis */

#define MAX_VARIANTS 8

typedef struct word {
    char *surface;
    char *stems[AN_MAX_STEMS];
    size_t n_stems;
    int stopword;
    /* Spelling variants of the surface (the index's synonym table,
     * indexer/variants.h) and their stems; none for a quoted word. */
    char *variants[MAX_VARIANTS];
    size_t n_variants;
    char **vstems;
    size_t n_vstems;
} word_t;

typedef struct words {
    word_t *v;
    size_t n, cap;
} words_t;

static int collect_word(void *vctx, const an_token_t *tok)
{
    words_t *ws = vctx;
    if (ws->n == ws->cap) {
        ws->cap = ws->cap ? ws->cap * 2 : 8;
        ws->v = xrealloc(ws->v, ws->cap * sizeof *ws->v);
    }
    word_t *w = &ws->v[ws->n++];
    memset(w, 0, sizeof *w);
    w->surface = xstrndup(tok->surface, tok->surface_len);
    w->stopword = tok->stopword;
    for (size_t i = 0; i < tok->n_stems; i++)
        w->stems[w->n_stems++] = xstrdup(tok->stems[i]);
    return 0;
}

static void words_free(words_t *ws)
{
    for (size_t i = 0; i < ws->n; i++) {
        free(ws->v[i].surface);
        for (size_t j = 0; j < ws->v[i].n_stems; j++)
            free(ws->v[i].stems[j]);
        for (size_t j = 0; j < ws->v[i].n_variants; j++)
            free(ws->v[i].variants[j]);
        for (size_t j = 0; j < ws->v[i].n_vstems; j++)
            free(ws->v[i].vstems[j]);
        free(ws->v[i].vstems);
    }
    free(ws->v);
    memset(ws, 0, sizeof *ws);
}

/* Q, or when Q could not be made (the index could not be read for a
 * prefix, memory ran out) *FAILED set: the query then fails rather than
 * lose a part (a lost exclusion or filter widens the results). */
static nx_query_t *must(nx_query_t *q, int *failed)
{
    if (!q)
        *failed = 1;
    return q;
}

/* A prefix query: expanded from DB's terms when there is one. */
static nx_query_t *wildcard(nx_db_t *db, const char *prefix, unsigned max,
                            int *failed)
{
    return must(db ? nx_query_expand(db, prefix, max)
                   : nx_query_wildcard(prefix, max),
                failed);
}

typedef struct builder {
    nx_db_t *db;
    analyzer_t *an;
    weights_t wt;
    query_t *out;
    qlist_t field[FIELD_COUNT]; /* ranked words, per field (schema.h) */
    qlist_t groups, surfaces;
    qlist_t required, excluded;
    nx_query_t **required_v;  /* copies of the required parts */
    int failed;               /* a part could not be made (must) */
    size_t n_required;
    qlist_t loose;            /* their words, for the relaxed query */
} builder_t;

static int add_variant(void *vctx, const char *synonym)
{
    word_t *w = vctx;
    if (w->n_variants == MAX_VARIANTS)
        return 1;
    w->variants[w->n_variants++] = xstrdup(synonym);
    return 0;
}

/* The one place where query words meet the synonym table: each word of WS
 * (stopwords aside) gets its spelling variants and their stems. A failed
 * lookup leaves the word as typed. */
static void expand_variants(builder_t *b, words_t *ws)
{
    for (size_t i = 0; b->db && i < ws->n; i++) {
        word_t *w = &ws->v[i];
        if (w->stopword)
            continue;
        nx_db_synonyms(b->db, w->surface, add_variant, w);
        for (size_t k = 0; k < w->n_variants; k++) {
            words_t vw = { 0 };
            const char *v = w->variants[k];
            analyzer_run(b->an, v, strlen(v), collect_word, &vw);
            for (size_t j = 0; j < vw.n; j++)
                for (size_t m = 0; m < vw.v[j].n_stems; m++) {
                    w->vstems = xrealloc(w->vstems,
                                         (w->n_vstems + 1) * sizeof(char *));
                    w->vstems[w->n_vstems++] = xstrdup(vw.v[j].stems[m]);
                }
            words_free(&vw);
        }
    }
}

/* TEXT's words into WS; EXPAND: with their spelling variants (not for a
 * quoted phrase or word: that is an exact search). */
static void analyze(builder_t *b, const char *text, words_t *ws, int expand)
{
    memset(ws, 0, sizeof *ws);
    analyzer_run(b->an, text, strlen(text), collect_word, ws);
    if (expand)
        expand_variants(b, ws);
}

/* One line of --explain: what the word became. */
static void explain_word(builder_t *b, const word_t *w)
{
    buf_t *e = &b->out->explain;
    buf_printf(e, "  %s → %s", w->surface, w->surface);
    for (size_t i = 0; i < w->n_stems; i++)
        buf_printf(e, " Z%s", w->stems[i]);
    for (size_t i = 0; i < w->n_variants; i++)
        buf_printf(e, "%s%s", i ? " " : " + variants: ", w->variants[i]);
    for (size_t i = 0; i < w->n_vstems; i++)
        buf_printf(e, " Z%s", w->vstems[i]);
    buf_puts(e, w->stopword ? " (stopword: not searched)\n" : "\n");
}

/* Explain W and keep it for highlighting. */
static void remember(builder_t *b, const word_t *w)
{
    query_t *q = b->out;
    explain_word(b, w);
    q->surfaces = xrealloc(q->surfaces, (q->n_surfaces + w->n_variants + 1) *
                                            sizeof(char *));
    q->surfaces[q->n_surfaces++] = xstrdup(w->surface);
    for (size_t i = 0; i < w->n_variants; i++)
        q->surfaces[q->n_surfaces++] = xstrdup(w->variants[i]);
    q->stems = xrealloc(q->stems, (q->n_stems + w->n_stems + w->n_vstems + 1) *
                                      sizeof(char *));
    for (size_t i = 0; i < w->n_stems; i++)
        q->stems[q->n_stems++] = xstrdup(w->stems[i]);
    for (size_t i = 0; i < w->n_vstems; i++)
        q->stems[q->n_stems++] = xstrdup(w->vstems[i]);
}

/* OR(prefix+surface, SYNONYM(stem_prefix+stems) × stem weight) for W;
 * its spelling variants join the surface and the stems as synonyms (one
 * word for the weighting, whichever spelling an article uses). */
static nx_query_t *word_query(const word_t *w, const char *prefix,
                              const char *stem_prefix, double stem_weight)
{
    qlist_t parts = { 0 }, st = { 0 }, sf = { 0 };
    ql_add(&sf, term_q(prefix, w->surface));
    for (size_t i = 0; i < w->n_variants; i++)
        ql_add(&sf, term_q(prefix, w->variants[i]));
    ql_add(&parts, ql_combine(&sf, NX_OP_SYNONYM, 0));
    for (size_t i = 0; i < w->n_stems; i++)
        ql_add(&st, term_q(stem_prefix, w->stems[i]));
    for (size_t i = 0; i < w->n_vstems; i++)
        ql_add(&st, term_q(stem_prefix, w->vstems[i]));
    ql_add(&parts, scaled(ql_combine(&st, NX_OP_SYNONYM, 0), stem_weight));
    return ql_combine(&parts, NX_OP_OR, 0);
}

/* The schema field (schema.h) a query field searches. */
static const schema_field_t *qfield(qfield_t f)
{
    switch (f) {
    case QF_TITLE: return &schema_fields[FIELD_TITLE];
    case QF_TAG: return &schema_fields[FIELD_KEYWORDS];
    case QF_ANY:
    default: return &schema_fields[FIELD_BODY];
    }
}

/* W in the field FD, stems included. */
static nx_query_t *field_query(const word_t *w, const schema_field_t *fd,
                               double stem_weight)
{
    return word_query(w, fd->prefix, fd->stem_prefix, stem_weight);
}

/* A word* prefix over the surface terms of field F. */
static nx_query_t *prefix_query(builder_t *b, const qterm_t *t)
{
    const char *pfx = qfield(t->field)->prefix;
    buf_t f = BUF_INIT;
    buf_puts(&f, pfx);
    size_t n = norm_fold(t->text, strlen(t->text), 0, &f);
    nx_query_t *q = NULL;
    if (n) {
        q = wildcard(b->db, f.data, PREFIX_MAX_EXPANSION, &b->failed);
        query_t *o = b->out;
        o->prefixes = xrealloc(o->prefixes, (o->n_prefixes + 1) * sizeof(char *));
        o->prefixes[o->n_prefixes++] = xstrdup(f.data + strlen(pfx));
        buf_printf(&o->explain, "  %s* → every word starting with %s\n",
                   f.data + strlen(pfx), f.data + strlen(pfx));
    }
    buf_free(&f);
    return q;
}

/* "a phrase" in field F: the surface terms (stopwords included) in order.
 * One word in quotes is an exact search: its surface form only. */
static nx_query_t *phrase_query(builder_t *b, const qterm_t *t, int highlight)
{
    const schema_field_t *fd = qfield(t->field);
    words_t ws;
    analyze(b, t->text, &ws, 0);
    qlist_t terms = { 0 };
    for (size_t i = 0; i < ws.n; i++) {
        ql_add(&terms, term_q(fd->prefix, ws.v[i].surface));
        if (highlight && !ws.v[i].stopword) {
            remember(b, &ws.v[i]);
            ql_add(&b->loose, field_query(&ws.v[i], fd, b->wt.stem));
        }
    }
    /* Terms without positions (keywords): their words are AND'ed. */
    nx_op_t op = fd->positional ? NX_OP_PHRASE : NX_OP_AND;
    nx_query_t *q = terms.n == 1 ? ql_combine(&terms, NX_OP_AND, 0)
                                 : ql_combine(&terms, op, (unsigned)terms.n);
    words_free(&ws);
    return q;
}

/* A fielded word (title:x, tag:x): every token of it, stems included. */
static nx_query_t *field_word_query(builder_t *b, const qterm_t *t,
                                    int highlight)
{
    const schema_field_t *fd = qfield(t->field);
    words_t ws;
    analyze(b, t->text, &ws, 1);
    qlist_t all = { 0 };
    for (size_t i = 0; i < ws.n; i++) {
        if (ws.v[i].stopword && ws.n > 1)
            continue;
        ql_add(&all, field_query(&ws.v[i], fd, b->wt.stem));
        if (highlight)
            remember(b, &ws.v[i]);
    }
    words_free(&ws);
    return ql_combine(&all, NX_OP_AND, 0);
}

/* Any term as a required/excluded/alternative query. */
static nx_query_t *term_query(builder_t *b, const qterm_t *t, int highlight)
{
    switch (t->kind) {
    case QK_PREFIX: return prefix_query(b, t);
    case QK_PHRASE: return phrase_query(b, t, highlight);
    case QK_WORD:
    default:
        if (t->field == QF_ANY) {
            /* an unfielded word inside OR/NEAR/exclusion: body and title */
            words_t ws;
            analyze(b, t->text, &ws, 1);
            qlist_t all = { 0 };
            for (size_t i = 0; i < ws.n; i++) {
                if (ws.v[i].stopword && ws.n > 1)
                    continue;
                qlist_t f = { 0 };
                ql_add(&f, field_query(&ws.v[i], &schema_fields[FIELD_BODY],
                                       b->wt.stem));
                ql_add(&f, scaled(field_query(&ws.v[i],
                                              &schema_fields[FIELD_TITLE],
                                              b->wt.stem),
                                  b->wt.title));
                ql_add(&all, ql_combine(&f, NX_OP_OR, 0));
                if (highlight)
                    remember(b, &ws.v[i]);
            }
            words_free(&ws);
            return ql_combine(&all, NX_OP_AND, 0);
        }
        return field_word_query(b, t, highlight);
    }
}

/* The ranked words of the query: bare words, OR alternatives. */
static void add_ranked_words(builder_t *b, words_t *ws)
{
    size_t content = 0;
    for (size_t i = 0; i < ws->n; i++)
        content += !ws->v[i].stopword;
    for (size_t i = 0; i < ws->n; i++) {
        const word_t *w = &ws->v[i];
        if (content && w->stopword) {
            explain_word(b, w);
            continue;
        }
        for (int f = 0; f < FIELD_COUNT; f++) {
            const schema_field_t *fd = &schema_fields[f];
            ql_add(&b->field[f], fd->rank_stems
                                     ? field_query(w, fd, b->wt.stem)
                                     : term_q(fd->prefix, w->surface));
        }
        ql_add(&b->groups, nx_query_copy(b->field[FIELD_BODY].v[b->field[FIELD_BODY].n - 1]));
        ql_add(&b->surfaces, term_q(schema_fields[FIELD_BODY].prefix, w->surface));
        remember(b, w);
    }
}

/* Filters: --source/source: (any of) and dates; NULL when none. */
static nx_query_t *filters(const qparsed_t *p, const query_filters_t *f,
                           char **error, int *failed)
{
    qlist_t all = { 0 };
    for (int pass = 0; pass < 2; pass++) {
        size_t n = pass ? (f ? f->n_sources : 0) : p->n_sources;
        qlist_t any = { 0 };
        for (size_t i = 0; i < n; i++) {
            const char *name = pass ? f->sources[i] : p->sources[i];
            buf_t t = BUF_INIT;
            buf_puts(&t, PFX_SOURCE);
            norm_fold(name, strlen(name), 0, &t);
            ql_add(&any, must(nx_query_term(t.data, t.len, 1), failed));
            buf_putc(&t, ' '); /* "source:الشرق" also finds "الشرق الأوسط" */
            ql_add(&any, wildcard(f ? f->db : NULL, t.data, 0, failed));
            buf_free(&t);
        }
        ql_add(&all, ql_combine(&any, NX_OP_OR, 0));
    }
    qlist_t dates = { 0 };
    for (size_t i = 0; i < p->n_dates; i++)
        ql_add(&dates, must(nx_query_value_range(SLOT_DATE, p->dates[i].lo,
                                                 p->dates[i].hi),
                            failed));
    ql_add(&all, ql_combine(&dates, NX_OP_OR, 0));
    if (f && (f->since || f->until)) {
        char lo[9] = "00000000", hi[9] = "99999999", tmp[9];
        if (f->since && !qparse_date_bounds(f->since, strlen(f->since), lo, tmp)) {
            buf_t e = BUF_INIT;
            buf_printf(&e, "--since: expected YYYY, YYYY-MM or YYYY-MM-DD, got '%s'",
                       f->since);
            *error = e.data;
        }
        if (f->until && !qparse_date_bounds(f->until, strlen(f->until), tmp, hi)) {
            buf_t e = BUF_INIT;
            buf_printf(&e, "--until: expected YYYY, YYYY-MM or YYYY-MM-DD, got '%s'",
                       f->until);
            free(*error);
            *error = e.data;
        }
        ql_add(&all, must(nx_query_value_range(SLOT_DATE, lo, hi), failed));
    }
    size_t n = all.n;
    nx_query_t *flt = ql_combine(&all, NX_OP_AND, 0);
    return n ? must(flt, failed) : flt;
}

/* Q without the excluded EX (may be NULL), within the filters FLT (may be
 * NULL). Takes Q over. */
static nx_query_t *finish(nx_query_t *q, const nx_query_t *ex,
                          const nx_query_t *flt, int *failed)
{
    if (q && ex) {
        nx_query_t *v[2] = { q, (nx_query_t *)ex };
        nx_query_t *r = must(nx_query_combine(NX_OP_AND_NOT, v, 2, 0), failed);
        nx_query_free(q);
        q = r;
    }
    if (q && flt) {
        nx_query_t *v[2] = { q, (nx_query_t *)flt };
        nx_query_t *r = must(nx_query_combine(NX_OP_FILTER, v, 2, 0), failed);
        nx_query_free(q);
        q = r;
    }
    return q;
}

/* Q (taken over) with BONUS (may be NULL) adding its weight where it
 * matches. */
static nx_query_t *with_bonus(nx_query_t *q, const nx_query_t *bonus)
{
    if (!q || !bonus)
        return q;
    nx_query_t *v[2] = { q, (nx_query_t *)bonus };
    nx_query_t *r = nx_query_combine(NX_OP_AND_MAYBE, v, 2, 0);
    nx_query_free(q);
    return r;
}

static void add_part(query_t *q, const char *name, nx_query_t *part)
{
    if (part && q->n_parts < QUERY_MAX_PARTS) {
        q->part_names[q->n_parts] = name;
        q->parts[q->n_parts++] = nx_query_copy(part);
    }
}

int query_build(analyzer_t *an, const char *text, const query_filters_t *f,
                query_t *out, char **error)
{
    memset(out, 0, sizeof *out);
    *error = NULL;
    qparsed_t p;
    if (qparse(text, &p, error) != 0)
        return -1;
    if (p.warning)
        out->warning = xstrdup(p.warning);
    builder_t b = { 0 };
    b.db = f ? f->db : NULL;
    b.an = an;
    b.wt = weights_get();
    b.out = out;
    out->weights = b.wt;

    words_t bare = { 0 };
    for (size_t i = 0; i < p.n_clauses; i++) {
        qclause_t *c = &p.clauses[i];
        if (c->negated) {
            for (size_t j = 0; j < c->n_terms; j++)
                ql_add(&b.excluded, term_query(&b, &c->terms[j], 0));
            continue;
        }
        if (c->kind == QC_NEAR) {
            qlist_t near = { 0 };
            for (size_t j = 0; j < c->n_terms; j++) {
                words_t ws;
                analyze(&b, c->terms[j].text, &ws, 1);
                for (size_t k = 0; k < ws.n; k++) {
                    if (ws.v[k].stopword && ws.n > 1)
                        continue;
                    ql_add(&near, term_q("", ws.v[k].surface));
                    ql_add(&b.loose, field_query(&ws.v[k],
                                                 &schema_fields[FIELD_BODY],
                                                 b.wt.stem));
                    remember(&b, &ws.v[k]);
                }
                words_free(&ws);
            }
            unsigned window = c->window > near.n ? c->window : (unsigned)near.n;
            ql_add(&b.required, ql_combine(&near, NX_OP_NEAR, window));
            continue;
        }
        qterm_t *t0 = &c->terms[0];
        if (c->n_terms == 1 && t0->kind == QK_WORD && t0->field == QF_ANY) {
            /* gathered first: stopwords are judged on the whole query */
            analyzer_run(an, t0->text, strlen(t0->text), collect_word, &bare);
            continue;
        }
        if (c->n_terms == 1 && t0->kind == QK_PREFIX && t0->field == QF_ANY) {
            nx_query_t *pq = prefix_query(&b, t0);
            if (pq) {
                ql_add(&b.groups, nx_query_copy(pq));
                ql_add(&b.field[FIELD_BODY], pq);
            }
            continue;
        }
        if (c->n_terms == 1) {
            ql_add(&b.required, term_query(&b, t0, 1));
            continue;
        }
        /* a OR b: one ranked group */
        qlist_t alts = { 0 };
        for (size_t j = 0; j < c->n_terms; j++)
            ql_add(&alts, term_query(&b, &c->terms[j], 1));
        nx_query_t *any = ql_combine(&alts, NX_OP_OR, 0);
        if (any) {
            ql_add(&b.groups, nx_query_copy(any));
            ql_add(&b.field[FIELD_BODY], any);
        }
    }

    expand_variants(&b, &bare);
    add_ranked_words(&b, &bare);
    words_free(&bare);
    b.required_v = xcalloc(b.required.n + 1, sizeof *b.required_v);
    for (size_t i = 0; i < b.required.n; i++)
        b.required_v[b.n_required++] = nx_query_copy(b.required.v[i]);

    /* The ranked part: fields, then the bonuses. */
    qlist_t ranked = { 0 };
    size_t n_groups = b.groups.n;
    /* Each field's words, scaled by the field's weight (a field of
     * weight 0 is left out). */
    const double fw[FIELD_COUNT] = { [FIELD_BODY] = 1, [FIELD_TITLE] = b.wt.title,
                                     [FIELD_KEYWORDS] = b.wt.keywords,
                                     [FIELD_LEAD] = b.wt.lead };
    nx_query_t *fq[FIELD_COUNT];
    for (int f = 0; f < FIELD_COUNT; f++) {
        fq[f] = ql_combine(&b.field[f], NX_OP_OR, 0);
        if (f != FIELD_BODY && fw[f] > 0) {
            fq[f] = scaled(fq[f], fw[f]);
        } else if (fw[f] <= 0) {
            nx_query_free(fq[f]);
            fq[f] = NULL;
        }
    }
    nx_query_t *all = ql_combine(&b.groups, NX_OP_AND, 0);
    if (n_groups > 1 && b.wt.all > 0) {
        all = scaled(all, b.wt.all);
    } else {
        nx_query_free(all);
        all = NULL;
    }
    /* Each pair of neighbouring query words found within 2 + slack
     * positions of each other adds a bonus: people type words they saw
     * together, and a pair still counts when a third word is missing. */
    qlist_t pairs = { 0 };
    for (size_t i = 0; b.wt.near > 0 && i + 1 < b.surfaces.n; i++)
        ql_add(&pairs, nx_query_combine(NX_OP_NEAR, b.surfaces.v + i, 2,
                                        (unsigned)(2 + b.wt.slack)));
    nx_query_t *near = scaled(ql_combine(&pairs, NX_OP_OR, 0), b.wt.near);
    for (size_t i = 0; i < b.surfaces.n; i++)
        nx_query_free(b.surfaces.v[i]);
    free(b.surfaces.v);
    for (int f = 0; f < FIELD_COUNT; f++)
        add_part(out, schema_fields[f].name, fq[f]);
    add_part(out, "all words", all);
    add_part(out, "proximity", near);
    for (int f = 0; f < FIELD_COUNT; f++)
        ql_add(&ranked, fq[f]);
    ql_add(&ranked, all);
    /* Under a filter, Xapian 1.4.22 sometimes gives an OP_NEAR inside an
     * OR its weight without checking the positions: then the proximity
     * bonus weighs on top of the filtered query instead (AND_MAYBE,
     * with_bonus), same matches and weights. Not always: unfiltered, an
     * AND_MAYBE checks positions for every candidate (40 times slower on
     * saudinewsnet) where the OR lets Xapian skip those that cannot make
     * the top. */
    nx_query_t *flt = filters(&p, f, error, &b.failed);
    if (!flt && near) {
        ql_add(&ranked, near);
        near = NULL;
    }
    nx_query_t *rq = ql_combine(&ranked, NX_OP_OR, 0);
    nx_query_t *req = ql_combine(&b.required, NX_OP_AND, 0);
    add_part(out, "required", req);

    size_t n_ex = b.excluded.n;
    nx_query_t *ex = ql_combine(&b.excluded, NX_OP_OR, 0);
    if (n_ex)
        must(ex, &b.failed);
    int rc = 0;
    if (*error) {
        query_free(out);
        rc = -1;
    } else if (req && rq) {
        /* Strict: the required parts, ranked by the words. Relaxed (used
         * when strict finds nothing): the required parts only weigh. */
        nx_query_t *v[2] = { req, rq };
        out->q = with_bonus(finish(nx_query_combine(NX_OP_AND_MAYBE, v, 2, 0),
                                   ex, flt, &b.failed),
                            near);
        ql_add(&b.loose, nx_query_copy(req));
        ql_add(&b.loose, nx_query_copy(rq));
        out->relaxed = with_bonus(finish(ql_combine(&b.loose, NX_OP_OR, 0),
                                         ex, flt, &b.failed),
                                  near);
    } else if (req) {
        out->q = finish(nx_query_copy(req), ex, flt, &b.failed);
        for (size_t i = 0; i < b.n_required; i++)
            ql_add(&b.loose, nx_query_copy(b.required_v[i]));
        out->relaxed = finish(ql_combine(&b.loose, NX_OP_OR, 0), ex, flt,
                              &b.failed);
    } else if (rq) {
        out->q = with_bonus(finish(nx_query_copy(rq), ex, flt, &b.failed),
                            near);
    } else if (flt || ex) {
        /* Only exclusions and filters: everything they leave. */
        out->q = finish(nx_query_match_all(), ex, flt, &b.failed);
    }
    if (rc == 0 && b.failed) {
        /* Better no answer than a wider or narrower one. */
        buf_t e = BUF_INIT;
        const char *why = b.db ? nx_db_errmsg(b.db) : "";
        buf_printf(&e, "a part of the query could not be made: %s",
                   *why ? why : "out of memory");
        query_free(out);
        *error = e.data;
        rc = -2;
    }
    for (size_t i = 0; i < b.n_required; i++)
        nx_query_free(b.required_v[i]);
    free(b.required_v);
    nx_query_free(ql_combine(&b.loose, NX_OP_OR, 0));
    nx_query_free(rq);
    nx_query_free(near);
    nx_query_free(req);
    nx_query_free(flt);
    nx_query_free(ex);
    qparsed_free(&p);
    return rc;
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
    for (size_t i = 0; i < q->n_prefixes; i++)
        if (strncmp(tok->surface, q->prefixes[i], strlen(q->prefixes[i])) == 0)
            return 1;
    return 0;
}

void query_free(query_t *q)
{
    nx_query_free(q->q);
    nx_query_free(q->relaxed);
    for (size_t i = 0; i < q->n_surfaces; i++)
        free(q->surfaces[i]);
    for (size_t i = 0; i < q->n_stems; i++)
        free(q->stems[i]);
    for (size_t i = 0; i < q->n_prefixes; i++)
        free(q->prefixes[i]);
    for (size_t i = 0; i < q->n_parts; i++)
        nx_query_free(q->parts[i]);
    free(q->surfaces);
    free(q->stems);
    free(q->prefixes);
    buf_free(&q->explain);
    free(q->warning);
    memset(q, 0, sizeof *q);
}
