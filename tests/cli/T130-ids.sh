#!/bin/sh
# Article ids are unique by construction (issue 16, item 3): files whose
# names differ only by extension, names holding '#' (the record separator)
# or '%', each keep their own articles, in a first build and in an
# incremental one (where they used to overwrite each other silently).
. "$NEWSIDX_SRC/tests/cli/lib.sh"

c="$T_TMP/corpus"
db="$T_TMP/db"
mkdir -p "$c"
art() { printf '%s\nتاريخ النشر: 1st, July 2015 GMT\n%s\n' "$1" "$2" >"$c/$3"; }
art "عنوان الأول" "نص فريد الأول يذكر مرصد" a.txt
art "عنوان الثاني" "نص فريد الثاني يذكر مرصد" a.md
art "عنوان الثالث" "نص فريد الثالث يذكر مرصد" a
# x.txt holds a related article (id x#1); a file named x#1.txt must not
# take its place.
printf 'عنوان الرابع\nنص الرابع يذكر مرصد\nإقرأ أيضاً:\nعنوان المقال المرتبط\nنص المرتبط يذكر مرصد\n' >"$c/x.txt"
art "عنوان الخامس" "نص الخامس يذكر مرصد" 'x#1.txt'
art "عنوان السادس" "نص السادس يذكر مرصد" 'p%23.txt'

q() { "$NEWSQ" --db "$db" --limit 100 "$@"; }
"$NEWSIDX" build --quiet --corpus "$c" --db "$db"
expect_eq "first build" "$?" 0
expect_eq "first build: every article" "$(q --count -- مرصد)" 7
want=$(printf '%s\n' 'a%' a a.md% p%2523 x x#1 x%231 | sort)
expect_eq "first build: ids" "$(q --format ids -- مرصد | sort)" "$want"

# Incremental: a file that gets the same old id as another is added later.
rm -rf "$db"
mkdir "$T_TMP/c2"
mv "$c/a.md" "$c/x#1.txt" "$T_TMP/c2/"
"$NEWSIDX" build --quiet --corpus "$c" --db "$db"
expect_eq "before: articles" "$(q --count -- مرصد)" 5
mv "$T_TMP/c2/a.md" "$T_TMP/c2/x#1.txt" "$c/"
"$NEWSIDX" build --quiet --corpus "$c" --db "$db"
expect_eq "incremental build" "$?" 0
expect_eq "incremental build: every article" "$(q --count -- مرصد)" 7
expect_eq "incremental build: ids" "$(q --format ids -- مرصد | sort)" "$want"
expect_eq "a.md has its own article" "$(q --format tsv -- الثاني | cut -f2)" "a.md%"
expect_eq "x.txt keeps its related article" \
    "$(q --format ids -- المرتبط)" "x#1"
finish
