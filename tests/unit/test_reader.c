/*
 * test_reader.c: the readers of reader.h. File kinds; JSON lines with
 * malformed, huge and duplicate records, field names from the config, an
 * appended read from an offset, a half-written last line; JSON arrays;
 * RSS and Atom with hostile HTML (scripts, deep nesting, an entity bomb,
 * an external entity), CDATA, escaped markup; the json_fields setting.
 */
#include "reader.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

typedef struct bad_log {
    char text[4096];
    int n;
} bad_log_t;

static void on_bad(void *ctx, const char *where, const char *why)
{
    bad_log_t *l = ctx;
    size_t used = strlen(l->text);
    snprintf(l->text + used, sizeof l->text - used, "%s: %s\n", where, why);
    l->n++;
}

static int read_str(reader_kind_t kind, const char *s, size_t offset,
                    size_t line, const reader_fields_t *f, article_set_t *set,
                    reader_result_t *res, bad_log_t *log)
{
    memset(log, 0, sizeof *log);
    reader_opts_t o = {"dir/f.jsonl", offset, line, f, on_bad, log};
    const char *why = NULL;
    return reader_read(kind, s, strlen(s), &o, set, res, &why);
}

/* All of A's paragraphs joined by '|'. */
static const char *body(const article_t *a)
{
    static char out[8192];
    out[0] = '\0';
    for (size_t i = 0; i < a->n_paragraphs; i++) {
        if (i)
            strncat(out, "|", sizeof out - strlen(out) - 1);
        strncat(out, a->paragraphs[i], sizeof out - strlen(out) - 1);
    }
    return out;
}

static void test_kinds(void)
{
    CHECK(reader_kind_of("a/b.jsonl", "", 0) == READ_JSONL, "jsonl");
    CHECK(reader_kind_of("b.NDJSON", "", 0) == READ_JSONL, "ndjson");
    CHECK(reader_kind_of("b.json", " \n[{}]", 5) == READ_JSON, "json array");
    CHECK(reader_kind_of("b.json", "{}", 2) == READ_JSONL, "json object lines");
    CHECK(reader_kind_of("b.rss", "", 0) == READ_FEED, "rss");
    CHECK(reader_kind_of("b.atom", "", 0) == READ_FEED, "atom");
    const char *x = "<?xml version=\"1.0\"?>\n<!-- c -->\n<feed xmlns=\"x\">";
    CHECK(reader_kind_of("b.xml", x, strlen(x)) == READ_FEED, "xml feed");
    const char *y = "<?xml version=\"1.0\"?><html>";
    CHECK(reader_kind_of("b.xml", y, strlen(y)) == READ_ARTICLE,
          "xml not a feed");
    CHECK(reader_kind_of("b.txt", "[", 1) == READ_ARTICLE, "txt");
    CHECK(reader_kind_of("json", "[", 1) == READ_ARTICLE, "no extension");
    CHECK(reader_kind_of(".d/x", "[", 1) == READ_ARTICLE, "dot folder");
    CHECK(reader_maybe_many("x.Json") && !reader_maybe_many("x.txt"),
          "maybe many");
}

