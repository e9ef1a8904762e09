#!/bin/sh
# Bad input never stops a build (issue 6): each case below gets exactly one
# stderr line naming the file and the reason, is counted in the summary,
# and the build ends "done with warnings" (exit 1) with every good article
# indexed. (tests/cli/T030-errors.sh covers empty, blank, binary, NUL,
# windows-1256, CRLF+BOM and symlink loops.)
. "$NEWSIDX_SRC/tests/cli/lib.sh"
T_NAME=badinput
chmod 755 "$T_TMP" # world-readable: part 4 runs as nobody

seed="$NEWSIDX_SRC/corpus/000_88b3e027f580fa3f.txt"
first() { "$NEWSQ" --db "$1" --format ids --limit 1 -- "$2"; }
# first_is DB QUERY ID: is the first hit's id (read from json) exactly ID?
first_is() {
    "$NEWSQ" --db "$1" --format json --limit 1 -- "$2" | python3 -c '
import json, sys
hits = [json.loads(l) for l in sys.stdin if l.strip()]
sys.exit(0 if hits and hits[0]["id"] == sys.argv[1] else 1)' "$3"
}
nlines() { printf '%s' "$1" | grep -c ''; }

# 1. UTF-16 with a BOM, little and big endian: converted and searchable.
c="$T_TMP/utf16"
mkdir -p "$c"
{ printf '\377\376'; printf 'قافلة مساعدات تصل إلى خانيونس\nوصلت القافلة صباح اليوم.\n' |
    iconv -f UTF-8 -t UTF-16LE; } >"$c/le.txt"
{ printf '\376\377'; printf 'افتتاح معرض الكتاب في جدة\nافتتح المعرض أبوابه للزوار.\n' |
    iconv -f UTF-8 -t UTF-16BE; } >"$c/be.txt"
out=$("$NEWSIDX" build --corpus "$c" --db "$T_TMP/db16" 2>"$T_TMP/err")
expect_eq "UTF-16: exit status" "$?" 0
expect_match "UTF-16: summary" "$out" '^2 files, 2 documents, 0 errors'
expect_eq "UTF-16: stderr" "$(cat "$T_TMP/err")" ""
expect_eq "UTF-16 LE searchable" "$(first "$T_TMP/db16" خانيونس)" "le"
expect_eq "UTF-16 BE searchable" "$(first "$T_TMP/db16" 'معرض الكتاب')" "be"

# 2. A 50 MB file with --max-size 1000000: cut with a warning, counted, its
#    start indexed, and memory bounded (peak RSS within 16 MB of a build of
#    the same first megabyte alone).
c="$T_TMP/big"
mkdir -p "$c" "$T_TMP/cut"
cp "$seed" "$c/seed.txt"
{ printf 'ملف ضخم جدا\nبداية الملف الضخم كلمة افتتاحية\n'
  yes 'سطر مكرر من كلمات عربية كثيرة في ملف كبير' | head -c 50000000
  printf '\nكلمة ختامية لا تفهرس\n'; } >"$c/big.txt"
head -c 1000000 "$c/big.txt" >"$T_TMP/cut/big.txt"
cp "$seed" "$T_TMP/cut/seed.txt"
rss() { # rss FILE: peak RSS in kB from /usr/bin/time -v's report
    sed -n 's/.*Maximum resident set size (kbytes): *//p' "$1"
}
if [ -x /usr/bin/time ]; then
    timed() { /usr/bin/time -v -o "$T_TMP/time.out" "$@"; }
else
    timed() { "$@"; }
fi
out=$(timed "$NEWSIDX" build --max-size 1000000 --corpus "$c" --db "$T_TMP/dbbig" 2>"$T_TMP/err")
expect_eq "50 MB file: exit status (done with warnings)" "$?" 1
big=$(rss "$T_TMP/time.out" 2>/dev/null)
err=$(cat "$T_TMP/err")
expect_eq "50 MB file: one stderr line" "$(nlines "$err")" 1
expect_eq "50 MB file: the warning names it" "$err" \
    "newsidx: $c/big.txt: larger than 1000000 bytes, only the start is indexed"
expect_match "50 MB file: summary counts it" "$out" '^2 files, 3 documents, 1 errors'
expect_eq "50 MB file: its start is indexed" "$(first "$T_TMP/dbbig" افتتاحية)" "big"
expect_eq "50 MB file: its end is not" "$(first "$T_TMP/dbbig" ختامية 2>/dev/null)" ""
expect_eq "50 MB file: the other file is indexed" "$(first "$T_TMP/dbbig" 'الهدنة غزة')" "seed"
if [ -x /usr/bin/time ]; then
    timed "$NEWSIDX" build --quiet --corpus "$T_TMP/cut" --db "$T_TMP/dbcut" 2>/dev/null
    small=$(rss "$T_TMP/time.out")
    echo "badinput: peak RSS $big kB with the 50 MB file cut at 1 MB, $small kB with its first MB alone"
    [ -n "$big" ] && [ -n "$small" ] && [ $((big - small)) -lt 16384 ] && ok ||
        fail "50 MB file: peak RSS $big kB vs $small kB for its first megabyte"
