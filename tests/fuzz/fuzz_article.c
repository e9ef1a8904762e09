/*
 * fuzz_article.c: article_parse on arbitrary bytes, then article_set_free;
 * and date_parse on the same bytes.
 *
 * Beyond "no crash, no leak, no undefined behaviour" (the sanitizers), it
 * checks what article.h promises: on ART_OK at least one article, numbered
 * 0, 1, 2… in order, with a non-empty trimmed one-line UTF-8 title, dates as
 * YYYY-MM-DD, non-empty one-line UTF-8 paragraphs, sources and keywords; on
 * any other status an empty set and a reason.
 */
#include <string.h>

#include "article.h"
#include "dates.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    article_set_t set;
    const char *reason = "unset";
    article_status_t st = article_parse((const char *)data, size, &set, &reason);
    if (st == ART_OK) {
        FUZZ_CHECK(set.n >= 1 && set.items != NULL, "ART_OK gives an article");
        FUZZ_CHECK(reason == NULL, "ART_OK gives no reason");
        for (size_t k = 0; k < set.n; k++) {
            const article_t *a = &set.items[k];
            FUZZ_CHECK(a->related == (int)k, "articles numbered 0, 1, 2...");
            fuzz_check_line(a->title, "title");
            if (a->date)
                fuzz_check_date(a->date);
            if (a->source)
                fuzz_check_line(a->source, "source");
            if (a->keywords)
                fuzz_check_line(a->keywords, "keywords");
            FUZZ_CHECK(a->n_paragraphs == 0 || a->paragraphs != NULL,
                       "paragraphs allocated");
            for (size_t i = 0; i < a->n_paragraphs; i++)
                fuzz_check_line(a->paragraphs[i], "paragraph");
        }
    } else {
        FUZZ_CHECK(st == ART_EMPTY || st == ART_BINARY || st == ART_NO_TITLE ||
                       st == ART_ENCODING,
                   "a known status");
        FUZZ_CHECK(set.n == 0 && set.items == NULL, "failure leaves the set empty");
        FUZZ_CHECK(reason != NULL && *reason, "failure gives a reason");
    }
    article_set_free(&set);
    FUZZ_CHECK(set.n == 0 && set.items == NULL, "a freed set is empty");

    /* The same bytes as a date (dates.h). */
    char out[11];
    if (date_parse((const char *)data, size, out))
        fuzz_check_date(out);
    return 0;
}
