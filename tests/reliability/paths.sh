#!/bin/sh
# Awkward paths (issue 6): spaces, quotes, newlines, leading dashes and
# Arabic letters in the corpus folder, the file names and the index path
# work in `newsidx build` and come back exactly in `newsq --format json`;
# diagnostics naming such a path stay on one line. No program of ours runs
# a shell, so nothing here may be interpreted.
. "$NEWSIDX_SRC/tests/cli/lib.sh"
T_NAME=paths

nl='
'
odd="-d 'q' \"dq\" \$x;* عربي${nl}nl"
mkdir -p "$T_TMP/$odd"
cd "$T_TMP/$odd" || exit 1
mkdir -- "-corpus ${odd}"
c="-corpus ${odd}"      # relative, starts with a dash
db="-index ${odd}"      # relative, starts with a dash
article() { printf '%s\nنص يذكر كلمة %s في سطره.\n' "$1" "$1" >"$c/$2"; }
article "صقور" "-lead.txt"
article "غزلان" "sp ace.txt"
article "نخيل" "q'uote\"s.txt"
article "وديان" "nl${nl}name.txt"
article "جبال" "عربي.txt"
article "رمال" "back\\slash.txt"

out=$("$NEWSIDX" build --corpus="$c" --db "$db" 2>"$T_TMP/err")
expect_eq "build: exit status" "$?" 0
expect_match "build: summary" "$out" '^6 files, 6 documents, 0 errors'
expect_eq "build: stderr empty" "$(cat "$T_TMP/err")" ""

# json: the path and id of each file, exactly (python compares the strings).
root=$(cd -- "$c" && pwd -P)
check_hit() { # check_hit WORD FILE
    "$NEWSQ" --db "$db" --format json --limit 5 -- "$1" >"$T_TMP/hit" 2>"$T_TMP/qerr"
    python3 - "$T_TMP/hit" "$root/$2" "${2%.txt}" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
hits = [json.loads(l) for l in lines]
ok = len(hits) == 1 and hits[0]["path"] == sys.argv[2] and hits[0]["id"] == sys.argv[3]
if not ok:
    print("got %r want path %r id %r" % (lines, sys.argv[2], sys.argv[3]), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}
check_hit صقور "-lead.txt" && ok || fail "leading dash: json path and id"
check_hit غزلان "sp ace.txt" && ok || fail "space: json path and id"
check_hit نخيل "q'uote\"s.txt" && ok || fail "quotes: json path and id"
check_hit وديان "nl${nl}name.txt" && ok || fail "newline: json path and id"
check_hit جبال "عربي.txt" && ok || fail "Arabic: json path and id"
check_hit رمال "back\\slash.txt" && ok || fail "backslash: json path and id"

# tsv and ids stay one line per hit, whatever the names hold.
out=$("$NEWSQ" --db "$db" --format tsv --limit 10 -- صقور OR غزلان OR نخيل OR وديان OR جبال OR رمال)
expect_eq "tsv: one line per hit" "$(printf '%s\n' "$out" | wc -l)" 6
out=$("$NEWSQ" --db "$db" --format ids --limit 10 -- صقور OR غزلان OR نخيل OR وديان OR جبال OR رمال)
expect_eq "ids: one line per hit" "$(printf '%s\n' "$out" | wc -l)" 6

# The index location from the environment, relative with a leading dash.
out=$(NEWSIDX_DB="$db" "$NEWSQ" --format ids --limit 1 -- جبال)
expect_eq "NEWSIDX_DB with an odd path" "$out" "عربي"

# A diagnostic naming the odd index path is one line: the lock message,
# with the lock held by another process (python, same fcntl lock).
python3 - "$db/newsidx.lock" "$T_TMP/held" <<'PY' &
import fcntl, os, sys, time
f = open(sys.argv[1], "r+")
fcntl.lockf(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").write(str(os.getpid()))
time.sleep(30)
PY
holder=$!
i=0
while [ ! -s "$T_TMP/held" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
"$NEWSIDX" build --corpus="$c" --db "$db" >/dev/null 2>"$T_TMP/err"
expect_eq "locked: exit status" "$?" 4
err=$(cat "$T_TMP/err")
expect_eq "locked: one line" "$(printf '%s\n' "$err" | wc -l)" 1
want="newsidx: -index -d 'q' \"dq\" \$x;* عربي\\nnl: index is locked by pid $holder (another newsidx build); use --wait SECONDS to wait"
expect_eq "locked: message with the path escaped" "$err" "$want"
kill $holder
wait $holder 2>/dev/null

# A corpus path that is really an option-looking word is still a path.
"$NEWSIDX" build --corpus "--help" --db "$db" >/dev/null 2>"$T_TMP/err"
expect_eq "--corpus --help is a missing folder" "$?" 5
finish
