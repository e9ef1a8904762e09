/*
 * like.c: the more-like-this query of like.h.
 */
#include "like.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "schema.h"
#include "stored.h"
#include "story.h"
#include "util.h"

/* The article's terms kept: 30 gave precision@5 0.80 on saudinewsnet
 * where 40, 60 and 100 gave 0.78 (no better) and cost more (20 ms
 * a search at 30, 32 ms at 100): doc/like.md. */
#define LIKE_TERMS 30
#define LIKE_MAX_TERMS 200

/* The term families the expand set may pick, each a part of --explain:
 * body stems (the subject) and surface words (names as written: Z alone
 * gave 0.67, with them 0.72, trad scheme). Title and keyword terms (S,
 * ZS, K) are left out: their words are in the body terms already, and
 * adding them changed nothing (0.72): doc/like.md. */
typedef struct like_family {
    const char *prefix;
    const char *part;   /* --explain's name of the part */
} like_family_t;

static const like_family_t families[] = {
    { PFX_STEM, "like: stems" },
    { "", "like: words" },
    { PFX_TITLE, "like: title" },
    { PFX_TITLE_STEM, "like: title stems" },
    { PFX_KEYWORD, "like: keywords" },
};
#define N_FAMILIES (sizeof families / sizeof *families)

/* The settings: LIKE_TERMS, the first two families, Xapian's "bo1"
 * expansion scheme (Bose-Einstein; 0.80 where "trad" gave 0.72 with the
 * same terms), terms unweighted (BM25 weighs them as typed words; scaling
 * each by its expand weight gave 0.78).
 * $NEWSQ_LIKE overrides them for tuning runs ("TERMS FAMILIES SCHEME
 * SCALED": e.g. "30 Z,- trad 0", "-" the unprefixed words; SCALED 1
 * scales each term by its expand weight): a developer knob, like
 * $NEWSQ_WEIGHTS, not part of the CLI contract. */
typedef struct like_settings {
    unsigned terms;
    int use[N_FAMILIES];
    char scheme[8];
    int scaled;
} like_settings_t;

static like_settings_t settings(void)
{
    like_settings_t s = { LIKE_TERMS, { 1, 1, 0, 0, 0 }, "bo1", 0 };
    const char *env = getenv("NEWSQ_LIKE");
    unsigned terms = 0;
    char fam[64] = "", scheme[8] = "";
    int scaled = 0;
    if (!env || sscanf(env, "%u %63s %7s %d", &terms, fam, scheme, &scaled) < 1)
        return s;
    if (terms >= 1 && terms <= LIKE_MAX_TERMS)
        s.terms = terms;
    if (*fam) { /* comma-separated (no strtok: server threads) */
        memset(s.use, 0, sizeof s.use);
        for (const char *t = fam; *t; t += *t == ',') {
            size_t n = strcspn(t, ",");
            for (size_t i = 0; i < N_FAMILIES; i++) {
                const char *p = *families[i].prefix ? families[i].prefix : "-";
                if (strlen(p) == n && strncmp(t, p, n) == 0)
                    s.use[i] = 1;
            }
            t += n;
        }
    }
    if (*scheme)
        memcpy(s.scheme, scheme, sizeof s.scheme);
    s.scaled = scaled;
    return s;
}

struct like {
    char *hash;          /* the article's SLOT_HASH (its identical copies) */
    size_t hash_len;
    char *story;         /* the article's SLOT_STORY signature (story.h) */
    size_t story_len;
};

/* Is D the same story as the article, told again (another outlet's copy
 * of the wire story, an edited title)? story_same is the one rule, as for
 * --collapse story. */
static int same_story(const like_t *l, const nx_doc_t *d)
{
    size_t len = 0;
    const char *v = nx_doc_value(d, SLOT_STORY, &len);
    return v && story_same(l->story, l->story_len, v, len);
}

/* nx_search_opts.keep: not the article, its identical copies (the same
 * content hash) nor its story. */
