#!/bin/sh
# Incremental builds (issue 5): unchanged files skipped, changed ones
# replaced in place, deleted ones removed (--no-delete keeps them), moved
# ones never twice, a related article repeated in many files stored once;
# --dry-run writes nothing; a sharded first build equals a serial one;
# stats, compact, and the progress line.
. "$(dirname "$0")/lib.sh"

c="$T_TMP/c"
db="$T_TMP/db"
make_news_corpus "$c"
build() { "$NEWSIDX" build --corpus "$c" --db "$db" "$@"; }
ids() { "$NEWSQ" --db "$db" --format ids --limit 100 "$@" | sort | tr '\n' ' '; }
# summary FIELD: "read", "unchanged" or "removed" from a summary line in $out
summary() { printf '%s\n' "$out" | sed -n "s/.*[ (]\([0-9][0-9]*\) $1.*/\1/p"; }

out=$(build 2>&1)
expect_eq "first build: every file read" "$(summary read)" 6
out=$(build 2>&1)
expect_eq "no change: nothing read" "$(summary read)" 0
expect_eq "no change: all unchanged" "$(summary unchanged)" 6
expect_match "no change: same documents" "$out" '^6 files, 7 documents, 0 errors'

# A changed file: replaced in place (same document id, so --new-since does
# not call it new), its old words gone, its new ones found.
st="$T_TMP/state"
ids --new-since "$st" -- الهلال >/dev/null
sleep 0.01
sed -i 's/فاز الهلال على النصر/تعادل الهلال مع الشباب/' "$c/a2.txt"
out=$(build 2>&1)
expect_eq "changed: one file read" "$(summary read)" 1
expect_eq "changed: new words found" "$(ids -- الشباب)" "a2 "
expect_eq "changed: old words gone from it" "$(ids --no-collapse -- فاز)" "a6 "
expect_eq "changed: not new for --new-since" "$(ids --new-since "$st" -- الهلال)" ""

# Touched only (same bytes): read, nothing rewritten.
touch "$c/a3.txt"
out=$(build 2>&1)
expect_eq "touched: read" "$(summary read)" 1
expect_eq "touched: counted unchanged" "$(summary unchanged)" 6

# Deleted: removed, unless --no-delete.
rm "$c/a4.txt"
out=$(build --no-delete 2>&1)
expect_eq "--no-delete: nothing removed" "$(summary removed)" 0
expect_eq "--no-delete: still found" "$(ids -- مشكول)" "a4 "
out=$(build 2>&1)
expect_eq "deleted: removed" "$(summary removed)" 1
expect_eq "deleted: gone" "$(ids -- مشكول)" ""
expect_match "deleted: summary" "$out" '^5 files, 6 documents'

# Moved: found once, at its new place, even with --no-delete.
mkdir "$c/sub"
mv "$c/a3.txt" "$c/sub/a3.txt"
out=$(build --no-delete 2>&1)
expect_eq "moved: old place removed" "$(summary removed)" 1
expect_eq "moved: found once, at the new place" "$(ids -- الاقتصاد)" "sub/a3 "

# A related article repeated in three files is one document, owned by
# each; it stays while one of them has it.
r="$T_TMP/r"
mkdir "$r"
for f in x y z; do cp "$NEWSIDX_SRC/corpus/"*.txt "$r/$f.txt"; done
rdb="$T_TMP/rdb"
out=$("$NEWSIDX" build --corpus "$r" --db "$rdb" 2>&1)
expect_match "repeated related: stored once" "$out" '^3 files, 4 documents'
related=$("$NEWSQ" --db "$rdb" --format json --limit 10 -- 'الهدنة غزة' |
    python3 -c 'import json,sys; print(sum(1 for l in sys.stdin if json.loads(l).get("related")))')
expect_eq "repeated related: one hit" "$related" 1
rm "$r/x.txt" "$r/y.txt"
out=$("$NEWSIDX" build --corpus "$r" --db "$rdb" 2>&1)
expect_match "repeated related: kept by the last owner" "$out" '^1 files, 2 documents'
printf 'خبر بلا مقالات ذات صلة\nنص قصير عن الطقس.\n' >"$r/z.txt"
out=$("$NEWSIDX" build --corpus "$r" --db "$rdb" 2>&1)
expect_match "repeated related: released by the last owner" "$out" '^1 files, 1 documents'

# --dry-run: reports, writes nothing.
before=$("$NEWSIDX" stats --db "$db" | grep -v '^last build')
echo "خبر جديد عن الطقس" >"$c/new.txt"
out=$(build --dry-run 2>&1)
expect_eq "dry run: exit 0" "$?" 0
expect_match "dry run: summary" "$out" '^dry run: 6 files, 1 to read \(1 articles\), 5 unchanged, 0 to remove, 0 errors, [0-9.]+ s, [0-9]+ articles/s$'
expect_eq "dry run: index untouched" "$("$NEWSIDX" stats --db "$db" | grep -v '^last build')" "$before"
out=$("$NEWSIDX" build --dry-run --corpus "$c" --db "$T_TMP/none" 2>&1)
expect_match "dry run without an index: everything to read" "$out" '^dry run: 6 files, 6 to read'
[ -e "$T_TMP/none" ] && fail "dry run created an index" || ok

