/*
 * test_qparse.c: the query language, parsed: clauses, fields, filters,
 * warnings for odd input and errors for input that cannot be answered.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "qparse.h"

static qparsed_t parse_ok(const char *text)
{
    qparsed_t q;
    char *err = NULL;
    int r = qparse(text, &q, &err);
    CHECK(r == 0 && err == NULL, "parses: %s (%s)", text, err ? err : "");
    free(err);
    return q;
}

static void parse_err(const char *text, const char *want)
{
    qparsed_t q;
    char *err = NULL;
    int r = qparse(text, &q, &err);
    CHECK(r == -1, "rejected: %s", text);
    CHECK(err && strstr(err, want), "message for %s names %s: [%s]", text,
          want, err ? err : "");
    CHECK(q.n_clauses == 0 && q.clauses == NULL, "rejected query is empty");
    free(err);
}

int main(void)
{
    qparsed_t q = parse_ok("الهدنة غزة");
    CHECK(q.n_clauses == 2, "two bare words");
    CHECK(q.clauses[0].kind == QC_TERMS && q.clauses[0].n_terms == 1 &&
          q.clauses[0].terms[0].kind == QK_WORD, "bare word clause");
    CHECK_STR(q.clauses[1].terms[0].text, "غزة", "second word");
    qparsed_free(&q);

    q = parse_ok("\"الهدنة الإنسانية\" غزة");
    CHECK(q.n_clauses == 2 && q.clauses[0].terms[0].kind == QK_PHRASE,
          "phrase clause");
    CHECK_STR(q.clauses[0].terms[0].text, "الهدنة الإنسانية", "phrase text");
    CHECK(q.warning == NULL, "no warning for a balanced quote");
    qparsed_free(&q);

    q = parse_ok("«الهدنة الإنسانية» “وقف النار”");
    CHECK(q.n_clauses == 2 && q.clauses[0].terms[0].kind == QK_PHRASE &&
          q.clauses[1].terms[0].kind == QK_PHRASE, "guillemets and curly quotes");
    CHECK_STR(q.clauses[1].terms[0].text, "وقف النار", "curly-quoted text");
    qparsed_free(&q);

    q = parse_ok("\"الهدنة الإنسانية");
    CHECK(q.n_clauses == 1 && q.clauses[0].terms[0].kind == QK_PHRASE,
          "unbalanced quote: phrase to the end");
    CHECK(q.warning && strstr(q.warning, "unbalanced quote"), "warned");
    qparsed_free(&q);

    q = parse_ok("غزة -الهدنة -\"وقف النار\" - x");
    CHECK(q.n_clauses == 5, "exclusions and a lone dash (%zu)", q.n_clauses);
    CHECK(!q.clauses[0].negated && q.clauses[1].negated &&
          q.clauses[2].negated && q.clauses[2].terms[0].kind == QK_PHRASE,
          "negated word and phrase");
    CHECK(!q.clauses[3].negated, "a lone '-' is a word, not an operator");
    qparsed_free(&q);

    q = parse_ok("غزة AND الهدنة NOT إسرائيل");
    CHECK(q.n_clauses == 3 && !q.clauses[1].negated && q.clauses[2].negated,
          "AND ignored, NOT negates the next item");
    qparsed_free(&q);

    q = parse_ok("الهلال OR النصر أو الاتحاد غزة");
    CHECK(q.n_clauses == 2 && q.clauses[0].n_terms == 3 &&
          q.clauses[0].kind == QC_TERMS, "OR and أو group alternatives");
    qparsed_free(&q);

    q = parse_ok("بلينكن NEAR كييف NEAR/5 الناتو");
    CHECK(q.n_clauses == 1 && q.clauses[0].kind == QC_NEAR &&
          q.clauses[0].n_terms == 3 && q.clauses[0].window == 10,
          "NEAR chain, widest window kept");
    qparsed_free(&q);

    q = parse_ok("OR غزة NEAR");
    CHECK(q.n_clauses == 1, "stray operators dropped");
    CHECK(q.warning && strstr(q.warning, "stray OR"), "stray OR warned");
    qparsed_free(&q);

    q = parse_ok("اقتص* غ*");
    CHECK(q.clauses[0].terms[0].kind == QK_PREFIX, "prefix");
    CHECK_STR(q.clauses[0].terms[0].text, "اقتص", "star removed");
    CHECK(q.clauses[1].terms[0].kind == QK_WORD && q.warning,
          "one-letter prefix searched as a word, with a warning");
    qparsed_free(&q);

    q = parse_ok("title:غزة title:\"وقف النار\" tag:الهدنة");
    CHECK(q.n_clauses == 3, "three fielded clauses");
    CHECK(q.clauses[0].terms[0].field == QF_TITLE &&
          q.clauses[1].terms[0].field == QF_TITLE &&
          q.clauses[1].terms[0].kind == QK_PHRASE &&
          q.clauses[2].terms[0].field == QF_TAG, "fields and kinds");
    qparsed_free(&q);

    q = parse_ok("source:عكاظ source:\"الشرق الأوسط\" date:2015-07 date:2015-08-01..2015-08-31 date:2016..");
    CHECK(q.n_clauses == 0 && q.n_sources == 2 && q.n_dates == 3,
          "filters are not clauses");
    CHECK_STR(q.sources[1], "الشرق الأوسط", "quoted source");
    CHECK_STR(q.dates[0].lo, "20150701", "month start");
    CHECK_STR(q.dates[0].hi, "20150731", "month end");
    CHECK_STR(q.dates[1].lo, "20150801", "range start");
    CHECK_STR(q.dates[1].hi, "20150831", "range end");
    CHECK_STR(q.dates[2].hi, "99999999", "open range end");
    qparsed_free(&q);

    q = parse_ok("date:2024-02 date:2023-02");
    CHECK_STR(q.dates[0].hi, "20240229", "leap February");
    CHECK_STR(q.dates[1].hi, "20230228", "common February");
    qparsed_free(&q);

    q = parse_ok("http://example.com غزة");
    CHECK(q.n_clauses == 2 && q.clauses[0].terms[0].field == QF_ANY,
          "unknown field: plain word");
    qparsed_free(&q);

    parse_err("date:2023-13 غزة", "date:2023-13");
    parse_err("date:2023-02-30", "date:2023-02-30");
    parse_err("date:2024..2023", "ends before it starts");
    parse_err("date:..", "at least one end");
    parse_err("source: غزة", "source:");
    parse_err("غزة NEAR/0 الهدنة", "NEAR/N");

    q = parse_ok("");
    CHECK(q.n_clauses == 0 && q.warning == NULL, "empty query");
    qparsed_free(&q);
    q = parse_ok("\xff\xfe \"\xd8");
    CHECK(q.n_clauses == 2, "invalid UTF-8 parses without crashing");
    qparsed_free(&q);

    char lo[9], hi[9];
    CHECK(qparse_date_bounds("2023-11-29", 10, lo, hi) && strcmp(lo, hi) == 0,
          "a day");
    CHECK(!qparse_date_bounds("2023-1-29", 9, lo, hi), "unpadded month");
    CHECK(!qparse_date_bounds("999", 3, lo, hi), "short year");
    /* Hijri (issue 14): through dates.h, in date: and --since/--until. */
    CHECK(qparse_date_bounds("1445-09هـ", strlen("1445-09هـ"), lo, hi) &&
              strcmp(lo, "20240311") == 0 && strcmp(hi, "20240409") == 0,
          "Hijri month: Ramadan 1445");
    q = parse_ok("date:1445هـ غزة");
    CHECK(q.n_dates == 1 && strcmp(q.dates[0].lo, "20230719") == 0 &&
              strcmp(q.dates[0].hi, "20240706") == 0, "date:1445هـ");
    qparsed_free(&q);
    q = parse_ok("date:1444-12هـ..1445-01هـ غزة");
    CHECK(q.n_dates == 1 && strcmp(q.dates[0].lo, "20230619") == 0 &&
              strcmp(q.dates[0].hi, "20230816") == 0, "Hijri range");
    qparsed_free(&q);
    return check_report("test_qparse");
}
