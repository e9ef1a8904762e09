#!/bin/sh
# Messages in Arabic when the locale is Arabic (issue 8): usage errors,
# "no match", a missing index, "index is locked", config-file errors and
# --help, chosen by LC_ALL, else LC_MESSAGES, else LANG, with no ar_*
# locale installed; English otherwise; results (stdout) never translated.
. "$(dirname "$0")/lib.sh"
unset XDG_CONFIG_HOME NEWSIDX_CONFIG NEWSIDX_CORPUS NEWSIDX_LIMIT NEWSIDX_FORMAT
unset LC_ALL LC_MESSAGES LANGUAGE
export LANG=ar_SA.UTF-8
make_news_corpus "$T_TMP/c"
db="$T_TMP/db"
"$NEWSIDX" build --quiet --corpus "$T_TMP/c" --db "$db"

# run WHAT STATUS WANT-STDERR CMD...: exact stderr and exit status.
run() {
    what=$1 want_status=$2 want=$3
    shift 3
    "$@" >"$T_TMP/out" 2>"$T_TMP/err"
    expect_eq "$what: exit status" "$?" "$want_status"
    expect_eq "$what: message" "$(cat "$T_TMP/err")" "$want"
}

# 1. newsq.
run "unknown option" 2 "newsq: خيار غير معروف '--limt' (هل تقصد --limit؟)
للمساعدة اكتب 'newsq --help'." "$NEWSQ" --db "$db" --limt 3 غزة
run "missing value" 2 "newsq: الخيار '--format' يحتاج إلى قيمة
للمساعدة اكتب 'newsq --help'." "$NEWSQ" --db "$db" غزة --format
run "no query" 2 "newsq: لم يُعطَ استعلام
للمساعدة اكتب 'newsq --help'." "$NEWSQ" --db "$db"
run "bad --sort" 2 "newsq: --sort: المتوقع relevance أو date أو -date، والموجود 'x'
للمساعدة اكتب 'newsq --help'." "$NEWSQ" --db "$db" --sort x غزة
run "bad --limit" 2 "newsq: --limit: ليس عددًا من 0 إلى 100000: 'x'
للمساعدة اكتب 'newsq --help'." "$NEWSQ" --db "$db" --limit x غزة
run "no match" 1 "newsq: لا نتائج لـ 'كلمةغيرموجودة'" "$NEWSQ" --db "$db" كلمةغيرموجودة
run "no match, suggestion" 1 "newsq: لا نتائج لـ 'المفاوضاث'؛ هل تقصد: المفاوضات" \
    "$NEWSQ" --db "$db" المفاوضاث
expect_match "missing index" \
    "$("$NEWSQ" --db "$T_TMP/none" غزة 2>&1)" "^newsq: $T_TMP/none: تعذّر فتح الفهرس \(.*\)؛ أنشئه بالأمر 'newsidx build'$"

# 2. newsidx.
run "unknown command" 2 "newsidx: أمر غير معروف 'buid' (هل تقصد 'build'؟)
للمساعدة اكتب 'newsidx --help'." "$NEWSIDX" buid
run "unknown option of build" 2 "newsidx: build: خيار غير معروف '--corpsu' (هل تقصد --corpus؟)
للمساعدة اكتب 'newsidx --help'." "$NEWSIDX" build --corpsu x
run "missing corpus" 5 "newsidx: $T_TMP/none: تعذّرت قراءة مجلد المقالات: No such file or directory" \
    "$NEWSIDX" build --corpus "$T_TMP/none" --db "$db"
: >"$T_TMP/c/empty.txt"
"$NEWSIDX" build --quiet --corpus "$T_TMP/c" --db "$db" 2>"$T_TMP/err"
expect_match "a skipped file" "$(cat "$T_TMP/err")" "^newsidx: $T_TMP/c/empty.txt: أُهمل: "
rm "$T_TMP/c/empty.txt"

