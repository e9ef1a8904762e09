/*
 * suggest.c: spelling suggestions from the index vocabulary. Candidates are
 * the unprefixed (surface) terms sharing the word's first letter; the
 * distance is Levenshtein over code points, so one Arabic letter is one edit.
 */
#include "suggest.h"

#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "schema.h"
#include "util.h"

#define MAX_CHARS 64

static size_t to_cps(const char *s, size_t n, uint32_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < MAX_CHARS;) {
        i += utf8_decode((const unsigned char *)s + i, n - i, &out[k]);
        k++;
    }
    return k;
}

/* Levenshtein distance, giving up (returning LIMIT+1) beyond LIMIT. */
static size_t distance(const uint32_t *a, size_t na, const uint32_t *b,
                       size_t nb, size_t limit)
{
    if (na > nb + limit || nb > na + limit)
        return limit + 1;
    size_t row[MAX_CHARS + 1], prev[MAX_CHARS + 1];
    for (size_t j = 0; j <= nb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= na; i++) {
        row[0] = i;
        size_t best = row[0];
        for (size_t j = 1; j <= nb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (row[j] < best)
                best = row[j];
        }
        if (best > limit)
            return limit + 1;
        memcpy(prev, row, (nb + 1) * sizeof *row);
    }
    return prev[nb];
}

typedef struct search {
    uint32_t w[MAX_CHARS];
    size_t nw, limit, best_d;
    uint32_t best_freq;
    buf_t best;
} search_t;

static int consider(void *ctx, const char *term, size_t len, uint32_t freq)
{
    search_t *s = ctx;
    uint32_t t[MAX_CHARS];
    size_t nt = to_cps(term, len, t);
    size_t d = distance(s->w, s->nw, t, nt, s->limit);
    if (d == 0 || d > s->limit)
        return 0;
    if (d < s->best_d || (d == s->best_d && freq > s->best_freq)) {
        s->best_d = d;
        s->best_freq = freq;
        buf_reset(&s->best);
        buf_append(&s->best, term, len);
    }
    return 0;
}

static int known(nx_db_t *db, const char *prefix, const char *term)
{
    buf_t b = BUF_INIT;
    buf_puts(&b, prefix);
    buf_puts(&b, term);
    int exists = 0;
    nx_db_term_exists(db, b.data, &exists);
    buf_free(&b);
    return exists;
}

char *suggest_spelling(nx_db_t *db, const query_t *q)
{
    buf_t out = BUF_INIT;
    int changed = 0;
    for (size_t i = 0; i < q->n_surfaces; i++) {
        const char *w = q->surfaces[i];
        if (i)
            buf_putc(&out, ' ');
        if (known(db, "", w)) {
            buf_puts(&out, w);
            continue;
        }
        search_t s;
        memset(&s, 0, sizeof s);
        s.nw = to_cps(w, strlen(w), s.w);
        s.limit = s.nw <= 4 ? 1 : 2;
        s.best_d = s.limit + 1;
        /* candidates: words with the same first letter */
        char first[5] = { 0 };
        uint32_t cp;
        size_t fl = utf8_decode((const unsigned char *)w, strlen(w), &cp);
        memcpy(first, w, fl);
        nx_db_allterms(db, first, consider, &s);
        if (s.best.len) {
            buf_append(&out, s.best.data, s.best.len);
            changed = 1;
        } else {
            buf_puts(&out, w);
        }
        buf_free(&s.best);
    }
    if (!changed) {
        buf_free(&out);
        return NULL;
    }
    return out.data;
}
