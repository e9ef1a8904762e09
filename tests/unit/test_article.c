/*
 * test_article.c: article_parse on the reference file and on its CRLF, BOM,
 * UTF-16 and windows-1256 forms, on broken and binary inputs, on the related
 * section rules, and the seed's dates through date_parse (dates.h; the
 * full table is test_dates.c).
 *
 * Usage: test_article [SOURCE_ROOT]   (else $NEWSIDX_SRC, else ".")
 */
#include "article.h"
#include "dates.h"
#include "check.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>

#define SEED "corpus/000_88b3e027f580fa3f.txt"

static const char *SEED_TITLE =
    "وزير الخارجية الأمريكي: سنعمل مع الشركاء في المنطقة لتمديد الهدنة "
    "الإنسانية في غزة";
static const char *SEED_KEYWORDS =
    "وزير الخارجية الامريكي الهدنة الإنسانية في غزة فی المنطقة إلى أن على أن";
/* The same with Persian yeh U+06CC (not in windows-1256) as Arabic yeh. */
static const char *SEED_KEYWORDS_1256 =
    "وزير الخارجية الامريكي الهدنة الإنسانية في غزة في المنطقة إلى أن على أن";
static const char *REL_TITLE =
    "سلطان عمان يبحث مع وزير خارجية بريطانيا التطورات الإقليمية والدولية";
static const char *REL_SOURCE = "الخارجية العمانية- منصة \"إكس\"";

static int starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static article_status_t parse_str(const char *s, article_set_t *set,
                                  const char **why)
{
    return article_parse(s, strlen(s), set, why);
}

/* ---- encoders used to build the variants of the seed ---- */

/* "\n" -> "\r\n" */
static char *to_crlf(const char *s, size_t n, size_t *out_n)
{
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            buf_putc(&b, '\r');
        buf_putc(&b, s[i]);
    }
    *out_n = b.len;
    return b.data;
}

static char *with_bom(const char *s, size_t n, size_t *out_n)
{
    buf_t b = BUF_INIT;
    buf_append(&b, "\xEF\xBB\xBF", 3);
    buf_append(&b, s, n);
    *out_n = b.len;
    return b.data;
}

/* Valid UTF-8 to UTF-16 with a BOM, by hand. */
static void put16(buf_t *b, uint32_t u, int big_endian)
{
    char hi = (char)(u >> 8), lo = (char)(u & 0xFF);
    buf_putc(b, big_endian ? hi : lo);
    buf_putc(b, big_endian ? lo : hi);
}

static char *to_utf16(const char *s, size_t n, int big_endian, size_t *out_n)
{
    buf_t b = BUF_INIT;
    const unsigned char *p = (const unsigned char *)s;
    put16(&b, 0xFEFF, big_endian);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        if (p[i] < 0x80) {
            cp = p[i];
            i += 1;
        } else if (p[i] < 0xE0) {
            cp = ((uint32_t)(p[i] & 0x1F) << 6) | (p[i + 1] & 0x3F);
            i += 2;
        } else if (p[i] < 0xF0) {
            cp = ((uint32_t)(p[i] & 0x0F) << 12) |
                 ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
            i += 3;
        } else {
            cp = ((uint32_t)(p[i] & 0x07) << 18) |
                 ((uint32_t)(p[i + 1] & 0x3F) << 12) |
                 ((uint32_t)(p[i + 2] & 0x3F) << 6) | (p[i + 3] & 0x3F);
            i += 4;
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put16(&b, 0xD800 | (cp >> 10), big_endian);
            put16(&b, 0xDC00 | (cp & 0x3FF), big_endian);
        } else {
            put16(&b, cp, big_endian);
        }
    }
    *out_n = b.len;
    return b.data;
}

/* UTF-8 to windows-1256 with ICU (Persian yeh replaced by Arabic yeh first,
 * windows-1256 has no U+06CC). */
