#!/bin/sh
# newsq's options and its contract with scripts: sorting, date and source
# filters, --count, collapse, offsets, snippets and their highlight offsets,
# suggestions, --explain, --new-since, colour rules, and a query racing a
# build's commit.
. "$(dirname "$0")/lib.sh"

make_news_corpus "$T_TMP/c"
db="$T_TMP/db"
"$NEWSIDX" build --quiet --corpus "$T_TMP/c" --db "$db"
q() { "$NEWSQ" --db "$db" "$@"; }
ids() { q --format ids --limit 50 "$@" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }

# Sorting and date filters (a5#1 has no date of its own).
expect_eq "--sort date (undated first)" "$(ids --sort date -- 'غزة OR الهلال')" "a5#1 a1 a5 a2 a4"
expect_eq "--sort -date" "$(ids --sort -date -- 'غزة OR الهلال')" "a4 a2 a5 a1 a5#1"
expect_eq "--since" "$(ids --sort date --since 2015-08 -- 'غزة OR الهلال')" "a5 a2 a4"
expect_eq "--until" "$(ids --sort date --until 2015-08-02 -- 'غزة OR الهلال')" "a1 a5"
expect_eq "--since and --until" "$(ids --since 2015-08-10 --until 2015-08-31 -- 'غزة OR الهلال')" "a2"
q --since 2015-14 غزة >/dev/null 2>"$T_TMP/err"; expect_eq "bad --since" "$?" 2
expect_match "bad --since named" "$(cat "$T_TMP/err")" "since"
expect_eq "--source" "$(ids --source عكاظ -- غزة)" "a1"
expect_eq "--source twice: any" "$(ids --sort date --source عكاظ --source سبق -- غزة)" "a1 a4"
q --sort sideways غزة >/dev/null 2>&1; expect_eq "bad --sort" "$?" 2

# Counting and collapsing identical articles (a2 and a6).
expect_eq "--count" "$(q --count -- الهلال)" 1
expect_eq "--count --no-collapse" "$(q --count --no-collapse -- الهلال)" 2
expect_eq "--count, nothing" "$(q --count -- كلمةغيرموجودة 2>/dev/null)" 0
q --count -- كلمةغيرموجودة >/dev/null 2>&1; expect_eq "--count, nothing: exit 1" "$?" 1
expect_eq "--count json" "$(q --count --format json -- الهلال)" '{"type":"count","count":1}'
expect_eq "--offset past the end" "$(ids --offset 5 -- الهلال)" ""

# Related articles never come before the article of their file.
out=$(ids -- 'غزة')
expect_match "parent before its related article" "$out" "a5 .*a5#1"

# Snippets: highlight offsets point at the ORIGINAL words, harakat and
# tatweel included; stopwords are not marked.
q --format json -- 'الهدنة في غزة' >"$T_TMP/hl.json"
python3 - "$T_TMP/hl.json" <<'PY' && ok || fail "highlight offsets"
import json, sys
hits = {}
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    hits[o["id"]] = o
h = hits["a4"]
snip = h["snippet"].encode("utf-8")
marked = [snip[s:e].decode("utf-8") for s, e in h["highlights"]]
assert "الهُدْنَـــةِ" in marked, marked
assert "غزةَ" in marked, marked
assert "في" not in marked, marked
for o in hits.values():
    b = o["snippet"].encode("utf-8")
    for s, e in o["highlights"]:
        b[s:e].decode("utf-8")
PY
out=$(q --limit 1 -- 'الهدنة غزة')
expect_match "plain markers when piped" "$out" "\[الهدنة\]"
if command -v script >/dev/null 2>&1; then
    tty_out=$(TERM=xterm script -qec "'$NEWSQ' --db '$db' --limit 1 -- غزة" /dev/null 2>/dev/null)
    case "$tty_out" in *"$(printf '\033[1m')"*) ok ;; *) fail "bold on a terminal" ;; esac
    tty_out=$(NO_COLOR=1 TERM=xterm script -qec "'$NEWSQ' --db '$db' --limit 1 -- غزة" /dev/null 2>/dev/null)
    case "$tty_out" in *"$(printf '\033')"*) fail "NO_COLOR on a terminal" ;; *) ok ;; esac
fi

# Zero hits: a suggestion from the index's words, on stderr and in JSON.
out=$(q --format json -- 'المفاوضاث' 2>"$T_TMP/err")
expect_eq "misspelling: exit 1" "$?" 1
expect_match "suggestion on stderr" "$(cat "$T_TMP/err")" "did you mean: المفاوضات"
python3 -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["type"]=="suggestion" and o["suggestion"]=="المفاوضات", o' "$out" && ok || fail "suggestion record"

# --explain: the parsed query, the words, and per-part weights summing to
# the score.
q --explain --limit 1 -- 'الهدنة غزة' >"$T_TMP/ex.txt"
expect_match "explain: words" "$(cat "$T_TMP/ex.txt")" "الهدنه → الهدنه Zهدن"
expect_match "explain: parts" "$(cat "$T_TMP/ex.txt")" "score [0-9.]+ = body"
q --explain --format json --limit 2 -- 'الهدنة غزة' >"$T_TMP/ex.json"
python3 - "$T_TMP/ex.json" <<'PY' && ok || fail "explain json"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert lines[0]["type"] == "explain" and "الهدنه" in lines[0]["words"]
for h in lines[1:]:
    total = sum(h["explain"].values())
    assert abs(total - h["score"]) < 1e-3 * max(1, h["score"]), (total, h["score"])
PY

# --new-since: only articles indexed after the previous run.
st="$T_TMP/state"
expect_eq "new-since: first run" "$(ids --new-since "$st" -- الهلال OR غزة | wc -w)" 5
[ -f "$st" ] && ok || fail "state file written"
q --format ids --new-since "$st" -- 'الهلال OR غزة' >/dev/null 2>&1
expect_eq "new-since: nothing new, exit 1" "$?" 1
printf 'غزة تستقبل قافلة مساعدات\nوصلت قافلة مساعدات إلى غزة.\n' >"$T_TMP/c/a7.txt"
"$NEWSIDX" build --quiet --corpus "$T_TMP/c" --db "$db"
expect_eq "new-since: the new article only" "$(ids --new-since "$st" -- 'الهلال OR غزة')" "a7"
expect_eq "new-since: then nothing" "$(ids --new-since "$st" -- 'الهلال OR غزة')" ""
echo garbage >"$T_TMP/bad-state"
q --new-since "$T_TMP/bad-state" غزة >/dev/null 2>&1; expect_eq "bad state file: exit 2" "$?" 2

# A file that loses its related article loses that document too.
sed '/إقرأ أيضاً/,$d' "$T_TMP/c/a5.txt" >"$T_TMP/a5" && mv "$T_TMP/a5" "$T_TMP/c/a5.txt"
"$NEWSIDX" build --quiet --corpus "$T_TMP/c" --db "$db"
expect_eq "dropped related article is gone" "$(q --count -- 'title:تصمد' 2>/dev/null)" 0
expect_eq "its file's article stays" "$(q --count -- 'title:القاهرة' 2>/dev/null)" 1

# A query racing builds that commit: it never fails.
( for i in 1 2 3 4 5; do "$NEWSIDX" build --quiet --corpus "$T_TMP/c" --db "$db"; done ) &
bg=$!
fails=0
for i in $(seq 1 40); do
    q --format ids -- غزة >/dev/null 2>>"$T_TMP/race" || fails=$((fails + 1))
done
wait $bg
expect_eq "queries during builds all succeed" "$fails" 0
finish
