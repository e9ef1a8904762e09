/*
 * variants.c: mining spelling variants from the index (variants.h).
 */
#include "variants.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "normalize.h"
#include "schema.h"
#include "util.h"

#define GROUP_MAX 24  /* spellings compared within one skeleton */
#define CTX_DOCS 12   /* articles sampled for a word's context */
#define MAX_CP 48     /* longest word compared, in letters */

/* Every Arabic word of the index (surface terms) with its document
 * frequency, in an open-addressing hash table: the miner asks for the
 * frequency of millions of words (clitic forms, context words), and a
 * lookup must not cost a search of the vocabulary or of Xapian's B-tree. */
typedef struct vocab {
    char *text;           /* the words, each NUL-terminated */
    size_t text_len, text_cap;
    size_t *off;          /* word I starts at text + off[I] */
    uint32_t *df;
    size_t n, cap;
    uint32_t *slot;       /* word index + 1, 0: empty */
    size_t n_slots;       /* a power of two, at least twice N */
} vocab_t;

static const char *vocab_word(const vocab_t *v, size_t i)
{
    return v->text + v->off[i];
}

static int all_letters(const char *s, size_t len, size_t *n_letters)
{
    size_t i = 0, n = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (!k || !norm_is_arabic_letter(cp))
            return 0;
        i += k;
        n++;
    }
    *n_letters = n;
    return 1;
}

static int vocab_add(void *ctx, const char *term, size_t len, uint32_t freq)
{
    vocab_t *v = ctx;
    size_t letters;
    if (!all_letters(term, len, &letters))
        return 0;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 4096;
        v->off = xrealloc(v->off, v->cap * sizeof *v->off);
        v->df = xrealloc(v->df, v->cap * sizeof *v->df);
    }
    while (v->text_len + len + 1 > v->text_cap) {
        v->text_cap = v->text_cap ? v->text_cap * 2 : 1 << 16;
        v->text = xrealloc(v->text, v->text_cap);
    }
    memcpy(v->text + v->text_len, term, len);
    v->text[v->text_len + len] = '\0';
    v->off[v->n] = v->text_len;
    v->text_len += len + 1;
    v->df[v->n++] = freq;
    return 0;
}

/* The hash table over the words read (after the last vocab_add). */
static void vocab_index(vocab_t *v)
{
    v->n_slots = 1024;
    while (v->n_slots < 2 * v->n)
        v->n_slots *= 2;
    v->slot = xcalloc(v->n_slots, sizeof *v->slot);
    for (size_t i = 0; i < v->n; i++) {
        const char *w = vocab_word(v, i);
        size_t h = (size_t)hash64(w, strlen(w)) & (v->n_slots - 1);
        while (v->slot[h])
            h = (h + 1) & (v->n_slots - 1);
        v->slot[h] = (uint32_t)(i + 1);
    }
}

/* The document frequency of TERM (LEN bytes; 0 when not a word of the
 * index). */
static uint32_t vocab_df_n(const vocab_t *v, const char *term, size_t len)
{
    if (!v->n_slots)
        return 0;
    size_t h = (size_t)hash64(term, len) & (v->n_slots - 1);
    for (; v->slot[h]; h = (h + 1) & (v->n_slots - 1)) {
        size_t i = v->slot[h] - 1;
        const char *w = vocab_word(v, i);
        if (memcmp(w, term, len) == 0 && w[len] == '\0')
            return v->df[i];
    }
    return 0;
}

/* Articles holding the word W (0 when not in the index). */
static uint32_t vocab_df(const vocab_t *v, const char *w)
{
    return vocab_df_n(v, w, strlen(w));
}

/* Articles holding PFX + W. */
static uint32_t df_with(const vocab_t *v, const char *pfx, const char *w)
{
    char t[512];
    size_t np = strlen(pfx), nw = strlen(w);
    if (np + nw > sizeof t)
        return 0;
    memcpy(t, pfx, np);
    memcpy(t + np, w, nw);
    return vocab_df_n(v, t, np + nw);
}

static void vocab_free(vocab_t *v)
{
    free(v->text);
    free(v->off);
    free(v->df);
    free(v->slot);
    memset(v, 0, sizeof *v);
}

/*
 * The transliteration skeleton of W into OUT (reset first); returns its
 * number of consonants. Long vowels after the first letter are dropped
 * (ترامب, ترمب → ترمب), the letters written for g are one (غوغل, جوجل), ة
 * is ه.
 */
static size_t skeleton(const char *w, buf_t *out)
{
    buf_reset(out);
    size_t len = strlen(w), i = 0, n = 0, pos = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = utf8_decode((const unsigned char *)w + i, len - i, &cp);
        if (!k)
            break;
        i += k;
        if (pos++ > 0 && (cp == 0x0627 || cp == 0x0648 || cp == 0x064A ||
                          cp == 0x0649))
            continue;
        if (cp == 0x063A || cp == 0x062C || cp == 0x0642 ||
            (pos == 1 && cp == 0x064A)) { /* يوفنتوس, جوفنتوس */
            buf_putc(out, 'G');
        } else {
            char e[4];
            size_t m = utf8_encode(cp == 0x0629 ? 0x0647 : cp, e);
            buf_append(out, e, m);
        }
        n++;
    }
    buf_cstr(out);
    return n;
}