static char *to_cp1256(const char *s, size_t n, size_t *out_n)
{
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && (unsigned char)s[i] == 0xDB &&
            (unsigned char)s[i + 1] == 0x8C) {
            buf_append(&b, "\xD9\x8A", 2);
            i++;
        } else {
            buf_putc(&b, s[i]);
        }
    }
    char *out = xmalloc(b.len + 16);
    UErrorCode err = U_ZERO_ERROR;
    int32_t len = ucnv_convert("windows-1256", "UTF-8", out,
                               (int32_t)(b.len + 16), b.data, (int32_t)b.len,
                               &err);
    CHECK(U_SUCCESS(err) && len > 0, "ICU windows-1256 conversion: %s",
          u_errorName(err));
    buf_free(&b);
    *out_n = U_SUCCESS(err) && len > 0 ? (size_t)len : 0;
    return out;
}

/* ---- comparisons ---- */

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Every field of every article; KEYWORDS0, when not NULL, replaces the
 * expected keywords of the main article. */
static void check_same(const article_set_t *got, const article_set_t *want,
                       const char *keywords0, const char *what)
{
    int ok = got->n == want->n;
    for (size_t i = 0; ok && i < got->n; i++) {
        const article_t *g = &got->items[i], *w = &want->items[i];
        ok = same_str(g->title, w->title) && same_str(g->date, w->date) &&
             same_str(g->source, w->source) &&
             same_str(g->keywords,
                      i == 0 && keywords0 ? keywords0 : w->keywords) &&
             g->related == w->related && g->n_paragraphs == w->n_paragraphs;
        for (size_t j = 0; ok && j < g->n_paragraphs; j++)
            ok = same_str(g->paragraphs[j], w->paragraphs[j]);
        if (!ok)
            fprintf(stderr, "     %s: article %zu differs\n", what, i);
    }
    CHECK(ok, "%s: same fields as the plain UTF-8 parse", what);
}

