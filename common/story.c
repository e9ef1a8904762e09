/*
 * story.c: MinHash sketches of word 3-shingles (story.h).
 */
#include "story.h"

#include <string.h>

#include "dates.h"
#include "util.h"

/* splitmix64's finalizer: spreads a hash over all 64 bits. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* The K-th hash function: multiply-add by fixed odd constants (from the
 * splitmix64 sequence, set by story_begin), then mixed, so every build
 * ranks shingles alike. */
static uint64_t hash_k(const story_sketch_t *s, uint64_t h, unsigned k)
{
    return mix64(h * s->mul[k] + s->add[k]);
}

void story_begin(story_sketch_t *s)
{
    memset(s, 0, sizeof *s);
    for (unsigned k = 0; k < STORY_HASHES; k++) {
        s->min[k] = UINT64_MAX;
        s->mul[k] = mix64(2 * (uint64_t)k + 1) | 1;
        s->add[k] = mix64(2 * (uint64_t)k + 2);
    }
}

void story_add_word(story_sketch_t *s, const char *w, size_t len)
{
    uint64_t hw = hash64(w, len);
    if (s->n_words >= 2) {
        /* order matters: "a b c" and "c b a" are different shingles */
        uint64_t h = mix64(s->last[0] ^ mix64(s->last[1] ^ mix64(hw)));
        for (unsigned k = 0; k < STORY_HASHES; k++) {
            uint64_t v = hash_k(s, h, k);
            /* the low 16 bits name the shingle (what is stored); the rest
             * of V orders the shingles for this hash function */
            v = (v & ~(uint64_t)0xffff) | (h & 0xffff);
            if (v < s->min[k])
                s->min[k] = v;
        }
        s->n_shingles++;
    }
    s->last[0] = s->last[1];
    s->last[1] = hw;
    s->n_words++;
}

size_t story_finish(const story_sketch_t *s, const char *date,
                    unsigned char out[STORY_SIG_BYTES])
{
    if (s->n_shingles < STORY_MIN_SHINGLES)
        return 0;
    long day = date_days(date);
    if (day < 1 || day > 0xffff)
        day = 0; /* unknown (or before 1970, after 2149) */
    out[0] = (unsigned char)(day >> 8);
    out[1] = (unsigned char)day;
    for (unsigned k = 0; k < STORY_HASHES; k++) {
        out[2 + 2 * k] = (unsigned char)(s->min[k] >> 8);
        out[3 + 2 * k] = (unsigned char)s->min[k];
    }
    return STORY_SIG_BYTES;
}

int story_agree(const void *a, size_t alen, const void *b, size_t blen)
{
    if (alen != STORY_SIG_BYTES || blen != STORY_SIG_BYTES)
        return -1;
    const unsigned char *x = a, *y = b;
    int n = 0;
    for (unsigned k = 2; k < STORY_SIG_BYTES; k += 2)
        n += x[k] == y[k] && x[k + 1] == y[k + 1];
    return n;
}

long story_days_apart(const void *a, size_t alen, const void *b,
                      size_t blen)
{
    if (alen != STORY_SIG_BYTES || blen != STORY_SIG_BYTES)
        return -1;
    const unsigned char *x = a, *y = b;
    long dx = x[0] << 8 | x[1], dy = y[0] << 8 | y[1];
    if (!dx || !dy)
        return -1;
    return dx > dy ? dx - dy : dy - dx;
}

int story_same(const void *a, size_t alen, const void *b, size_t blen)
{
    int agree = story_agree(a, alen, b, blen);
    if (agree >= STORY_SURE)
        return 1;
    long days = story_days_apart(a, alen, b, blen);
    return agree >= STORY_SAME && days <= STORY_DAYS;
}