/* ------------------------------------------------------------- evidence */

/* A word's context: the words of its articles (hash buckets,
 * in the order met) with their idf-weighted frequency. */
typedef struct context {
    uint32_t *idx;
    float *w;
    size_t n;
    double norm;
    int loaded;
} context_t;

typedef struct cand {
    const char *word;     /* in the vocabulary */
    char *skel;
    uint32_t df;
    uint32_t *post;       /* its articles (loaded when compared) */
    size_t n_post;
    double article;       /* share of its uses with ال */
    int verb;             /* imperfect_verb */
    context_t ctx;        /* loaded when compared */
} cand_t;

typedef struct miner {
    nx_db_t *db;
    vocab_t vocab;
    cand_t *c;
    size_t n, cap;
    uint32_t n_docs;
    uint16_t *src;        /* per document id: source index + 1 (0: none) */
    float *ctx_idf;       /* ctx_idf_table */
    float *ctx_w;         /* scratch for contexts, per bucket */
    uint32_t *ctx_touched;
    size_t n_src_docs;
    size_t n_sources;
} miner_t;

typedef enum verdict {
    V_JOIN, V_SPELLING, V_PATTERN, V_ARTICLE, V_TOGETHER, V_OUTLETS, V_CONTEXT,
    V_USER_JOIN, V_USER_FORBID,
} verdict_t;

static const char *const verdict_names[] = {
    "joined", "not a respelling", "a verb", "takes ال", "same articles",
    "same outlets", "other contexts", "joined by the user file",
    "forbidden by the user file",
};

typedef struct pair {
    size_t a, b;          /* candidates, A at least as frequent */
    uint32_t together;    /* articles holding both */
    double overlap;       /* of the source distributions */
    double context;       /* cosine of their contexts (-1: not measured) */
    verdict_t v;
} pair_t;

/* Clitic forms of the word W: "وW", "Wه" and the like, whose own word
 * exists more often, are not candidates (their base is): a name takes few
 * pronoun suffixes, and comparing تحويله with تحوله compares تحويل with
 * تحول. */
static int is_clitic_form(const vocab_t *v, const char *w, uint32_t df)
{
    static const char *const pfx[] = { "و", "ف", "ب", "ل", "ك", "س" };
    static const char *const sfx[] = { "ا", "وا", "ون", "ين", "ه", "ها", "هم", "هما", "نا", "ي",
                                       "ك", "كم", "يه" };
    for (size_t i = 0; i < sizeof pfx / sizeof *pfx; i++) {
        size_t n = strlen(pfx[i]);
        if (strncmp(w, pfx[i], n) == 0 && vocab_df(v, w + n) >= df)
            return 1;
    }
    size_t len = strlen(w);
    for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
        size_t n = strlen(sfx[i]);
        if (len <= n + 4 || strcmp(w + len - n, sfx[i]) != 0)
            continue;
        buf_t b = BUF_INIT;
        buf_append(&b, w, len - n);
        int base = vocab_df(v, buf_cstr(&b)) >= df;
        /* ة becomes ت before a suffix: مشكلتنا is مشكلة (folded مشكله) */
        if (!base && b.len >= 2 && memcmp(b.data + b.len - 2, "ت", 2) == 0) {
            b.len -= 2;
            buf_puts(&b, "ه");
            base = vocab_df(v, b.data) >= df;
        }
        buf_free(&b);
        if (base)
            return 1;
    }
    return 0;
}

/* W starts with the article, alone or after a clitic (الـ, والـ, للـ…). */
static int has_article(const char *w)
{
    static const char *const pfx[] = { "ال", "وال", "بال", "فال", "كال",
                                       "لل" };
    for (size_t i = 0; i < sizeof pfx / sizeof *pfx; i++)
        if (strncmp(w, pfx[i], strlen(pfx[i])) == 0)
            return 1;
    return 0;
}

static double article_share(const vocab_t *v, const char *w, uint32_t df)
{
    static const char *const pfx[] = { "ال", "وال", "بال", "فال", "كال" };
    uint32_t with = 0;
    for (size_t i = 0; i < sizeof pfx / sizeof *pfx; i++)
        with += df_with(v, pfx[i], w);
    /* لل + W (ل then ال, the alef elided) */
    with += df_with(v, "لل", w);
    return (double)with / (double)(with + df);
}

static int collect_source(void *ctx, const char *term, size_t len,
                          uint32_t freq)
{
    (void)freq;
    miner_t *m = ctx;
    if (m->n_sources >= UINT16_MAX - 1)
        return 1;
    uint32_t *ids = NULL;
    size_t n = 0;
    char *t = xstrndup(term, len);
    nx_status_t s = nx_db_postlist(m->db, t, &ids, &n);
    free(t);
    if (s != NX_OK)
        return 1;
    m->n_sources++;
    for (size_t i = 0; i < n; i++) {
        if (ids[i] >= m->n_src_docs) {
            size_t nn = (size_t)ids[i] * 2 + 1;
            m->src = xrealloc(m->src, nn * sizeof *m->src);
            memset(m->src + m->n_src_docs, 0,
                   (nn - m->n_src_docs) * sizeof *m->src);
            m->n_src_docs = nn;
        }
        m->src[ids[i]] = (uint16_t)m->n_sources;
    }
    free(ids);
    return 0;
}

