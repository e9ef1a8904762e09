/*
 * snippet.h: the best passage of a document's ORIGINAL stored text, with
 * the byte ranges of the words that matched the query (through folding or
 * stemming too; stopwords never).
 */
#ifndef NX_SNIPPET_H
#define NX_SNIPPET_H

#include <stddef.h>

#include "analyzer.h"
#include "query.h"
#include "util.h"

#define SNIPPET_WORDS 32 /* words in a passage */

typedef struct snippet {
    buf_t text;            /* the passage, original bytes, "…" at cut ends */
    size_t (*marks)[2];    /* [start, end) byte ranges within TEXT */
    size_t n_marks;
} snippet_t;

/*
 * Cut the passage of TEXT (LEN bytes) holding the most distinct query words
 * (then the most matches) into S (reset first). Cuts fall on word
 * boundaries, so no UTF-8 sequence or grapheme cluster is ever split.
 */
void snippet_make(analyzer_t *an, const query_t *q, const char *text,
                  size_t len, snippet_t *s);
void snippet_free(snippet_t *s);

#endif
