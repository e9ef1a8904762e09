/*
 * dates.c: date strings into Gregorian dates (see dates.h).
 *
 * The text is folded first (norm_fold: Arabic-Indic digits become ASCII,
 * alef/yeh/teh marbuta forms one letter, harakat and tatweel gone, Latin
 * lower case), so each name below is written once, in folded form. Then one
 * pass over tokens: numbers (a run of digits, or a numeric date such as
 * 2023-11-29 or 15/03/1445), times (digits followed by ':'), time-zone
 * offsets (+0300), and words (month names, markers, words that may
 * surround a date). An unknown word or number before the date is complete
 * makes the text no date: "قبل 3 ساعات" is not one.
 *
 * Calendar arithmetic is ICU's (ucal, "islamic-umalqura"), never ours.
 */
#include "dates.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/uvernum.h>

#include "normalize.h"
#include "util.h"

/* Month names, folded (normalize.h). SECOND: the second word of a two-word
 * name (NULL: one word). */
typedef struct month_name {
    const char *first, *second;
    int month;
    int hijri;
} month_name_t;

static const month_name_t months[] = {
    /* English (three letters or more of the name are accepted too). */
    {"january", NULL, 1, 0},   {"february", NULL, 2, 0},
    {"march", NULL, 3, 0},     {"april", NULL, 4, 0},
    {"may", NULL, 5, 0},       {"june", NULL, 6, 0},
    {"july", NULL, 7, 0},      {"august", NULL, 8, 0},
    {"september", NULL, 9, 0}, {"october", NULL, 10, 0},
    {"november", NULL, 11, 0}, {"december", NULL, 12, 0},
    /* Egypt and the Gulf. */
    {"يناير", NULL, 1, 0},  {"فبراير", NULL, 2, 0}, {"مارس", NULL, 3, 0},
    {"ابريل", NULL, 4, 0},  {"مايو", NULL, 5, 0},   {"يونيو", NULL, 6, 0},
    {"يونيه", NULL, 6, 0},  {"يوليو", NULL, 7, 0},  {"يوليه", NULL, 7, 0},
    {"اغسطس", NULL, 8, 0},  {"سبتمبر", NULL, 9, 0}, {"اكتوبر", NULL, 10, 0},
    {"نوفمبر", NULL, 11, 0}, {"ديسمبر", NULL, 12, 0},
    /* Algeria and Tunisia; Morocco. */
    {"جانفي", NULL, 1, 0},  {"فيفري", NULL, 2, 0},  {"افريل", NULL, 4, 0},
    {"ماي", NULL, 5, 0},    {"جوان", NULL, 6, 0},   {"جويليه", NULL, 7, 0},
    {"اوت", NULL, 8, 0},    {"يوليوز", NULL, 7, 0}, {"غشت", NULL, 8, 0},
    {"شتنبر", NULL, 9, 0},  {"نونبر", NULL, 11, 0}, {"دجنبر", NULL, 12, 0},
    /* The Levant and Iraq. */
    {"كانون", "الثاني", 1, 0}, {"كانون", "ثاني", 1, 0},
    {"شباط", NULL, 2, 0},      {"اذار", NULL, 3, 0},
    {"نيسان", NULL, 4, 0},     {"ايار", NULL, 5, 0},
    {"حزيران", NULL, 6, 0},    {"تموز", NULL, 7, 0},
    {"اب", NULL, 8, 0},        {"ايلول", NULL, 9, 0},
    {"تشرين", "الاول", 10, 0}, {"تشرين", "اول", 10, 0},
    {"تشرين", "الثاني", 11, 0}, {"تشرين", "ثاني", 11, 0},
    {"كانون", "الاول", 12, 0}, {"كانون", "اول", 12, 0},
    /* Hijri. */
    {"محرم", NULL, 1, 1},       {"المحرم", NULL, 1, 1},
    {"صفر", NULL, 2, 1},
    {"ربيع", "الاول", 3, 1},    {"ربيع", "اول", 3, 1},
    {"ربيع", "الاخر", 4, 1},    {"ربيع", "الثاني", 4, 1},
    {"ربيع", "ثاني", 4, 1},
    {"جمادي", "الاولي", 5, 1},  {"جمادي", "الاول", 5, 1},
    {"جمادي", "الاخره", 6, 1},  {"جمادي", "الاخر", 6, 1},
    {"جمادي", "الثانيه", 6, 1}, {"جمادي", "الثاني", 6, 1},
    {"رجب", NULL, 7, 1},        {"شعبان", NULL, 8, 1},
    {"رمضان", NULL, 9, 1},      {"شوال", NULL, 10, 1},
    {"ذو", "القعده", 11, 1},    {"ذي", "القعده", 11, 1},
    {"ذو", "الحجه", 12, 1},     {"ذي", "الحجه", 12, 1},
};

