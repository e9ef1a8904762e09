#!/bin/sh
# T190-variants: spelling variants (issue 15) on a corpus built here.
# Four outlets write the same kinds of news. Each name of the JOIN table is
# spelled one way by outlets 1-2 and the other way by outlets 3-4 (a house
# style), in articles about the same things. Each pair of the APART table
# shares a transliteration skeleton but is two words: common words taken
# with ال, or names written by every outlet, often in the same article.
# `newsidx variants` must join every JOIN pair and no APART pair; a query
# word finds the other spelling, a quoted word does not; the user file
# adds and forbids pairs; a build mines again only when 5% of the index
# changed (or --update says so).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "T190-variants: python3 missing: skipped"; exit 77; }

JOIN='ترامب ترمب
بوتين بوتن
نتنياهو نتانياهو
غوغل جوجل
كلينتون كلنتون
ميركل ميركيل
فيسبوك فايسبوك
كاميرون كامرون
لافروف لافرف
هيلاري هلاري
برشلونة برشيلونة
مانشستر مانشيستر
ليفربول ليفيربول
ارسنال ارسينال
تشيلسي تشلسي
يونايتد يونايتيد
انستغرام انستجرام
يوتيوب يوتوب
مايكروسوفت ميكروسوفت
سامسونغ سامسونج
غوتيريس جوتيريس
كوشنر كوشنير
بومبيو بومبو
ماكرون ماكرن
جونسون جونسن
اردوغان اردغان
زيلينسكي زيلنسكي
بايدن بايدين
نافالني نافلني
ستالين ستالن
فولكسفاغن فولكسفاجن
مرسيدس مارسيدس
يوفنتوس جوفنتوس'
# Common words (the miner sees them with ال) and names used side by side.
APART_COMMON='بيان بين
عالم علم
قطاع قطع
فريق فرق
مصير مصر
سفير سفر
كتاب كتب
سلام سلم
جميل جمل
طريق طرق
كبير كبر
صغير صغر
جديد جدد
وزير وزر
شعوب شعب
قلوب قلب
عمال عمل
نظام نظم
حساب حسب
سكان سكن
طلاب طلب
شمال شمل
سجون سجن
رسوم رسم
شهور شهر
جنود جند
تعليم تعلم
تقارير تقرير
مسيرة مسرة'
# Imperfect verbs: a long ا of another pattern (يقاتل/يقتل), forms with
# the other prefixes in the index.
APART_VERBS='يقاتل يقتل
نراقب نرقب'
APART_NAMES='حسين حسن
محمود محمد
سعيد سعد
كريم كرم'

corpus="$T_TMP/corpus"
mkdir -p "$corpus"
JOIN="$JOIN" APART_COMMON="$APART_COMMON" APART_NAMES="$APART_NAMES" \
APART_VERBS="$APART_VERBS" \
python3 - "$corpus" <<'PY'
import os, sys
out = sys.argv[1]
pairs = lambda k: [l.split() for l in os.environ[k].splitlines() if l.strip()]
join, common, names = pairs("JOIN"), pairs("APART_COMMON"), pairs("APART_NAMES")
verbs = pairs("APART_VERBS")
outlets = ["صحيفة الشمال", "صحيفة الجنوب", "صحيفة الشرق", "صحيفة الغرب"]
# topic words: each JOIN pair has its own, shared by both spellings
topics = ["الانتخابات الرئاسية والحملة", "الكرملين والعقوبات الاقتصادية",
          "الحكومة الاسرائيلية والكنيست", "محركات البحث والاعلانات الرقمية",
          "وزارة الخارجية والدبلوماسية", "المستشارة والبرلمان الاتحادي"]
n = 0
def write(title, body, src):
    global n
    n += 1
    with open(os.path.join(out, "v%04d.txt" % n), "w") as f:
        f.write("%s\n%s\nالمصدر: %s\n" % (title, body, src))
