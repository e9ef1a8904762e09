/*
 * fuzz_feed.c: reader_feed (libxml2) and reader_html_text on arbitrary
 * bytes. Checks: articles as fuzz_reader.h says; a failed read leaves no
 * article and gives a reason; HTML gives non-empty one-line paragraphs.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    reader_opts_t o = {"f.rss", 0, 1, NULL, fuzz_on_bad, NULL};
    article_set_t set;
    reader_result_t res;
    const char *why = NULL;
    int r = reader_read(READ_FEED, d, size, &o, &set, &res, &why);
    if (r != 0)
        FUZZ_CHECK(set.n == 0 && why && *why, "a failed feed: a reason, "
                                              "no article");
    fuzz_check_set(&set);
    article_set_free(&set);

    article_t a;
    memset(&a, 0, sizeof a);
    reader_html_text(&a, d, size);
    for (size_t i = 0; i < a.n_paragraphs; i++) {
        fuzz_check_line(a.paragraphs[i], "HTML paragraph");
        free(a.paragraphs[i]);
    }
    free(a.paragraphs);
    (void)reader_kind_of("x.xml", d, size);
    return 0;
}
