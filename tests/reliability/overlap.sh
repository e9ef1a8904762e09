#!/bin/sh
# Overlapping writers and what an index folder holds (issue 16, item 1):
#  - a build started while `newsidx compact` runs is refused (exit 4, the
#    compaction's pid) or, with --wait, runs after it; the index stays whole
#    (it used to be destroyed: compact let go of the lock while it worked);
#  - compact while a build runs is refused the same way;
#  - compact refuses an index folder holding a file that is not the
#    index's, and a PATH.compact folder that is not its own, and deletes
#    neither;
#  - a first (parallel) build refuses a folder holding someone's file.
. "$NEWSIDX_SRC/tests/cli/lib.sh"
T_NAME=overlap

c="$T_TMP/corpus"
small="$T_TMP/small"
db="$T_TMP/db"
python3 "$NEWSIDX_SRC/tests/reliability/gen_corpus.py" "$c" 3000
python3 "$NEWSIDX_SRC/tests/reliability/gen_corpus.py" "$small" 20 7
for f in "$small"/*; do mv "$f" "$small/new_$(basename "$f")"; done
"$NEWSIDX" build --quiet --corpus "$c" --db "$db"
expect_eq "first build" "$?" 0

# wait_lock DB PID: until DB's lock file names PID, or PID has ended
# (then returns 1). No time limit: a slow machine only makes it slower.
wait_lock() {
    while [ "$(cat "$1/newsidx.lock" 2>/dev/null)" != "$2" ]; do
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.02
    done
}

# index_whole DB WHAT: the index opens, passes xapian-check, and answers.
index_whole() {
    if xapian-check "$1" >"$T_TMP/check" 2>&1; then ok; else
        fail "$2: xapian-check: $(tail -3 "$T_TMP/check")"; fi
    "$NEWSQ" --db "$1" --count -- مرصد >"$T_TMP/count" 2>"$T_TMP/qerr"
    expect_eq "$2: newsq exit status" "$?" 0
    expect_eq "$2: newsq stderr" "$(cat "$T_TMP/qerr")" ""
}

# 1. build during compact, three times (it destroyed the index 3 of 3).
overlapped=0
for round in 1 2 3; do
    x="$T_TMP/x$round"
    cp -a "$db" "$x"
    "$NEWSIDX" compact --db "$x" >/dev/null 2>"$T_TMP/cerr" &
    cpid=$!
    if wait_lock "$x" $cpid; then
        "$NEWSIDX" build --no-delete --corpus "$small" --db "$x" \
            >/dev/null 2>"$T_TMP/berr"
        rc=$?
        if kill -0 $cpid 2>/dev/null; then
            overlapped=$((overlapped + 1))
            expect_eq "round $round: build during compact: exit" "$rc" 4
            expect_match "round $round: build during compact: message" \
                "$(cat "$T_TMP/berr")" "index is locked by pid $cpid "
        fi
    fi
    wait $cpid
    expect_eq "round $round: compact exit" "$?" 0
    index_whole "$x" "round $round"
    "$NEWSIDX" build --quiet --no-delete --corpus "$small" --db "$x"
    expect_eq "round $round: build after compact" "$?" 0
    index_whole "$x" "round $round, built again"
    n=$("$NEWSQ" --db "$x" --count -- مرصد)
    expect_eq "round $round: documents" "$n" 3020
done
echo "overlap: $overlapped of 3 builds ran while compact held the lock"

# 2. build --wait during compact: runs after it, the index holds both.
x="$T_TMP/xw"
cp -a "$db" "$x"
"$NEWSIDX" compact --db "$x" >/dev/null 2>&1 &
cpid=$!
wait_lock "$x" $cpid
"$NEWSIDX" build --quiet --wait 600 --no-delete --corpus "$small" --db "$x"
expect_eq "build --wait during compact: exit" "$?" 0
wait $cpid
expect_eq "compact (a build waiting): exit" "$?" 0
index_whole "$x" "build --wait during compact"
expect_eq "build --wait during compact: documents" \
    "$("$NEWSQ" --db "$x" --count -- مرصد)" 3020

# 3. compact during a build: refused at once with the build's pid, and
#    with --wait it runs after the build.
x="$T_TMP/xb"
"$NEWSIDX" build --quiet --commit-every 200 --corpus "$c" --db "$x" &
bpid=$!
if wait_lock "$x" $bpid; then
    "$NEWSIDX" compact --db "$x" >/dev/null 2>"$T_TMP/cerr"
    rc=$?
    if kill -0 $bpid 2>/dev/null; then
        expect_eq "compact during a build: exit" "$rc" 4
        expect_match "compact during a build: message" "$(cat "$T_TMP/cerr")" \
            "index is locked by pid $bpid "
    fi
    "$NEWSIDX" compact --wait 600 --db "$x" >/dev/null 2>"$T_TMP/cerr"
    expect_eq "compact --wait during a build: exit" "$?" 0
fi
wait $bpid
expect_eq "build (compact waiting): exit" "$?" 0
index_whole "$x" "compact --wait during a build"

# 4. compact refuses a folder holding someone's file, and keeps it.
x="$T_TMP/xf"
cp -a "$db" "$x"
echo "my notes" >"$x/notes.txt"
"$NEWSIDX" compact --db "$x" >/dev/null 2>"$T_TMP/cerr"
expect_eq "compact, a user's file in the folder: exit" "$?" 3
expect_match "compact, a user's file: message" "$(cat "$T_TMP/cerr")" \
    "^newsidx: $x: holds 'notes.txt', which is not part of the index"
expect_eq "compact, a user's file: kept" "$(cat "$x/notes.txt" 2>&1)" "my notes"
index_whole "$x" "compact refused (user's file)"

# 5. compact refuses a PATH.compact that is not its own, and keeps it.
x="$T_TMP/xc"
cp -a "$db" "$x"
mkdir "$x.compact"
echo "mine" >"$x.compact/keep.txt"
"$NEWSIDX" compact --db "$x" >/dev/null 2>"$T_TMP/cerr"
expect_eq "compact, a foreign PATH.compact: exit" "$?" 3
expect_match "compact, a foreign PATH.compact: message" \
    "$(cat "$T_TMP/cerr")" "^newsidx: $x.compact: exists and is not a folder left by newsidx"
expect_eq "compact, a foreign PATH.compact: kept" \
    "$(cat "$x.compact/keep.txt" 2>&1)" "mine"
index_whole "$x" "compact refused (foreign PATH.compact)"
rm -rf "$x.compact"
"$NEWSIDX" compact --db "$x" >/dev/null 2>"$T_TMP/cerr"
expect_eq "compact, PATH.compact gone: exit" "$?" 0
[ -e "$x.compact" ] && fail "compact left $x.compact behind" || ok
index_whole "$x" "compacted"

# 6. A parallel first build into a folder holding someone's file: refused,
#    the file kept, nothing installed.
x="$T_TMP/xp"
mkdir "$x"
echo "mine" >"$x/keep.txt"
"$NEWSIDX" build --quiet --jobs 2 --corpus "$c" --db "$x" 2>"$T_TMP/berr"
expect_eq "parallel build, a user's file: exit" "$?" 3
expect_match "parallel build, a user's file: message" "$(cat "$T_TMP/berr")" \
    "^newsidx: $x: holds 'keep.txt', which is not part of the index"
expect_eq "parallel build, a user's file: kept" "$(cat "$x/keep.txt")" "mine"
finish