static void test_seed(const char *root)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, SEED);
    char *data = NULL;
    size_t len = 0;
    int err = read_file(path, 0, &data, &len, NULL);
    CHECK(err == 0, "read %s: %s", path, strerror(err));
    if (err)
        return;

    article_set_t plain;
    const char *why = "unset";
    article_status_t st = article_parse(data, len, &plain, &why);
    CHECK(st == ART_OK, "seed parses (status %d)", (int)st);
    CHECK(why == NULL, "no reason on success");
    CHECK(plain.flags == 0, "seed needs no repair (flags %u)", plain.flags);
    CHECK(plain.n == 2, "seed: main + 1 related (n=%zu)", plain.n);
    if (st != ART_OK || plain.n != 2) {
        article_set_free(&plain);
        free(data);
        return;
    }
    const article_t *a = &plain.items[0];
    CHECK_STR(a->title, SEED_TITLE, "seed title");
    CHECK_STR(a->date, "2023-11-29", "seed date");
    CHECK_STR(a->source, "البوابة نيوز", "seed source");
    CHECK_STR(a->keywords, SEED_KEYWORDS, "seed keywords");
    CHECK(a->related == 0, "main article related == 0");
    CHECK(a->n_paragraphs == 8, "seed paragraphs (%zu)", a->n_paragraphs);
    CHECK(a->n_paragraphs > 0 &&
              starts_with(a->paragraphs[0],
                          "أعلن وزيرالخارجية الأمريكي أنتوني بلينكن اليوم"),
          "seed first paragraph");
    CHECK(a->n_paragraphs > 0 &&
              starts_with(a->paragraphs[a->n_paragraphs - 1],
                          "وقال بلينكن: \"إن من راهنوا ضد الناتو"),
          "seed last paragraph");
    const article_t *r = &plain.items[1];
    CHECK_STR(r->title, REL_TITLE, "related title");
    CHECK_STR(r->source, REL_SOURCE, "related source");
    CHECK(r->date == NULL && r->keywords == NULL, "related: no date/keywords");
    CHECK(r->related == 1, "related == 1");
    CHECK(r->n_paragraphs == 14, "related paragraphs (%zu)", r->n_paragraphs);
    CHECK(r->n_paragraphs > 0 &&
              starts_with(r->paragraphs[0],
                          "بحث سلطان عمان هيثم بن طارق، الأحد"),
          "related first paragraph");
    CHECK(r->n_paragraphs > 0 &&
              starts_with(r->paragraphs[r->n_paragraphs - 1],
                          "ونتيجة لذلك، أعاد فرض العقوبات"),
          "related last paragraph");
    int clean = 1;
    for (size_t i = 0; i < plain.n; i++)
        for (size_t j = 0; j < plain.items[i].n_paragraphs; j++) {
            const char *p = plain.items[i].paragraphs[j];
            if (!p[0] || p[0] == ' ' || p[strlen(p) - 1] == ' ' ||
                strchr(p, '\n'))
                clean = 0;
        }
    CHECK(clean, "paragraphs non-empty, trimmed, one line each");

    /* The variants. */
    struct {
        const char *name;
        char *bytes;
        size_t len;
        unsigned flags;
    } v[7];
    size_t crlf_len;
    char *crlf = to_crlf(data, len, &crlf_len);
    v[0].name = "CRLF";
    v[0].bytes = to_crlf(data, len, &v[0].len);
    v[0].flags = ART_FIXED_CRLF;
    v[1].name = "BOM";
    v[1].bytes = with_bom(data, len, &v[1].len);
    v[1].flags = ART_FIXED_BOM;
    v[2].name = "BOM+CRLF";
    v[2].bytes = with_bom(crlf, crlf_len, &v[2].len);
    v[2].flags = ART_FIXED_BOM | ART_FIXED_CRLF;
    v[3].name = "UTF-16LE";
    v[3].bytes = to_utf16(data, len, 0, &v[3].len);
    v[3].flags = ART_FROM_UTF16;
    v[4].name = "UTF-16BE";
    v[4].bytes = to_utf16(data, len, 1, &v[4].len);
    v[4].flags = ART_FROM_UTF16;
    v[5].name = "UTF-16LE+CRLF";
    v[5].bytes = to_utf16(crlf, crlf_len, 0, &v[5].len);
    v[5].flags = ART_FROM_UTF16 | ART_FIXED_CRLF;
    v[6].name = "windows-1256";
    v[6].bytes = to_cp1256(data, len, &v[6].len);
    v[6].flags = ART_FROM_CP1256;
    free(crlf);

    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        article_set_t got;
        why = NULL;
        st = article_parse(v[i].bytes, v[i].len, &got, &why);
        CHECK(st == ART_OK, "%s: status %d (%s)", v[i].name, (int)st,
              why ? why : "");
        CHECK(got.flags == v[i].flags, "%s: flags %u, want %u", v[i].name,
              got.flags, v[i].flags);
        check_same(&got, &plain, i == 6 ? SEED_KEYWORDS_1256 : NULL,
                   v[i].name);
        article_set_free(&got);
        CHECK(got.n == 0 && got.items == NULL, "%s: freed set is empty",
              v[i].name);
        free(v[i].bytes);
    }

    article_set_free(&plain);
    free(data);
}

/* ---- rejected inputs ---- */

static void expect_status(const char *bytes, size_t n, article_status_t want,
                          const char *reason_part, const char *what)
{
    article_set_t set;
    const char *why = NULL;
    article_status_t st = article_parse(bytes, n, &set, &why);
    CHECK(st == want, "%s: status %d, want %d", what, (int)st, (int)want);
    CHECK(why && *why && (!reason_part || strstr(why, reason_part)),
          "%s: reason [%s] should mention [%s]", what, why ? why : "(null)",
          reason_part ? reason_part : "");
    CHECK(set.n == 0 && set.items == NULL, "%s: empty set", what);
    article_set_free(&set);
}

