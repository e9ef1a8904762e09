#!/bin/sh
# newsq --new-since delivers every article exactly once (issue 16, item 2):
#  - alert runs during a build that commits often, then one after it:
#    every article reported once (they used to share the build's mark, so
#    a run between two commits lost the rest of the build: 180 of 200);
#  - output that cannot be written (a full disk, a closed pipe): exit 3,
#    the state stays, the next run reports those articles;
#  - --limit N: the N oldest now, the others next time; --count counts the
#    new articles and moves past them;
#  - the state file keeps its permissions and must be a regular file;
#    --offset is refused with --new-since.
. "$NEWSIDX_SRC/tests/cli/lib.sh"
T_NAME=newsince

c="$T_TMP/corpus"
db="$T_TMP/db"
st="$T_TMP/state"
python3 "$NEWSIDX_SRC/tests/reliability/gen_corpus.py" "$c" 20
"$NEWSIDX" build --quiet --corpus "$c" --db "$db"
q() { "$NEWSQ" --db "$db" "$@"; }
ids() { q --format ids --limit 100000 --new-since "$st" "$@" -- مرصد; }
expect_eq "first run: every article" "$(ids | wc -l)" 20
expect_eq "second run: nothing" "$(ids | wc -l)" 0

# 1. Alert runs during a build of 200 new articles committing every 10.
python3 "$NEWSIDX_SRC/tests/reliability/gen_corpus.py" "$T_TMP/more" 200 9
for f in "$T_TMP/more"/*; do mv "$f" "$c/b_$(basename "$f")"; done
"$NEWSIDX" build --quiet --commit-every 10 --corpus "$c" --db "$db" &
pid=$!
: >"$T_TMP/seen"
runs=0
while kill -0 $pid 2>/dev/null; do
    ids >>"$T_TMP/seen" 2>>"$T_TMP/err"
    runs=$((runs + 1))
done
wait $pid
expect_eq "build during the alert runs" "$?" 0
ids >>"$T_TMP/seen" 2>>"$T_TMP/err"
expect_eq "alert runs: every new article reported" \
    "$(sort -u "$T_TMP/seen" | wc -l)" 200
expect_eq "alert runs: none twice" "$(sort "$T_TMP/seen" | uniq -d | head -3)" ""
expect_eq "alert runs: stderr" "$(cat "$T_TMP/err")" ""
echo "newsince: $runs alert runs during the build"

# Three new articles for each of the cases below.
add() {
    python3 "$NEWSIDX_SRC/tests/reliability/gen_corpus.py" "$T_TMP/add$1" 3 "$1"
    for f in "$T_TMP/add$1"/*; do mv "$f" "$c/c$1_$(basename "$f")"; done
    "$NEWSIDX" build --quiet --corpus "$c" --db "$db"
}

# 2. stdout on a full disk: exit 3, state unchanged, delivered next time.
add 11
before=$(cat "$st")
q --format ids --new-since "$st" -- مرصد >/dev/full 2>"$T_TMP/err"
expect_eq "/dev/full: exit status" "$?" 3
expect_match "/dev/full: message" "$(cat "$T_TMP/err")" "cannot write the results"
expect_eq "/dev/full: state unchanged" "$(cat "$st")" "$before"
expect_eq "/dev/full: delivered next time" "$(ids | wc -l)" 3

# 3. A closed pipe (SIGPIPE ignored, as some cron daemons leave it).
add 12
before=$(cat "$st")
python3 - "$NEWSQ" "$db" "$st" <<'PY'
import os, signal, subprocess, sys
signal.signal(signal.SIGPIPE, signal.SIG_IGN)
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "--db", sys.argv[2], "--format", "ids",
                    "--new-since", sys.argv[3], "--", "مرصد"], stdout=w,
                   stderr=subprocess.DEVNULL, restore_signals=False)
sys.exit(p.returncode)
PY
expect_eq "closed pipe: exit status" "$?" 3
expect_eq "closed pipe: state unchanged" "$(cat "$st")" "$before"
expect_eq "closed pipe: delivered next time" "$(ids | wc -l)" 3

# 4. --limit 2 of 3 new: 2 now, 1 next, none after.
add 13
a=$(q --format ids --limit 2 --new-since "$st" -- مرصد)
b=$(q --format ids --limit 2 --new-since "$st" -- مرصد)
expect_eq "--limit 2: first run" "$(printf '%s\n' "$a" | grep -c .)" 2
expect_eq "--limit 2: second run" "$(printf '%s\n' "$b" | grep -c .)" 1
expect_eq "--limit 2: all three, once" \
    "$(printf '%s\n%s\n' "$a" "$b" | sort -u | grep -c .)" 3
expect_eq "--limit 2: then nothing" "$(ids | wc -l)" 0

# 5. --count: counts the new articles and moves past them.
add 14
expect_eq "--count --new-since" "$(q --count --new-since "$st" -- مرصد)" 3
q --count --new-since "$st" -- مرصد >"$T_TMP/out"
expect_eq "--count --new-since again: exit" "$?" 1
expect_eq "--count --new-since again" "$(cat "$T_TMP/out")" 0

# 6. The state keeps its permissions; it must be a regular file.
add 15
chmod 600 "$st"
ids >/dev/null
expect_eq "state permissions kept" "$(stat -c %a "$st")" 600
q --new-since /dev/null -- مرصد >/dev/null 2>"$T_TMP/err"
expect_eq "state /dev/null: exit" "$?" 2
expect_match "state /dev/null: message" "$(cat "$T_TMP/err")" "not a regular file"
mkdir "$T_TMP/dir"
q --new-since "$T_TMP/dir" -- مرصد >/dev/null 2>"$T_TMP/err"
expect_eq "state a folder: exit" "$?" 2
q --offset 1 --new-since "$st" -- مرصد >/dev/null 2>"$T_TMP/err"
expect_eq "--offset with --new-since: exit" "$?" 2
finish
