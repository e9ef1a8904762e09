#!/bin/sh
# examples/ (issue 8): the crontab's job, run by hand as cron would run it,
# reports each saved query's new articles once and is silent when nothing
# is new; newsq-alerts' -i and -m; json2csv makes CSV that a CSV reader
# reads back; the systemd units pass systemd-analyze.
. "$(dirname "$0")/lib.sh"
unset XDG_CONFIG_HOME NEWSIDX_CONFIG NEWSIDX_CORPUS NEWSIDX_LIMIT NEWSIDX_FORMAT
export LC_ALL=C
ex="$NEWSIDX_SRC/examples"
bin="$T_TMP/bin"
mkdir -p "$bin"
ln -s "$NEWSIDX" "$bin/newsidx"
ln -s "$NEWSQ" "$bin/newsq"
make_news_corpus "$T_TMP/articles"
cat >"$T_TMP/queries" <<'EOF'
# saved queries
truce   الهدنة غزة
clubs	الهلال أو النصر

nothing كلمةغيرموجودة
EOF

# 1. The crontab's job line, with the crontab's variables pointed here.
job=$(sed -n 's/^\*\/10 \* \* \* \* //p' "$ex/crontab")
expect_match "crontab: a job every 10 minutes" "$job" 'newsidx build .*newsq-alerts|ALERTS'
for v in NEWSIDX_DB NEWSIDX_CORPUS QUERIES STATE LOG ALERTS MAILTO; do
    grep -q "^$v=" "$ex/crontab" && ok || fail "crontab sets $v"
done
cronjob() {
    env PATH="$bin:/usr/bin:/bin" NEWSIDX_DB="$T_TMP/index" \
        NEWSIDX_CORPUS="$T_TMP/articles" QUERIES="$T_TMP/queries" \
        STATE="$T_TMP/state" LOG="$T_TMP/build.log" ALERTS="$ex/newsq-alerts" \
        sh -c "$job"
}
out=$(cronjob 2>"$T_TMP/err")
expect_eq "first run: exit 0" "$?" 0
expect_eq "first run: stderr empty" "$(cat "$T_TMP/err")" ""
expect_eq "first run: one section per query with news" \
    "$(printf '%s\n' "$out" | grep '^== ')" "== truce: الهدنة غزة (5 new)
== clubs: الهلال أو النصر (1 new)"
expect_match "first run: the articles" "$out" "^1\. اتفاق الهدنة في غزة$"
[ -s "$T_TMP/state/truce.state" ] && ok || fail "state file written"
expect_eq "second run: silent (cron sends no mail)" "$(cronjob 2>&1)" ""
cat >"$T_TMP/articles/b1.txt" <<'EOF'
تمديد الهدنة في غزة يومين
تاريخ النشر: 3rd, October 2015 GMT
أعلن الوسطاء تمديد الهدنة في قطاع غزة يومين إضافيين.
المصدر: عكاظ
EOF
out=$(cronjob 2>&1)
expect_eq "after a new article: only it" "$out" "== truce: الهدنة غزة (1 new)

1. تمديد الهدنة في غزة يومين
   2015-10-03 · عكاظ
   $T_TMP/articles/b1.txt
   أعلن الوسطاء تمديد [الهدنة] في قطاع [غزة] يومين إضافيين."
: >"$T_TMP/articles/empty.txt"
expect_eq "a bad file: warnings go to LOG, not to the mail" "$(cronjob 2>&1)" ""
expect_match "LOG has the warning" "$(cat "$T_TMP/build.log")" "empty\.txt: skipped"
rm "$T_TMP/articles/empty.txt"

