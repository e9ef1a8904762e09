#!/bin/sh
# The query language of newsq on a fixture corpus: each operator, field and
# filter, and malformed queries (answered reasonably, or exit 2 naming the
# problem).
. "$(dirname "$0")/lib.sh"

make_news_corpus "$T_TMP/c"
db="$T_TMP/db"
"$NEWSIDX" build --quiet --corpus "$T_TMP/c" --db "$db"

# ids QUERY...: the ids found, sorted, one line, space separated.
ids() { "$NEWSQ" --db "$db" --format ids --limit 50 -- "$@" 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//'; }
first() { "$NEWSQ" --db "$db" --format ids --limit 1 -- "$@" 2>/dev/null; }

expect_eq "bare words: best first" "$(first 'الهدنة غزة')" "a1"
expect_eq "phrase" "$(ids '"الهدنة الإنسانية"')" "a1"
expect_eq "phrase in guillemets" "$(ids '«الهدنة الإنسانية»')" "a1"
expect_eq "one quoted word is exact" "$(ids '"الهدنه"')" "a1 a3 a4 a5#1"
count() { "$NEWSQ" --db "$db" --count -- "$@" 2>/dev/null; }
expect_eq "one quoted word is exact: no stems" "$(count '"هدنة"')" 0
expect_eq "the same word unquoted: stems" "$(count 'هدنة')" 4
expect_eq "exclusion" "$(ids 'الهدنة -غزة')" "a3"
expect_eq "excluded phrase" "$(ids 'الهدنة -"في غزة"')" "a3"
expect_eq "excluded phrase, not its words" "$(ids 'الهدنة -"غزة اليوم"')" "a3 a4 a5#1"
expect_eq "OR" "$(ids 'الهلال OR الاقتصاد')" "a2 a3"
expect_eq "Arabic أو" "$(ids 'الهلال أو الاقتصاد')" "a2 a3"
expect_eq "NEAR" "$(ids 'الهدنة NEAR غزة')" "a1 a4 a5#1"
expect_eq "NEAR/N too far" "$(count 'الحكومة NEAR/3 الهدنة')" 0
expect_eq "NEAR/N close enough" "$(count 'الحكومة NEAR/40 الهدنة')" 1
expect_eq "prefix" "$(ids 'الاقتص*')" "a3"
expect_eq "title:" "$(ids 'title:مباراة')" "a2"
expect_eq "title: phrase" "$(ids 'title:"الهدنة في غزة"')" "a1 a5#1"
expect_eq "tag:" "$(ids 'tag:المفاوضات')" "a1"
expect_eq "source:" "$(ids 'source:عكاظ غزة')" "a1"
expect_eq "source: quoted" "$(ids 'source:"الشرق الأوسط" الهدنة')" "a3"
expect_eq "source: first word of a name" "$(ids 'source:الشرق الهدنة')" "a3"
expect_eq "date: month" "$(ids 'date:2015-07 الهدنة')" "a1 a3"
expect_eq "date: day" "$(ids 'date:2015-07-20')" "a3"
expect_eq "date: range" "$(ids 'date:2015-08..2015-09 غزة')" "a4 a5"
expect_eq "two dates: any of" "$(ids 'date:2015-07-01 date:2015-09-01')" "a1 a4"
expect_eq "stopwords count inside a phrase" "$(ids '"الهدنة في غزة"')" "a1 a4 a5#1"
expect_eq "a phrase without its stopword" "$(count '"الهدنة غزة"')" 0

# Clitics, hamza and ta marbuta variants reach the article.
expect_eq "ه for ة, no ال" "$(first 'هدنه غزه')" "a1"
expect_eq "harakat and tatweel in the text" "$(ids '"مساء الامس"')" "a4"

# Odd or malformed input.
out=$("$NEWSQ" --db "$db" --format ids -- '"الهدنة الإنسانية' 2>"$T_TMP/err")
expect_eq "unbalanced quote: answered" "$?" 0
expect_match "unbalanced quote: a note" "$(cat "$T_TMP/err")" "unbalanced quote"
out=$("$NEWSQ" --db "$db" --format ids -- 'غزة OR' 2>"$T_TMP/err")
expect_eq "trailing OR: answered" "$?" 0
expect_match "trailing OR: a note" "$(cat "$T_TMP/err")" "stray OR"
"$NEWSQ" --db "$db" -- 'OR' >/dev/null 2>"$T_TMP/err"
expect_eq "lone operator: exit 2" "$?" 2
expect_match "lone operator: says why" "$(cat "$T_TMP/err")" "no searchable word"
"$NEWSQ" --db "$db" -- 'date:2015-13 غزة' >/dev/null 2>"$T_TMP/err"
expect_eq "bad date: exit 2" "$?" 2
expect_match "bad date: names it" "$(cat "$T_TMP/err")" "date:2015-13"
"$NEWSQ" --db "$db" -- 'غزة NEAR/x الهدنة' >/dev/null 2>&1
expect_eq "bad NEAR/N: exit 2" "$?" 2
out=$("$NEWSQ" --db "$db" --format ids -- '"الإنسانية الهدنة"' 2>"$T_TMP/err")
expect_eq "phrase found nowhere: closest articles" "$(printf '%s\n' "$out" | head -n 1)" "a1"
expect_match "phrase found nowhere: a note" "$(cat "$T_TMP/err")" "exactly"
finish
