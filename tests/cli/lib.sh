# lib.sh: helpers for the CLI tests (sourced). Each test calls ok/fail via
# expect_* and ends with `finish`, which prints "NAME: N passed, N failed"
# and exits non-zero on any failure.
set -u
: "${NEWSIDX:?set by meson test}" "${NEWSQ:?set by meson test}" "${NEWSIDX_SRC:?}"
T_NAME=$(basename "$0" .sh)
T_PASS=0
T_FAIL=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/newsidx-cli.XXXXXX")
trap 'chmod -R u+rwX "$T_TMP" 2>/dev/null; rm -rf "$T_TMP"' EXIT
unset NEWSIDX_DB NO_COLOR
export HOME="$T_TMP/home" XDG_DATA_HOME=

ok() { T_PASS=$((T_PASS + 1)); }
fail() { T_FAIL=$((T_FAIL + 1)); printf 'FAIL %s: %s\n' "$T_NAME" "$*" >&2; }

# expect_eq WHAT GOT WANT
expect_eq() {
    if [ "$2" = "$3" ]; then ok; else fail "$1: got [$2] want [$3]"; fi
}

# expect_match WHAT TEXT PATTERN (grep -E)
expect_match() {
    if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok; else fail "$1: [$2] does not match /$3/"; fi
}

finish() {
    printf '%s: %d passed, %d failed\n' "$T_NAME" "$T_PASS" "$T_FAIL"
    [ "$T_FAIL" -eq 0 ]
}

# make_news_corpus DIR: a small fixture corpus for the query tests:
#   a1  the truce in Gaza (عكاظ, 2015-07-01, keywords)
#   a2  football (الرياض, 2015-08-15); a6 is an identical copy of it
#   a3  economy, mentions الهدنة away from غزة (الشرق الأوسط, 2015-07-20)
#   a4  harakat and tatweel inside words (سبق, 2015-09-01)
#   a5  Arab summit (اليوم, 2015-08-02), with a related article about Gaza
make_news_corpus() {
    mkdir -p "$1"
    cat >"$1/a1.txt" <<'A'
اتفاق الهدنة في غزة
تاريخ النشر: 1st, July 2015 GMT
أعلنت الأطراف اتفاق الهدنة الإنسانية في قطاع غزة اليوم.
وقال المتحدث إن المفاوضات مستمرة حتى نهاية الأسبوع.
المصدر: عكاظ
كلمات دلالية: الهدنة غزة المفاوضات
A
    cat >"$1/a2.txt" <<'A'
مباراة الهلال والنصر
تاريخ النشر: 15th, August 2015 GMT
فاز الهلال على النصر في مباراة قوية على ملعب الملك فهد.
وسجل اللاعب هدفين في الشوط الثاني أمام جمهور كبير.
المصدر: الرياض
A
    cp "$1/a2.txt" "$1/a6.txt"
    cat >"$1/a3.txt" <<'A'
الاقتصاد السعودي ينمو
تاريخ النشر: 20th, July 2015 GMT
قالت الحكومة إن الاقتصاد ينمو بقوة هذا العام رغم تراجع أسعار النفط.
وأشار التقرير إلى نمو القطاع الخاص وإلى الهدنة التجارية بين الشركات الكبرى في المنطقة الشرقية كلها.
المصدر: الشرق الأوسط
A
    cat >"$1/a4.txt" <<'A'
خبر مشكول
تاريخ النشر: 1st, September 2015 GMT
وقَّعَ الطَرَفانِ اتفاقَ الهُدْنَـــةِ في غزةَ مساءَ الأمس.
المصدر: سبق
A
    cat >"$1/a5.txt" <<'A'
قمة عربية في القاهرة
تاريخ النشر: 2nd, August 2015 GMT
اجتمع القادة العرب في القاهرة لبحث الأوضاع في غزة والمنطقة.
المصدر: اليوم
إقرأ أيضاً:
الهدنة في غزة تصمد لليوم الثالث المصدر: وكالات
قال مسؤولون إن الهدنة في غزة تصمد لليوم الثالث على التوالي.
A
}
