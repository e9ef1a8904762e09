/*
 * fuzz_reader.h: the invariants of reader.h's articles, shared by the
 * reader targets (fuzz_jsonl, fuzz_feed).
 */
#ifndef NX_FUZZ_READER_H
#define NX_FUZZ_READER_H

#include "fuzz.h"
#include "reader.h"

static void fuzz_on_bad(void *ctx, const char *where, const char *why)
{
    (void)ctx;
    FUZZ_CHECK(where && *where && why && *why, "a bad record is named");
}

/* Every article a main one with a one-line title and id, valid fields. */
static inline void fuzz_check_set(const article_set_t *set)
{
    FUZZ_CHECK(set->n == 0 || set->items != NULL, "articles allocated");
    for (size_t k = 0; k < set->n; k++) {
        const article_t *a = &set->items[k];
        FUZZ_CHECK(a->related == 0, "readers give main articles");
        fuzz_check_line(a->title, "title");
        fuzz_check_line(a->id, "id");
        if (a->date)
            fuzz_check_date(a->date);
        if (a->source)
            fuzz_check_line(a->source, "source");
        if (a->keywords)
            fuzz_check_line(a->keywords, "keywords");
        for (size_t i = 0; i < a->n_paragraphs; i++)
            fuzz_check_line(a->paragraphs[i], "paragraph");
    }
}

#endif
