/*
 * test_story.c: same-story signatures (story.h) and the one rule,
 * story_same(): texts fed word by word; signatures with a chosen number
 * of agreeing minimums and days apart, around each threshold; too short
 * texts; the day numbers of date_days (dates.h).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dates.h"
#include "story.h"

/* The signature of the words of TEXT (space-separated) into OUT. */
static size_t sign(const char *text, const char *date,
                   unsigned char out[STORY_SIG_BYTES])
{
    story_sketch_t s;
    story_begin(&s);
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ");
        if (n)
            story_add_word(&s, p, n);
        p += n + (p[n] == ' ');
    }
    return story_finish(&s, date, out);
}

/* A signature of day DAY whose minimums are K: the first AGREE of B's
 * copy A's, the rest different. */
static void made(unsigned char out[STORY_SIG_BYTES], unsigned day,
                 const unsigned char *a, int agree)
{
    out[0] = (unsigned char)(day >> 8);
    out[1] = (unsigned char)day;
    for (int k = 0; k < STORY_HASHES; k++) {
        unsigned v = a ? (unsigned)(a[2 + 2 * k] << 8 | a[3 + 2 * k])
                       : 1000u + 7u * (unsigned)k;
        if (a && k >= agree)
            v ^= 0x5555;
        out[2 + 2 * k] = (unsigned char)(v >> 8);
        out[3 + 2 * k] = (unsigned char)v;
    }
}

/* A wire story (about 90 words), and its edits. */
static const char *const wire =
    "افتتح وزير البيئة والمياه والزراعة صباح اليوم في الرياض اعمال المؤتمر "
    "الدولي الخامس لتحليه المياه الذي تنظمه المؤسسه العامه لتحليه المياه "
    "المالحه بمشاركه وفود من خمسين دوله واكثر من ثلاثمايه خبير ومختص واكد "
    "الوزير في كلمته ان المملكه تعد اكبر منتج للمياه المحلاه في العالم "
    "وانها تعمل علي خفض تكلفه الانتاج واستخدام الطاقه الشمسيه في محطات "
    "التحليه الجديده ويناقش المؤتمر علي مدي ثلاثه ايام احدث التقنيات في "
    "مجال التحليه ومعالجه المياه واعاده استخدامها في الزراعه والصناعه "
    "اضافه الي عرض تجارب الدول المشاركه في ترشيد الاستهلاك";

int main(void)
{
    unsigned char a[STORY_SIG_BYTES], b[STORY_SIG_BYTES];

    /* The same text: every minimum agrees, whatever the date. */
    CHECK(sign(wire, "2015-03-03", a) == STORY_SIG_BYTES, "a signature");
    CHECK(sign(wire, "2015-06-01", b) == STORY_SIG_BYTES, "again");
    CHECK(story_agree(a, sizeof a, b, sizeof b) == STORY_HASHES,
          "the same text agrees everywhere: %d",
          story_agree(a, sizeof a, b, sizeof b));
    CHECK(story_same(a, sizeof a, b, sizeof b), "the same text, 90 days on");
    CHECK(story_days_apart(a, sizeof a, b, sizeof b) == 90, "90 days: %ld",
          story_days_apart(a, sizeof a, b, sizeof b));

    /* Edits: a changed word, a new title, the last sentence cut. */
    char *edited = strdup(wire);
    memcpy(strstr(edited, "ثلاثمايه"), "اربعمايه", strlen("ثلاثمايه"));
    CHECK(sign(edited, "2015-03-04", b) && story_same(a, sizeof a, b, sizeof b),
          "a changed word: %d", story_agree(a, sizeof a, b, sizeof b));
    free(edited);
    char titled[4096];
    snprintf(titled, sizeof titled, "%s %s",
             "وزير البيئه يفتتح مؤتمر تحليه المياه في الرياض", wire);
    CHECK(sign(titled, "2015-03-03", b) && story_same(a, sizeof a, b, sizeof b),
          "a title before it: %d", story_agree(a, sizeof a, b, sizeof b));
    char cut[4096];
    snprintf(cut, sizeof cut, "%.*s", (int)(strstr(wire, "ويناقش") - wire),
             wire);
    CHECK(sign(cut, "2015-03-03", b) && story_same(a, sizeof a, b, sizeof b),
          "the last sentence cut: %d", story_agree(a, sizeof a, b, sizeof b));
    /* The same words in another order: no 3-word run in common. */
    CHECK(sign("المياه تحليه مؤتمر الرياض في البيئه وزير افتتح اليوم صباح "
               "والزراعه والمياه الدولي المؤتمر اعمال الخامس الذي المؤسسه "
               "تنظمه العامه", "2015-03-03", b) &&
              !story_same(a, sizeof a, b, sizeof b),
          "shared words, other runs: %d", story_agree(a, sizeof a, b, sizeof b));

    /* Too short: no signature, never the same story. */
    CHECK(sign("ارتفع انتاج تحليه المياه هذا العام", "2015-03-03", b) == 0,
          "too short: no signature");
    CHECK(!story_same(a, sizeof a, b, 0) && !story_same(b, 0, b, 0),
          "an empty signature is nobody's story");
    CHECK(story_agree(a, sizeof a, b, 0) == -1, "agree: -1 without one");
    CHECK(!story_same(a, 5, a, 5), "a value of another size");

    /* The thresholds: STORY_SAME within STORY_DAYS, STORY_SURE always. */
    unsigned d0 = (unsigned)date_days("2015-08-02");
    struct { int agree; unsigned apart; int unknown, same; } t[] = {
        { STORY_SAME, 0, 0, 1 },
        { STORY_SAME, STORY_DAYS, 0, 1 },
        { STORY_SAME, STORY_DAYS + 1, 0, 0 },   /* a template, days later */
        { STORY_SAME - 1, 0, 0, 0 },
        { STORY_SURE - 1, STORY_DAYS + 1, 0, 0 },
        { STORY_SURE, 30, 0, 1 },               /* a late copy */
        { STORY_SAME, 300, 1, 1 },              /* a date unknown */
        { STORY_SAME - 1, 0, 1, 0 },
    };
    made(a, d0, NULL, 0);
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        made(b, t[i].unknown ? 0 : d0 + t[i].apart, a, t[i].agree);
        CHECK(story_agree(a, sizeof a, b, sizeof b) == t[i].agree,
              "made: %d agree", t[i].agree);
        CHECK(story_same(a, sizeof a, b, sizeof b) == t[i].same &&
                  story_same(b, sizeof b, a, sizeof a) == t[i].same,
              "%d agree, %u days apart%s: same %d", t[i].agree, t[i].apart,
              t[i].unknown ? " (unknown)" : "", t[i].same);
    }

    /* The day numbers. */
    CHECK(date_days("1970-01-01") == 0, "1970-01-01");
    CHECK(date_days("2015-08-02") == 16649, "2015-08-02: %ld",
          date_days("2015-08-02"));
    CHECK(date_days("2000-03-01") - date_days("2000-02-28") == 2,
          "2000 is a leap year");
    CHECK(date_days("1900-03-01") - date_days("1900-02-28") == 1,
          "1900 is not");
    CHECK(date_days("2015-02-29") == -1 && date_days("2015-13-01") == -1 &&
              date_days("2015-8-2") == -1 && date_days(NULL) == -1 &&
              date_days("2015-08-02x") == -1,
          "not dates");
    CHECK(sign(wire, NULL, b) && story_days_apart(a, sizeof a, b, sizeof b) == -1,
          "no date: days apart unknown");
    return check_report("test_story");
}