static int cmp_cand(const void *x, const void *y)
{
    const cand_t *a = x, *b = y;
    int c = strcmp(a->skel, b->skel);
    if (c)
        return c;
    if (a->df != b->df)
        return a->df > b->df ? -1 : 1;
    return strcmp(a->word, b->word);
}

static nx_status_t load_post(miner_t *m, cand_t *c)
{
    if (c->post || c->n_post)
        return NX_OK;
    return nx_db_postlist(m->db, c->word, &c->post, &c->n_post);
}

static uint32_t intersect(const uint32_t *a, size_t na, const uint32_t *b,
                          size_t nb)
{
    size_t i = 0, j = 0;
    uint32_t n = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else
            n++, i++, j++;
    }
    return n;
}

/* Overlap of the source distributions of A's and B's articles (1: the
 * same outlets in the same proportions, 0: none in common). Articles
 * without a source count as one more outlet. */
static double source_overlap(const miner_t *m, const cand_t *a,
                             const cand_t *b)
{
    size_t ns = m->n_sources + 1;
    double *pa = xcalloc(ns, sizeof *pa), *pb = xcalloc(ns, sizeof *pb);
    for (size_t i = 0; i < a->n_post; i++)
        pa[a->post[i] < m->n_src_docs ? m->src[a->post[i]] : 0] += 1.0 / (double)a->n_post;
    for (size_t i = 0; i < b->n_post; i++)
        pb[b->post[i] < m->n_src_docs ? m->src[b->post[i]] : 0] += 1.0 / (double)b->n_post;
    double o = 0;
    for (size_t s = 0; s < ns; s++)
        o += pa[s] < pb[s] ? pa[s] : pb[s];
    free(pa);
    free(pb);
    return o;
}

static size_t to_cps(const char *w, uint32_t *cp)
{
    size_t len = strlen(w), i = 0, n = 0;
    while (i < len && n < MAX_CP) {
        size_t k = utf8_decode((const unsigned char *)w + i, len - i, &cp[n]);
        if (!k)
            break;
        i += k;
        n++;
    }
    return n;
}

static int long_vowel(uint32_t c)
{
    return c == 0x0627 || c == 0x0648 || c == 0x064A || c == 0x0649;
}

/* The letters written for g in names (غ ج ق); not ك, which is k
 * (ركبت/رغبت, ابكي/ابغي are other words). */
static int g_letter(uint32_t c)
{
    return c == 0x063A || c == 0x062C || c == 0x0642;
}

/*
 * W (DF articles) is a verb in the imperfect: it starts with ي ت ن or ا,
 * and the same word with another of these is in the index, twice or
 * more, as often as W in all (نقتل: يقتل, تقتل; ارقب: يرقب, ترقب). A
 * name has no such forms (ترمب, نتنياهو).
 */
static int imperfect_verb(const vocab_t *v, const char *w, uint32_t df)
{
    static const char *const pfx[] = { "ي", "ت", "ن", "ا" };
    size_t k = 0;
    while (k < 4 && strncmp(w, pfx[k], strlen(pfx[k])) != 0)
        k++;
    if (k == 4)
        return 0;
    const char *rest = w + strlen(pfx[k]);
    uint32_t sum = 0;
    int forms = 0;
    for (size_t i = 0; i < 4; i++) {
        if (i == k)
            continue;
        uint32_t f = df_with(v, pfx[i], rest);
        sum += f;
        forms += f > 0;
    }
    return forms >= 2 && sum >= df;
}

/* A first letter read as j: ج, or ي for an Italian or German j
 * (يوفنتوس, جوفنتوس). */
static int initial_j(uint32_t a, uint32_t b)
{
    return (a == 0x062C && b == 0x064A) || (a == 0x064A && b == 0x062C);
}

/*
 * How many respelling steps turn A into B: long vowels written in one of
 * them only (not the first or last letter, where they are grammar: كبيرا,
 * كبروا; and all in the same word, since a vowel for another is grammar
 * too: يسيطرون/يسيطران), one letter for g for another. Any other
 * difference: a large number.
 */
