/*
 * fuzz_jsonl.c: reader_jsonl and reader_json_array (jansson) on arbitrary
 * bytes, from the start and from an offset inside them (an appended read).
 * Checks: articles as fuzz_reader.h says; the read ends at a line start,
 * within the bytes; a failed array read leaves no article.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    for (int pass = 0; pass < 2; pass++) {
        size_t off = pass ? size / 2 : 0;
        reader_opts_t o = {"f.jsonl", off, 7, NULL, fuzz_on_bad, NULL};
        article_set_t set;
        reader_result_t res;
        const char *why = NULL;
        int r = reader_read(READ_JSONL, d, size, &o, &set, &res, &why);
        FUZZ_CHECK(r == 0, "JSON lines never fail as a whole");
        FUZZ_CHECK(res.end >= off && res.end <= size, "read end in range");
        FUZZ_CHECK(res.end == off || d[res.end - 1] == '\n',
                   "the read ends after a line end");
        fuzz_check_set(&set);
        article_set_free(&set);
    }
    reader_opts_t o = {"f.json", 0, 1, NULL, fuzz_on_bad, NULL};
    article_set_t set;
    reader_result_t res;
    const char *why = NULL;
    int r = reader_read(READ_JSON, d, size, &o, &set, &res, &why);
    if (r != 0)
        FUZZ_CHECK(set.n == 0 && why && *why, "a failed array: a reason, "
                                              "no article");
    fuzz_check_set(&set);
    article_set_free(&set);
    return 0;
}