static void test_rejects(void)
{
    expect_status("", 0, ART_EMPTY, "empty", "empty file");
    expect_status("   \t  ", 6, ART_EMPTY, NULL, "white space only");
    expect_status("\n\n \t\n", 5, ART_EMPTY, NULL, "blank lines");
    expect_status("\r\n\xC2\xA0\xE2\x80\x8B\r\n", 9, ART_EMPTY, NULL,
                  "NBSP and zero-width only");
    expect_status("\xEF\xBB\xBF", 3, ART_EMPTY, NULL, "BOM only");
    expect_status("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, ART_BINARY, "PNG",
                  "PNG header");
    expect_status("\x7f" "ELF\x02\x01\x01\0\0\0\0\0", 12, ART_BINARY, "ELF",
                  "ELF header");
    expect_status("\xff\xd8\xff\xe0\0\x10JFIF", 10, ART_BINARY, "JPEG",
                  "JPEG header");
    expect_status("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", 15, ART_BINARY, "PDF",
                  "PDF header");
    const char nul_text[] = "عنوان الخبر\nنص \0 الخبر\n";
    expect_status(nul_text, sizeof nul_text - 1, ART_BINARY, "NUL",
                  "NUL bytes in text");
    const char *date_only = "تاريخ النشر: 21st, July 2015 GMT\n";
    expect_status(date_only, strlen(date_only), ART_NO_TITLE, "title",
                  "date line only");
    const char *marker_first = "إقرأ أيضاً:\nعنوان\nنص\n";
    expect_status(marker_first, strlen(marker_first), ART_NO_TITLE, "title",
                  "read-also marker as first line");
    const char *latin1 = "Un \xe9t\xe9 \xe0 la plage, caf\xe9 cr\xe8me, "
                         "tr\xe8s cher, \xe0 Paris, d\xe9j\xe0 vu\n";
    expect_status(latin1, strlen(latin1), ART_ENCODING, NULL,
                  "Latin-1 text");
}

/* ---- small files ---- */

static void test_small(void)
{
    article_set_t s;
    const char *why;

    CHECK(parse_str("\xC2\xA0\xE2\x80\x8B عنوان فقط \xE2\x80\x8F\n", &s,
                    &why) == ART_OK,
          "title only parses");
    CHECK(s.n == 1 && s.items[0].n_paragraphs == 0 &&
              s.items[0].paragraphs == NULL && !s.items[0].date &&
              !s.items[0].source && !s.items[0].keywords,
          "title only: no other field");
    CHECK_STR(s.n ? s.items[0].title : NULL, "عنوان فقط",
              "title trimmed of NBSP, ZWSP, RLM");
    article_set_free(&s);

    CHECK(parse_str("عنوان\nتاريخ النشر: 1st, July 2015 GMT", &s, &why) ==
              ART_OK,
          "title + date parses");
    CHECK(s.n == 1 && s.items[0].n_paragraphs == 0, "title + date: no body");
    CHECK_STR(s.n ? s.items[0].date : NULL, "2015-07-01", "title + date");
    article_set_free(&s);

    CHECK(parse_str("عنوان\nتاريخ النشر: 35th, July 2015 GMT\nنص\n", &s,
                    &why) == ART_OK &&
              s.n == 1 && s.items[0].date == NULL &&
              s.items[0].n_paragraphs == 1,
          "bad date: date NULL, line not a paragraph");
    article_set_free(&s);

    /* Invalid UTF-8 in Arabic text: each ill-formed sequence -> U+FFFD. */
    CHECK(parse_str("عنوان الخبر\nنص \xff\xfe عربي \xd9 مكسور \xe2\x80\n",
                    &s, &why) == ART_OK,
          "invalid UTF-8 parses");
    CHECK(s.flags == ART_FIXED_UTF8, "invalid UTF-8: flags %u", s.flags);
    CHECK_STR(s.n && s.items[0].n_paragraphs ? s.items[0].paragraphs[0]
                                             : NULL,
              "نص \xEF\xBF\xBD\xEF\xBF\xBD عربي \xEF\xBF\xBD مكسور "
              "\xEF\xBF\xBD",
              "U+FFFD in place of each bad sequence");
    article_set_free(&s);

    /* CR only, control characters. */
    CHECK(parse_str("عنوان\rسطر\x07 أول\x1b\rسطر ثان\xC2\x85\r", &s,
                    &why) == ART_OK,
          "CR line ends parse");
    CHECK(s.flags == (ART_FIXED_CRLF | ART_FIXED_CONTROLS),
          "CR + controls: flags %u", s.flags);
    CHECK(s.n == 1 && s.items[0].n_paragraphs == 2, "CR: two paragraphs");
    if (s.n == 1 && s.items[0].n_paragraphs == 2) {
        CHECK_STR(s.items[0].paragraphs[0], "سطر أول", "BEL/ESC removed");
        CHECK_STR(s.items[0].paragraphs[1], "سطر ثان", "C1 NEL removed");
    }
    article_set_free(&s);

    /* A later date line is body text; "قال المصدر:" in the main body too. */
    CHECK(parse_str("عنوان\nنص\nتاريخ النشر: 1st, July 2015 GMT\n"
                    "قال المصدر: لا تعليق\nالمصدر: سبق\n",
                    &s, &why) == ART_OK &&
              s.n == 1 && !s.items[0].date && s.items[0].n_paragraphs == 3,
          "date line after the body is a paragraph");
    CHECK_STR(s.n ? s.items[0].source : NULL, "سبق", "source after body");
    article_set_free(&s);
}

