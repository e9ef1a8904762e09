#!/bin/sh
# Output hygiene and bounds (issue 16, items 5 and 7):
#  - JSON is valid UTF-8 whatever the file name holds (bad bytes: U+FFFD);
#  - no control character from a path or a query reaches text output or
#    stderr raw (escape sequences would drive the terminal);
#  - a query over QPARSE_MAX_WORDS words or QPARSE_MAX_BYTES bytes is
#    refused at once, exit 2, with a message;
#  - a stub listing itself, or stubs in a loop, or nested too deep: exit 3
#    with a message (a self-listing stub crashed newsq with SIGSEGV).
. "$NEWSIDX_SRC/tests/cli/lib.sh"

c="$T_TMP/corpus"
db="$T_TMP/db"
mkdir -p "$c"
bad=$(printf 'bad\033]0;title\007\377name.txt')
printf 'عنوان الخبر\nنص يذكر مرصد في الخبر\n' >"$c/$bad"
"$NEWSIDX" build --quiet --corpus "$c" --db "$db" 2>/dev/null
q() { "$NEWSQ" --db "$db" "$@"; }

q --format json -- مرصد >"$T_TMP/out.json"
expect_eq "json: exit" "$?" 0
python3 - "$T_TMP/out.json" <<'PY' && ok || fail "json: not valid UTF-8 JSON"
import json, sys
for line in open(sys.argv[1], "rb").read().decode("utf-8").splitlines():
    hit = json.loads(line)
    assert "\ufffd" in hit["path"] and "\x1b" in hit["path"], hit["path"]
PY
for f in text tsv ids; do
    q --format $f -- مرصد >"$T_TMP/out.$f"
    if od -An -c "$T_TMP/out.$f" | grep -q '033\|007'; then
        fail "$f: a raw control character in the output"
    else
        ok
    fi
done
expect_match "text: the path escaped" "$(cat "$T_TMP/out.text")" 'bad\\x1b\]0;title\\x07'

q -- "$(printf 'zzz\033[2Jqqq')" 2>"$T_TMP/err" >/dev/null
if od -An -c "$T_TMP/err" | grep -q '033'; then
    fail "stderr: a raw escape from the query"
else
    ok
fi
expect_match "stderr: the query escaped" "$(cat "$T_TMP/err")" 'zzz\\x1b\[2Jqqq'

# Bounds of a query.
long=$(python3 -c 'print(" ".join(["مرصد"] * 10000))')
q -- "$long" >/dev/null 2>"$T_TMP/err"
expect_eq "10,000 words: exit" "$?" 2
expect_match "10,000 words: message" "$(cat "$T_TMP/err")" \
    '^newsq: query too long \([0-9]+ bytes, 10000 words\): at most 4096 bytes and 100 words$'
q -- "$(python3 -c 'print("x" * 5000)')" >/dev/null 2>"$T_TMP/err"
expect_eq "5000 bytes: exit" "$?" 2
q -- "$(python3 -c 'print(" ".join(["مرصد"] * 100))')" >/dev/null 2>&1
expect_eq "100 words: searched" "$?" 0

# Stubs: a loop is an error, not a crash.
mkdir "$T_TMP/self" "$T_TMP/a" "$T_TMP/b"
echo "auto XAPIANDB" >"$T_TMP/self/XAPIANDB"
"$NEWSQ" --db "$T_TMP/self" -- مرصد >/dev/null 2>"$T_TMP/err"
expect_eq "stub listing itself: exit" "$?" 3
expect_match "stub listing itself: message" "$(cat "$T_TMP/err")" 'lists itself \(a loop of stubs\)'
echo "auto ../b" >"$T_TMP/a/XAPIANDB"
echo "auto ../a" >"$T_TMP/b/XAPIANDB"
"$NEWSQ" --db "$T_TMP/a" -- مرصد >/dev/null 2>"$T_TMP/err"
expect_eq "stubs in a loop: exit" "$?" 3
# Nine stubs, each listing the next, the last listing the index.
prev="$db"
for i in 1 2 3 4 5 6 7 8 9; do
    mkdir "$T_TMP/n$i"
    echo "auto $prev" >"$T_TMP/n$i/XAPIANDB"
    prev="$T_TMP/n$i"
done
"$NEWSQ" --db "$T_TMP/n8" --count -- مرصد >"$T_TMP/out" 2>"$T_TMP/err"
expect_eq "8 nested stubs: searched" "$?:$(cat "$T_TMP/out")" "0:1"
"$NEWSQ" --db "$T_TMP/n9" -- مرصد >/dev/null 2>"$T_TMP/err"
expect_eq "9 nested stubs: exit" "$?" 3
expect_match "9 nested stubs: message" "$(cat "$T_TMP/err")" 'stubs nest deeper than 8 levels'
finish
