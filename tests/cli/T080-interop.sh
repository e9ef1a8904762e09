#!/bin/sh
# The index stays readable by Xapian's own tools (issue 8): xapian-delve
# lists an article's terms and values as newsidx(1) documents them, every
# term prefix in an index is documented there (and every documented one is
# used), quest finds articles with the documented prefixes, and the
# man page's own xapian-delve and quest examples work.
. "$(dirname "$0")/lib.sh"
for tool in xapian-delve quest xapian-check; do
    command -v $tool >/dev/null 2>&1 || { fail "$tool not installed (xapian-tools: scripts/deps.sh)"; finish; exit; }
done
man="$NEWSIDX_SRC/doc/newsidx.1.in"
make_news_corpus "$T_TMP/c"
db="$T_TMP/db"
"$NEWSIDX" build --quiet --corpus "$T_TMP/c" --db "$db"
xapian-check "$db" >/dev/null 2>&1 && ok || fail "xapian-check"

# 1. xapian-delve: the document of a1 (found by its id term Qa1) and its
# terms, one family per documented prefix.
docid=$(xapian-delve -1 -t Qa1 "$db" | sed -n '2p')
expect_match "delve finds the id term" "$docid" '^[0-9]+$'
terms=$(xapian-delve -1 -r "$docid" "$db")
for t in Qa1 XFILEa1.txt XKINDmain الهدنه غزه Zهدن Sاتفاق ZSهدن Kالمفاوضات \
         KZمفاوض XLEADالانسانيه XSOURCEعكاظ Y2015 M201507 D20150701; do
    printf '%s\n' "$terms" | grep -qx -- "$t" && ok || fail "delve: a1 has no term $t"
done
rel=$(xapian-delve -1 -t 'XPARENTa5' "$db" | sed -n '2p')
rterms=$(xapian-delve -1 -r "$rel" "$db")
for t in XKINDrelated XRELa5.txt XSOURCEوكالات; do
    printf '%s\n' "$rterms" | grep -qx -- "$t" && ok || fail "delve: a5#1 has no term $t"
done
expect_match "delve: a5#1 has its XHASH term" "$rterms" '^XHASH[0-9a-f]{16}$'
expect_match "value slot 0 is the date" "$(xapian-delve -V0 -r "$docid" "$db" | head -1)" ': 20150701$'
expect_match "value slot 1 is the hash" "$(xapian-delve -V1 -r "$docid" "$db" | head -1)" ': [0-9a-f]{16}$'
expect_match "value slot 4 is the source" "$(xapian-delve -V4 -r "$docid" "$db" | head -1)" ': عكاظ$'
expect_match "value slot 5 is the month" "$(xapian-delve -V5 -r "$docid" "$db" | head -1)" ': 2015-07$'
expect_match "document data: id record" "$(xapian-delve -d -r "$docid" "$db")" '^id=2:a1$'

# 2. Every prefix in the index is in the man page, and each documented one
# is in the index. Prefixes are Xapian's: the upper-case ASCII letters a
# term starts with (ids, paths and words of this corpus start otherwise).
documented=$(sed -n '/^\.SS Term prefixes/,/^\.SS/p' "$man" |
    awk 'prev == ".TP" && /^\.B / { print $2 } { prev = $0 }' | sort -u)
expect_match "man page lists prefixes" "$(printf '%s\n' "$documented" | tr '\n' ' ')" '^D K KZ M Q S XFILE '
used=$(xapian-delve -1 -a "$db" | sed 1d | sed -n 's/^\([A-Z][A-Z]*\).*/\1/p' | sort -u)
for p in $used; do
    printf '%s\n' "$documented" | grep -qx "$p" && ok || fail "prefix $p is used but not documented in newsidx(1)"
done
for p in $documented; do
    printf '%s\n' "$used" | grep -qx "$p" && ok || fail "prefix $p is documented but unused"
done
slots=$(sed -n '/^\.SS Value slots/,/^\.SS/p' "$man" |
    awk 'prev == ".TP" && /^\.B / { print $2 } { prev = $0 }' | tr '\n' ' ')
expect_eq "documented value slots" "$slots" "0 1 4 5 6 "
for s in 0 1 4 5; do
    expect_match "value slot $s is set" "$(xapian-delve -V$s "$db")" "^Value $s for each document: [0-9]+:"
done

# 3. quest with the documented prefixes (-s none: no English stemming).
# ids QUEST-ARGS...: the ids quest finds, sorted, space separated.
ids() { quest -s none -d "$db" "$@" | sed -n 's/^id=[0-9]*://p' | sort | tr '\n' ' '; }
expect_eq "quest: a folded word" "$(ids 'الهدنه')" "a1 a3 a4 a5#1 "
expect_eq "quest: a phrase (harakat folded away)" "$(ids '"اتفاق الهدنه"')" "a1 a4 "
expect_eq "quest: title (S)" "$(ids -p title:S 'title:غزه')" "a1 a5#1 "
expect_eq "quest: stem (Z)" "$(ids -p stem:Z 'stem:مفاوض')" "a1 "
expect_eq "quest: keyword (K)" "$(ids -p tag:K 'tag:المفاوضات')" "a1 "
expect_eq "quest: source (XSOURCE), two words" \
    "$(ids -b source:XSOURCE 'source:"الشرق الاوسط"')" "a3 "
expect_eq "quest: id (Q)" "$(ids -b id:Q 'id:a4')" "a4 "
expect_eq "quest: date filters (Y, M, D)" \
    "$(ids -b year:Y -b month:M -b day:D 'غزه year:2015 month:201507')" "a1 "
expect_eq "quest: day" "$(ids -b day:D 'غزه day:20150901')" "a4 "
expect_eq "quest: kind and parent" \
    "$(ids -b kind:XKIND -b parent:XPARENT 'kind:related parent:a5')" "a5#1 "

# 4. The man page's examples, run as written on the sample corpus.
sdb="$T_TMP/sample"
"$NEWSIDX" build --quiet --corpus "$NEWSIDX_SRC/corpus" --db "$sdb"
sed -n '/^\.SS With Xapian.s tools/,/^\.SH/p' "$man" | sed -n '/^\.nf/,/^\.fi/p' |
    sed '/^\.nf/d; /^\.fi/d; /^#/d; s/\\e$/\\/; s/\\-/-/g; s/\\(aq/'"'"'/g' |
    sed "s|~/.local/share/newsidx/index|'$sdb'|g" >"$T_TMP/examples.sh"
expect_eq "man page examples: 3 delve, 3 quest" \
    "$(grep -c '^xapian-delve' "$T_TMP/examples.sh") $(grep -c '^quest' "$T_TMP/examples.sh")" "3 3"
# Run each command (continuation lines joined) and check its answer.
n=0
while IFS= read -r cmd; do
    n=$((n + 1))
    out=$(sh -c "$cmd" 2>&1)
    case $cmd in
        quest*) expect_match "man example $n finds the article" "$out" 'id=[0-9]+:000_88b3e027f580fa3f' ;;
        *) expect_match "man example $n answers" "$out" '.' ;;
    esac
done <<EOF
$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$T_TMP/examples.sh")
EOF
expect_eq "man examples run" "$n" 6
finish
