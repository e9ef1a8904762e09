/*
 * suggest.h: "did you mean": for a query that found nothing, the closest
 * spelling of each unknown word among the index's own words.
 */
#ifndef NX_SUGGEST_H
#define NX_SUGGEST_H

#include "nx.h"
#include "query.h"

/*
 * For each word of Q that no document holds (neither its surface form nor
 * a stem), find the indexed word at the smallest edit distance (at most 1
 * for words of up to 4 letters, else 2), the most frequent on ties. Returns
 * the query's words with those replaced, space separated (malloc'd), or
 * NULL when there is nothing to suggest.
 */
char *suggest_spelling(nx_db_t *db, const query_t *q);

#endif