static unsigned respellings(const char *a, const char *b)
{
    enum { FAR = 1000 };
    uint32_t x[MAX_CP], y[MAX_CP];
    size_t n = to_cps(a, x), m = to_cps(b, y);
    /* vowels may be dropped from the longer word only */
    if (n < m) {
        const char *t = a;
        a = b;
        b = t;
        n = to_cps(a, x);
        m = to_cps(b, y);
    }
    static unsigned d[MAX_CP + 1][MAX_CP + 1];
    for (size_t i = 0; i <= n; i++)
        for (size_t j = 0; j <= m; j++) {
            unsigned best = i == 0 && j == 0 ? 0 : FAR;
            if (i && j && (x[i - 1] == y[j - 1] ||
                           (g_letter(x[i - 1]) && g_letter(y[j - 1])) ||
                           (i == 1 && j == 1 && initial_j(x[0], y[0]))))
                best = d[i - 1][j - 1] + (x[i - 1] != y[j - 1]);
            if (i > 1 && i < n && long_vowel(x[i - 1]) &&
                d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            d[i][j] = best < FAR ? best : FAR;
        }
    return d[n][m];
}

/* Contexts are bags of words hashed into CTX_BUCKETS, each bucket
 * weighted by the idf of its words (the least, when several share it),
 * computed once from the vocabulary: reading a context then costs a hash
 * per word read, no lookup. */
#define CTX_BUCKETS (1u << 20)

static uint32_t ctx_bucket(const char *term, size_t len)
{
    return (uint32_t)(hash64(term, len) & (CTX_BUCKETS - 1));
}

/* Words in more than 1 article in 20 are no context: idf 0. */
static float *ctx_idf_table(const vocab_t *v, uint32_t n_docs)
{
    float *idf = xmalloc(CTX_BUCKETS * sizeof *idf);
    for (size_t i = 0; i < CTX_BUCKETS; i++)
        idf[i] = -1;
    double total = (double)n_docs + 1;
    for (size_t i = 0; i < v->n; i++) {
        const char *w = vocab_word(v, i);
        double x = log(total / (double)(v->df[i] + 1)) - log(20.0);
        uint32_t b = ctx_bucket(w, strlen(w));
        float f = x > 0 ? (float)x : 0;
        if (v->df[i] < VARIANT_CTX_MIN_DF)
            f = 0; /* a word of one or two articles: noise */
        if (idf[b] < 0 || f < idf[b])
            idf[b] = f;
    }
    for (size_t i = 0; i < CTX_BUCKETS; i++)
        if (idf[i] < 0)
            idf[i] = 0;
    return idf;
}

typedef struct ctx_acc {
    const float *idf;     /* per bucket */
    const char *skip_a, *skip_b;
    size_t len_a, len_b;
    float *w;             /* per bucket */
    uint32_t *touched;
    size_t n_touched;
} ctx_acc_t;

static int ctx_term(void *vctx, const char *term, size_t len)
{
    ctx_acc_t *c = vctx;
    if (!len || ((unsigned char)term[0] != 0xd8 && (unsigned char)term[0] != 0xd9))
        return 0;
    uint32_t i = ctx_bucket(term, len);
    float idf = c->idf[i];
    if (idf <= 0 || memmem(term, len, c->skip_a, c->len_a) ||
        memmem(term, len, c->skip_b, c->len_b))
        return 0; /* the pair's own words (and clitic forms) say nothing */
    if (c->w[i] == 0)
        c->touched[c->n_touched++] = i;
    c->w[i] += idf;
    return 0;
}

/* The context of C (the other spelling of the pair: OTHER), from at most
 * CTX_DOCS of its articles spread over the posting list. W and TOUCHED:
 * scratch of CTX_BUCKETS entries (W all zero, left so). */
static nx_status_t load_context(miner_t *m, cand_t *c, const char *other,
                                float *w, uint32_t *touched)
{
    if (c->ctx.loaded)
        return NX_OK;
    ctx_acc_t acc = { m->ctx_idf, c->word, other, strlen(c->word),
                      strlen(other), w, touched, 0 };
    size_t step = (c->n_post + CTX_DOCS - 1) / CTX_DOCS;
    nx_status_t s = NX_OK;
    for (size_t i = 0; i < c->n_post && s == NX_OK; i += step)
        s = nx_db_termlist(m->db, c->post[i], ctx_term, &acc);
    context_t *x = &c->ctx;
    x->idx = xmalloc((acc.n_touched + 1) * sizeof *x->idx);
    x->w = xmalloc((acc.n_touched + 1) * sizeof *x->w);
    double norm = 0;
    for (size_t k = 0; k < acc.n_touched; k++) {
        uint32_t i = touched[k];
        x->idx[x->n] = i;
        x->w[x->n++] = w[i];
        norm += (double)w[i] * w[i];
        w[i] = 0;
    }
    x->norm = sqrt(norm);
    x->loaded = 1;
    return s;
}

/* The cosine of two contexts, through the zeroed scratch W (left so). */
static double context_cosine(const context_t *a, const context_t *b, float *w)
{
    double dot = 0;
    for (size_t i = 0; i < a->n; i++)
        w[a->idx[i]] = a->w[i];
    for (size_t j = 0; j < b->n; j++)
        dot += (double)w[b->idx[j]] * b->w[j];
    for (size_t i = 0; i < a->n; i++)
        w[a->idx[i]] = 0;
    return a->norm > 0 && b->norm > 0 ? dot / (a->norm * b->norm) : 0;
}

/* The verdict on the pair P: the rules that need no reading first (the
 * spelling, the article), then the articles and outlets of each (their
 * posting lists), last the contexts (their articles' words). */
static nx_status_t judge(miner_t *m, pair_t *p)
{
    cand_t *a = &m->c[p->a], *b = &m->c[p->b];
    p->context = -1;
    if (respellings(a->word, b->word) > 2) {
        p->v = V_SPELLING;
        return NX_OK;
    }
    if (a->verb || b->verb) {
        p->v = V_PATTERN;
        return NX_OK;
    }
    if (a->article > VARIANT_MAX_ARTICLE || b->article > VARIANT_MAX_ARTICLE) {
        p->v = V_ARTICLE;
        return NX_OK;
    }
    nx_status_t s = load_post(m, a);
    if (s == NX_OK)
        s = load_post(m, b);
    if (s != NX_OK)
        return s;
    p->together = intersect(a->post, a->n_post, b->post, b->n_post);
    p->overlap = source_overlap(m, a, b);
    uint32_t rarer = a->n_post < b->n_post ? (uint32_t)a->n_post : (uint32_t)b->n_post;
    if ((double)p->together > 1 + VARIANT_MAX_TOGETHER * (double)rarer)
        p->v = V_TOGETHER;
    else if (p->overlap > VARIANT_MAX_OVERLAP)
        p->v = V_OUTLETS;
    else
        p->v = V_JOIN;
    if (p->v != V_JOIN)
        return NX_OK;
    if (!m->ctx_w) {
        m->ctx_idf = ctx_idf_table(&m->vocab, m->n_docs);
        m->ctx_w = xcalloc(CTX_BUCKETS, sizeof *m->ctx_w);
        m->ctx_touched = xmalloc(CTX_BUCKETS * sizeof *m->ctx_touched);
    }
    nx_status_t s2 = load_context(m, a, b->word, m->ctx_w, m->ctx_touched);
    if (s2 == NX_OK)
        s2 = load_context(m, b, a->word, m->ctx_w, m->ctx_touched);
    if (s2 != NX_OK)
        return s2;
    p->context = context_cosine(&a->ctx, &b->ctx, m->ctx_w);
    /* a house style (outlets apart) needs less of the context */
    if (p->context < VARIANT_MIN_CONTEXT &&
        (p->context < VARIANT_MIN_CONTEXT_STYLE ||
         p->overlap > VARIANT_STYLE_OVERLAP))
        p->v = V_CONTEXT;
    return NX_OK;
}

/* ------------------------------------------------------------ user file */

typedef struct user_pair {
    char *a, *b;
    int forbid;
} user_pair_t;

typedef struct user_pairs {
    user_pair_t *v;
    size_t n, cap;
} user_pairs_t;

static void user_pairs_free(user_pairs_t *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->v[i].a);
        free(u->v[i].b);
    }
    free(u->v);
    memset(u, 0, sizeof *u);
}