# 2. newsq-alerts alone: -i records the state silently; -m mails.
alerts() { env PATH="$bin:/usr/bin:/bin" NEWSIDX_DB="$T_TMP/index" sh "$ex/newsq-alerts" "$@"; }
expect_eq "-i: silent" "$(alerts -i -s "$T_TMP/st2" "$T_TMP/queries" 2>&1)" ""
expect_eq "-i: then nothing is new" "$(alerts -s "$T_TMP/st2" "$T_TMP/queries" 2>&1)" ""
cat >"$bin/mail" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >"$T_TMP/mail.args"
cat >"$T_TMP/mail.body"
EOF
chmod +x "$bin/mail"
expect_eq "-m: nothing on stdout" "$(alerts -m desk@example.org -s "$T_TMP/st3" "$T_TMP/queries")" ""
expect_eq "-m: mail(1) called" "$(cat "$T_TMP/mail.args" 2>/dev/null)" "-s newsidx: 7 new articles desk@example.org"
expect_match "-m: the report is the body" "$(cat "$T_TMP/mail.body" 2>/dev/null)" "^== clubs: "
printf 'bad/name غزة\nlonely\n' >"$T_TMP/badq"
alerts -s "$T_TMP/st4" "$T_TMP/badq" >/dev/null 2>"$T_TMP/err"
expect_eq "bad saved queries: exit 1" "$?" 1
expect_eq "bad saved queries: named" "$(cat "$T_TMP/err")" \
    "newsq-alerts: $T_TMP/badq:1: the name must be letters, digits, - or _: 'bad/name'
newsq-alerts: $T_TMP/badq:2: no query after 'lonely'"
alerts "$T_TMP/nonexistent" >/dev/null 2>&1
expect_eq "missing queries file: exit 2" "$?" 2
env PATH="$bin:/usr/bin:/bin" NEWSIDX_DB="$T_TMP/none" sh "$ex/newsq-alerts" -s "$T_TMP/st5" "$T_TMP/queries" >/dev/null 2>"$T_TMP/err"
expect_eq "no index: exit 1" "$?" 1
expect_match "no index: newsq's message, then which query" "$(cat "$T_TMP/err")" "newsq-alerts: .*queries:2: newsq failed \(exit 3\) for 'truce'"

# 3. json2csv: CSV that a reader gets the hits back from.
if command -v jq >/dev/null 2>&1; then
    cat >"$T_TMP/articles/q1.txt" <<'EOF'
عنوان فيه "اقتباس"، وفاصلة, وكلمة الهدنة
تاريخ النشر: 4th, October 2015 GMT
نص عن الهدنة.
EOF
    env NEWSIDX_DB="$T_TMP/index" "$NEWSIDX" build --quiet --corpus "$T_TMP/articles"
    "$NEWSQ" --db "$T_TMP/index" --format json --explain --limit 20 -- الهدنة >"$T_TMP/hits.json"
    sh "$ex/json2csv" <"$T_TMP/hits.json" >"$T_TMP/hits.csv"
    expect_eq "json2csv: exit 0" "$?" 0
    python3 - "$T_TMP/hits.json" "$T_TMP/hits.csv" <<'PY' && ok || fail "json2csv: CSV reads back as the hits"
import csv, json, sys
hits = [o for o in map(json.loads, open(sys.argv[1], encoding="utf-8")) if "type" not in o]
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8", newline="")))
assert len(rows) == len(hits) > 3, (len(rows), len(hits))
for h, r in zip(hits, rows):
    assert r["id"] == h["id"] and r["title"] == h["title"], (r, h)
    assert r["snippet"] == h["snippet"] and int(r["rank"]) == h["rank"]
    assert r["date"] == (h["date"] or "") and r["parent"] == (h["parent"] or "")
    assert r["related"] == ("true" if h["related"] else "false")
assert any('"اقتباس"،' in r["title"] for r in rows), "quotes and commas survive"
PY
    expect_eq "json2csv --bom: starts with a BOM" \
        "$(sh "$ex/json2csv" --bom <"$T_TMP/hits.json" | head -c 3 | od -An -tx1 | tr -d ' ')" "efbbbf"
    expect_eq "json2csv: no hits, just the header" \
        "$(printf '{"type":"suggestion","query":"x","suggestion":"y"}\n' | sh "$ex/json2csv")" \
        "rank,id,date,source,title,path,score,related,parent,snippet"
fi

# 4. The systemd units.
if command -v systemd-analyze >/dev/null 2>&1; then
    mkdir -p "$T_TMP/units"
    cp "$ex/newsidx.service" "$ex/newsidx.timer" "$T_TMP/units/"
    # (verify checks that the program exists: the one just built)
    sed "s|/usr/bin/newsq|$NEWSQ|" "$ex/newsq-serve.service" >"$T_TMP/units/newsq-serve.service"
    out=$(cd "$T_TMP/units" && systemd-analyze verify --man=no ./newsidx.timer ./newsidx.service ./newsq-serve.service 2>&1)
    expect_eq "systemd-analyze verify" "$out" ""
fi
finish