static int like_keep(void *ctx, const nx_doc_t *d)
{
    const like_t *l = ctx;
    size_t len = 0;
    const char *h = nx_doc_value(d, SLOT_HASH, &len);
    if (h && len == l->hash_len && memcmp(h, l->hash, len) == 0)
        return 0;
    return !same_story(l, d);
}

void like_search_opts(like_t *like, nx_search_opts_t *o)
{
    if (!like)
        return;
    o->keep = like_keep;
    o->keep_ctx = like;
}

void like_free(like_t *like)
{
    if (!like)
        return;
    free(like->hash);
    free(like->story);
    free(like);
}

/* The expand set, gathered by family. */
typedef struct gathered {
    const like_settings_t *set;
    nx_query_t **terms[N_FAMILIES];
    size_t n[N_FAMILIES];
    double top;          /* the first (greatest) weight */
    buf_t words;         /* for --explain */
    char **surfaces, **stems; /* for highlighting */
    size_t n_surfaces, n_stems;
} gathered_t;

static size_t family_of(const char *term, size_t len)
{
    size_t p = 0;
    while (p < len && term[p] >= 'A' && term[p] <= 'Z')
        p++;
    for (size_t i = 0; i < N_FAMILIES; i++)
        if (strlen(families[i].prefix) == p &&
            memcmp(term, families[i].prefix, p) == 0)
            return i;
    return N_FAMILIES;
}

/* A term of a family in use; not a stopword (which a word's surface
 * term may be: in a short index the expand set can rate one high). */
static int accept(void *ctx, const char *term, size_t len)
{
    const gathered_t *g = ctx;
    size_t f = family_of(term, len);
    if (f == N_FAMILIES || !g->set->use[f])
        return 0;
    size_t p = strlen(families[f].prefix);
    return !analyzer_is_stopword(term + p, len - p);
}

static int gather(void *ctx, const char *term, size_t len, double weight)
{
    gathered_t *g = ctx;
    size_t f = family_of(term, len);
    if (f == N_FAMILIES)
        return 0;
    if (g->top == 0)
        g->top = weight;
    nx_query_t *t = nx_query_term(term, len, 1);
    if (t && g->set->scaled && g->top > 0) {
        nx_query_t *s = nx_query_scale(t, weight / g->top);
        nx_query_free(t);
        t = s;
    }
    if (!t)
        return 0;
    g->terms[f] = xrealloc(g->terms[f], (g->n[f] + 1) * sizeof *g->terms[f]);
    g->terms[f][g->n[f]++] = t;
    size_t p = strlen(families[f].prefix);
    buf_printf(&g->words, " %.*s", (int)len, term);
    /* highlights: the word itself, or words of that stem */
    int stem = strcmp(families[f].prefix, PFX_STEM) == 0 ||
               strcmp(families[f].prefix, PFX_TITLE_STEM) == 0;
    char ***v = stem ? &g->stems : &g->surfaces;
    size_t *n = stem ? &g->n_stems : &g->n_surfaces;
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = xstrndup(term + p, len - p);
    return 0;
}

/* Append the N strings V to the array *DST of *N_DST (taking them over). */
static void take_strings(char ***dst, size_t *n_dst, char **v, size_t n)
{
    *dst = xrealloc(*dst, (*n_dst + n + 1) * sizeof **dst);
    memcpy(*dst + *n_dst, v, n * sizeof *v);
    *n_dst += n;
    free(v);
}

/* LIKE ranked within SCOPE (may be NULL: LIKE alone). NULL when out of
 * memory. */
static nx_query_t *within(const nx_query_t *like, const nx_query_t *scope)
{
    if (!scope)
        return nx_query_copy(like);
    nx_query_t *v[2] = { (nx_query_t *)like, (nx_query_t *)scope };
    return nx_query_combine(NX_OP_FILTER, v, 2, 0);
}

