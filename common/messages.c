/*
 * messages.c: the English → Arabic message table (messages.h).
 *
 * Why a table in the program and not gettext: gettext translates only when
 * setlocale() succeeds, that is when the ar_* locale is generated on the
 * machine; Debian servers and containers usually have C.UTF-8 alone, so a
 * cron job with LANG=ar_SA.UTF-8 would still get English. It also needs
 * .mo files installed at a fixed prefix, so the programs in build/ and the
 * tests would not find them, plus msgfmt at build time. Both programs have
 * about sixty messages and one other language: a table compiled in works
 * everywhere, and test_messages checks that every Arabic format takes the
 * arguments of its English one and that every English format still occurs
 * in the sources. Should more languages come, the English formats are
 * already msgids: moving to gettext is mechanical.
 *
 * Rows are kept in the order of the files that print them.
 */
#include "messages.h"

#include <stdlib.h>
#include <string.h>

typedef struct msg {
    const char *en, *ar;
} msg_t;

static const msg_t table[] = {
    /* util.c */
    { "Try '%s --help'.\n", "للمساعدة اكتب '%s --help'.\n" },

    /* cliopt.c: option errors of both programs ("%s" first: "build: " or "") */
    { "%sunknown option '%s' (did you mean %s?)",
      "%sخيار غير معروف '%s' (هل تقصد %s؟)" },
    { "%sunknown option '%s'", "%sخيار غير معروف '%s'" },
    { "%sunknown option '%s'; put '--' before words that start with '-'",
      "%sخيار غير معروف '%s'؛ ضع '--' قبل الكلمات التي تبدأ بـ '-'" },
    { "%soption '%s' is ambiguous (%s)", "%sالخيار '%s' ملتبس (%s)" },
    { "%soption '%s' needs a value", "%sالخيار '%s' يحتاج إلى قيمة" },
    { "%soption '%s' takes no value", "%sالخيار '%s' لا يأخذ قيمة" },

    /* config.c */
    { "%s: cannot read the config file: %s",
      "%s: تعذّرت قراءة ملف الإعدادات: %s" },
    { "%s:%u: not a text line (NUL byte)", "%s:%u: ليس سطرًا نصيًا (بايت صفري)" },
    { "%s:%u: expected 'key = value', got '%s'",
      "%s:%u: المتوقع 'مفتاح = قيمة'، والموجود '%s'" },
    { "%s:%u: unknown key '%s' (did you mean '%s'?)",
      "%s:%u: مفتاح غير معروف '%s' (هل تقصد '%s'؟)" },
    { "%s:%u: unknown key '%s' (known keys: db, corpus, limit, format, json_fields, variants)",
      "%s:%u: مفتاح غير معروف '%s' (المفاتيح: db و corpus و limit و format و json_fields و variants)" },
    { "%s:%u: '%s' is already set on line %u",
      "%s:%u: '%s' محدَّد من قبل في السطر %u" },
    { "empty value", "قيمة فارغة" },
    { "not a number from 0 to 100000: '%s'", "ليس عددًا من 0 إلى 100000: '%s'" },
    { "expected %s, got '%s'", "المتوقع %s، والموجود '%s'" },
    { "a path in the config file must be absolute or start with ~/: '%s'",
      "المسار في ملف الإعدادات يجب أن يكون مطلقًا أو أن يبدأ بـ ~/: '%s'" },
    { "cannot expand '~': HOME is not set",
      "تعذّر توسيع '~': المتغير HOME غير محدَّد" },

    /* indexer/newsidx.c */
    { "missing command (build, stats, compact, analyze, config or variants)",
      "الأمر ناقص (build أو stats أو compact أو analyze أو config أو variants)" },
    { "unknown command '%s' (did you mean '%s'?)",
      "أمر غير معروف '%s' (هل تقصد '%s'؟)" },
    { "unknown command '%s' (build, stats, compact, analyze, config or variants)",
      "أمر غير معروف '%s' (الأوامر: build و stats و compact و analyze و config و variants)" },
    { "option '%s' goes after the command: newsidx COMMAND %s (build, stats, "
      "compact, analyze, config or variants)",
      "الخيار '%s' يأتي بعد الأمر: newsidx COMMAND %s (build أو stats أو "
      "compact أو analyze أو config أو variants)" },
    { "%s: unexpected argument '%s'", "%s: معامل غير متوقع '%s'" },
    { "--jobs: not a number of threads (1-64): '%s'",
      "--jobs: ليس عددًا صالحًا من الخيوط (1-64): '%s'" },
    { "--max-size: not a positive number of bytes: '%s'",
      "--max-size: ليس عددًا موجبًا من البايتات: '%s'" },
    { "--commit-every: not a number of files: '%s'",
      "--commit-every: ليس عددًا من الملفات: '%s'" },
    { "--wait: not a number of seconds: '%s'",
      "--wait: ليس عددًا من الثواني: '%s'" },
    { "no index location (HOME is not set): use --db, NEWSIDX_DB or db in "
      "the config file",
      "مكان الفهرس غير معروف (المتغير HOME غير محدَّد): استعمل --db أو "
      "NEWSIDX_DB أو db في ملف الإعدادات" },
    { "analyze: no text given", "analyze: لم يُعطَ نص" },
    { "cannot initialise ICU word segmentation",
      "تعذّرت تهيئة تقطيع الكلمات (ICU)" },
    { "config: unknown key '%s' (did you mean '%s'?)",
      "config: مفتاح غير معروف '%s' (هل تقصد '%s'؟)" },
    { "config: unknown key '%s' (known keys: db, corpus, limit, format, json_fields, variants)",
      "config: مفتاح غير معروف '%s' (المفاتيح: db و corpus و limit و format و json_fields و variants)" },
    { "config: newsidx only reads the config file; edit %s",
      "config: يقرأ newsidx ملف الإعدادات ولا يكتبه؛ عدِّل %s" },

    /* indexer/build.c, walk.c, admin.c */
    { "cannot create the index folder: %s", "تعذّر إنشاء مجلد الفهرس: %s" },
    { "index is locked by pid %ld (another newsidx build); use --wait "
      "SECONDS to wait",
      "الفهرس مقفل من العملية %ld (بناء آخر لـ newsidx)؛ استعمل --wait "
      "SECONDS للانتظار" },
    { "index is locked by another newsidx build; use --wait SECONDS to wait",
      "الفهرس مقفل من بناء آخر لـ newsidx؛ استعمل --wait SECONDS للانتظار" },
    { "cannot lock the index: %s", "تعذّر قفل الفهرس: %s" },
    { "index is locked by another Xapian writer (not a newsidx build); use "
      "--wait SECONDS to wait",
      "الفهرس مقفل من كاتب Xapian آخر (ليس بناءً لـ newsidx)؛ استعمل --wait "
      "SECONDS للانتظار" },
    { "cannot open the index: %s", "تعذّر فتح الفهرس: %s" },
    { "skipped: %s", "أُهمل: %s" },
    { "larger than %zu bytes, only the start is indexed",
      "أكبر من %zu بايت، فُهرس أوله فقط" },
    { "converted from windows-1256", "حُوِّل من الترميز windows-1256" },
    { "cannot write to the index: %s", "تعذّرت الكتابة في الفهرس: %s" },
    { "cannot read the index: %s", "تعذّرت قراءة الفهرس: %s" },
    /* spelling variants (indexer/variants.c) */
    { "cannot read the variants file: %s", "تعذّرت قراءة ملف الصيغ الإملائية: %s" },
    { "line %u: expected two or more words to join, or '!' and two words never to join (line skipped)",
      "السطر %u: المتوقع كلمتان أو أكثر تُدمج، أو '!' وكلمتان لا تُدمجان أبدًا (تُرك السطر)" },
    { "cannot mine spelling variants: %s", "تعذّر استخراج الصيغ الإملائية: %s" },
    { "cannot store spelling variants: %s", "تعذّر تخزين الصيغ الإملائية: %s" },
    { "cannot read the index to mine spelling variants: %s",
      "تعذّرت قراءة الفهرس لاستخراج الصيغ الإملائية: %s" },
    { "cannot open the index to store spelling variants: %s",
      "تعذّر فتح الفهرس لتخزين الصيغ الإملائية: %s" },
    { "cannot read corpus folder: %s", "تعذّرت قراءة مجلد المقالات: %s" },
    { "skipped: broken symbolic link", "أُهمل: رابط رمزي مكسور" },
    { "directory loop (symbolic link), skipped",
      "حلقة مجلدات (رابط رمزي)، أُهملت" },
    { "no index here (%s); run 'newsidx build' first",
      "لا يوجد فهرس هنا (%s)؛ شغِّل 'newsidx build' أولًا" },
    { "no index here; run 'newsidx build' first",
      "لا يوجد فهرس هنا؛ شغِّل 'newsidx build' أولًا" },

    /* searcher/newsq.c */
    { "no query given", "لم يُعطَ استعلام" },
    { "--offset: not a number from 0 to 100000: '%s'",
      "--offset: ليس عددًا من 0 إلى 100000: '%s'" },
    { "--sort: expected relevance, date or -date, got '%s'",
      "--sort: المتوقع relevance أو date أو -date، والموجود '%s'" },
    { "--source: at most %d sources", "--source: %d مصدرًا على الأكثر" },
    { "--collapse: expected copies or story, got '%s'",
      "--collapse: المتوقع copies أو story، والموجود '%s'" },
    { "cannot initialise the analyzer (ICU)", "تعذّرت تهيئة المحلل (ICU)" },
    { "note: %s", "ملاحظة: %s" },
    { "the query holds no searchable word: '%s'",
      "لا يحوي الاستعلام كلمة يمكن البحث عنها: '%s'" },
    { "not a newsq state file", "ليس ملف حالة لـ newsq" },
    { "not a regular file", "ليس ملفًا عاديًا" },
    { "%s: search failed: %s", "%s: فشل البحث: %s" },
    { "note: no article matches '%s' exactly; showing the closest (phrases, "
      "NEAR and fields not required)",
      "ملاحظة: لا يطابق أي مقال '%s' تمامًا؛ تُعرض أقرب المقالات (دون "
      "اشتراط العبارات و NEAR والحقول)" },
    { "no match for '%s'; did you mean: %s",
      "لا نتائج لـ '%s'؛ هل تقصد: %s" },
    { "no match for '%s'", "لا نتائج لـ '%s'" },
    { "--new-since %s: cannot write the state: %s",
      "--new-since %s: تعذّرت كتابة الحالة: %s" },
    { "%s: cannot open the index (%s); build it with 'newsidx build'",
      "%s: تعذّر فتح الفهرس (%s)؛ أنشئه بالأمر 'newsidx build'" },
    { "--threads: not a number from 1 to 64: '%s'",
      "--threads: ليس عددًا من 1 إلى 64: '%s'" },
    { "--serve takes no query: '%s'", "--serve لا يأخذ استعلامًا: '%s'" },
    { "--threads goes with --serve", "--threads يُستعمل مع --serve" },
    { "--like goes with a search, not --serve (the server takes like=ID)",
      "--like يُستعمل مع البحث لا مع --serve (يأخذ الخادم like=ID)" },

    /* server.c: newsq --serve */
    { "--serve: expected [ADDR:]PORT (ADDR an IPv4 address, PORT 0 to "
      "65535): '%s'",
      "--serve: المتوقع [ADDR:]PORT (ADDR عنوان IPv4، و PORT من 0 إلى "
      "65535): '%s'" },
    { "--serve %s: cannot listen: %s", "--serve %s: تعذّر الاستماع: %s" },
    /* "serving %s at http://%s:%u/ with %u threads" stays English:
     * scripts read the port from it. */
};

static int arabic_name(const char *v)
{
    return v && v[0] == 'a' && v[1] == 'r' &&
           (v[2] == '\0' || v[2] == '_' || v[2] == '.' || v[2] == '@');
}

int msg_arabic(void)
{
    /* POSIX precedence: LC_ALL, then LC_MESSAGES, then LANG; an empty
     * variable counts as unset. */
    static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return arabic_name(v);
    }
    return 0;
}

const char *msg_tr(const char *english)
{
    if (!english || !msg_arabic())
        return english;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (strcmp(table[i].en, english) == 0)
            return table[i].ar;
    return english;
}

const char *msg_pick(const char *english, const char *arabic)
{
    return msg_arabic() ? arabic : english;
}

size_t msg_count(void)
{
    return sizeof table / sizeof *table;
}

void msg_entry(size_t i, const char **english, const char **arabic)
{
    *english = i < msg_count() ? table[i].en : NULL;
    *arabic = i < msg_count() ? table[i].ar : NULL;
}