/* ---- the related section ---- */

static void test_related(void)
{
    article_set_t s;
    const char *why;

    const char *two =
        "العنوان الرئيسي\n"
        "تاريخ النشر: 2nd, August 2015 GMT\n"
        "نص الخبر الرئيسي.\n"
        "المصدر: الرياض\n"
        "إقرأ أيضاً:\n"
        "\n"
        "خبر أول ذو صلة\n"
        "نص الخبر الأول.\n"
        "المصدر: عكاظ\n"
        "اقرأ أيضا\n"
        "خبر ثان ذو صلةالمصدر: الوطن\n"
        "الفقرة الأولى.\n"
        "قال المصدر: لا جديد.\n"
        "كلمات دلالية: خبر ثان\n";
    CHECK(parse_str(two, &s, &why) == ART_OK && s.n == 3,
          "two markers: main + 2 related (n=%zu)", s.n);
    if (s.n == 3) {
        CHECK_STR(s.items[0].source, "الرياض", "main source kept");
        CHECK_STR(s.items[0].date, "2015-08-02", "main date");
        CHECK(s.items[0].n_paragraphs == 1, "main body");
        CHECK_STR(s.items[1].title, "خبر أول ذو صلة", "related 1 title");
        CHECK_STR(s.items[1].source, "عكاظ", "standalone source line");
        CHECK(s.items[1].related == 1 && s.items[1].n_paragraphs == 1,
              "related 1 numbering and body");
        CHECK_STR(s.items[2].title, "خبر ثان ذو صلة", "related 2 title");
        CHECK_STR(s.items[2].source, "الوطن", "related 2 glued source");
        CHECK_STR(s.items[2].keywords, "خبر ثان", "related 2 keywords");
        CHECK(s.items[2].related == 2 && s.items[2].n_paragraphs == 2,
              "related 2: \"قال المصدر:\" stays a paragraph");
    }
    article_set_free(&s);

    /* A glued title+source line starts a new related article. */
    const char *glued = "عنوان\nنص\nإقرأ أيضاً:\n"
                        "الأولالمصدر: أ\nنص أ\n"
                        "الثانيالمصدر: ب\nنص ب\nنص ب 2\n"
                        "الثالث بلا نصالمصدر: ج\n";
    CHECK(parse_str(glued, &s, &why) == ART_OK && s.n == 4,
          "glued lines split related articles (n=%zu)", s.n);
    if (s.n == 4) {
        CHECK(s.items[1].n_paragraphs == 1 && s.items[2].n_paragraphs == 2 &&
                  s.items[3].n_paragraphs == 0,
              "bodies 1/2/0");
        CHECK_STR(s.items[2].title, "الثاني", "second glued title");
        CHECK_STR(s.items[3].source, "ج", "title-only related source");
        CHECK(s.items[3].related == 3, "third related numbered 3");
    }
    article_set_free(&s);

    /* Marker spellings. */
    static const char *const markers[] = {
        "إقرأ أيضاً:", "اقرأ أيضا:", "إقرأ أيضا", "اقرأ ايضا",
        "اقرأ أيضًا :", "  إقرأ أيضاً:\xC2\xA0", "أقرأ أيضاً",
    };
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
        buf_t b = BUF_INIT;
        buf_printf(&b, "عنوان\nنص\n%s\nعنوان آخر\nنص آخر\n", markers[i]);
        article_status_t st = parse_str(b.data, &s, &why);
        CHECK(st == ART_OK && s.n == 2 && s.items[1].n_paragraphs == 1,
              "marker [%s] opens the related section", markers[i]);
        article_set_free(&s);
        buf_free(&b);
    }
    CHECK(parse_str("عنوان\nإقرأ أيضاً: آخر الأخبار\n", &s, &why) == ART_OK &&
              s.n == 1 && s.items[0].n_paragraphs == 1,
          "marker followed by text is a paragraph");
    article_set_free(&s);

    CHECK(parse_str("عنوان\nنص\nإقرأ أيضاً:\n\n  \n", &s, &why) == ART_OK &&
              s.n == 1,
          "empty related section: none");
    article_set_free(&s);
    CHECK(parse_str("عنوان\nإقرأ أيضاً:\nعنوان فقط", &s, &why) == ART_OK &&
              s.n == 2 && s.items[1].n_paragraphs == 0 &&
              s.items[1].source == NULL,
          "related title without body is kept");
    article_set_free(&s);
}

