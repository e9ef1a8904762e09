#!/bin/sh
# newsq --collapse story (issue 15): one hit per story. Planted
# near-duplicates: the same wire story with an edited title and changed
# words (s2), another source adding a sentence (s3) join s1; stories on the
# same subject with shared vocabulary (d1 another plant opening, d2 the
# conference's closing day, which repeats s1's background sentence) and a
# short brief do not. Text "+N more" line, JSON same_story ids, counts,
# pages, incremental builds (change, delete), shards.
. "$(dirname "$0")/lib.sh"

c="$T_TMP/c"
mkdir -p "$c"
# body S1 S2 S3: the three sentences of the wire story
S1='افتتح وزير البيئة والمياه والزراعة صباح اليوم في الرياض أعمال المؤتمر الدولي الخامس لتحلية المياه الذي تنظمه المؤسسة العامة لتحلية المياه المالحة بمشاركة وفود من خمسين دولة وأكثر من ثلاثمائة خبير ومختص.'
S2='وأكد الوزير في كلمته أن المملكة تعد أكبر منتج للمياه المحلاة في العالم وأنها تعمل على خفض تكلفة الإنتاج واستخدام الطاقة الشمسية في محطات التحلية الجديدة.'
S3='ويناقش المؤتمر على مدى ثلاثة أيام أحدث التقنيات في مجال التحلية ومعالجة المياه وإعادة استخدامها في الزراعة والصناعة إضافة إلى عرض تجارب الدول المشاركة في ترشيد الاستهلاك.'
story() { # FILE TITLE SOURCE BODY...
    f=$1 t=$2 s=$3
    shift 3
    { printf '%s\n' "$t" 'تاريخ النشر: 3rd, March 2015 GMT'
      for p in "$@"; do printf '%s\n' "$p"; done
      printf 'المصدر: %s\n' "$s"; } >"$c/$f.txt"
}
story s1 'افتتاح مؤتمر الرياض الدولي لتحلية المياه بمشاركة خمسين دولة' 'واس' \
    "$S1" "$S2" "$S3"
# an edited title, two words changed
story s2 'وزير البيئة يفتتح مؤتمر تحلية المياه في الرياض بحضور خمسين دولة' 'سبق' \
    "$(printf '%s' "$S1" | sed 's/صباح اليوم/مساء أمس/; s/ثلاثمائة/أربعمائة/')" "$S2" "$S3"
# one more sentence, the last one cut
story s3 'افتتاح مؤتمر الرياض الدولي لتحلية المياه بمشاركة خمسين دولة' 'عكاظ' \
    "$S1" "$S2" 'وتستمر فعاليات المعرض المصاحب للمؤتمر حتى نهاية الأسبوع في مركز الرياض الدولي للمعارض.'
# the same subject and words, another event
story d1 'تدشين محطة جديدة لتحلية المياه في الجبيل' 'الرياض' \
    'دشن وزير البيئة والمياه والزراعة اليوم في الجبيل محطة جديدة لتحلية المياه المالحة تنتجها المؤسسة العامة لتحلية المياه بطاقة ستمائة ألف متر مكعب يوميا.' \
    'وقال الوزير إن المحطة تعمل بالطاقة الشمسية وتخفض تكلفة الإنتاج بنسبة كبيرة وتخدم أكثر من مليون نسمة في المنطقة الشرقية.'
# the same conference, another day: its background sentence repeated
story d2 'اختتام مؤتمر الرياض الدولي لتحلية المياه وإعلان توصياته' 'اليوم' \
    'اختتمت في الرياض مساء أمس أعمال المؤتمر الدولي الخامس لتحلية المياه بإعلان عشر توصيات أبرزها إنشاء مركز إقليمي لأبحاث التحلية وتبادل الخبرات بين الدول.' \
    "$S2" \
    'وأوصى المشاركون بعقد المؤتمر القادم في جدة بعد عامين وبدعم الشركات الناشئة في قطاع المياه.'
# short briefs: too short to have a signature, never grouped
story b1 'تحلية المياه' 'واس' 'ارتفع إنتاج تحلية المياه هذا العام.'
story b2 'تحلية المياه' 'سبق' 'ارتفع إنتاج تحلية المياه هذا العام كثيرا.'

db="$T_TMP/db"
"$NEWSIDX" build --quiet --corpus "$c" --db "$db"
q() { "$NEWSQ" --db "$db" "$@"; }
sorted() { tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' '; }

expect_eq "default: every article" "$(q -f ids -- تحلية المياه | sorted)" \
    "b1 b2 d1 d2 s1 s2 s3 "
ids=$(q --collapse story -f ids -- تحلية المياه)
expect_eq "story: s1, s2, s3 one hit" \
    "$(printf '%s\n' "$ids" | grep -c '^s')" 1