# "index is locked": hold the build lock (a POSIX fcntl lock, as newsidx
# takes it) from another process.
python3 - "$db/newsidx.lock" "$T_TMP/locked" <<'PY' &
import fcntl, os, sys, time
f = open(sys.argv[1], "r+")
fcntl.lockf(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(30)
PY
holder=$!
i=0
while [ ! -e "$T_TMP/locked" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
run "locked index" 4 "newsidx: $db: الفهرس مقفل من العملية $holder (بناء آخر لـ newsidx)؛ استعمل --wait SECONDS للانتظار" \
    "$NEWSIDX" build --corpus "$T_TMP/c" --db "$db"
run "locked index, English" 4 "newsidx: $db: index is locked by pid $holder (another newsidx build); use --wait SECONDS to wait" \
    env LANG=C.UTF-8 "$NEWSIDX" build --corpus "$T_TMP/c" --db "$db"
kill $holder 2>/dev/null
wait $holder 2>/dev/null

# 3. Config-file errors.
mkdir -p "$HOME/.config/newsidx"
printf 'limt = 3\n' >"$HOME/.config/newsidx/config"
run "config file error" 2 "newsq: $HOME/.config/newsidx/config:1: مفتاح غير معروف 'limt' (هل تقصد 'limit'؟)" \
    "$NEWSQ" --db "$db" غزة
rm "$HOME/.config/newsidx/config"

# 4. Which variable decides: LC_ALL, then LC_MESSAGES, then LANG.
msg() { "$NEWSQ" --db "$db" كلمةغيرموجودة 2>&1; }
expect_eq "LC_ALL=C over LANG=ar" "$(LC_ALL=C msg)" "newsq: no match for 'كلمةغيرموجودة'"
expect_eq "LC_ALL=ar over LANG=C" "$(LANG=C LC_ALL=ar_EG.UTF-8 msg)" "newsq: لا نتائج لـ 'كلمةغيرموجودة'"
expect_eq "LC_MESSAGES=ar over LANG=en" "$(LANG=en_US.UTF-8 LC_MESSAGES=ar_JO.UTF-8 msg)" "newsq: لا نتائج لـ 'كلمةغيرموجودة'"
expect_eq "LC_MESSAGES=C over LANG=ar" "$(LC_MESSAGES=C msg)" "newsq: no match for 'كلمةغيرموجودة'"
expect_eq "LANG=en" "$(LANG=en_GB.UTF-8 msg)" "newsq: no match for 'كلمةغيرموجودة'"
expect_eq "LANG unset" "$(unset LANG; msg)" "newsq: no match for 'كلمةغيرموجودة'"

# 5. --help in Arabic, with the very options of the English one.
for prog in "$NEWSQ" "$NEWSIDX"; do
    name=$(basename "$prog")
    ar=$("$prog" --help)
    expect_eq "$name --help (ar): exit 0" "$?" 0
    en=$(LANG=C "$prog" --help)
    expect_match "$name --help in Arabic" "$ar" "^الاستعمال: $name "
    expect_match "$name --help in English" "$en" "^usage: $name "
    opts_ar=$(printf '%s\n' "$ar" | grep -o -- '--[a-z][a-z-]*' | sort -u | tr '\n' ' ')
    opts_en=$(printf '%s\n' "$en" | grep -o -- '--[a-z][a-z-]*' | sort -u | tr '\n' ' ')
    expect_eq "$name --help: same options in both languages" "$opts_ar" "$opts_en"
done

# 6. Results are never translated.
for f in text json tsv ids; do
    expect_eq "stdout ($f) is the same in Arabic" \
        "$("$NEWSQ" --db "$db" --format $f -- 'الهدنة غزة')" \
        "$(LANG=C "$NEWSQ" --db "$db" --format $f -- 'الهدنة غزة')"
done
expect_match "build summary stays English" \
    "$("$NEWSIDX" build --corpus "$T_TMP/c" --db "$T_TMP/db2")" '^6 files, 7 documents, 0 errors'
expect_match "newsidx config stays English" "$("$NEWSIDX" config)" "# default"
finish