/* Words that say a date is Hijri (هـ folds to ه) or Gregorian (م). */
static const char *const hijri_marks[] = {"ه", "هجري", "هجريه", "ah"};
static const char *const greg_marks[] = {"م", "ميلادي", "ميلاديه", "ad"};

/* Words that may stand around a date: weekdays, time zones, ordinal
 * suffixes, time of day. */
static const char *const filler[] = {
    "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu",
    "thur", "thurs", "thursday", "fri", "friday", "sat", "saturday", "sun",
    "sunday", "st", "nd", "rd", "th", "of", "at", "t", "z", "gmt", "utc",
    "ut", "am", "pm", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt",
    "cet", "cest", "eet", "eest", "ast", "bst",
    "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت",
    "احد", "اثنين", "ثلاثاء", "اربعاء", "خميس", "جمعه", "سبت", "يوم",
    "الساعه", "صباحا", "مساء", "ص", "بتوقيت", "غرينتش", "جرينتش", "مكه",
    "المكرمه", "في",
};

static int in_list(const char *w, size_t n, const char *const *list,
                   size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0)
            return 1;
    return 0;
}
#define IN_LIST(w, n, list) in_list(w, n, list, sizeof list / sizeof *list)

typedef enum { TK_END, TK_NUM, TK_NUMDATE, TK_WORD, TK_SKIP } tok_kind_t;

typedef struct tok {
    tok_kind_t kind;
    const char *s;  /* the token's text */
    size_t n;
    int v[3];       /* TK_NUM: v[0]; TK_NUMDATE: the three parts */
    int digits[3];  /* their digit counts */
} tok_t;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A letter of a word: ASCII and other Latin letters, Arabic letters (not
 * Arabic punctuation, spaces or marks). *LEN: the character's length. */
