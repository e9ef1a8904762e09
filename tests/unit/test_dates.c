/*
 * test_dates.c: date_parse on a table of date strings as newsrooms write
 * them (ISO 8601, RFC 822, the seed's format, Arabic, Maghreb and Levantine
 * month names, Arabic-Indic digits, Hijri dates) with the Gregorian date
 * each must give, and the strings that must be refused; date_hijri_bounds
 * for queries. The Hijri rows are days whose Umm al-Qura date is published
 * (first days of Ramadan, Shawwal, Muharram…), so ICU is checked, not
 * copied.
 */
#include "dates.h"
#include "check.h"

#include <string.h>

typedef struct row {
    const char *in;
    const char *want; /* NULL: not a date */
} row_t;

static const row_t rows[] = {
    /* The seed's format (article.h), as before. */
    {"29th, November 2023 GMT", "2023-11-29"},
    {"1st, January 2015 GMT", "2015-01-01"},
    {"2nd, March 2016 GMT", "2016-03-02"},
    {"3rd, April 2017 GMT", "2017-04-03"},
    {"21st, July 2015 gmt", "2015-07-21"},
    {"5 jan 2016", "2016-01-05"},
    {"12th, Dec. 2014 GMT", "2014-12-12"},
    {"29th, February 2024 GMT", "2024-02-29"},
    {"29th, February 2000 GMT", "2000-02-29"},
    {"31st, December 1999 GMT", "1999-12-31"},
    {"  7th,   September   2019   UTC ", "2019-09-07"},
    /* ISO 8601. */
    {"2023-11-29", "2023-11-29"},
    {"2023-11-29T14:03:00Z", "2023-11-29"},
    {"2023-11-29T14:03:00+03:00", "2023-11-29"},
    {"2023-11-29T23:59:59.123-05:00", "2023-11-29"},
    {"2023-11-29 14:03", "2023-11-29"},
    {"2023/11/29", "2023-11-29"},
    {"2024-2-9", "2024-02-09"},
    /* Day first. */
    {"29/11/2023", "2023-11-29"},
    {"29-11-2023", "2023-11-29"},
    {"29.11.2023", "2023-11-29"},
    {"1/2/2020 10:00", "2020-02-01"},
    /* RFC 822 (RSS). */
    {"Wed, 29 Nov 2023 14:03:00 +0300", "2023-11-29"},
    {"Wed, 29 Nov 2023 14:03:00 GMT", "2023-11-29"},
    {"Thu, 01 Feb 2024 00:00:00 -0500", "2024-02-01"},
    {"Sun, 5 May 2019 08:15 EST", "2019-05-05"},
    {"Tue, 10 Sept 2019 12:00:00 +0000", "2019-09-10"},
    {"November 29, 2023", "2023-11-29"},
    {"Nov 29 2023", "2023-11-29"},
    /* Arabic month names (Egypt, the Gulf). */
    {"29 نوفمبر 2023", "2023-11-29"},
    {"الأربعاء 29 نوفمبر 2023", "2023-11-29"},
    {"الأربعاء، 29 نوفمبر 2023 - 02:03 م", "2023-11-29"},
    {"1 يناير 2020", "2020-01-01"},
    {"15 فبراير 2021", "2021-02-15"},
    {"3 مارس 2022", "2022-03-03"},
    {"10 أبريل 2022", "2022-04-10"},
    {"10 إبريل 2022", "2022-04-10"},
    {"5 مايو 2018", "2018-05-05"},
    {"30 يونيو 2013", "2013-06-30"},
    {"23 يوليو 1952", "1952-07-23"},
    {"2 أغسطس 1990", "1990-08-02"},
    {"11 سبتمبر 2001", "2001-09-11"},
    {"6 أكتوبر 1973", "1973-10-06"},
    {"25 ديسمبر 2023 م", "2023-12-25"},
    {"نوفمبر 29، 2023", "2023-11-29"},
    /* Arabic-Indic and Extended digits. */
    {"٢٩ نوفمبر ٢٠٢٣", "2023-11-29"},
    {"٢٠٢٣-١١-٢٩", "2023-11-29"},
    {"۲۹ نوفمبر ۲۰۲۳", "2023-11-29"},
    {"٢٩/١١/٢٠٢٣", "2023-11-29"},
    /* Maghreb. */
    {"12 جانفي 2021", "2021-01-12"},
    {"3 فيفري 2020", "2020-02-03"},
    {"14 جويلية 2019", "2019-07-14"},
    {"20 غشت 2019", "2019-08-20"},
    {"18 نونبر 2022", "2022-11-18"},
    {"31 دجنبر 2022", "2022-12-31"},
    /* The Levant and Iraq. */
    {"29 تشرين الثاني 2023", "2023-11-29"},
    {"1 كانون الثاني 2024", "2024-01-01"},
    {"25 كانون الأول 2023", "2023-12-25"},
    {"6 تشرين الأول 1973", "1973-10-06"},
    {"14 شباط 2005", "2005-02-14"},
    {"21 آذار 2020", "2020-03-21"},
    {"4 آب 2020", "2020-08-04"},
    {"15 أيار 1948", "1948-05-15"},
    {"17 نيسان 2023", "2023-04-17"},
    {"5 حزيران 1967", "1967-06-05"},
    {"14 تموز 1958", "1958-07-14"},
    {"1 أيلول 2023", "2023-09-01"},
    /* Hijri (Umm al-Qura). */
    {"1 محرم 1445", "2023-07-19"},
    {"1 محرم 1445 هـ", "2023-07-19"},
    {"1 رمضان 1445 هـ", "2024-03-11"},
    {"1 شوال 1445 هـ", "2024-04-10"},
    {"10 ذو الحجة 1444 هـ", "2023-06-28"},
    {"10 ذي الحجة 1444", "2023-06-28"},
    {"1 رمضان 1444 هـ", "2023-03-23"},
    {"1 شوال 1444", "2023-04-21"},
    {"الأحد 15 ربيع الأول 1445 هـ", "2023-09-30"},
    {"1 ربيع الأول 1445", "2023-09-16"},
    {"1 محرم 1446 هـ", "2024-07-07"},
    {"1 رمضان 1446هـ", "2025-03-01"},
    {"1 المحرم 1440 هـ", "2018-09-11"},
    {"1 رمضان 1441 هجري", "2020-04-24"},
    {"١ رمضان ١٤٤٥ هـ", "2024-03-11"},
    {"1445/09/01هـ", "2024-03-11"},
    {"1445/09/01", "2024-03-11"},
    {"01/09/1445 هـ", "2024-03-11"},
    {"1445-01-01", "2023-07-19"},
    {"الخميس 1 رمضان 1445 هـ الموافق 11 مارس 2024 م", "2024-03-11"},
    {"1 جمادى الأولى 1445", "2023-11-15"},
    {"16 جمادى الأولى 1445 هـ", "2023-11-30"},
    /* Not dates. */
    {"", NULL},
    {"garbage", NULL},
    {"31st, February 2023", NULL},
    {"29th, February 2023 GMT", NULL},
    {"29th, February 1900 GMT", NULL},
    {"31st, April 2020 GMT", NULL},
    {"0th, July 2015 GMT", NULL},
    {"32nd, July 2015 GMT", NULL},
    {"21st, Jully 2015 GMT", NULL},
    {"21st, July 15 GMT", NULL},
    {"21xx, July 2015", NULL},
    {"21st, Ju 2015", NULL},
    {"121st, July 2015", NULL},
    {"21st, July 20155", NULL},
    {"2023", NULL},
    {"نوفمبر 2023", NULL},
    {"قبل 3 ساعات", NULL},
    {"2023-13-01", NULL},
    {"2023-02-30", NULL},
    {"30 محرم 1445", NULL},
    {"1 نوفمبر 1445 هـ", NULL},
    {"29 11 2023", NULL},
    {"12/2023", NULL},
};