for i, (a, b) in enumerate(join):
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    t = topics[i % len(topics)] + " ملف" + letters[i % 27] + letters[i // 27]
    for k in range(8):
        word, src = (a, outlets[k % 2]) if k < 4 else (b, outlets[2 + k % 2])
        write("خبر عن %s" % word,
              "قال %s اليوم في حديث عن %s إن الامور تسير. واضاف %s ان %s "
              "موضوع مهم في العدد %d." % (word, t, word, t, k), src)
for i, (a, b) in enumerate(common):
    for k in range(8):
        src = outlets[k % 4]
        if k < 4:   # both words, the article on them as often as not
            body = "عن %s ثم %s: ال%s في ال%s رقم %d." % (a, b, b, a, k)
        else:       # apart, in other contexts
            w = a if k % 2 else b
            body = "تحدث التقرير عن ال%s مرة اخرى وعن %s في موضوع %d%d." % (w, w, i, k)
        write("تقرير %d %d" % (i, k), body, src)
# verbs: each form used by other outlets in the same stories (a house
# style would not tell them apart), with the other persons' prefixes
for i, (a, b) in enumerate(verbs):
    t = topics[i % len(topics)]
    for k in range(8):
        word, src = (a, outlets[k % 2]) if k < 4 else (b, outlets[2 + k % 2])
        write("حدث %d %d" % (i, k),
              "قيل انهم %s في %s و%s ايضا. ثم %s ثم %s ملفا %d." %
              (word, t, word, "ت" + word[1:], "ا" + word[1:], k), src)
for i, (a, b) in enumerate(names):
    for k in range(8):
        write("لقاء %d %d" % (i, k),
              "التقى %s بن %s مع %s في المجلس رقم %d." % (a, b, a if k % 2 else b, k),
              outlets[k % 4])
PY

db="$T_TMP/db"
out=$("$NEWSIDX" build --corpus "$corpus" --db "$db" -q 2>&1)
expect_eq "build" "$?" "0"
expect_eq "build output" "$out" ""

list=$("$NEWSIDX" variants --db "$db")
expect_eq "variants exit" "$?" "0"
# clusters: one line "W1 N · W2 N" per cluster, evidence lines indented
pairs_seen=$(printf '%s\n' "$list" | grep -v '^ ' | sed 's/ [0-9][0-9]*//g; s/ · / /g')
check_joined() { # $1 table, $2 want (yes|no)
    printf '%s\n' "$1" | sed 's/ة/ه/g' | while read -r a b; do
        line=$(printf '%s\n' "$pairs_seen" | grep -Fx -e "$a $b" -e "$b $a")
        if [ "$2" = yes ] && [ -z "$line" ]; then echo "not joined: $a $b"; fi
        if [ "$2" = no ]; then
            for w in "$a" "$b"; do
                printf '%s\n' "$pairs_seen" | grep -qw -- "$w" && echo "joined: $w ($a/$b)"
            done
        fi
    done
}
expect_eq "every JOIN pair joined, alone" "$(check_joined "$JOIN" yes)" ""
expect_eq "no APART word joined (common)" "$(check_joined "$APART_COMMON" no)" ""
expect_eq "no APART word joined (names)" "$(check_joined "$APART_NAMES" no)" ""
expect_eq "no APART word joined (verbs)" "$(check_joined "$APART_VERBS" no)" ""
expect_match "rejected: a verb" "$("$NEWSIDX" variants --all --db "$db" يقتل)" \
    "يقاتل [0-9]+ · يقتل [0-9]+: a verb|يقتل [0-9]+ · يقاتل [0-9]+: a verb"
# the evidence and the reasons are shown
expect_match "evidence" "$("$NEWSIDX" variants --db "$db" ترمب)" \
    "ترامب 4 · ترمب 4.*
  ترامب 4 · ترمب 4: joined \(with ال 0%/0%, together in 0, outlets overlap 0.00"
expect_match "rejected: takes ال" "$("$NEWSIDX" variants --all --db "$db" تعلم)" \
    "(تعليم [0-9]+ · تعلم|تعلم [0-9]+ · تعليم) [0-9]+: takes ال"
expect_match "rejected: same articles" "$("$NEWSIDX" variants --all --db "$db" محمود)" \
    "same articles"
"$NEWSIDX" variants --db "$db" بيان >/dev/null
expect_eq "a word in no cluster: exit 1" "$?" "1"

# Xapian's own tools see the synonyms.
if command -v quest >/dev/null; then
    expect_match "quest ~word" "$(quest -s none -f default,synonym -d "$db" '~ترمب' 2>&1)" \
        "ترمب@1 SYNONYM ترامب@1"
fi

# Queries: the other outlets' spelling is found; a quoted word is exact.
ids=$("$NEWSQ" --db "$db" --format ids -n 100 ترمب | sort | tr '\n' ' ')
n=$("$NEWSQ" --db "$db" --format ids -n 100 ترمب | wc -l)
expect_eq "ترمب finds both spellings" "$n" "8"
n=$("$NEWSQ" --db "$db" --format ids -n 100 '"ترمب"' | wc -l)
expect_eq "\"ترمب\" finds its own spelling only" "$n" "4"
n=$("$NEWSQ" --db "$db" --format ids -n 100 'title:ترمب' | wc -l)
expect_eq "title:ترمب expands too" "$n" "8"
n=$("$NEWSQ" --db "$db" --format ids -n 100 بيان | wc -l)
m=$("$NEWSQ" --db "$db" --format ids -n 100 '"بيان"' | wc -l)
expect_eq "a word without variants: unchanged" "$n" "$m"
expect_match "--explain shows the expansion" \
    "$("$NEWSQ" --db "$db" --explain ترمب 2>&1)" "ترمب → ترمب .*\+ variants: ترامب"
expect_match "highlight of the other spelling" \
    "$("$NEWSQ" --db "$db" --format json -n 100 ترمب)" '"snippet":"[^"]*ترامب'

# The user file: join a pair the miner rejects, forbid one it joins; a bad
# line is named and skipped, the rest is used, the build says so (exit 1).
cat >"$T_TMP/variants.txt" <<'U'
# house rules
محمود محمد
!بوتين بوتن
ترمب
U
err=$(NEWSIDX_VARIANTS="$T_TMP/variants.txt" "$NEWSIDX" build --corpus "$corpus" --db "$db" -q 2>&1)
expect_eq "build with a bad line: exit 1" "$?" "1"
expect_match "bad line named" "$err" "variants.txt.*line 4: expected two or more words"
list=$("$NEWSIDX" variants --db "$db" محمود 2>/dev/null)
expect_eq "the listing reads the user file from the settings" "$?" "1"
list=$(NEWSIDX_VARIANTS="$T_TMP/variants.txt" "$NEWSIDX" variants --db "$db" محمود 2>/dev/null)
expect_match "user join listed" "$list" "joined by the user file"
n=$("$NEWSQ" --db "$db" --format ids -n 100 محمود | wc -l)
m=$("$NEWSQ" --db "$db" --format ids -n 100 '"محمود" OR "محمد"' | wc -l)
expect_eq "user join searched" "$n" "$m"
n=$("$NEWSQ" --db "$db" --format ids -n 100 بوتن | wc -l)
expect_eq "user forbid: بوتن alone" "$n" "4"
n=$("$NEWSQ" --db "$db" --format ids -n 100 ترمب | wc -l)
expect_eq "other pairs kept" "$n" "8"
printf 'x\n' >"$T_TMP/nofile"; rm "$T_TMP/nofile"
err=$(NEWSIDX_VARIANTS="$T_TMP/nofile" "$NEWSIDX" build --corpus "$corpus" --db "$db" -q 2>&1)
expect_eq "missing user file: exit 1" "$?" "1"
expect_match "missing user file named" "$err" "nofile: cannot read the variants file"
n=$("$NEWSQ" --db "$db" --format ids -n 100 ترمب | wc -l)
expect_eq "mined pairs kept without the user file" "$n" "8"
# When a build mines again. A plain build first (no user file now: mined
# again, since the user file changed).
"$NEWSIDX" build --corpus "$corpus" --db "$db" -q
expect_eq "build without the user file" "$?" "0"
# add_pair A B I N: the 8 articles of a new pair (house styles, its own
# topic word) and N other articles; the build after it reads them.
add_pair() {
    python3 - "$corpus" "$1" "$2" "$3" "$4" <<'PY'
import os, sys
out, a, b, i, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
outlets = ["صحيفة الشمال", "صحيفة الجنوب", "صحيفة الشرق", "صحيفة الغرب"]
t = "المحادثات التجارية ملفجديد" + i
for k in range(8):
    word, src = (a, outlets[k % 2]) if k < 4 else (b, outlets[2 + k % 2])
    with open(os.path.join(out, "add%s-%d.txt" % (i, k)), "w") as f:
        f.write("خبر عن %s\nقال %s اليوم في حديث عن %s إن الامور تسير. واضاف %s ان %s "
                "موضوع مهم في العدد %d.\nالمصدر: %s\n" % (word, word, t, word, t, k, src))
for k in range(n):
    with open(os.path.join(out, "more%s-%d.txt" % (i, k)), "w") as f:
        f.write("نشرة %s %d\nاخبار الطقس ليوم %d من الشهر.\nالمصدر: %s\n"
                % (i, k, k, outlets[k % 4]))
PY
}
count() { "$NEWSQ" --db "$db" --format ids -n 100 "$1" | wc -l; }
# 8 new articles: under 5% of the index, not mined by the build
add_pair كيسنجر كيسينجر 1 0
"$NEWSIDX" build --corpus "$corpus" --db "$db" -q
expect_eq "small change: build" "$?" "0"
expect_eq "small change: not mined yet" "$(count كيسنجر)" "4"
"$NEWSIDX" variants --update --db "$db"
expect_eq "variants --update" "$?" "0"
expect_eq "variants --update: mined" "$(count كيسنجر)" "8"
err=$("$NEWSIDX" variants --update --db "$db" كيسنجر 2>&1)
expect_eq "variants --update takes no word: exit 2" "$?" "2"
expect_match "variants --update takes no word" "$err" \
    "newsidx: variants: unexpected argument 'كيسنجر'"
# a change of 5% or more, over two builds: the second one mines
add_pair بيلوسي بلوسي 2 0
"$NEWSIDX" build --corpus "$corpus" --db "$db" -q
expect_eq "8 more: not mined yet" "$(count بيلوسي)" "4"
add_pair مادورو مادرو 3 24
"$NEWSIDX" build --corpus "$corpus" --db "$db" -q
expect_eq "40 articles since the last mining (over 5%): mined" "$(count بيلوسي)" "8"
expect_eq "... both pairs" "$(count مادورو)" "8"
finish
