#!/bin/sh
# valgrind.sh BUILD_ROOT SANITIZE: the unit tests, a build with bad input,
# queries in every format and the error paths, under valgrind memcheck
# (issue 6): no memory error and no leak (definite, indirect or possible).
# Suite 'valgrind', meant for a release build:
#     meson test -C build --suite valgrind
# In a sanitizer build (SANITIZE is not "none") or without valgrind it
# skips (exit 77): ASan and valgrind do not mix.
. "$NEWSIDX_SRC/tests/cli/lib.sh"
T_NAME=valgrind
root=$1
if [ "${2:-none}" != none ]; then
    echo "valgrind: skipped: a sanitizer build (-Db_sanitize=$2); run it in a release build"
    exit 77
fi
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind: skipped: valgrind is not installed"
    exit 77
fi

VG_ERR=99
# vg WANT_STATUS WHAT PROGRAM ARGS...: the program exits WANT_STATUS and
# valgrind finds nothing.
vg() {
    want=$1 what=$2
    shift 2
    valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible \
        --error-exitcode=$VG_ERR --log-file="$T_TMP/vg.log" \
        "$@" >"$T_TMP/vg.out" 2>"$T_TMP/vg.err"
    rc=$?
    if [ $rc -eq $VG_ERR ]; then
        fail "$what: valgrind reports errors or leaks"
        cat "$T_TMP/vg.log" >&2
    elif [ $rc -ne "$want" ]; then
        fail "$what: exit status $rc, want $want"
        tail -n 20 "$T_TMP/vg.err" >&2
    else
        ok
    fi
}

# 1. The unit tests.
n=0
for t in "$root"/tests/test_*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    n=$((n + 1))
    vg 0 "$(basename "$t")" "$t" "$NEWSIDX_SRC"
done
[ $n -gt 0 ] && ok || fail "no unit test found under $root/tests"

# 2. A build of the sample corpus plus bad input (every decoding path).
c="$T_TMP/corpus"
mkdir -p "$c"
cp "$NEWSIDX_SRC"/corpus/*.txt "$c/"
: >"$c/empty.txt"
printf '\211PNG\r\n\032\n\000\000' >"$c/image.txt"
printf 'مؤتمر صحفي في الرياض\nقال المتحدث إن الاجتماع ناجح\n' |
    iconv -f UTF-8 -t CP1256 >"$c/legacy.txt"
{ printf '\377\376'; printf 'قافلة مساعدات تصل إلى خانيونس\nوصلت القافلة.\n' |
    iconv -f UTF-8 -t UTF-16LE; } >"$c/utf16.txt"
{ printf '\357\273\277'; sed 's/$/\r/' "$NEWSIDX_SRC/corpus/000_88b3e027f580fa3f.txt"; } >"$c/crlf.txt"
mkfifo "$c/fifo"
db="$T_TMP/db"
vg 1 "newsidx build (with bad files)" "$NEWSIDX" build --corpus "$c" --db "$db"
vg 0 "newsidx build again (replacing)" "$NEWSIDX" build --quiet --corpus "$NEWSIDX_SRC/corpus" --db "$db"
vg 0 "newsidx analyze" "$NEWSIDX" analyze والحكومة لغزة مسئول
# the lock held by another process (python: the same fcntl lock)
python3 - "$db/newsidx.lock" "$T_TMP/held" <<'PY' &
import fcntl, sys, time
f = open(sys.argv[1], "r+")
fcntl.lockf(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").write("1")
time.sleep(60)
PY
holder=$!
i=0
while [ ! -s "$T_TMP/held" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
vg 4 "newsidx build on a locked index" "$NEWSIDX" build --corpus "$c" --db "$db"
kill $holder
wait $holder 2>/dev/null

# 3. Queries, every format, hits and no hits, and a missing index.
for f in text json tsv ids; do
    vg 0 "newsq --format $f" "$NEWSQ" --db "$db" --format $f -- الهدنة غزة
done
vg 0 "newsq phrase" "$NEWSQ" --db "$db" -- '"الهدنة الإنسانية"'
vg 1 "newsq no hits" "$NEWSQ" --db "$db" -- كلمةلاتوجد
vg 3 "newsq missing index" "$NEWSQ" --db "$T_TMP/nothing" -- غزة
finish
