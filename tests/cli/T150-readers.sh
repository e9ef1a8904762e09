#!/bin/sh
# Input formats (issue 14): one folder mixing the article format, JSON
# lines, a JSON array, RSS, Atom and an .xml feed builds in one run; each
# article is found with its date and source; a malformed JSON line is
# reported with its file and line and skipped, the rest indexed; records
# repeated in a file or items repeated in a newer copy of a feed are one
# article; an appended JSON lines file is read from where the last build
# stopped; a file changed otherwise loses the articles it no longer holds;
# Hijri dates in date: and --since; a "read also" link list mid-body.
. "$(dirname "$0")/lib.sh"

c="$T_TMP/c"
db="$T_TMP/db"
mkdir -p "$c"
cp "$NEWSIDX_SRC/corpus/000_88b3e027f580fa3f.txt" "$c/"
build() { "$NEWSIDX" build --corpus "$c" --db "$db" "$@"; }
ids() { "$NEWSQ" --db "$db" --format ids --limit 100 "$@" | sort | tr '\n' ' '; }
# field ID KEY: KEY of the article ID in newsq --format json
field() {
    "$NEWSQ" --db "$db" --format json --limit 100 -- "$3" |
        python3 -c 'import json,sys
for l in sys.stdin:
    d=json.loads(l)
    if d["id"]==sys.argv[1]: print(d.get(sys.argv[2]) or "")' "$1" "$2"
}