static char *fold_word(const char *w, size_t len)
{
    buf_t b = BUF_INIT;
    norm_fold(w, len, 0, &b);
    return b.data ? b.data : xstrdup("");
}

/* The user file PATH (malloc'd, *LEN bytes), or NULL after printing why
 * it cannot be read. */
static char *user_file_read(const char *path, size_t *len)
{
    char *data = NULL;
    int e = read_file(path, 1 << 24, &data, len, NULL);
    if (e)
        warn_path(path, "cannot read the variants file: %s", strerror(e));
    return e ? NULL : data;
}

/* Read PATH into U. Returns the number of problems, each printed naming
 * the file (and line): an unreadable file, or a line that is skipped. */
static int user_read(const char *path, user_pairs_t *u)
{
    size_t len = 0;
    char *data = user_file_read(path, &len);
    if (!data)
        return 1;
    int rc = 0;
    unsigned line = 0;
    for (char *p = data, *end = data + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        line++;
        *eol = '\0';
        char *s = p;
        p = eol + 1;
        while (*s == ' ' || *s == '\t' || *s == '\r')
            s++;
        if (!*s || *s == '#')
            continue;
        int forbid = *s == '!';
        s += forbid;
        char *words[64];
        size_t n = 0;
        for (char *tok = strtok(s, " \t\r"); tok && n < 64;
             tok = strtok(NULL, " \t\r"))
            words[n++] = fold_word(tok, strlen(tok));
        int bad = n < 2 || (forbid && n != 2);
        for (size_t i = 0; i < n; i++)
            bad |= !words[i][0];
        if (bad) {
            warn_path(path, "line %u: expected two or more words to join, or "
                      "'!' and two words never to join (line skipped)", line);
            rc++;
        }
        for (size_t i = 1; i < n && !bad; i++)
            for (size_t j = 0; j < (forbid ? 1 : i); j++) {
                if (u->n == u->cap) {
                    u->cap = u->cap ? u->cap * 2 : 16;
                    u->v = xrealloc(u->v, u->cap * sizeof *u->v);
                }
                u->v[u->n++] = (user_pair_t){ xstrdup(words[j]),
                                              xstrdup(words[i]), forbid };
            }
        for (size_t i = 0; i < n; i++)
            free(words[i]);
    }
    free(data);
    return rc;
}

/* The user's word about A and B: 1 join, -1 forbid, 0 none (a forbid
 * wins). */