static void test_jsonl(void)
{
    article_set_t s;
    reader_result_t r;
    bad_log_t log;
    const char *text =
        "\xEF\xBB\xBF{\"id\": \"a\", \"title\": \"T1\", \"body\": \"p1\\np2\\r\\n\\np3\", "
        "\"date\": \"29 نوفمبر 2023\", \"source\": \"سبق\", \"tags\": [\"x\", \"y\"]}\n"
        "\n"
        "{\"title\": \"T2\", \"url\": \"https://u/2\", \"text\": [\"q1\", \"q2\"], "
        "\"published\": 1701244800}\n"
        "{\"title\": \"T3\", \"content\": \"<p>h1</p><p>h&amp;2</p>\"}\n"
        "not json\n"
        "{\"title\": \"T4\"\n"
        "\"a string\"\n"
        "{\"title\": \"\", \"body\": \"x\"}\n"
        "{\"id\": \"a\", \"title\": \"T1 again\", \"body\": \"dup\"}\n"
        "{\"title\": \"T\\u0007ab\\tc\\nd\", \"id\": 12, \"date\": \"bad\"}\n"
        "{\"title\": \"T5\", \"body\": \"half";
    CHECK(read_str(READ_JSONL, text, 0, 1, NULL, &s, &r, &log) == 0,
          "jsonl read");
    CHECK(s.n == 5, "five records read (%zu)", s.n);
    CHECK(r.bad == 4, "four bad records (%zu)", r.bad);
    CHECK(strstr(log.text, "line 5: malformed JSON") != NULL, "line 5 named");
    CHECK(strstr(log.text, "line 6: malformed JSON") != NULL, "line 6 named");
    CHECK(strstr(log.text, "line 7: not a JSON object") != NULL, "line 7");
    CHECK(strstr(log.text, "line 8: no title") != NULL, "line 8: empty title");
    CHECK(strstr(log.text, "line 11: incomplete last record") != NULL,
          "half a record: said");
    CHECK(r.end == strlen(text) - strlen("{\"title\": \"T5\", \"body\": \"half"),
          "read ends before the half record");
    CHECK(r.end_line == 11, "line at the end (%zu)", r.end_line);
    if (s.n == 5) {
        CHECK_STR(s.items[0].id, "a", "id field");
        CHECK_STR(body(&s.items[0]), "p1|p2|p3", "paragraphs from lines");
        CHECK_STR(s.items[0].date, "2023-11-29", "Arabic date");
        CHECK_STR(s.items[0].source, "سبق", "source");
        CHECK_STR(s.items[0].keywords, "x، y", "tags joined");
        CHECK_STR(s.items[1].id, "https://u/2", "url as id");
        CHECK_STR(body(&s.items[1]), "q1|q2", "array body");
        CHECK_STR(s.items[1].date, "2023-11-29", "epoch date");
        CHECK_STR(s.items[2].id, "dir/f.jsonl:4", "file and line as id");
        CHECK_STR(body(&s.items[2]), "h1|h&2", "HTML body");
        CHECK_STR(s.items[3].id, "a", "duplicate id kept (the build "
                  "makes it one document)");
        CHECK_STR(s.items[4].title, "Tab c d", "controls out, one line");
        CHECK_STR(s.items[4].id, "12", "numeric id");
        CHECK(s.items[4].date == NULL, "bad date: none");
        for (size_t i = 0; i < s.n; i++)
            CHECK(s.items[i].related == 0, "main articles");
    }
    article_set_free(&s);

    /* An appended read: from the offset, numbering lines on. */
    const char *more = "{\"title\": \"old\"}\n{\"title\": \"new\"}\n";
    CHECK(read_str(READ_JSONL, more, 17, 5, NULL, &s, &r, &log) == 0 &&
              s.n == 1, "from the offset");
    if (s.n == 1) {
        CHECK_STR(s.items[0].title, "new", "only the new line");
        CHECK_STR(s.items[0].id, "dir/f.jsonl:5", "its line number");
    }
    CHECK(r.end == strlen(more) && r.end_line == 6, "end of the read");
    article_set_free(&s);

    /* A huge record: a 4 MB body. */
    size_t big = 4u << 20;
    char *h = malloc(big + 64);
    strcpy(h, "{\"title\": \"big\", \"body\": \"");
    size_t at = strlen(h);
    for (size_t i = 0; i < big / 9; i++, at += 9)
        memcpy(h + at, "كلمة ", 9);
    strcpy(h + at, "\"}\n");
    CHECK(read_str(READ_JSONL, h, 0, 1, NULL, &s, &r, &log) == 0, "huge read");
    CHECK(s.n == 1 && s.items[0].n_paragraphs == 1 &&
              strlen(s.items[0].paragraphs[0]) == big / 9 * 9 - 1,
          "huge: one article, whole");
    article_set_free(&s);
    free(h);

    /* Field names from the config come first. */
    reader_fields_t f;
    buf_t why = BUF_INIT;
    CHECK(reader_fields_parse("title=headline_ar,body=txt,id=uid", &f, &why) == 0,
          "json_fields parsed");
    const char *other = "{\"headline_ar\": \"H\", \"title\": \"T\", "
                        "\"txt\": \"B\", \"uid\": \"u1\", \"id\": \"i1\"}\n";
    CHECK(read_str(READ_JSONL, other, 0, 1, &f, &s, &r, &log) == 0 && s.n == 1,
          "configured names");
    if (s.n == 1) {
        CHECK_STR(s.items[0].title, "H", "configured title first");
        CHECK_STR(body(&s.items[0]), "B", "configured body");
        CHECK_STR(s.items[0].id, "u1", "configured id");
    }
    article_set_free(&s);
    reader_fields_free(&f);
    CHECK(reader_fields_parse("titel=x", &f, &why) == -1 &&
              strstr(why.data, "titel=x") != NULL, "unknown field named");
    buf_reset(&why);
    CHECK(reader_fields_parse("title=", &f, &why) == -1, "empty name");
    buf_free(&why);
}