/* ---- dates ---- */

/* A paragraph-sized line (more than LINK_MAX bytes): one sentence, N times. */
static char *long_para(const char *sentence, int times)
{
    size_t n = strlen(sentence);
    char *p = malloc(times * (n + 1) + 1);
    p[0] = '\0';
    for (int i = 0; i < times; i++) {
        strcat(p, sentence);
        strcat(p, " ");
    }
    p[times * (n + 1) - 1] = '\0';
    return p;
}

/* Issue 14: "اقرأ أيضا:" in the middle of a body, then headline links,
 * then the body goes on: the links are dropped, the rest stays with the
 * main article, no related article appears. */
static void test_link_lists(void)
{
    article_set_t s;
    const char *why;
    char *p1 = long_para("قال الوزير إن المشروع سيبدأ العام المقبل.", 4);
    char *p2 = long_para("وأضاف أن التمويل جاهز وأن العمل سيستمر.", 4);
    char *p3 = long_para("وختم بأن النتائج ستعلن في مؤتمر صحفي.", 4);
    char text[8192];

    /* Two links, no trailer at all. */
    snprintf(text, sizeof text,
             "العنوان الرئيسي\n%s\nاقرأ أيضا:\nعنوان رابط أول\n"
             "عنوان رابط ثان\n%s\n%s\n", p1, p2, p3);
    CHECK(parse_str(text, &s, &why) == ART_OK && s.n == 1,
          "two links mid-body: one article (n=%zu)", s.n);
    if (s.n == 1) {
        CHECK(s.items[0].n_paragraphs == 3, "the body after the links "
              "stays (%zu paragraphs)", s.items[0].n_paragraphs);
        CHECK(s.items[0].n_paragraphs == 3 &&
                  strcmp(s.items[0].paragraphs[1], p2) == 0 &&
                  strcmp(s.items[0].paragraphs[2], p3) == 0,
              "the continuation in order");
    }
    article_set_free(&s);

    /* Three links with the marker's other spelling, then the trailer and
     * the seed's related section: links dropped, related kept. */
    snprintf(text, sizeof text,
             "العنوان الرئيسي\nتاريخ النشر: 2nd, August 2015 GMT\n%s\n"
             "إقرأ أيضاً:\nرابط أول\nرابط ثان\nرابط ثالث\n%s\n"
             "المصدر: الرياض\nكلمات دلالية: مشروع\nإقرأ أيضاً:\n"
             "خبر ذو صلة\n%s\n", p1, p2, p3);
    CHECK(parse_str(text, &s, &why) == ART_OK && s.n == 2,
          "links, then a related article (n=%zu)", s.n);
    if (s.n == 2) {
        CHECK(s.items[0].n_paragraphs == 2 &&
                  strcmp(s.items[0].paragraphs[1], p2) == 0,
              "main body goes on after the links");
        CHECK_STR(s.items[0].source, "الرياض", "main source after links");
        CHECK_STR(s.items[1].title, "خبر ذو صلة", "related title");
        CHECK(s.items[1].related == 1 && s.items[1].n_paragraphs == 1,
              "related body");
    }
    article_set_free(&s);

    /* One link: a link only because the main trailer comes later. */
    snprintf(text, sizeof text,
             "العنوان الرئيسي\n%s\nاقرأ أيضا\nرابط وحيد\n%s\n"
             "المصدر: عكاظ\n", p1, p2);
    CHECK(parse_str(text, &s, &why) == ART_OK && s.n == 1 &&
              s.items[0].n_paragraphs == 2,
          "one link before the trailer (n=%zu)", s.n);
    if (s.n == 1)
        CHECK_STR(s.items[0].source, "عكاظ", "trailer of the main article");
    article_set_free(&s);

    /* One title then a body to the end, no trailer: a related article,
     * as before. */
    snprintf(text, sizeof text,
             "العنوان الرئيسي\n%s\nإقرأ أيضاً:\nخبر ذو صلة\n%s\n", p1, p2);
    CHECK(parse_str(text, &s, &why) == ART_OK && s.n == 2 &&
              s.items[1].related == 1,
          "title and body after the marker: related (n=%zu)", s.n);
    article_set_free(&s);

    /* Headlines and nothing after them: related articles with no body. */
    snprintf(text, sizeof text,
             "العنوان الرئيسي\n%s\nاقرأ أيضا:\nرابط أول\nرابط ثان\n", p1);
    CHECK(parse_str(text, &s, &why) == ART_OK && s.n == 2,
          "headlines at the end: related (n=%zu)", s.n);
    article_set_free(&s);
    free(p1);
    free(p2);
    free(p3);
}