static int user_says(const user_pairs_t *u, const char *a, const char *b)
{
    int r = 0;
    for (size_t i = 0; i < u->n; i++)
        if ((strcmp(u->v[i].a, a) == 0 && strcmp(u->v[i].b, b) == 0) ||
            (strcmp(u->v[i].a, b) == 0 && strcmp(u->v[i].b, a) == 0)) {
            if (u->v[i].forbid)
                return -1;
            r = 1;
        }
    return r;
}

/* --------------------------------------------------------------- mining */

typedef struct mined {
    miner_t m;
    pair_t *p;
    size_t n, cap;
    user_pairs_t user;
    /* pairs of the user file with words outside the candidates */
    char **extra_a, **extra_b;
    size_t n_extra;
} mined_t;

static void add_pair(mined_t *r, pair_t p)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 256;
        r->p = xrealloc(r->p, r->cap * sizeof *r->p);
    }
    r->p[r->n++] = p;
}

static void mined_free(mined_t *r)
{
    miner_t *m = &r->m;
    for (size_t i = 0; i < m->n; i++) {
        free(m->c[i].skel);
        free(m->c[i].post);
        free(m->c[i].ctx.idx);
        free(m->c[i].ctx.w);
    }
    free(m->c);
    free(m->src);
    free(m->ctx_idf);
    free(m->ctx_w);
    free(m->ctx_touched);
    vocab_free(&m->vocab);
    free(r->p);
    user_pairs_free(&r->user);
    for (size_t i = 0; i < r->n_extra; i++) {
        free(r->extra_a[i]);
        free(r->extra_b[i]);
    }
    free(r->extra_a);
    free(r->extra_b);
    memset(r, 0, sizeof *r);
}

/* Mine DB into R (pairs of every verdict). Returns the number of problems
 * of the user file (printed; the rest is used), or -1 after printing why
 * the index could not be read. */
static int mine(nx_db_t *db, const char *user_file, mined_t *r)
{
    memset(r, 0, sizeof *r);
    miner_t *m = &r->m;
    m->db = db;
    int problems = user_file ? user_read(user_file, &r->user) : 0;
    /* Arabic letters are U+0621..U+064A: UTF-8 lead bytes D8 and D9. */
    nx_status_t s = nx_db_doccount(db, &m->n_docs);
    if (s == NX_OK)
        s = nx_db_allterms(db, "\xd8", vocab_add, &m->vocab);
    if (s == NX_OK)
        s = nx_db_allterms(db, "\xd9", vocab_add, &m->vocab);
    if (s == NX_OK)
        s = nx_db_allterms(db, PFX_SOURCE, collect_source, m);
    if (s != NX_OK)
        goto fail;
    vocab_index(&m->vocab);
    buf_t sk = BUF_INIT;
    for (size_t i = 0; i < m->vocab.n; i++) {
        const char *w = vocab_word(&m->vocab, i);
        size_t letters;
        all_letters(w, strlen(w), &letters);
        if (m->vocab.df[i] < VARIANT_MIN_DF || letters < 4 ||
            has_article(w) ||
            is_clitic_form(&m->vocab, w, m->vocab.df[i]) ||
            skeleton(w, &sk) < 3)
            continue;
        if (m->n == m->cap) {
            m->cap = m->cap ? m->cap * 2 : 1024;
            m->c = xrealloc(m->c, m->cap * sizeof *m->c);
        }
        m->c[m->n++] = (cand_t){
            .word = w, .skel = xstrdup(sk.data), .df = m->vocab.df[i],
            .article = article_share(&m->vocab, w, m->vocab.df[i]),
            .verb = imperfect_verb(&m->vocab, w, m->vocab.df[i]) };
    }
    buf_free(&sk);
    if (m->n) /* qsort wants an array, even of none */
        qsort(m->c, m->n, sizeof *m->c, cmp_cand);
    for (size_t g = 0; g < m->n;) {
        size_t e = g + 1;
        while (e < m->n && strcmp(m->c[e].skel, m->c[g].skel) == 0)
            e++;
        size_t end = e - g > GROUP_MAX ? g + GROUP_MAX : e;
        for (size_t i = g; i < end; i++)
            for (size_t j = i + 1; j < end; j++) {
                pair_t p = { .a = i, .b = j };
                if ((s = judge(m, &p)) != NX_OK)
                    goto fail;
                int u = user_says(&r->user, m->c[i].word, m->c[j].word);
                if (u)
                    p.v = u > 0 ? V_USER_JOIN : V_USER_FORBID;
                add_pair(r, p);
            }
        /* postings are needed for this group only */
        for (size_t i = g; i < e; i++) {
            free(m->c[i].post);
            m->c[i].post = NULL;
            m->c[i].n_post = 0;
        }
        g = e;
    }
    /* User pairs of words the miner never compared. */
    for (size_t i = 0; i < r->user.n; i++) {
        const user_pair_t *up = &r->user.v[i];
        if (up->forbid)
            continue;
        int found = 0;
        for (size_t k = 0; k < r->n && !found; k++) {
            const char *a = m->c[r->p[k].a].word, *b = m->c[r->p[k].b].word;
            found = (strcmp(a, up->a) == 0 && strcmp(b, up->b) == 0) ||
                    (strcmp(a, up->b) == 0 && strcmp(b, up->a) == 0);
        }
        if (found)
            continue;
        r->extra_a = xrealloc(r->extra_a, (r->n_extra + 1) * sizeof(char *));
        r->extra_b = xrealloc(r->extra_b, (r->n_extra + 1) * sizeof(char *));
        r->extra_a[r->n_extra] = xstrdup(up->a);
        r->extra_b[r->n_extra++] = xstrdup(up->b);
    }
    return problems;
fail:
    warnx_("cannot mine spelling variants: %s", nx_db_errmsg(db));
    return -1;
}

