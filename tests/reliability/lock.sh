#!/bin/sh
# One writer at a time, readers never disturbed (issue 6, concurrency):
#  - a second `newsidx build` on an index being built fails at once, exit 4,
#    naming the first build's pid; with --wait it fails the same way when the
#    wait runs out, or proceeds once the first build ends;
#  - a build killed with SIGKILL leaves no stale lock;
#  - `newsq` in a loop during a build (many commits) never fails and always
#    sees whole documents.
. "$NEWSIDX_SRC/tests/cli/lib.sh"
T_NAME=lock

c="$T_TMP/corpus"
db="$T_TMP/db"
python3 "$NEWSIDX_SRC/tests/reliability/gen_corpus.py" "$c" 3000

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
# lt X Y: is X < Y (decimals)?
lt() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x < y) }'; }

# wait_lock PID: until the lock file names PID (the build then holds the
# lock: it writes its pid only after taking it). Fails after 20 s.
wait_lock() {
    i=0
    while [ "$(cat "$db/newsidx.lock" 2>/dev/null)" != "$1" ]; do
        i=$((i + 1))
        [ $i -gt 400 ] && return 1
        sleep 0.05
    done
}

# 1. A second build fails at once, exit 4, with the first one's pid.
"$NEWSIDX" build --corpus "$c" --db "$db" >"$T_TMP/out1" 2>"$T_TMP/err1" &
pid1=$!
wait_lock $pid1 && ok || fail "first build never took the lock"
t=$(now)
"$NEWSIDX" build --corpus "$c" --db "$db" >"$T_TMP/out2" 2>"$T_TMP/err2"
expect_eq "second build: exit status" "$?" 4
d=$(elapsed "$t")
lt "$d" 2 && ok || fail "second build did not fail at once ($d s)"
want="newsidx: $db: index is locked by pid $pid1 (another newsidx build); use --wait SECONDS to wait"
expect_eq "second build: message" "$(cat "$T_TMP/err2")" "$want"
expect_eq "second build: nothing on stdout" "$(cat "$T_TMP/out2")" ""
kill -0 $pid1 2>/dev/null && ok || fail "first build ended too soon: the test proves nothing"

# 2. --wait shorter than the first build: same message and status, after
#    the wait.
t=$(now)
"$NEWSIDX" build --wait 0.5 --corpus "$c" --db "$db" >/dev/null 2>"$T_TMP/err3"
expect_eq "--wait timeout: exit status" "$?" 4
d=$(elapsed "$t")
lt 0.45 "$d" && ok || fail "--wait 0.5 gave up after $d s"
expect_eq "--wait timeout: message" "$(cat "$T_TMP/err3")" "$want"

# 3. --wait 60: proceeds once the first build is done.
"$NEWSIDX" build --wait 60 --corpus "$c" --db "$db" >"$T_TMP/out4" 2>"$T_TMP/err4"
expect_eq "--wait 60: exit status" "$?" 0
# The first build prints its summary before it lets go of the lock.
if grep -q '^3000 files' "$T_TMP/out1"; then
    ok
else
    fail "--wait 60 went ahead while the first build was still running"
fi
wait $pid1
expect_eq "first build: exit status" "$?" 0
expect_match "first build: summary" "$(cat "$T_TMP/out1")" '^3000 files, 3000 documents, 0 errors'
expect_match "waiting build: summary" "$(cat "$T_TMP/out4")" '^3000 files, 3000 documents, 0 errors'
expect_eq "waiting build: stderr empty" "$(cat "$T_TMP/err4")" ""

# 4. SIGKILL leaves no stale lock: the next build runs at once.
"$NEWSIDX" build --corpus "$c" --db "$db" >/dev/null 2>&1 &
pid=$!
wait_lock $pid && ok || fail "build never took the lock"
kill -KILL $pid
wait $pid 2>/dev/null
"$NEWSIDX" build --quiet --corpus "$c" --db "$db" 2>"$T_TMP/err5"
expect_eq "build after a SIGKILLed one: exit status" "$?" 0
expect_eq "build after a SIGKILLed one: stderr" "$(cat "$T_TMP/err5")" ""

# 5. Usage: --wait takes a number of seconds.
"$NEWSIDX" build --wait soon --corpus "$c" --db "$db" >/dev/null 2>&1
expect_eq "--wait soon: usage error" "$?" 2

# 6. newsq in a loop during a build that commits every 100 files: every
#    run finds the articles (exit 0) and prints 3 whole hits. Every file
#    changes, so the build replaces every document.
python3 - "$c" <<'PY'
import os, sys
for d, _, names in os.walk(sys.argv[1]):
    for n in names:
        with open(os.path.join(d, n), "a", encoding="utf-8") as f:
            f.write("\nتحديث\n")
PY
"$NEWSIDX" build --commit-every 100 --corpus "$c" --db "$db" >/dev/null 2>&1 &
pid=$!
runs=0 bad=0
while kill -0 $pid 2>/dev/null; do
    out=$("$NEWSQ" --db "$db" --format json --limit 3 -- مرصد 2>"$T_TMP/qerr")
    rc=$?
    runs=$((runs + 1))
    whole=$(printf '%s\n' "$out" | grep -c '"title":"[^"]' )
    if [ $rc -ne 0 ] || [ "$whole" -ne 3 ]; then
        bad=$((bad + 1))
        printf 'newsq run %d: exit %d, %d whole hits: %s\n' $runs $rc "$whole" \
            "$(cat "$T_TMP/qerr")" >&2
    fi
done
wait $pid
expect_eq "build during the newsq loop: exit status" "$?" 0
expect_eq "newsq runs that failed during the build (of $runs)" "$bad" 0
echo "lock: $runs newsq runs during a build, $bad failed"
lt 4 "$runs" && ok || fail "only $runs newsq runs during the build: the test proves little"
finish
