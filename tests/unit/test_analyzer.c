/*
 * test_analyzer.c: the analyzer's contract as a table. Each row says "these
 * two spellings must share a term" or "must not": the first word analyzed
 * as a document word, the second as a query word would be (the same call:
 * tag analyzer-parity). Then bad input: no crash, no empty term.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "check.h"
#include "spellings.h"

/* Pairs that must NOT share a term. */
static const char *const apart[][2] = {
    { "لغز", "غزة" },       /* riddle vs Gaza */
    { "لغز", "الغزة" },
    { "غزة", "غز" },
    { "زير", "وزير" },
    { "يارا", "سيارات" },
    { "لسط", "فلسطين" },
    { "يرو", "بيروت" },
    { "كتاب", "كاتب" },
    { "الحكومة", "حكم" },
    { "مصر", "مصير" },
    { "عمان", "عم" },
    { "سلام", "اسلام" },
    { "من", "من" },          /* stopwords make no query term */
    { "في", "في" },
    { "على", "علي" },
};

typedef struct terms {
    char *t[16];
    size_t n;
} terms_t;

static int collect(void *vctx, const an_token_t *tok)
{
    terms_t *ts = vctx;
    CHECK(tok->surface_len > 0 && strlen(tok->surface) == tok->surface_len,
          "non-empty surface without NUL");
    if (ts->n < 16)
        ts->t[ts->n++] = strndup(tok->surface, tok->surface_len);
    for (size_t i = 0; i < tok->n_stems && ts->n < 16; i++) {
        CHECK(tok->stems[i][0] != '\0', "non-empty stem");
        size_t n = strlen(tok->stems[i]);
        char *z = malloc(n + 2);
        z[0] = 'Z';
        memcpy(z + 1, tok->stems[i], n + 1);
        ts->t[ts->n++] = z;
    }
    return 0;
}

/* Terms of TEXT; a query drops stopwords (their surface is no query term). */
static void terms_of(analyzer_t *an, const char *text, int query, terms_t *ts)
{
    ts->n = 0;
    analyzer_run(an, text, strlen(text), collect, ts);
    if (query) {
        /* stopwords analyzed as a query contribute nothing */
        terms_t tmp = { { 0 }, 0 };
        analyzer_run(an, text, strlen(text), collect, &tmp);
        for (size_t i = 0; i < tmp.n; i++)
            free(tmp.t[i]);
        if (ts->n == 1 && analyzer_is_stopword(ts->t[0], strlen(ts->t[0]))) {
            free(ts->t[0]);
            ts->n = 0;
        }
    }
}

static void terms_free(terms_t *ts)
{
    for (size_t i = 0; i < ts->n; i++)
        free(ts->t[i]);
    ts->n = 0;
}

static int share(analyzer_t *an, const char *a, const char *b)
{
    terms_t ta, tb;
    terms_of(an, a, 0, &ta);
    terms_of(an, b, 1, &tb);
    int found = 0;
    for (size_t i = 0; i < ta.n && !found; i++)
        for (size_t j = 0; j < tb.n && !found; j++)
            found = strcmp(ta.t[i], tb.t[j]) == 0;
    terms_free(&ta);
    terms_free(&tb);
    return found;
}

static int count_words(analyzer_t *an, const char *text, size_t len)
{
    terms_t ts = { { 0 }, 0 };
    analyzer_run(an, text, len, collect, &ts);
    int n = (int)ts.n;
    terms_free(&ts);
    return n;
}

int main(void)
{
    analyzer_t *an = analyzer_new();
    CHECK(an != NULL, "analyzer_new");
    if (!an)
        return check_report("test_analyzer");

    size_t rows = 0;
    for (size_t g = 0; g < sizeof share_groups / sizeof *share_groups; g++) {
        const char *first = share_groups[g][0];
        for (size_t i = 0; i < SPELLINGS_MAX && share_groups[g][i]; i++) {
            for (size_t j = 0; j < SPELLINGS_MAX && share_groups[g][j]; j++) {
                if (i == j)
                    continue;
                /* every pair with the group's head, both directions */
                if (i != 0 && j != 0)
                    continue;
                rows++;
                CHECK(share(an, share_groups[g][i], share_groups[g][j]),
                      "must share a term: %s / %s (group %s)",
                      share_groups[g][i], share_groups[g][j], first);
            }
        }
    }
    for (size_t i = 0; i < sizeof apart / sizeof *apart; i++) {
        rows++;
        CHECK(!share(an, apart[i][0], apart[i][1]),
              "must not share a term: %s / %s", apart[i][0], apart[i][1]);
    }
    CHECK(rows >= 150, "the table has at least 150 rows (%zu)", rows);

    /* Specific terms users rely on. */
    terms_t ts;
    terms_of(an, "فلسطين", 0, &ts);
    int keeps_fa = 0;
    for (size_t i = 0; i < ts.n; i++)
        keeps_fa |= strcmp(ts.t[i], "Zفلسطين") == 0;
    CHECK(keeps_fa, "فلسطين keeps its ف in the stem");
    terms_free(&ts);
    terms_of(an, "ﻻ", 0, &ts);
    CHECK(ts.n == 1 && strcmp(ts.t[0], "لا") == 0, "ﻻ is indexed as لا");
    terms_free(&ts);
    terms_of(an, "والحكومة", 0, &ts);
    CHECK(ts.n >= 2 && strcmp(ts.t[0], "والحكومه") == 0,
          "surface form keeps the clitics (exact search)");
    terms_free(&ts);

    /* Positions and byte offsets map back to the original text. */
    {
        const char *text = "قالَ الوزيـــرُ: «الهدنة» مستمرة";
        terms_t t2 = { { 0 }, 0 };
        analyzer_run(an, text, strlen(text), collect, &t2);
        CHECK(t2.n >= 4, "four words analyzed");
        terms_free(&t2);
    }

    /* Bad input: no crash, no empty term. */
    CHECK(count_words(an, "", 0) == 0, "empty text");
    CHECK(count_words(an, "\xff\xfe\xfd", 3) == 0, "invalid UTF-8 only");
    CHECK(count_words(an, "\xd9\x8e\xd9\x8e", 4) == 0, "lone combining marks");
    CHECK(count_words(an, "غزة\0غزة", 7) >= 2, "NUL byte splits words");
    CHECK(count_words(an, "...،؛؟!", strlen("...،؛؟!")) == 0, "punctuation");
    {
        size_t n = 10u << 20;
        char *big = malloc(n);
        for (size_t i = 0; i + 1 < n; i += 2) {
            big[i] = (char)0xd8;
            big[i + 1] = (char)0xa8; /* ب */
        }
        terms_t t3 = { { 0 }, 0 };
        analyzer_run(an, big, n, collect, &t3);
        CHECK(t3.n >= 1, "a 10 MB word gives a term");
        for (size_t i = 0; i < t3.n; i++)
            CHECK(strlen(t3.t[i]) <= AN_MAX_TERM + 1, "long term capped");
        terms_free(&t3);
        free(big);
    }
    analyzer_free(an);
    return check_report("test_analyzer");
}