static void test_table(void)
{
    size_t n = sizeof rows / sizeof rows[0];
    size_t good = 0, hijri = 0;
    for (size_t i = 0; i < n; i++) {
        char out[11];
        memset(out, 'x', sizeof out);
        int r = date_parse(rows[i].in, strlen(rows[i].in), out);
        if (rows[i].want) {
            good++;
            hijri += strstr(rows[i].in, "14") != NULL &&
                     strncmp(rows[i].want, "20", 2) == 0 &&
                     strstr(rows[i].in, "20") == NULL;
            CHECK(r == 1, "date [%s] accepted", rows[i].in);
            if (r)
                CHECK_STR(out, rows[i].want, "date [%s]", rows[i].in);
        } else {
            CHECK(r == 0, "[%s] is not a date (got %.10s)", rows[i].in,
                  r ? out : "");
        }
    }
    CHECK(good >= 60, "at least 60 dates in the table (%zu)", good);
    CHECK(hijri >= 10, "at least 10 Hijri dates in the table (%zu)", hijri);
    char out[11];
    CHECK(date_parse(NULL, 0, out) == 0, "NULL is not a date");
    /* Not NUL-terminated: only LEN bytes are read. */
    CHECK(date_parse("2023-11-29XYZ", 10, out) == 1 &&
              strcmp(out, "2023-11-29") == 0, "LEN bytes only");
}

static void test_hijri_bounds(void)
{
    static const struct {
        const char *in, *lo, *hi;
    } ok[] = {
        {"1445هـ", "20230719", "20240706"},
        {"1445ه", "20230719", "20240706"},
        {"1445-09هـ", "20240311", "20240409"},
        {"١٤٤٥-٠٩هـ", "20240311", "20240409"},
        {"1445-09-01هـ", "20240311", "20240311"},
        {"1444-12 هجري", "20230619", "20230718"},
    };
    static const char *const bad[] = {
        "1445", "1445-09", "2023-11هـ", "1445-13هـ", "1445-09-31هـ",
        "هـ", "14455هـ", "1445-09-00هـ", "1445-9x هـ",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        char lo[9] = "", hi[9] = "";
        int r = date_hijri_bounds(ok[i].in, strlen(ok[i].in), lo, hi);
        CHECK(r == 1, "hijri [%s] accepted", ok[i].in);
        CHECK_STR(lo, ok[i].lo, "hijri [%s] start", ok[i].in);
        CHECK_STR(hi, ok[i].hi, "hijri [%s] end", ok[i].in);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char lo[9], hi[9];
        CHECK(date_hijri_bounds(bad[i], strlen(bad[i]), lo, hi) == 0,
              "hijri [%s] refused", bad[i]);
    }
    int y, m, d;
    CHECK(date_from_hijri(1445, 9, 0, &y, &m, &d) && y == 2024 && m == 4 &&
              d == 9, "last day of Ramadan 1445");
    CHECK(!date_from_hijri(1445, 0, 1, &y, &m, &d), "month 0");
}

int main(void)
{
    test_table();
    test_hijri_bounds();
    return check_report("test_dates");
}