expect_eq "story: the others each their own" \
    "$(printf '%s\n' "$ids" | grep -v '^s' | sorted)" "b1 b2 d1 d2 "
expect_eq "--collapse=story is the same" \
    "$(q --collapse=story -f ids -- تحلية المياه)" "$ids"
lead=$(printf '%s\n' "$ids" | grep '^s')

# Text: one "+N more" line, under the story's hit, sources in rank order.
out=$(q --collapse story -- تحلية المياه)
more=$(printf '%s\n' "$out" | grep -F 'more:' | sed 's/^ *//')
expect_match "text: +2 more and both other sources" "$more" \
    '^\+2 more: (واس|سبق|عكاظ), (واس|سبق|عكاظ)$'
expect_eq "text: not the story's own source" \
    "$(printf '%s\n' "$more" | grep -c "$(q -f tsv -- تحلية المياه | awk -F'\t' -v l="$lead" '$2 == l {print $5}')")" 0
expect_eq "text: no +N more by default" \
    "$(q -- تحلية المياه | grep -c 'more:')" 0

# JSON: same_story on the story's hit only, with the others' ids.
js=$(q --collapse story -f json -- تحلية المياه)
expect_eq "json: one hit has same_story" \
    "$(printf '%s\n' "$js" | grep -c '"same_story"')" 1
expect_eq "json: the others' ids" \
    "$(printf '%s\n' "$js" | grep '"same_story"' | sed 's/.*"same_story":\[\([^]]*\)\].*/\1/' | tr -d '"' | tr ',' ' ' | sorted)" \
    "$(printf 's1\ns2\ns3\n' | grep -v "^$lead\$" | sorted)"
expect_eq "json: on the story's hit" \
    "$(printf '%s\n' "$js" | grep '"same_story"' | sed 's/.*"id":"\([^"]*\)".*/\1/')" "$lead"
expect_eq "json: default output has no same_story" \
    "$(q -f json -- تحلية المياه | grep -c same_story)" 0

# Counts stay counts of articles; pages agree with the whole list.
expect_eq "--count: articles" "$(q --collapse story --count -- تحلية المياه)" 7
expect_eq "page 2 of 1 hit" "$(q --collapse story -f ids --limit 1 --offset 1 -- تحلية المياه)" \
    "$(printf '%s\n' "$ids" | sed -n 2p)"
expect_eq "--limit 2" "$(q --collapse story -f ids --limit 2 -- تحلية المياه | tr '\n' ' ')" \
    "$(printf '%s\n' "$ids" | sed -n 1,2p | tr '\n' ' ')"
expect_eq "--no-collapse after --collapse story: every article" \
    "$(q --collapse story --no-collapse -f ids -- تحلية المياه | wc -l)" 7
expect_eq "--collapse copies: the default" \
    "$(q --collapse copies -f ids -- تحلية المياه | wc -l)" 7
expect_eq "a bare --collapse before a query word" \
    "$(q --collapse -f ids تحلية المياه | wc -l)" 7

# Incremental builds: s2 changed again (still the story), s3 deleted.
sed -i 's/خمسين دولة وأكثر/خمسين بلدا وأكثر/' "$c/s2.txt"
rm "$c/s3.txt"
"$NEWSIDX" build --quiet --corpus "$c" --db "$db"
expect_eq "after a change and a deletion: s1 and s2 one hit" \
    "$(q --collapse story -f ids -- تحلية المياه | grep -c '^s')" 1
expect_match "after a deletion: +1 more" \
    "$(q --collapse story -- تحلية المياه | grep -F 'more:' | sed 's/^ *//')" \
    '^\+1 more: (واس|سبق)$'

# An index of schema 3 (before story signatures) is rebuilt once, with a
# message, and then groups stories.
xapian-metadata set "$db" newsidx.schema 3
"$NEWSIDX" build --quiet --corpus "$c" --db "$db" 2>"$T_TMP/err"
expect_eq "schema 3: rebuilt, saying so" "$(cat "$T_TMP/err")" \
    "newsidx: $db: index made by another version of newsidx (schema 3, now 4): rebuilding it from scratch"
expect_eq "schema 3: then stories" \
    "$(q --collapse story -f ids -- تحلية المياه | grep -c '^s')" 1
"$NEWSIDX" build --corpus "$c" --db "$db" 2>"$T_TMP/err" >/dev/null
expect_eq "rebuilt once" "$(cat "$T_TMP/err")" ""

# Shards: the same hits and lines as one database.
"$NEWSIDX" build --quiet --shards 2 --corpus "$c" --db "$T_TMP/sh"
expect_eq "shards: the same output" \
    "$("$NEWSQ" --db "$T_TMP/sh" --collapse story -- تحلية المياه)" \
    "$(q --collapse story -- تحلية المياه)"

finish
