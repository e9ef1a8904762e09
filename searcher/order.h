/*
 * order.h: the order hits are shown in, on top of the ranking.
 */
#ifndef NX_ORDER_H
#define NX_ORDER_H

#include <stddef.h>

typedef struct shown {
    char *id, *parent;   /* document data (parent: a related article's) */
    size_t idx;          /* index in the hits */
} shown_t;

/*
 * A related article never comes before the article of the file it was
 * found in when both matched: move the parent up to the related one's
 * place (the rest keep their order).
 */
void parents_first(shown_t *v, size_t n);

#endif
