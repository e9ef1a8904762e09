#!/bin/sh
# newsq --facets (issue 13): the number of matches and the counts by source
# and month of the whole matching set (a match spy), in text and as one
# JSON record before the hits; duplicates counted once as they are shown;
# filters narrow the counts; the same counts whatever the page.
. "$(dirname "$0")/lib.sh"

make_news_corpus "$T_TMP/c"
db="$T_TMP/db"
"$NEWSIDX" build --quiet --corpus "$T_TMP/c" --db "$db"
q() { "$NEWSQ" --db "$db" "$@"; }

# الهدنة: a1 (عكاظ, 2015-07), a3 (الشرق الأوسط, 2015-07), a4 (سبق,
# 2015-09), a5#1 (وكالات, no date).
out=$(q --facets --limit 0 -- الهدنة)
expect_eq "text: the total" "$(printf '%s\n' "$out" | sed -n 1p)" "4 matches"
expect_eq "text: sources (by count, then name)" "$(printf '%s\n' "$out" | sed -n 2p)" \
    "source: الشرق الأوسط (1), سبق (1), عكاظ (1), وكالات (1)"
expect_eq "text: months, newest first" "$(printf '%s\n' "$out" | sed -n 3p)" \
    "month: 2015-09 (1), 2015-07 (2)"
rec=$(q --facets --format json --limit 1 -- الهدنة | head -1)
expect_eq "json: one record first" "$rec" \
    '{"type":"facets","total":4,"exact":true,"source":[{"value":"الشرق الأوسط","count":1},{"value":"سبق","count":1},{"value":"عكاظ","count":1},{"value":"وكالات","count":1}],"month":[{"value":"2015-09","count":1},{"value":"2015-07","count":2}]}'
expect_eq "json: then the hits" "$(q --facets --format json --limit 1 -- الهدنة | sed 1d | wc -l)" 1
expect_eq "the page does not change the counts" \
    "$(q --facets --format json --limit 2 --offset 3 -- الهدنة | head -1)" "$rec"
# a2 and a6 are one article: one count, as one hit; --no-collapse both.
expect_eq "collapsed copies counted once" "$(q --facets --limit 0 -- الهلال | sed -n 1,2p | tr '\n' '|')" \
    "1 matches|source: الرياض (1)|"
expect_eq "--no-collapse counts both" "$(q --facets --no-collapse --limit 0 -- الهلال | sed -n 1,2p | tr '\n' '|')" \
    "2 matches|source: الرياض (2)|"
# Filters narrow the counts.
expect_eq "--source narrows" "$(q --facets --limit 0 --source سبق -- الهدنة | sed -n 1,3p | tr '\n' '|')" \
    "1 matches|source: سبق (1)|month: 2015-09 (1)|"
expect_eq "--since narrows" "$(q --facets --limit 0 --since 2015-08 -- الهدنة | sed -n 1p)" "1 matches"
# With --count: the count, after the facets.
expect_eq "--facets --count" "$(q --facets --count -- الهدنة | sed -n '1p;$p' | tr '\n' '|')" "4 matches|4|"
# Nothing matches: a zero total and empty lists.
expect_eq "no match" "$(q --facets --format json -- كلمةغيرموجودة 2>/dev/null | head -1)" \
    '{"type":"facets","total":0,"exact":true,"source":[],"month":[]}'
finish
