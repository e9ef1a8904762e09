#!/bin/sh
# A damaged index (issue 16, item 5): a build checks the index before it
# writes and refuses a damaged one with a message saying how to rebuild
# (writing into one ended in heap corruption inside Xapian); `newsidx
# build --rebuild` indexes the corpus anew beside it and swaps it in.
. "$NEWSIDX_SRC/tests/cli/lib.sh"
T_NAME=damaged

c="$T_TMP/corpus"
db="$T_TMP/db"
python3 "$NEWSIDX_SRC/tests/reliability/gen_corpus.py" "$c" 1500
"$NEWSIDX" build --quiet --corpus "$c" --db "$db"
expect_eq "first build" "$?" 0
# Garbage over blocks in the middle of two tables.
for t in postlist termlist; do
    python3 - "$db/$t.glass" <<'PY'
import os, sys
size = os.path.getsize(sys.argv[1])
with open(sys.argv[1], "r+b") as f:
    f.seek(max(8192, (size // 8192 // 2) * 8192))
    f.write(os.urandom(8192 * 2))
PY
done
python3 "$NEWSIDX_SRC/tests/reliability/gen_corpus.py" "$T_TMP/more" 50 3
for f in "$T_TMP/more"/*; do mv "$f" "$c/m_$(basename "$f")"; done
"$NEWSIDX" build --quiet --corpus "$c" --db "$db" 2>"$T_TMP/err"
expect_eq "build on a damaged index: exit" "$?" 3
expect_match "build on a damaged index: message" "$(cat "$T_TMP/err")" \
    "^newsidx: $db: the index is damaged \(.*\); nothing was written: run 'newsidx build --rebuild --db $db'"

# --rebuild: a PATH.rebuild that is not ours is refused and kept.
mkdir "$db.rebuild"
echo mine >"$db.rebuild/keep.txt"
"$NEWSIDX" build --quiet --rebuild --corpus "$c" --db "$db" 2>"$T_TMP/err"
expect_eq "--rebuild, a foreign PATH.rebuild: exit" "$?" 3
expect_eq "--rebuild, a foreign PATH.rebuild: kept" "$(cat "$db.rebuild/keep.txt")" mine
rm -rf "$db.rebuild"

"$NEWSIDX" build --quiet --rebuild --corpus "$c" --db "$db" 2>"$T_TMP/err"
expect_eq "--rebuild: exit" "$?" 0
expect_eq "--rebuild: stderr" "$(cat "$T_TMP/err")" ""
if xapian-check "$db" >"$T_TMP/check" 2>&1; then ok; else
    fail "--rebuild: xapian-check: $(tail -3 "$T_TMP/check")"; fi
expect_eq "--rebuild: every article" \
    "$("$NEWSQ" --db "$db" --no-collapse --count -- مرصد)" 1550
[ -e "$db.rebuild" ] && fail "--rebuild left $db.rebuild" || ok
"$NEWSIDX" build --corpus "$c" --db "$db" >"$T_TMP/out" 2>&1
expect_match "a build after --rebuild: nothing to do" "$(cat "$T_TMP/out")" \
    '^1550 files, 1550 documents, 0 errors, .*\(0 read, 1550 unchanged, 0 removed'

# --rebuild of a sharded index keeps its shards.
"$NEWSIDX" build --quiet --shards 2 --corpus "$c" --db "$T_TMP/sh"
"$NEWSIDX" build --quiet --rebuild --corpus "$c" --db "$T_TMP/sh"
expect_eq "--rebuild, 2 shards: exit" "$?" 0
expect_eq "--rebuild, 2 shards: the stub" "$(grep -c '^auto shard-' "$T_TMP/sh/XAPIANDB")" 2
expect_eq "--rebuild, 2 shards: every article" \
    "$("$NEWSQ" --db "$T_TMP/sh" --no-collapse --count -- مرصد)" 1550
# A build killed while Xapian created the index leaves tables without the
# version file (written last): no index, and it must not stop the next
# build (the crash test met it: every later build failed).
mkdir -p "$T_TMP/half"
: >"$T_TMP/half/postlist.glass"
: >"$T_TMP/half/termlist.glass"
"$NEWSIDX" build --quiet --corpus "$c" --db "$T_TMP/half" 2>"$T_TMP/err"
expect_eq "tables without a version file: build exit" "$?" 0
expect_eq "tables without a version file: stderr" "$(cat "$T_TMP/err")" ""
expect_eq "tables without a version file: every article" \
    "$("$NEWSQ" --db "$T_TMP/half" --no-collapse --count -- مرصد)" 1550
finish
