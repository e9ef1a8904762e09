#!/bin/sh
# newsidx build on the sample corpus: summary line, exit status, documents,
# a rebuild that does not duplicate, and the default index location.
. "$(dirname "$0")/lib.sh"

db="$T_TMP/db"
out=$("$NEWSIDX" build --corpus "$NEWSIDX_SRC/corpus" --db "$db" 2>"$T_TMP/err")
expect_eq "build exit status" "$?" 0
expect_match "summary line" "$out" '^1 files, 2 documents, 0 errors, [0-9.]+ s \(1 read, 0 unchanged, 0 removed; [0-9]+ articles/s\)$'
expect_eq "build stderr is empty" "$(cat "$T_TMP/err")" ""
[ -d "$db" ] && ok || fail "index folder created"

out=$("$NEWSIDX" build --corpus "$NEWSIDX_SRC/corpus" --db "$db" 2>&1)
expect_match "rebuild replaces, never duplicates" "$out" '^1 files, 2 documents, 0 errors'
n=$("$NEWSQ" --db "$db" --format ids --limit 100 -- غزة | wc -l)
expect_eq "two documents after two builds" "$n" 2

# Default location: $NEWSIDX_DB, then XDG_DATA_HOME, then ~/.local/share.
cd "$T_TMP" && cp -r "$NEWSIDX_SRC/corpus" "$T_TMP/corpus"
out=$("$NEWSIDX" build 2>&1)
expect_match "build with no flags indexes ./corpus" "$out" '^1 files, 2 documents'
[ -d "$HOME/.local/share/newsidx/index" ] && ok || fail "default index under ~/.local/share"
out=$(XDG_DATA_HOME="$T_TMP/xdg" "$NEWSIDX" build --quiet 2>&1)
expect_eq "--quiet prints nothing" "$out" ""
[ -d "$T_TMP/xdg/newsidx/index" ] && ok || fail "XDG_DATA_HOME honoured"
NEWSIDX_DB="$T_TMP/envdb" "$NEWSIDX" build --quiet
[ -d "$T_TMP/envdb" ] && ok || fail "NEWSIDX_DB honoured"

# Usage errors exit 2; a missing corpus exits 5; both say why on stderr.
"$NEWSIDX" build --bogus >/dev/null 2>"$T_TMP/err"; expect_eq "unknown option" "$?" 2
"$NEWSIDX" frobnicate >/dev/null 2>&1; expect_eq "unknown command" "$?" 2
"$NEWSIDX" build --corpus "$T_TMP/nope" --db "$T_TMP/db2" >/dev/null 2>"$T_TMP/err"
expect_eq "missing corpus exit" "$?" 5
expect_match "missing corpus message names it" "$(cat "$T_TMP/err")" "nope: cannot read corpus folder"
out=$("$NEWSIDX" --help); expect_eq "--help exits 0" "$?" 0
expect_match "--help documents exit statuses" "$out" "exit status"

# analyze: one line per word, the word, a tab, its terms.
out=$("$NEWSIDX" analyze "والحكومة")
expect_eq "analyze output" "$out" "$(printf 'والحكومة\tوالحكومه Zحكوم')"
out=$("$NEWSIDX" analyze --query "في غزة")
expect_eq "analyze --query drops stopword terms" "$out" "$(printf 'في\t\nغزة\tغزه Zغزه')"
finish
