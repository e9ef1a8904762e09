#!/bin/sh
# What a newsq process loads (issue 12: a whole process as cheap as quest):
#  - a search loads neither the server's libraries (libmicrohttpd, gnutls,
#    jansson) nor the readers' (libxml2), nor ICU's calendars (libicui18n);
#  - a Hijri date loads the calendars when it is met, and is converted;
#  - newsq --serve runs newsq-server (found beside newsq here) with newsq's
#    messages and exit statuses; when it cannot be found, exit 3 naming it.
# The loader's own report (LD_DEBUG=files, glibc) says what was loaded.
. "$NEWSIDX_SRC/tests/cli/lib.sh"

c="$T_TMP/corpus"
db="$T_TMP/db"
make_news_corpus "$c"
"$NEWSIDX" build --quiet --corpus "$c" --db "$db" 2>/dev/null
# loaded CMD...: run CMD; the shared objects it loaded in $LIBS (one a
# line), its exit status in $RC and its stdout in $OUT.
loaded() {
    RC=0
    OUT=$(LD_DEBUG=files "$@" 2>"$T_TMP/ld") || RC=$?
    LIBS=$(sed -n 's/.*file=\([^ ]*\) \[.*/\1/p' "$T_TMP/ld" | sort -u)
}

loaded "$NEWSQ" --db "$db" --format ids -- الهدنة
libs=$LIBS
expect_eq "search: exit" "$RC" 0
expect_match "search: the loader reports" "$libs" 'libxapian'
for lib in libmicrohttpd libgnutls libjansson libxml2 libicui18n; do
    if printf '%s\n' "$libs" | grep -q "^$lib"; then
        fail "search: loads $lib"
    else
        ok
    fi
done

# a1 is dated 2015-07-01, 14 Ramadan 1436; a3 (2015-07-20) is in Shawwal.
loaded "$NEWSQ" --db "$db" --format ids -- 'date:1436-09هـ' الهدنة
expect_eq "Hijri date: hits" "$RC:$OUT" "0:a1"
expect_match "Hijri date: the calendars loaded" "$LIBS" '^libicui18n'

# --serve: the server program beside newsq checks the address itself.
"$NEWSQ" --db "$db" --serve 70000 >/dev/null 2>"$T_TMP/err"
expect_eq "--serve bad port: exit" "$?" 2
expect_match "--serve bad port: newsq's message" "$(cat "$T_TMP/err")" \
    "^newsq: --serve: expected \[ADDR:\]PORT"
"$NEWSQ" --db "$db" --threads 2 -- q >/dev/null 2>"$T_TMP/err"
expect_eq "--threads without --serve: exit" "$?" 2
# A newsq with no newsq-server beside it, and none installed.
mkdir "$T_TMP/bin"
cp "$NEWSQ" "$T_TMP/bin/newsq"
installed=$(grep -a -o '/[[:print:]]*/newsq-server' "$NEWSQ" | head -1)
if [ -z "$installed" ]; then
    fail "--serve: no newsq-server path in newsq"
elif [ ! -e "$installed" ]; then
    "$T_TMP/bin/newsq" --db "$db" --serve 70000 >/dev/null 2>"$T_TMP/err"
    expect_eq "--serve, no server program: exit" "$?" 3
    expect_match "--serve, no server program: message" "$(cat "$T_TMP/err")" \
        "^newsq: --serve: cannot run $installed: No such file"
else
    echo "T160: $installed is installed: the missing-program check skipped" >&2
fi
finish