cat >"$c/news.jsonl" <<'J'
{"id": "j1", "title": "وزير الخارجية يزور الرياض", "body": "وصل وزير الخارجية إلى الرياض اليوم.\nوبحث مع نظيره العلاقات الثنائية.", "date": "2023-11-29T10:00:00+03:00", "source": "سبق", "tags": ["سياسة", "الرياض"]}
{"headline": "افتتاح معرض الكتاب في جدة", "text": "<p>افتتح معرض الكتاب <b>الدولي</b> في جدة.</p><p>ويشارك فيه خمسمائة ناشر.</p>", "published": "الأحد 15 ربيع الأول 1445 هـ", "site": "عكاظ", "link": "https://example.com/2"}
{"title": broken
{"title": "خبر مكرر عن الزراعة", "content": "نمت الزراعة في القصيم.", "pubDate": "Wed, 29 Nov 2023 14:03:00 +0300", "source": "الاقتصادية", "id": 77}
{"title": "خبر مكرر عن الزراعة", "content": "نمت الزراعة في القصيم.", "pubDate": "Wed, 29 Nov 2023 14:03:00 +0300", "source": "الاقتصادية", "id": 77}
[1, 2]
{"body": "نص بلا عنوان"}
J
cat >"$c/list.json" <<'J'
[{"title": "مهرجان التمور في بريدة", "article": ["انطلق مهرجان التمور.", "ويستمر أسبوعين."], "date": "٢ ديسمبر ٢٠٢٣", "source": {"name": "اليوم"}}]
J
cat >"$c/paper.rss" <<'R'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>صحيفة الوطن</title>
<item><title>أمطار غزيرة على مكة المكرمة</title><link>https://example.com/rain</link><guid>rain-1</guid>
<pubDate>Thu, 30 Nov 2023 08:00:00 GMT</pubDate>
<description>ملخص قصير</description>
<content:encoded><![CDATA[<p>هطلت أمطار غزيرة على مكة.</p><script>document.write("سكربت")</script><style>p{}</style><p>وحذر الدفاع المدني &amp; السكان.</p>]]></content:encoded>
<category>طقس</category></item>
<item><title>انتخابات البلدية في حائل</title><link>https://example.com/vote</link>
<pubDate>1 تشرين الثاني 2023</pubDate><description>&lt;p&gt;بدأ التصويت في حائل.&lt;/p&gt;</description></item>
</channel></rss>
R
cat >"$c/summit.atom" <<'A'
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>الشرق الأوسط</title>
<entry><title type="html">قمة &lt;i&gt;عربية&lt;/i&gt; في القاهرة</title><id>tag:x,2023:q1</id>
<link rel="alternate" href="https://example.com/q1"/><published>2023-12-02T09:00:00Z</published>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>انعقدت القمة العربية في القاهرة.</p><p>وناقش القادة الأوضاع.</p></div></content>
<category term="سياسة"/></entry>
</feed>
A
# An .xml feed (by its root), and an .xml that is no feed (an article).
sed 's/rain-1/rain-xml/; s/مكة المكرمة/الطائف/; s/على مكة/على الطائف/' "$c/paper.rss" >"$c/feed.xml"
cat >"$c/links.txt" <<'T'
مشروع المترو في الرياض
تاريخ النشر: 25 نوفمبر 2023
قال المسؤولون إن مشروع المترو في الرياض سيبدأ تشغيله التجريبي قريبا بعد اكتمال جميع المحطات والخطوط الرئيسية في المدينة.
اقرأ أيضا:
عنوان رابط أول عن الطرق
عنوان رابط ثان عن الحافلات
وأضاف المسؤولون أن المترو سيخدم ملايين الركاب يوميا وسيخفف الزحام في شوارع العاصمة بشكل كبير خلال السنوات المقبلة.
المصدر: الرياض
T

out=$(build 2>&1)
rc=$?
expect_eq "mixed folder: exit 1 (a bad record)" "$rc" 1
expect_match "malformed line named with file and line" "$out" \
    'news\.jsonl: line 3: skipped: malformed JSON'
expect_match "a record that is no object" "$out" 'news\.jsonl: line 6: skipped: not a JSON object'
expect_match "a record without title" "$out" 'news\.jsonl: line 7: skipped: no title'
# seed 2 + news 3 (77 twice is one) + list 1 + rss 2 + atom 1 + links 1 +
# xml 1 (its second item has the same link as paper.rss's: one article)
expect_match "every article indexed" "$out" '^7 files, 11 documents, 1 errors'

expect_eq "jsonl: by id" "$(ids -- يزور)" "j1 "
expect_eq "jsonl: date" "$(field j1 date الرياض)" "2023-11-29"
expect_eq "jsonl: source" "$(field j1 source الرياض)" "سبق"
expect_eq "jsonl: tags are keywords" "$(ids -- tag:سياسة)" "j1 tag:x,2023:q1 "
expect_eq "jsonl: url as id, Hijri date" "$(field https://example.com/2 date معرض)" "2023-09-30"
expect_eq "jsonl: HTML body made text" "$(field https://example.com/2 source الدولي)" "عكاظ"
expect_eq "jsonl: duplicate records are one article" "$(ids --no-collapse -- الزراعة)" "77 "
expect_eq "json array: Arabic-Indic date" "$(field list.json:#1 date التمور)" "2023-12-02"
expect_eq "json array: source object" "$(field list.json:#1 source التمور)" "اليوم"
expect_eq "rss: guid as id, content:encoded" "$(ids -- هطلت)" "rain-1 rain-xml "
expect_eq "rss: date" "$(field rain-1 date هطلت)" "2023-11-30"
expect_eq "rss: channel title is the source" "$(field rain-1 source هطلت)" "صحيفة الوطن"
expect_eq "rss: scripts are no text" "$(ids -- سكربت)" ""
expect_eq "rss: the description gave way" "$(ids -- ملخص)" ""
expect_eq "rss: escaped HTML, Levantine date" "$(field https://example.com/vote date التصويت)" "2023-11-01"
expect_eq "atom: xhtml content" "$(field tag:x,2023:q1 date القادة)" "2023-12-02"
expect_eq "atom: html title" "$(field tag:x,2023:q1 title القادة)" "قمة عربية في القاهرة"
expect_eq "link list: body after it stays" "$(ids -- الزحام)" "links "
expect_eq "link list: no article from a link" "$(ids -- الحافلات)" ""
expect_eq "Hijri date: date:1445-03هـ" "$(ids -- 'date:1445-03هـ' معرض)" "https://example.com/2 "
expect_eq "Hijri --since" "$(ids --since 1445-05هـ -- المترو)" "links "
expect_eq "Hijri --until" "$(ids --until 1445-04هـ -- المترو)" ""

# Appended: only the new line is read (a dry run counts what it would read).
printf '%s\n' '{"id": "j9", "title": "خبر مضاف عن التعليم", "body": "أعلنت وزارة التعليم موعد الاختبارات.", "date": "2023-12-03"}' >>"$c/news.jsonl"
out=$(build --dry-run 2>&1)
expect_match "appended: one article to read" "$out" '1 to read \(1 articles\)'
out=$(build 2>&1)
expect_match "appended: one more document" "$out" '^7 files, 12 documents'
expect_eq "appended: the new record" "$(ids -- التعليم)" "j9 "
expect_eq "appended: the old ones stay" "$(ids -- يزور)" "j1 "

# A record being written (no line end yet): left for the next build.
printf '%s' '{"id": "j10", "title": "خبر نصف مكتوب' >>"$c/news.jsonl"
out=$(build 2>&1)
expect_match "half a record: said" "$out" 'line 9: skipped: incomplete last record'
printf '%s\n' ' عن الصحة", "body": "افتتح مستشفى جديد."}' >>"$c/news.jsonl"
out=$(build 2>&1)
expect_eq "half a record: read when whole" "$(ids -- مستشفى)" "j10 "

# Changed otherwise: the whole file read again, gone records removed.
sed -i '/"j1"/d' "$c/news.jsonl"
out=$(build 2>&1)
expect_eq "rewritten: a removed record is gone" "$(ids -- يزور)" ""
expect_eq "rewritten: the others stay" "$(ids -- التعليم)" "j9 "

# A newer copy of the feed: the item met again stays one article, owned by
# both files; removing the older copy keeps it.
sed 's/rain-xml/rain-1/; s/الطائف/مكة المكرمة/g' "$c/feed.xml" >"$c/paper-2.rss"
out=$(build 2>&1)
expect_eq "feed copy: one article" "$(ids --no-collapse -- هطلت)" "rain-1 rain-xml "
rm "$c/paper.rss"
out=$(build 2>&1)
expect_eq "feed copy: older removed, item stays" "$(ids --no-collapse -- هطلت)" "rain-1 rain-xml "
rm "$c/paper-2.rss"
out=$(build 2>&1)
expect_eq "feed copies all gone: item gone" "$(ids --no-collapse -- هطلت)" "rain-xml "

# Not a feed, not JSON: a clear error naming the file, the rest indexed.
printf '<html><body>x</body></html>\n' >"$c/bad.rss"
printf '{"a": \n' >"$c/bad.json"
printf '[{"title": "x"}, 3' >"$c/bad2.json"
out=$(build 2>&1)
expect_match "bad feed named" "$out" 'bad\.rss: skipped: XML, but not an RSS or Atom feed'
expect_match "bad JSON array named" "$out" 'bad2\.json: line 1: skipped: malformed JSON'
finish