static int joined(verdict_t v)
{
    return v == V_JOIN || v == V_USER_JOIN;
}

/* Store the joined pairs of R (both ways) in WRITER. */
static nx_status_t store(const mined_t *r, nx_db_t *writer, size_t *n_pairs)
{
    nx_status_t s = nx_db_clear_synonyms(writer);
    size_t n = 0;
    for (size_t k = 0; k < r->n && s == NX_OK; k++) {
        if (!joined(r->p[k].v))
            continue;
        const char *a = r->m.c[r->p[k].a].word, *b = r->m.c[r->p[k].b].word;
        s = nx_db_add_synonym(writer, a, b);
        if (s == NX_OK)
            s = nx_db_add_synonym(writer, b, a);
        n++;
    }
    for (size_t k = 0; k < r->n_extra && s == NX_OK; k++) {
        s = nx_db_add_synonym(writer, r->extra_a[k], r->extra_b[k]);
        if (s == NX_OK)
            s = nx_db_add_synonym(writer, r->extra_b[k], r->extra_a[k]);
        n++;
    }
    if (n_pairs)
        *n_pairs = n;
    return s;
}

int variants_store(nx_db_t *reader, nx_db_t *writer, const char *user_file,
                   size_t *n_pairs)
{
    mined_t r;
    int problems = mine(reader, user_file, &r);
    if (problems < 0) {
        mined_free(&r);
        return -1;
    }
    nx_status_t s = store(&r, writer, n_pairs);
    mined_free(&r);
    if (s != NX_OK) {
        warnx_("cannot store spelling variants: %s", nx_db_errmsg(writer));
        return -1;
    }
    return problems;
}

/* The state of META_VARIANTS: "DOCS PENDING USER": the documents the
 * index held when last mined, the articles written or removed since, the
 * hash of the user file then (0: none). */
typedef struct mine_state {
    unsigned long long docs, pending, user;
    int known;
} mine_state_t;

static mine_state_t state_parse(const char *text)
{
    mine_state_t st = { 0 };
    st.known = text && sscanf(text, "%llu %llu %llx", &st.docs, &st.pending,
                              &st.user) == 3;
    return st;
}

/* The hash of the user file (0: none); -1 after printing why it cannot be
 * read (a problem of the build, as a bad line is). */
static int user_hash(const char *path, unsigned long long *h)
{
    *h = 0;
    if (!path)
        return 0;
    size_t len = 0;
    char *data = user_file_read(path, &len);
    if (!data)
        return -1;
    *h = hash64(data, len) | 1;
    free(data);
    return 0;
}

/* Mine again? Never mined, another user file, or what was written or
 * removed since reaches VARIANT_REMINE_SHARE of the index. */
static int needs_mining(const mine_state_t *st, unsigned long long user,
                        unsigned long long docs, size_t changed)
{
    if (!st->known || st->user != user)
        return 1;
    unsigned long long pending = st->pending + changed;
    if (!pending)
        return 0;
    double base = (double)(docs > st->docs ? docs : st->docs);
    return (double)pending >= VARIANT_REMINE_SHARE * base;
}

int variants_after_build(const char *db, const char *user_file,
                         size_t changed, int force, int *mined)
{
    if (mined)
        *mined = 0;
    int n = layout_read(db);
    if (n <= 0)
        return n < 0 ? -1 : 0;
    unsigned long long uh = 0;
    int problems = user_hash(user_file, &uh) < 0;
    buf_t first = BUF_INIT;
    layout_shard_path(&first, db, (size_t)n, 0);
    nx_db_t *reader = NULL, *writer = NULL;
    char *err = NULL, *text = NULL;
    uint32_t docs = 0;
    int rc = -1;
    nx_status_t s = nx_db_open(db, NX_READ, &reader, &err);
    if (s == NX_OK)
        s = nx_db_get_metadata(reader, META_VARIANTS, &text);
    if (s == NX_OK)
        s = nx_db_doccount(reader, &docs);
    if (s != NX_OK) {
        warn_path(db, "cannot read the index to mine spelling variants: %s",
                  err ? err : nx_db_strerror(reader, s));
        goto out;
    }
    mine_state_t st = state_parse(text);
    int mine_now = force || (!problems && needs_mining(&st, uh, docs, changed));
    if (!mine_now && !changed) { /* nothing to write: a no-change build */
        rc = problems;
        goto out;
    }
    s = nx_db_open(first.data, NX_WRITE_CREATE, &writer, &err);
    if (s != NX_OK) {
        warn_path(db, "cannot open the index to store spelling variants: %s",
                  err ? err : nx_status_to_string(s));
        goto out;
    }
    buf_t v = BUF_INIT;
    if (mine_now) {
        rc = variants_store(reader, writer, user_file, NULL);
        buf_printf(&v, "%lu 0 %llx", (unsigned long)docs, uh);
    } else { /* count this build's changes towards the next mining */
        rc = problems;
        buf_printf(&v, "%llu %llu %llx", st.docs, st.pending + changed,
                   st.user);
    }
    if (rc >= 0 && ((s = nx_db_set_metadata(writer, META_VARIANTS, v.data))
                        != NX_OK ||
                    (s = nx_db_commit(writer)) != NX_OK)) {
        rc = -1;
        warn_path(db, "cannot store spelling variants: %s",
                  nx_db_strerror(writer, s));
    }
    buf_free(&v);
    if (rc < 0)
        nx_db_cancel(writer);
    else if (mined)
        *mined = mine_now;
out:
    nx_db_free(writer);
    nx_db_free(reader);
    free(text);
    free(err);
    buf_free(&first);
    return rc;
}

