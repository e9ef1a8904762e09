/*
 * order.c: see order.h.
 */
#include "order.h"

#include <string.h>

void parents_first(shown_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!v[i].parent)
            continue;
        for (size_t j = i + 1; j < n; j++) {
            if (v[j].id && strcmp(v[j].id, v[i].parent) == 0) {
                shown_t p = v[j];
                memmove(v + i + 1, v + i, (j - i) * sizeof *v);
                v[i] = p;
                break;
            }
        }
    }
}