int like_apply(nx_db_t *db, const char *id, query_t *q, like_t **like,
               char **error)
{
    *like = NULL;
    *error = NULL;
    uint32_t docid = 0;
    nx_status_t st = stored_article_docid(db, id, &docid);
    nx_doc_t *doc = NULL;
    if (st == NX_OK)
        st = nx_db_get_doc(db, docid, &doc);
    if (st == NX_NOT_FOUND) {
        buf_t e = BUF_INIT;
        buf_printf(&e, "--like: no article has the id '%s'", id);
        *error = e.data;
        return -1;
    }
    like_settings_t set = settings();
    gathered_t g;
    memset(&g, 0, sizeof g);
    g.set = &set;
    if (st == NX_OK)
        st = nx_db_expand_doc(db, docid, set.terms, set.scheme, accept,
                              gather, &g);

    /* One part per family, OR'ed. */
    nx_query_t *parts[N_FAMILIES] = { NULL };
    size_t n_parts = 0;
    const char *names[N_FAMILIES];
    int failed = st != NX_OK;
    for (size_t f = 0; f < N_FAMILIES; f++) {
        if (g.n[f]) {
            nx_query_t *p = nx_query_combine(NX_OP_OR, g.terms[f], g.n[f], 0);
            failed |= !p;
            if (p) {
                names[n_parts] = families[f].part;
                parts[n_parts++] = p;
            }
        }
        for (size_t i = 0; i < g.n[f]; i++)
            nx_query_free(g.terms[f][i]);
        free(g.terms[f]);
    }
    nx_query_t *lq = n_parts ? nx_query_combine(NX_OP_OR, parts, n_parts, 0)
                             : NULL;
    nx_query_t *nq = NULL, *nr = NULL;
    if (lq) {
        nq = within(lq, q->q);
        nr = q->relaxed ? within(lq, q->relaxed) : NULL;
        failed |= !nq || (q->relaxed && !nr);
    }
    size_t hlen = 0;
    const char *hash = doc ? nx_doc_value(doc, SLOT_HASH, &hlen) : NULL;
    size_t slen = 0;
    const char *story = doc ? nx_doc_value(doc, SLOT_STORY, &slen) : NULL;
    if (!failed && !lq) {
        buf_t e = BUF_INIT;
        buf_printf(&e, "--like: the article '%s' has no words to compare", id);
        *error = e.data;
    } else if (failed) {
        buf_t e = BUF_INIT;
        buf_printf(&e, "--like %s: %s", id,
                   st != NX_OK ? nx_db_strerror(db, st) : "out of memory");
        *error = e.data;
    } else {
        /* The query is the article's terms now. */
        nx_query_free(q->q);
        nx_query_free(q->relaxed);
        q->q = nq;
        q->relaxed = nr;
        nq = nr = NULL;
        for (size_t i = 0; i < q->n_parts; i++)
            nx_query_free(q->parts[i]);
        q->n_parts = 0;
        for (size_t i = 0; i < n_parts && i < QUERY_MAX_PARTS; i++) {
            q->part_names[q->n_parts] = names[i];
            q->parts[q->n_parts++] = parts[i];
            parts[i] = NULL;
        }
        buf_printf(&q->explain, "  like %s →%s\n", id, buf_cstr(&g.words));
        take_strings(&q->surfaces, &q->n_surfaces, g.surfaces, g.n_surfaces);
        take_strings(&q->stems, &q->n_stems, g.stems, g.n_stems);
        g.surfaces = g.stems = NULL;
        g.n_surfaces = g.n_stems = 0;
        like_t *l = xcalloc(1, sizeof *l);
        l->hash = xstrndup(hash ? hash : "", hlen);
        l->hash_len = hlen;
        l->story = xmalloc(slen + 1); /* binary: may hold NUL bytes */
        if (slen)
            memcpy(l->story, story, slen);
        l->story_len = slen;
        *like = l;
    }
    for (size_t i = 0; i < n_parts; i++)
        nx_query_free(parts[i]);
    for (size_t i = 0; i < g.n_surfaces; i++)
        free(g.surfaces[i]);
    for (size_t i = 0; i < g.n_stems; i++)
        free(g.stems[i]);
    free(g.surfaces);
    free(g.stems);
    buf_free(&g.words);
    nx_query_free(lq);
    nx_query_free(nq);
    nx_query_free(nr);
    nx_doc_free(doc);
    return failed ? -2 : *like ? 0 : -1;
}