/* -------------------------------------------------------------- listing */

static void print_pair(FILE *out, const mined_t *r, const pair_t *p)
{
    const cand_t *a = &r->m.c[p->a], *b = &r->m.c[p->b];
    fprintf(out, "  %s %u · %s %u: %s (with ال %.0f%%/%.0f%%, together in "
            "%u, outlets overlap %.2f, context %.2f)\n", a->word, a->df,
            b->word, b->df, verdict_names[p->v], 100 * a->article,
            100 * b->article, p->together, p->overlap, p->context);
}

/* Union-find over candidates, for clusters. */
static size_t root_of(size_t *up, size_t i)
{
    while (up[i] != i)
        i = up[i] = up[up[i]];
    return i;
}

int variants_list(nx_db_t *reader, const char *user_file, const char *word,
                  int all, FILE *out)
{
    mined_t r;
    if (mine(reader, user_file, &r) < 0) {
        mined_free(&r);
        return -1;
    }
    char *w = word ? fold_word(word, strlen(word)) : NULL;
    size_t nc = r.m.n;
    size_t *up = xmalloc((nc + 1) * sizeof *up);
    for (size_t i = 0; i < nc; i++)
        up[i] = i;
    for (size_t k = 0; k < r.n; k++)
        if (joined(r.p[k].v))
            up[root_of(up, r.p[k].a)] = root_of(up, r.p[k].b);
    /* Clusters, most frequent first (candidates are sorted by skeleton then
     * frequency: the first member met of each cluster leads it). A pair
     * joins two spellings of one skeleton: the pairs of a group of
     * candidates are one run of R.P, and its clusters are within it. */
    int shown = 0;
    unsigned char *done = xcalloc(nc + 1, 1);
    for (size_t k0 = 0; k0 < r.n;) {
        size_t k1 = k0 + 1;
        while (k1 < r.n && strcmp(r.m.c[r.p[k1].a].skel,
                                  r.m.c[r.p[k0].a].skel) == 0)
            k1++;
        size_t lo = r.p[k0].a, hi = lo;
        for (size_t k = k0; k < k1; k++)
            hi = r.p[k].b > hi ? r.p[k].b : hi;
        for (size_t i = lo; i <= hi; i++) {
            size_t root = root_of(up, i);
            if (done[root])
                continue;
            int has_pair = 0, has_word = !w;
            for (size_t k = k0; k < k1; k++) {
                const pair_t *p = &r.p[k];
                if (root_of(up, p->a) != root)
                    continue;
                if (joined(p->v) || (all && root_of(up, p->b) != root))
                    has_pair = 1;
                if (w && (strcmp(r.m.c[p->a].word, w) == 0 ||
                          strcmp(r.m.c[p->b].word, w) == 0))
                    has_word = 1;
            }
            if (!has_pair || !has_word)
                continue;
            done[root] = 1;
            int first = 1;
            for (size_t j = i; j <= hi; j++)
                if (root_of(up, j) == root) {
                    fprintf(out, "%s%s %u", first ? "" : " · ",
                            r.m.c[j].word, r.m.c[j].df);
                    first = 0;
                }
            fputc('\n', out);
            for (size_t k = k0; k < k1; k++)
                if (root_of(up, r.p[k].a) == root &&
                    (joined(r.p[k].v) || all))
                    print_pair(out, &r, &r.p[k]);
            shown++;
        }
        k0 = k1;
    }
    for (size_t k = 0; k < r.n_extra; k++)
        if (!w || strcmp(w, r.extra_a[k]) == 0 || strcmp(w, r.extra_b[k]) == 0) {
            fprintf(out, "%s · %s\n  joined by the user file\n", r.extra_a[k],
                    r.extra_b[k]);
            shown++;
        }
    free(done);
    free(up);
    free(w);
    mined_free(&r);
    return shown ? 0 : 1;
}