# stats: one "key: value" per line.
s=$("$NEWSIDX" stats --db "$db")
expect_eq "stats: exit 0" "$?" 0
expect_match "stats: documents" "$s" "documents: 6"
expect_match "stats: files" "$s" "files: 5"
expect_match "stats: terms" "$s" "terms: [1-9][0-9]*"
expect_match "stats: size" "$s" "size: [1-9][0-9]* bytes"
expect_match "stats: last build" "$s" "last build: 20[0-9-]*T"
expect_match "stats: corpus" "$s" "corpus: .*/c"
"$NEWSIDX" stats --db "$T_TMP/none" >/dev/null 2>"$T_TMP/err"
expect_eq "stats without an index: exit 3" "$?" 3
expect_match "stats without an index: says so" "$(cat "$T_TMP/err")" "no index here"

# compact: same answers, no bigger; --new-since still sees only what is new
# (compaction renumbers documents: the mark is not a document id).
st2="$T_TMP/state2"
ids --new-since "$st2" -- الهلال OR الاقتصاد OR الطقس >/dev/null
want=$(ids -- الهلال OR الاقتصاد)
out=$("$NEWSIDX" compact --db "$db")
expect_eq "compact: exit 0" "$?" 0
expect_match "compact: reports" "$out" '^compacted: [0-9]+ -> [0-9]+ bytes'
expect_eq "compact: same hits" "$(ids -- الهلال OR الاقتصاد)" "$want"
[ -e "$db.compact" ] && fail "compact left its temporary copy" || ok
out=$(build 2>&1)
expect_eq "build after compact: incremental" "$(summary read)" 1
printf 'طقس ماطر\nأمطار غزيرة والطقس بارد في الرياض.\n' >"$c/late.txt"
build >/dev/null 2>&1
# new.txt (from the dry run) was first indexed after compact, late.txt now.
expect_eq "new-since after compact: only the new articles" \
    "$(ids --new-since "$st2" -- الهلال OR الاقتصاد OR الطقس)" "late new "
expect_eq "new-since after compact: then nothing" \
    "$(ids --new-since "$st2" -- الهلال OR الاقتصاد OR الطقس)" ""
printf 'lastdocid 1\n' >"$T_TMP/oldstate"
ids --new-since "$T_TMP/oldstate" -- الطقس >/dev/null
expect_match "an older state file is read, then rewritten" "$(cat "$T_TMP/oldstate")" "^mark [0-9a-f]{24}$"

# A sharded first build (200+ files, 2 threads) finds what a serial one
# finds, hit for hit.
g="$T_TMP/g"
python3 "$NEWSIDX_SRC/tests/reliability/gen_corpus.py" "$g" 400
"$NEWSIDX" build --quiet --jobs 1 --corpus "$g" --db "$T_TMP/g1"
"$NEWSIDX" build --quiet --jobs 2 --corpus "$g" --db "$T_TMP/g2"
for q in مرصد 'الهدنة غزة' 'السوق OR النفط'; do
    a=$("$NEWSQ" --db "$T_TMP/g1" --format tsv --limit 50 -- "$q" | cut -f2,3 | sort)
    b=$("$NEWSQ" --db "$T_TMP/g2" --format tsv --limit 50 -- "$q" | cut -f2,3 | sort)
    expect_eq "sharded = serial: $q" "$b" "$a"
done
[ -e "$T_TMP/g2/newsidx.tmp" ] && fail "sharded build left its shards" || ok
"$NEWSIDX" build --jobs 0 --corpus "$g" --db "$T_TMP/g2" >/dev/null 2>&1
expect_eq "--jobs 0: usage error" "$?" 2

# Progress line: on a terminal only.
if command -v script >/dev/null 2>&1; then
    script -qec "$NEWSIDX build --jobs 1 --corpus $g --db $T_TMP/g3" /dev/null \
        >"$T_TMP/tty" 2>&1
    expect_match "progress on a terminal" "$(cat "$T_TMP/tty")" "files .* articles/s  ETA"
fi
"$NEWSIDX" build --jobs 1 --corpus "$g" --db "$T_TMP/g4" 2>"$T_TMP/err" >/dev/null
expect_eq "no progress when not a terminal" "$(cat "$T_TMP/err")" ""

# The same files in another corpus folder: read again, so every article
# shows its new path.
cp -r "$c" "$T_TMP/c2"
out=$("$NEWSIDX" build --corpus "$T_TMP/c2" --db "$db" 2>&1)
expect_eq "another corpus folder: every file read" "$(summary read)" \
    "$(find "$T_TMP/c2" -type f | wc -l)"
expect_match "another corpus folder: the new paths" \
    "$("$NEWSQ" --db "$db" --format tsv --limit 1 -- الطقس | cut -f7)" "^$T_TMP/c2/"

finish
