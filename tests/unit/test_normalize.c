/*
 * test_normalize.c: every fold of normalize.h, case by case, on composed and
 * decomposed input, plus bad input (invalid UTF-8, lone marks, NUL bytes).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "normalize.h"

static const struct {
    const char *in, *want, *what;
    unsigned flags;
} cases[] = {
    { "أحمد", "احمد", "alef with hamza above", 0 },
    { "إسرائيل", "اسراييل", "alef with hamza below; ئ → ي", 0 },
    { "آذار", "اذار", "alef with madda", 0 },
    { "ٱلله", "الله", "alef wasla", 0 },
    { "ا\xd9\x94حمد", "احمد", "decomposed: alef + combining hamza above", 0 },
    { "ا\xd9\x95سلام", "اسلام", "decomposed: alef + combining hamza below", 0 },
    { "ا\xd9\x93ذار", "اذار", "decomposed: alef + combining madda", 0 },
    { "مستشفى", "مستشفي", "alef maksura → ya", 0 },
    { "مدرسة", "مدرسه", "taa marbuta → ha", 0 },
    { "مسؤول", "مسوول", "waw with hamza → waw", 0 },
    { "مسئول", "مسيول", "ya with hamza → ya", 0 },
    { "مسؤول", "مسءول", "hamza seats unified (stem fold)", NORM_HAMZA_SEATS },
    { "مسئول", "مسءول", "hamza seats unified (stem fold)", NORM_HAMZA_SEATS },
    { "كِتَابٌ", "كتاب", "harakat removed", 0 },
    { "مُحَمَّدٌ", "محمد", "shadda and tanween removed", 0 },
    { "رحمٰن", "رحمن", "superscript alef removed", 0 },
    { "صلى\xd8\x90", "صلي", "Quranic mark U+0610 removed", 0 },
    { "قال\xdb\x96", "قال", "Quranic mark U+06D6 removed", 0 },
    { "جـــميل", "جميل", "tatweel removed", 0 },
    { "٢٠٢٤", "2024", "Arabic-Indic digits", 0 },
    { "۱۹۹۸", "1998", "Extended Arabic-Indic digits", 0 },
    { "کتاب", "كتاب", "Persian keheh → kaf", 0 },
    { "یوم", "يوم", "Persian yeh → ya", 0 },
    { "ﻻ", "لا", "lam-alef ligature (NFKC)", 0 },
    { "ﻷ", "لا", "lam-alef with hamza ligature", 0 },
    { "ﺍﻟﺴﻼﻡ", "السلام", "presentation forms B", 0 },
    { "ﷲ", "الله", "presentation forms A: Allah ligature", 0 },
    { "غ\xe2\x80\x8cزة", "غزه", "zero-width non-joiner removed", 0 },
    { "غزة\xe2\x80\x8f", "غزه", "right-to-left mark removed", 0 },
    { "\xe2\x80\xaeغزة\xe2\x80\xac", "غزه", "bidi embedding removed", 0 },
    { "\xef\xbb\xbfغزة", "غزه", "BOM/ZWNBSP removed", 0 },
    { "NATO", "nato", "Latin lower-cased", 0 },
    { "ÉCOLE", "école", "Latin-1 lower-cased", 0 },
    { "ＡＢＣ", "abc", "fullwidth Latin (NFKC) lower-cased", 0 },
    { "\xd9\x8e\xd9\x90", "", "only harakat → nothing", 0 },
    { "غز\xff\xfeة", "غزه", "invalid UTF-8 bytes dropped", 0 },
    { "\xd8", "", "truncated sequence dropped", 0 },
    { "\xed\xa0\x80x", "x", "UTF-16 surrogate in UTF-8 rejected", 0 },
    { "\xc0\xafx", "x", "overlong encoding rejected", 0 },
};

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        buf_t b = BUF_INIT;
        size_t n = norm_fold(cases[i].in, strlen(cases[i].in), cases[i].flags, &b);
        CHECK_STR(buf_cstr(&b), cases[i].want, "fold: %s", cases[i].what);
        CHECK(n == b.len, "fold returns the bytes appended: %s", cases[i].what);
        buf_free(&b);
    }

    /* Composed and decomposed forms of every hamza-alef fold agree. */
    const char *pairs[][2] = {
        { "أ", "ا\xd9\x94" }, { "إ", "ا\xd9\x95" }, { "آ", "ا\xd9\x93" },
        { "ؤ", "و\xd9\x94" }, { "ئ", "ي\xd9\x94" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        for (unsigned f = 0; f <= NORM_HAMZA_SEATS; f++) {
            buf_t a = BUF_INIT, b = BUF_INIT;
            norm_fold(pairs[i][0], strlen(pairs[i][0]), f, &a);
            norm_fold(pairs[i][1], strlen(pairs[i][1]), f, &b);
            CHECK_STR(buf_cstr(&a), buf_cstr(&b),
                      "composed = decomposed, pair %zu flags %u", i, f);
            buf_free(&a);
            buf_free(&b);
        }
    }

    /* NUL bytes are dropped and never end the word early: no term ever
     * holds a NUL. */
    {
        buf_t b = BUF_INIT;
        norm_fold("a\0b", 3, 0, &b);
        CHECK(b.len == 2 && strcmp(b.data, "ab") == 0,
              "NUL inside a word is dropped, the rest kept");
        buf_free(&b);
    }

    /* UTF-8 round trip on boundary code points. */
    const uint32_t cps[] = { 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000,
                             0x10FFFF };
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
        char enc[4];
        uint32_t back;
        size_t n = utf8_encode(cps[i], enc);
        size_t m = utf8_decode((const unsigned char *)enc, n, &back);
        CHECK(n == m && back == cps[i], "UTF-8 round trip U+%04X",
              (unsigned)cps[i]);
    }

    /* A 10 MB word of letters and marks folds without trouble. */
    {
        size_t n = 10u << 20;
        char *big = malloc(n);
        for (size_t i = 0; i + 1 < n; i += 2) {
            big[i] = (char)0xd9;
            big[i + 1] = (char)((i / 2) % 2 ? 0x8e : 0x84); /* ل and fatha */
        }
        buf_t b = BUF_INIT;
        norm_fold(big, n, 0, &b);
        CHECK(b.len == n / 2, "10 MB word folds (harakat dropped): %zu", b.len);
        buf_free(&b);
        free(big);
    }
    return check_report("test_normalize");
}