else
    echo "badinput: /usr/bin/time missing: peak RSS not checked"
fi

# 3. A FIFO (would block a reader forever), a broken symbolic link (a file
#    that vanished), a socket-like special file, and names holding a newline
#    and quotes. Each bad one: one line, the name escaped so it stays one.
c="$T_TMP/odd"
mkdir -p "$c"
cp "$seed" "$c/good.txt"
mkfifo "$c/fifo.txt"
ln -s "$c/vanished.txt" "$c/gone.txt"
nl='
'
: >"$c/empty${nl}name.txt"
printf 'عنوان باسم غريب\nنص عن الصقور في الصحراء.\n' >"$c/it's \"quoted\".txt"
printf 'عنوان آخر\nنص عن الغزلان في الوادي.\n' >"$c/new${nl}line.txt"
out=$(timeout 120 "$NEWSIDX" build --corpus "$c" --db "$T_TMP/dbodd" 2>"$T_TMP/err")
expect_eq "odd files: exit status" "$?" 1
err=$(cat "$T_TMP/err")
expect_eq "odd files: one stderr line each" "$(nlines "$err")" 3
expect_match "FIFO named" "$err" "^newsidx: $c/fifo\.txt: skipped: a FIFO\$"
expect_match "broken symlink named" "$err" "^newsidx: $c/gone\.txt: skipped: broken symbolic link\$"
expect_match "newline in a name escaped" "$err" "^newsidx: $c/empty\\\\nname\\.txt: skipped: empty file\$"
expect_match "odd files: summary" "$out" '^4 files, 4 documents, 3 errors'
first_is "$T_TMP/dbodd" الصقور "it's \"quoted\"" && ok || fail "quoted name searchable"
first_is "$T_TMP/dbodd" الغزلان "new${nl}line" && ok || fail "newline name searchable"
rm "$c/fifo.txt" "$c/gone.txt" "$c/empty${nl}name.txt"
out=$("$NEWSIDX" build --corpus "$c" --db "$T_TMP/dbodd" 2>"$T_TMP/err")
expect_eq "without the bad files: exit 0" "$?" 0

# 4. Unreadable file and folder. Root reads anything, so this part runs as
#    user nobody (setpriv) on a world-readable copy.
if [ "$(id -u)" != 0 ]; then
    asuser() { "$@"; }
elif command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
    asuser() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
    if ! asuser "$NEWSIDX" --version >/dev/null 2>&1; then
        unset -f asuser
        echo "badinput: user nobody cannot run $NEWSIDX (a folder on its path is" \
            "private): unreadable files not tested"
    fi
else
    echo "badinput: setpriv or user nobody missing: unreadable files not tested"
fi
if command -v asuser >/dev/null 2>&1; then
    c="$T_TMP/perm"
    mkdir -p "$c/secret"
    cp "$seed" "$c/good.txt"
    cp "$seed" "$c/locked.txt"
    cp "$seed" "$c/secret/hidden.txt"
    chmod 000 "$c/locked.txt" "$c/secret"
    mkdir -m 777 "$T_TMP/permdb"
    out=$(asuser "$NEWSIDX" build --corpus "$c" --db "$T_TMP/permdb/db" 2>"$T_TMP/err")
    expect_eq "unreadable: exit status" "$?" 1
    err=$(cat "$T_TMP/err")
    expect_eq "unreadable: one line per file/folder" "$(nlines "$err")" 2
    expect_match "unreadable file named" "$err" "^newsidx: $c/locked\.txt: Permission denied\$"
    expect_match "unreadable folder named" "$err" "^newsidx: $c/secret: Permission denied\$"
    expect_match "unreadable: summary" "$out" '^2 files, 2 documents, 2 errors'
    expect_eq "unreadable: the good file is indexed" \
        "$(asuser "$NEWSQ" --db "$T_TMP/permdb/db" --format ids --limit 1 -- 'الهدنة غزة')" "good"
    # Next build, once readable: the file is retried and indexed.
    chmod 644 "$c/locked.txt"
    chmod 755 "$c/secret"
    out=$(asuser "$NEWSIDX" build --corpus "$c" --db "$T_TMP/permdb/db" 2>"$T_TMP/err")
    expect_eq "readable again: exit 0" "$?" 0
    # Three mains and their one related article, the same in all three
    # files, stored once.
    expect_match "readable again: retried" "$out" '^3 files, 4 documents, 0 errors'
fi
finish