static void test_dates(void)
{
    static const struct {
        const char *in, *out;
    } ok[] = {
        {"29th, November 2023 GMT", "2023-11-29"},
        {"1st, July 2015 GMT", "2015-07-01"},
        {"2nd, August 2015 GMT", "2015-08-02"},
        {"3rd, July 2015 GMT", "2015-07-03"},
        {"21st, July 2015 GMT", "2015-07-21"},
        {"21st July 2015 GMT", "2015-07-21"},
        {"21st, July 2015", "2015-07-21"},
        {"  21ST, JULY 2015 gmt ", "2015-07-21"},
        {"5th, Sept 2016 GMT", "2016-09-05"},
        {"5 jan 2016", "2016-01-05"},
        {"12th, Dec. 2014 GMT", "2014-12-12"},
        {"29th, February 2024 GMT", "2024-02-29"},
        {"29th, February 2000 GMT", "2000-02-29"},
        {"31st, December 1999 GMT", "1999-12-31"},
    };
    static const char *const bad[] = {
        "31st, February 2023",     "29th, February 2023 GMT",
        "29th, February 1900 GMT", "31st, April 2020 GMT",
        "0th, July 2015 GMT",      "32nd, July 2015 GMT",
        "21st, Jully 2015 GMT",    "21st, July 15 GMT",
        "21xx, July 2015",
        "garbage",                 "",
        "21st, Ju 2015",
        "121st, July 2015",        "21st, July 20155",
    };
    char out[11];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        memset(out, 'x', sizeof out);
        int r = date_parse(ok[i].in, strlen(ok[i].in), out);
        CHECK(r == 1, "date [%s] accepted", ok[i].in);
        if (r)
            CHECK_STR(out, ok[i].out, "date [%s]", ok[i].in);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(date_parse(bad[i], strlen(bad[i]), out) == 0, "date [%s] rejected",
              bad[i]);
    CHECK(date_parse(NULL, 0, out) == 0, "NULL date rejected");
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : getenv("NEWSIDX_SRC");
    if (!root || !*root)
        root = ".";
    test_seed(root);
    test_rejects();
    test_small();
    test_related();
    test_link_lists();
    test_dates();
    return check_report("test_article");
}
