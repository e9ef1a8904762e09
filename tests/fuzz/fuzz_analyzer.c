/*
 * fuzz_analyzer.c: analyzer_run on arbitrary bytes (analyzer.h: "invalid
 * bytes are skipped"). Besides the sanitizers' checks, every token must
 * keep analyzer.h's promises: a non-empty surface with no NUL inside
 * (surface_len == strlen) and at most AN_MAX_TERM bytes, well-formed UTF-8
 * (terms go to Xapian and into JSON); a byte range start <= end <= len;
 * positions 1, 2, 3…; at most AN_MAX_STEMS stems, each non-empty, well-formed
 * and at most AN_MAX_TERM bytes.
 */
#include <string.h>

#include "analyzer.h"
#include "fuzz.h"

typedef struct run {
    size_t len;
    uint32_t pos;
} run_t;

static int on_token(void *vctx, const an_token_t *t)
{
    run_t *r = vctx;
    FUZZ_CHECK(t->surface != NULL, "surface");
    FUZZ_CHECK(t->surface_len > 0, "surface not empty");
    FUZZ_CHECK(strlen(t->surface) == t->surface_len, "no NUL in the surface");
    FUZZ_CHECK(t->surface_len <= AN_MAX_TERM, "surface within AN_MAX_TERM");
    FUZZ_CHECK(fuzz_valid_utf8(t->surface, t->surface_len), "surface is UTF-8");
    FUZZ_CHECK(t->start <= t->end && t->end <= r->len, "start <= end <= len");
    FUZZ_CHECK(t->pos == r->pos + 1, "positions 1, 2, 3...");
    r->pos = t->pos;
    FUZZ_CHECK(t->n_stems <= AN_MAX_STEMS, "at most AN_MAX_STEMS stems");
    FUZZ_CHECK(!t->stopword || t->n_stems == 0, "stopwords have no stem");
    for (size_t i = 0; i < t->n_stems; i++) {
        size_t n = t->stems[i] ? strlen(t->stems[i]) : 0;
        FUZZ_CHECK(n > 0, "stem not empty");
        FUZZ_CHECK(n <= AN_MAX_TERM, "stem within AN_MAX_TERM");
        FUZZ_CHECK(fuzz_valid_utf8(t->stems[i], n), "stem is UTF-8");
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* One analyzer for the whole run, as in newsidx (its stem cache
     * carries over from input to input, as it does from file to file). */
    static analyzer_t *an;
    if (!an) {
        an = analyzer_new();
        FUZZ_CHECK(an != NULL, "analyzer_new");
    }
    run_t r = { size, 0 };
    FUZZ_CHECK(analyzer_run(an, (const char *)data, size, on_token, &r) == 0,
               "analyzer_run returns 0 when the callback does");
    analyzer_is_stopword((const char *)data, size);
    return 0;
}