static void test_json_array(void)
{
    article_set_t s;
    reader_result_t r;
    bad_log_t log;
    CHECK(read_str(READ_JSON, "[{\"title\": \"A\"}, 3, {\"headline\": \"B\"}]",
                   0, 1, NULL, &s, &r, &log) == 0 && s.n == 2 && r.bad == 1,
          "array: two articles, one bad element");
    if (s.n == 2)
        CHECK_STR(s.items[1].id, "dir/f.jsonl:#3", "element number as id");
    CHECK(strstr(log.text, "record 2: not a JSON object") != NULL,
          "bad element named");
    article_set_free(&s);
    CHECK(read_str(READ_JSON, "[{\"title\": \"A\"", 0, 1, NULL, &s, &r,
                   &log) == -1 && s.n == 0, "truncated array refused");
    CHECK(read_str(READ_JSON, "{\"title\": \"A\"}", 0, 1, NULL, &s, &r,
                   &log) == -1, "an object is not an array");
}

static void test_feeds(void)
{
    article_set_t s;
    reader_result_t r;
    bad_log_t log;
    const char *rss =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE rss [\n"
        " <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
        "]>\n"
        "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
        " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
        "<channel><title>Feed &amp; Co</title>\n"
        "<item><title>External</title><guid>g1</guid>"
        "<description>x &xxe; y</description></item>\n"
        "<item><title>Hostile</title><link>https://l/2</link>"
        "<dc:date>2023-11-29T10:00:00Z</dc:date>"
        "<content:encoded><![CDATA[<p>one<script>evil()</script></p>"
        "<style>p{color:red}</style><div><p>two <b>bold</b> "
        "<a href=\"javascript:x\">link</a></p></div>"
        "<iframe src=\"http://x\">frame</iframe><p>th&#1585;ee &nbsp;&lt;b&gt;</p>"
        "<!-- comment --><img src=x onerror=alert(1)>]]></content:encoded>"
        "<category>c1</category><category>c2</category></item>\n"
        "<item><description>no title</description></item>\n"
        "<item><title>Plain</title><description>line one\nline two"
        "</description><source url=\"u\">Other paper</source></item>\n"
        "</channel></rss>\n";
    CHECK(read_str(READ_FEED, rss, 0, 1, NULL, &s, &r, &log) == 0,
          "hostile rss read");
    CHECK(s.n == 3 && r.bad == 1, "three items, one without title (%zu)",
          s.n);
    CHECK(strstr(log.text, "item 3: no title") != NULL, "bad item named");
    if (s.n == 3) {
        CHECK_STR(s.items[0].id, "g1", "guid");
        CHECK_STR(body(&s.items[0]), "x y", "no external entity read");
        CHECK_STR(s.items[0].source, "Feed & Co", "channel title");
        CHECK_STR(s.items[1].id, "https://l/2", "link as id");
        CHECK_STR(body(&s.items[1]), "one|two bold link|thرee <b>",
                  "HTML made text: scripts, styles, frames, tags gone");
        CHECK_STR(s.items[1].date, "2023-11-29", "dc:date");
        CHECK_STR(s.items[1].keywords, "c1، c2", "categories");
        CHECK_STR(body(&s.items[2]), "line one|line two",
                  "plain text keeps its lines");
        CHECK_STR(s.items[2].source, "Other paper", "item source");
        CHECK_STR(s.items[2].id, "dir/f.jsonl:#4", "number as id");
    }
    article_set_free(&s);

    /* An entity bomb: nothing expanded; the items before it are read and
     * the error is said with its line. */
    const char *bomb =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE rss [\n"
        " <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
        " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
        " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
        " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
        " <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
        "]>\n"
        "<rss><channel><item><title>Before</title></item>\n"
        "<item><title>Bomb &e; here</title></item>\n"
        "<item><title>After</title></item></channel></rss>\n";
    CHECK(read_str(READ_FEED, bomb, 0, 1, NULL, &s, &r, &log) == 0,
          "entity bomb read");
    CHECK(s.n >= 1 && strcmp(s.items[0].title, "Before") == 0,
          "item before the bomb read");
    for (size_t i = 0; i < s.n; i++)
        CHECK(strlen(s.items[i].title) < 64, "nothing expanded");
    CHECK(strstr(log.text, "line ") && strstr(log.text, "not well-formed XML"),
          "the error said: %s", log.text);
    article_set_free(&s);

    /* Deep nesting: no recursion, no crash. */
    size_t depth = 100000;
    char *deep = malloc(depth * 11 + 512);
    strcpy(deep, "<rss><channel><item><title>Deep</title><description>"
                 "<![CDATA[");
    char *end = deep + strlen(deep);
    for (size_t i = 0; i < depth; i++, end += 5)
        memcpy(end, "<div>", 5);
    strcpy(end, "core");
    strcat(deep, "]]></description></item></channel></rss>");
    CHECK(read_str(READ_FEED, deep, 0, 1, NULL, &s, &r, &log) == 0 && s.n == 1,
          "deep HTML read");
    article_set_free(&s);
    free(deep);

    const char *atom =
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title>"
        "<entry><title type=\"html\">&lt;i&gt;T&lt;/i&gt; &amp;amp; U</title>"
        "<id>urn:1</id><updated>2023-12-01T00:00:00Z</updated>"
        "<published>2023-11-30T00:00:00Z</published>"
        "<link rel=\"self\" href=\"https://self\"/><link href=\"https://alt\"/>"
        "<summary>s</summary><content type=\"text\">c &lt;p&gt; text</content>"
        "<category term=\"k\"/></entry>"
        "<entry><title>No id</title><link rel=\"self\" href=\"https://s2\"/>"
        "<link rel=\"alternate\" href=\"https://a2\"/></entry></feed>";
    CHECK(read_str(READ_FEED, atom, 0, 1, NULL, &s, &r, &log) == 0 && s.n == 2,
          "atom read");
    if (s.n == 2) {
        CHECK_STR(s.items[0].title, "T & U", "html title");
        CHECK_STR(s.items[0].date, "2023-11-30", "published first");
        CHECK_STR(s.items[0].keywords, "k", "category term");
        CHECK_STR(s.items[1].id, "https://a2", "alternate link as id");
    }
    article_set_free(&s);

    CHECK(read_str(READ_FEED, "<html><body/></html>", 0, 1, NULL, &s, &r,
                   &log) == -1, "not a feed");
    CHECK(read_str(READ_FEED, "\x01\x02 not xml", 0, 1, NULL, &s, &r, &log) == -1,
          "not XML");
    CHECK(read_str(READ_FEED, "<rss><channel></channel></rss>", 0, 1, NULL,
                   &s, &r, &log) == 0 && s.n == 0, "an empty feed is no error");
}

int main(void)
{
    test_kinds();
    test_jsonl();
    test_json_array();
    test_feeds();
    return check_report("test_reader");
}
