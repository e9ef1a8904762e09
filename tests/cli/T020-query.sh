#!/bin/sh
# newsq on the sample corpus: the seed article found however its words are
# spelled, the related article as its own hit, formats, exit statuses.
. "$(dirname "$0")/lib.sh"

db="$T_TMP/db"
"$NEWSIDX" build --quiet --corpus "$NEWSIDX_SRC/corpus" --db "$db"
seed=000_88b3e027f580fa3f

first_id() { "$NEWSQ" --db "$db" --format ids --limit 1 -- "$@" | head -n 1; }

expect_eq "الهدنة غزة → seed first" "$(first_id 'الهدنة غزة')" "$seed"
expect_eq "الهدنه غزه (ha for ta marbuta) → seed first" "$(first_id 'الهدنه غزه')" "$seed"
expect_eq "اوكرانيا (bare alef) → seed first" "$(first_id 'اوكرانيا')" "$seed"
expect_eq "سلطان عمان → the related article" "$(first_id 'سلطان عمان')" "$seed#1"
expect_eq "NEWSIDX_DB used by newsq" "$(NEWSIDX_DB="$db" "$NEWSQ" --format ids --limit 1 غزة)" "$seed"

# A word found nowhere: exit 1, nothing on stdout, a message on stderr.
out=$("$NEWSQ" --db "$db" -- كلمةغيرموجودة 2>"$T_TMP/err")
expect_eq "no hits exit 1" "$?" 1
expect_eq "no hits: stdout empty" "$out" ""
expect_match "no hits: stderr says so" "$(cat "$T_TMP/err")" "no match"

# JSON: one object per line, checked by a real parser.
"$NEWSQ" --db "$db" --format json -- "الهدنة غزة" >"$T_TMP/out.json"
expect_eq "json exit 0" "$?" 0
python3 - "$T_TMP/out.json" "$seed" <<'PY' && ok || fail "json schema"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 2, lines
for i, line in enumerate(lines, 1):
    o = json.loads(line)
    for k in ("rank", "id", "path", "title", "date", "source", "score", "snippet", "highlights"):
        assert k in o, k
    assert o["rank"] == i
    assert isinstance(o["score"], (int, float))
    snip = o["snippet"].encode("utf-8")
    for s, e in o["highlights"]:
        assert 0 <= s < e <= len(snip)
        snip[s:e].decode("utf-8")  # never splits a UTF-8 sequence
first = json.loads(lines[0])
assert first["id"] == sys.argv[2]
assert first["date"] == "2023-11-29"
assert first["source"] == "البوابة نيوز"
assert first["title"].startswith("وزير الخارجية الأمريكي")
assert first["path"].endswith(sys.argv[2] + ".txt")
marked = [first["snippet"].encode()[s:e].decode() for s, e in first["highlights"]]
assert "الهدنة" in marked and "غزة" in " ".join(marked), marked
second = json.loads(lines[1])
assert second["related"] is True and second["parent"] == sys.argv[2]
PY

# text: rank, title, date, source, path, snippet; no colour when piped.
out=$("$NEWSQ" --db "$db" --limit 1 -- الهدنة)
expect_match "text shows rank and title" "$out" "^1\. وزير الخارجية"
expect_match "text shows date and source" "$out" "2023-11-29 · البوابة نيوز"
expect_match "text shows the path" "$out" "$seed\.txt"
if printf '%s' "$out" | grep -q "$(printf '\033')"; then fail "no escape codes when piped"; else ok; fi

out=$("$NEWSQ" --db "$db" --format tsv -- غزة)
expect_eq "tsv: two lines" "$(printf '%s\n' "$out" | wc -l)" 2
expect_eq "tsv: seven fields" "$(printf '%s\n' "$out" | head -n 1 | awk -F'\t' '{print NF}')" 7
expect_eq "--limit 1" "$("$NEWSQ" --db "$db" --format ids --limit 1 -- غزة | wc -l)" 1
expect_eq "--offset 1" "$("$NEWSQ" --db "$db" --format ids --offset 1 -- غزة)" "$seed#1"

# Usage errors exit 2; a missing index exits 3 with a hint.
"$NEWSQ" --db "$db" >/dev/null 2>&1; expect_eq "no query" "$?" 2
"$NEWSQ" --db "$db" --format xml غزة >/dev/null 2>&1; expect_eq "bad format" "$?" 2
"$NEWSQ" --db "$db" --limit -3 غزة >/dev/null 2>&1; expect_eq "bad limit" "$?" 2
"$NEWSQ" --db "$T_TMP/missing" غزة >/dev/null 2>"$T_TMP/err"; expect_eq "missing index" "$?" 3
expect_match "missing index hint" "$(cat "$T_TMP/err")" "newsidx build"
# `--` ends the options: a query may begin with a dash.
"$NEWSQ" --db "$db" --format ids -- -غزة >/dev/null 2>&1
rc=$?; [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] && ok || fail "query after -- starting with a dash (exit $rc)"
finish
