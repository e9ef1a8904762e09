#!/bin/sh
# Bad input never stops a build: each bad file gets one line on stderr
# naming it, the summary counts it, the exit status says "done with
# warnings" (1), and every good article is still indexed.
. "$(dirname "$0")/lib.sh"

c="$T_TMP/corpus"
mkdir -p "$c/sub dir"
seed="$NEWSIDX_SRC/corpus/000_88b3e027f580fa3f.txt"
: >"$c/empty.txt"
printf ' \n\t\n' >"$c/blank.txt"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' >"$c/image.txt"
printf 'عنوان\000الخبر\n' >"$c/nul.txt"
# the seed with a BOM and CRLF line ends, in a folder with a space
{ printf '\357\273\277'; sed 's/$/\r/' "$seed"; } >"$c/sub dir/crlf.txt"
# windows-1256: converted, with a note
printf 'مؤتمر صحفي في الرياض\nقال المتحدث إن الاجتماع ناجح\n' |
    iconv -f UTF-8 -t CP1256 >"$c/legacy.txt"
# an Arabic file name that begins with a dash
printf 'مباراة الهلال والنصر\nفاز الهلال على النصر\n' >"$c/-خبر.txt"

out=$("$NEWSIDX" build --corpus "$c" --db "$T_TMP/db" 2>"$T_TMP/err")
expect_eq "done with warnings" "$?" 1
err=$(cat "$T_TMP/err")
expect_match "empty file named" "$err" "empty\.txt: skipped: "
expect_match "blank file named" "$err" "blank\.txt: skipped: "
expect_match "binary file named" "$err" "image\.txt: skipped: .*PNG"
expect_match "NUL bytes named" "$err" "nul\.txt: skipped: "
expect_match "windows-1256 converted" "$err" "legacy\.txt: converted from windows-1256"
expect_eq "one stderr line per bad file (4) and per conversion (1)" \
    "$(printf '%s\n' "$err" | wc -l)" 5
expect_match "summary counts the errors" "$out" '^7 files, 4 documents, 4 errors'

first() { "$NEWSQ" --db "$T_TMP/db" --format ids --limit 1 -- "$@"; }
expect_eq "CRLF+BOM seed indexed" "$(first 'الهدنة غزة')" "sub dir/crlf"
expect_eq "its related article too" "$(first 'سلطان عمان')" "sub dir/crlf#1"
expect_eq "windows-1256 article searchable" "$(first 'مؤتمر صحفي')" "legacy"
expect_eq "dash-named Arabic file searchable" "$(first 'الهلال')" "-خبر"

# An unreadable file (only meaningful when not root: root reads anything).
if [ "$(id -u)" != 0 ]; then
    cp "$seed" "$c/locked.txt" && chmod 000 "$c/locked.txt"
    "$NEWSIDX" build --corpus "$c" --db "$T_TMP/db" >/dev/null 2>"$T_TMP/err"
    expect_match "unreadable file named" "$(cat "$T_TMP/err")" "locked\.txt: Permission denied"
fi

# A symbolic link loop is reported, not followed forever.
ln -s .. "$c/sub dir/loop"
out=$("$NEWSIDX" build --corpus "$c" --db "$T_TMP/db" 2>"$T_TMP/err")
expect_match "symlink loop reported" "$(cat "$T_TMP/err")" "loop: directory loop"
finish