static int is_word_byte(const char *s, size_t n, size_t *len)
{
    unsigned char c = (unsigned char)*s;
    if (c < 0x80) {
        *len = 1;
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
    uint32_t cp;
    *len = utf8_decode((const unsigned char *)s, n, &cp);
    return norm_is_arabic_letter(cp) || (cp >= 0xC0 && cp < 0x0600);
}

/* The token at *P (END is the end): skips separators. */
static tok_t next_tok(const char **p, const char *end)
{
    tok_t t;
    memset(&t, 0, sizeof t);
    const char *s = *p;
    int tz = 0;
    size_t len;
    while (s < end && !is_digit(*s) && !is_word_byte(s, (size_t)(end - s), &len)) {
        /* '+' or '-' right before digits: a time-zone offset. */
        if ((*s == '+' || *s == '-') && s + 1 < end && is_digit(s[1]))
            tz = 1;
        s += (unsigned char)*s < 0x80 ? 1 : len;
    }
    t.s = s;
    if (s >= end) {
        t.kind = TK_END;
        *p = s;
        return t;
    }
    if (is_digit(*s)) {
        int part = 0;
        for (;;) {
            int v = 0, d = 0;
            while (s < end && is_digit(*s)) {
                if (d < 9)
                    v = v * 10 + (*s - '0');
                d++;
                s++;
            }
            if (part < 3) {
                t.v[part] = v;
                t.digits[part] = d;
            }
            part++;
            if (s < end && *s == ':') { /* a time: 14:03:00.000 */
                while (s < end && (is_digit(*s) || *s == ':' || *s == '.'))
                    s++;
                t.kind = TK_SKIP;
                break;
            }
            if (!tz && part < 4 && s + 1 < end &&
                (*s == '-' || *s == '/' || *s == '.') && is_digit(s[1])) {
                s++;
                continue;
            }
            t.kind = tz ? TK_SKIP : part == 1 ? TK_NUM : part == 3 ? TK_NUMDATE : TK_WORD;
            break;
        }
    } else {
        while (s < end && is_word_byte(s, (size_t)(end - s), &len))
            s += len;
        t.kind = TK_WORD;
    }
    t.n = (size_t)(s - t.s);
    *p = s;
    return t;
}

/* The month named by word W (N bytes), with the next word NEXT for
 * two-word names (*USED2 set when it was used). 0 when none. */
static const month_name_t *month_of(const char *w, size_t n, const tok_t *next,
                                    int *used2)
{
    *used2 = 0;
    for (size_t i = 0; i < sizeof months / sizeof *months; i++) {
        const month_name_t *m = &months[i];
        size_t fl = strlen(m->first);
        if (m->second) {
            if (fl == n && memcmp(m->first, w, n) == 0 &&
                next->kind == TK_WORD && strlen(m->second) == next->n &&
                memcmp(m->second, next->s, next->n) == 0) {
                *used2 = 1;
                return m;
            }
        } else if (fl == n && memcmp(m->first, w, n) == 0) {
            return m;
        } else if ((unsigned char)w[0] < 0x80 && n >= 3 && n < fl &&
                   memcmp(m->first, w, n) == 0) {
            return m; /* English abbreviation: nov, sept */
        }
    }
    return NULL;
}

static int days_in_month(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/*
 * ICU's calendars live in libicui18n, which nothing else newsq runs needs:
 * it is loaded the first time a Hijri date is converted, so that every
 * other search does not pay for loading and relocating it (a tenth of a
 * whole newsq process: bench/README.md, "Results"). ICU's headers rename
 * each function after its version (ucal_open is ucal_open_72): ICU_NAME is
 * the name to look up.
 */
#define ICU_STR(x) #x
#define ICU_NAME(f) ICU_STR(f)
#define ICU_I18N "libicui18n.so." ICU_NAME(U_ICU_VERSION_MAJOR_NUM)

static struct {
    __typeof__(ucal_open) *open;
    __typeof__(ucal_close) *close;
    __typeof__(ucal_clear) *clear;
    __typeof__(ucal_setDate) *set_date;
    __typeof__(ucal_set) *set;
    __typeof__(ucal_get) *get;
    __typeof__(ucal_getLimit) *get_limit;
    __typeof__(ucal_getMillis) *get_millis;
    __typeof__(ucal_setMillis) *set_millis;
    int ok;
} cal;
static pthread_once_t cal_once = PTHREAD_ONCE_INIT;

static void cal_load(void)
{
    void *h = dlopen(ICU_I18N, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        warnx_("cannot load %s: Hijri dates cannot be converted: %s",
               ICU_I18N, dlerror());
        return;
    }
    cal.open = (__typeof__(cal.open))dlsym(h, ICU_NAME(ucal_open));
    cal.close = (__typeof__(cal.close))dlsym(h, ICU_NAME(ucal_close));
    cal.clear = (__typeof__(cal.clear))dlsym(h, ICU_NAME(ucal_clear));
    cal.set_date = (__typeof__(cal.set_date))dlsym(h, ICU_NAME(ucal_setDate));
    cal.set = (__typeof__(cal.set))dlsym(h, ICU_NAME(ucal_set));
    cal.get = (__typeof__(cal.get))dlsym(h, ICU_NAME(ucal_get));
    cal.get_limit = (__typeof__(cal.get_limit))dlsym(h, ICU_NAME(ucal_getLimit));
    cal.get_millis = (__typeof__(cal.get_millis))dlsym(h, ICU_NAME(ucal_getMillis));
    cal.set_millis = (__typeof__(cal.set_millis))dlsym(h, ICU_NAME(ucal_setMillis));
    cal.ok = cal.open && cal.close && cal.clear && cal.set_date && cal.set &&
             cal.get && cal.get_limit && cal.get_millis && cal.set_millis;
    if (!cal.ok)
        warnx_("%s lacks a calendar function: Hijri dates cannot be "
               "converted", ICU_I18N);
}

static const UChar UTC_ID[] = {'U', 'T', 'C', 0};

int date_from_hijri(int y, int m, int d, int *gy, int *gm, int *gd)
{
    if (y < DATE_HIJRI_MIN || y > DATE_HIJRI_MAX || m < 1 || m > 12 || d < 0 || d > 30)
        return 0;
    pthread_once(&cal_once, cal_load);
    if (!cal.ok)
        return 0;
    UErrorCode e = U_ZERO_ERROR;
    UCalendar *h = cal.open(UTC_ID, -1, "en@calendar=islamic-umalqura",
                            UCAL_DEFAULT, &e);
    UCalendar *g = cal.open(UTC_ID, -1, "en@calendar=gregorian",
                            UCAL_GREGORIAN, &e);
    int ok = 0;
    if (U_SUCCESS(e)) {
        cal.clear(h);
        cal.set_date(h, y, m - 1, 1, &e);
        int32_t last = cal.get_limit(h, UCAL_DATE, UCAL_ACTUAL_MAXIMUM, &e);
        if (U_SUCCESS(e) && d <= last) {
            cal.set(h, UCAL_DATE, d ? d : last);
            UDate t = cal.get_millis(h, &e);
            cal.set_millis(g, t, &e);
            int ry = cal.get(g, UCAL_YEAR, &e);
            int era = cal.get(g, UCAL_ERA, &e);
            *gm = cal.get(g, UCAL_MONTH, &e) + 1;
            *gd = cal.get(g, UCAL_DATE, &e);
            *gy = era == 1 ? ry : 1 - ry;
            ok = U_SUCCESS(e) && *gy >= 1000 && *gy <= 9999;
        }
    }
    if (h)
        cal.close(h);
    if (g)
        cal.close(g);
    return ok;
}

static void put_ymd(char *out, int y, int m, int d, int dashes)
{
    char t[32];
    snprintf(t, sizeof t, dashes ? "%04d-%02d-%02d" : "%04d%02d%02d", y, m, d);
    memcpy(out, t, dashes ? 11 : 9);
}

int date_parse(const char *text, size_t len, char out[11])
{
    if (!text || len == 0 || len > 256)
        return 0;
    buf_t f = BUF_INIT;
    norm_fold(text, len, 0, &f);
    const char *p = f.data ? f.data : "", *end = p + f.len;
    int day = 0, month = 0, year = 0, hijri = 0, greg_name = 0, ok = 0;
    int year_digits = 0;
    tok_t t = next_tok(&p, end);
    while (t.kind != TK_END) {
        tok_t nx = next_tok(&p, end);
        int used2 = 0;
        if (t.kind == TK_SKIP) {
            /* a time or a zone */
        } else if (t.kind == TK_NUMDATE) {
            if (day || month || year)
                break;
            if (t.digits[0] == 4 && t.digits[1] <= 2 && t.digits[2] <= 2) {
                year = t.v[0], month = t.v[1], day = t.v[2];
            } else if (t.digits[2] == 4 && t.digits[0] <= 2 &&
                       t.digits[1] <= 2) {
                day = t.v[0], month = t.v[1], year = t.v[2];
            } else {
                break;
            }
            year_digits = 4;
        } else if (t.kind == TK_NUM) {
            if (t.digits[0] <= 2 && !day)
                day = t.v[0];
            else if (t.digits[0] == 4 && !year)
                year = t.v[0], year_digits = 4;
            else
                break;
        } else if (t.kind == TK_WORD) {
            const month_name_t *m = month_of(t.s, t.n, &nx, &used2);
            if (m && !month) {
                month = m->month;
                hijri = m->hijri;
                greg_name = !m->hijri;
                if (used2)
                    nx = next_tok(&p, end);
            } else if (IN_LIST(t.s, t.n, hijri_marks) && year && !greg_name) {
                hijri = 1;
            } else if (IN_LIST(t.s, t.n, greg_marks) && year && !hijri) {
                greg_name = 1;
            } else if (!IN_LIST(t.s, t.n, filler)) {
                break;
            }
        } else {
            break;
        }
        if (day && month && year) {
            /* Complete: only a calendar marker right after it counts. */
            if (nx.kind == TK_WORD && IN_LIST(nx.s, nx.n, hijri_marks)) {
                if (greg_name)
                    break;
                hijri = 1;
            }
            ok = 1;
            break;
        }
        t = nx;
    }
    buf_free(&f);
    if (!ok || year_digits != 4 || month < 1 || month > 12 || day < 1)
        return 0;
    if (!hijri && !greg_name && year >= DATE_HIJRI_MIN && year <= DATE_HIJRI_MAX)
        hijri = 1;
    if (hijri) {
        int gy, gm, gd;
        if (!date_from_hijri(year, month, day, &gy, &gm, &gd))
            return 0;
        put_ymd(out, gy, gm, gd, 1);
        return 1;
    }
    if (year < 1000 || day > days_in_month(year, month))
        return 0;
    put_ymd(out, year, month, day, 1);
    return 1;
}

int date_hijri_bounds(const char *s, size_t n, char lo[9], char hi[9])
{
    if (!s || n == 0 || n > 64)
        return 0;
    buf_t f = BUF_INIT;
    norm_fold(s, n, 0, &f);
    const char *p = f.data ? f.data : "", *end = p + f.len;
    int v[3] = {0, 0, 0}, parts = 0, ok = 0;
    while (parts < 3) {
        int d = 0, x = 0;
        while (p < end && is_digit(*p) && d < 5)
            x = x * 10 + (*p++ - '0'), d++;
        if (d == 0 || (parts == 0 ? d != 4 : d > 2))
            break;
        v[parts++] = x;
        if (p < end && *p == '-' && parts < 3) {
            p++;
            continue;
        }
        while (p < end && *p == ' ')
            p++;
        size_t rest = (size_t)(end - p);
        ok = rest > 0 && IN_LIST(p, rest, hijri_marks);
        break;
    }
    buf_free(&f);
    if (!ok)
        return 0;
    int y1, m1, d1, y2, m2, d2;
    int mf = parts >= 2 ? v[1] : 1, mt = parts >= 2 ? v[1] : 12;
    int df = parts == 3 ? v[2] : 1, dt = parts == 3 ? v[2] : 0;
    if (parts == 3 && df == 0)
        return 0;
    if (!date_from_hijri(v[0], mf, df, &y1, &m1, &d1) ||
        !date_from_hijri(v[0], mt, dt, &y2, &m2, &d2))
        return 0;
    put_ymd(lo, y1, m1, d1, 0);
    put_ymd(hi, y2, m2, d2, 0);
    return 1;
}

long date_days(const char *iso)
{
    int y, m, d, n = 0;
    if (!iso || sscanf(iso, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
        n != 10 || iso[10] || m < 1 || m > 12 || d < 1 ||
        d > days_in_month(y, m))
        return -1;
    /* days from civil (proleptic Gregorian), years counted from March */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}
