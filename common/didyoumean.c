/*
 * didyoumean.c: edit distance and the closest name (didyoumean.h).
 */
#include "didyoumean.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static int fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

size_t edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    /* Three rows suffice: a swap looks two rows back. */
    size_t *rows = xmalloc(3 * (nb + 1) * sizeof *rows);
    size_t *pp = rows, *p = rows + nb + 1, *c = rows + 2 * (nb + 1);
    for (size_t j = 0; j <= nb; j++)
        p[j] = j;
    for (size_t i = 1; i <= na; i++) {
        c[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            int same = fold((unsigned char)a[i - 1]) == fold((unsigned char)b[j - 1]);
            size_t d = p[j - 1] + !same;
            if (p[j] + 1 < d)
                d = p[j] + 1;
            if (c[j - 1] + 1 < d)
                d = c[j - 1] + 1;
            if (i > 1 && j > 1 &&
                fold((unsigned char)a[i - 1]) == fold((unsigned char)b[j - 2]) &&
                fold((unsigned char)a[i - 2]) == fold((unsigned char)b[j - 1]) &&
                pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            c[j] = d;
        }
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    size_t d = p[nb];
    free(rows);
    return d;
}

static int is_prefix(const char *pre, const char *s)
{
    for (; *pre; pre++, s++)
        if (fold((unsigned char)*pre) != fold((unsigned char)*s))
            return 0;
    return 1;
}

const char *closest_name(const char *typed, const char *const *names,
                         size_t n)
{
    size_t len = strlen(typed);
    if (len == 0)
        return NULL;
    const char *only = NULL;
    size_t n_prefix = 0;
    for (size_t i = 0; i < n && len >= 2; i++) {
        if (names[i] && is_prefix(typed, names[i])) {
            only = names[i];
            n_prefix++;
        }
    }
    if (n_prefix == 1)
        return only;
    size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        if (!names[i])
            continue;
        size_t d = edit_distance(typed, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best;
}
