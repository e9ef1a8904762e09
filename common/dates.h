/*
 * dates.h: publication dates as newsrooms write them, in one place.
 *
 * The index keeps Gregorian dates ("YYYY-MM-DD"). What is read:
 *   - ISO 8601: 2023-11-29, 2023-11-29T14:03:00+03:00, 2023/11/29;
 *   - day-first numeric dates: 29/11/2023, 29-11-2023, 29.11.2023;
 *   - RFC 822 (feeds): Wed, 29 Nov 2023 14:03:00 +0300;
 *   - the seed format: 29th, November 2023 GMT; and November 29, 2023;
 *   - Arabic month names (نوفمبر, and the Maghreb's نونبر, جانفي…) and the
 *     Levantine ones (تشرين الثاني, كانون الأول…);
 *   - Arabic-Indic and Extended digits (٢٩ نوفمبر ٢٠٢٣);
 *   - Hijri dates, with or without هـ (الأحد 15 ربيع الأول 1445 هـ,
 *     1445/03/15هـ), converted through ICU's Islamic Umm al-Qura calendar.
 * A weekday, a time, a time zone and "م"/"هـ" markers may surround the
 * date; after the first whole date the rest is ignored ("… هـ الموافق 30
 * سبتمبر 2023 م"). A year-only or month-only text is not a date.
 *
 * Which calendar: a Hijri month name or a هـ/هجري marker after the year
 * makes a date Hijri; so does a numeric date whose year is in
 * DATE_HIJRI_MIN..DATE_HIJRI_MAX with no Gregorian month name (no news is
 * dated 1445 AD).
 */
#ifndef NX_DATES_H
#define NX_DATES_H

#include <stddef.h>

#define DATE_HIJRI_MIN 1300
#define DATE_HIJRI_MAX 1600

/* Parse TEXT (LEN bytes of UTF-8) into "YYYY-MM-DD" (OUT holds 11 bytes).
 * Returns 1 on success, 0 when TEXT is not a whole, valid date. */
int date_parse(const char *text, size_t len, char out[11]);

/*
 * Query side: a Hijri year, month or day written YYYYهـ, YYYY-MMهـ or
 * YYYY-MM-DDهـ (هـ, ه or the word هجري after it; digits ASCII or
 * Arabic-Indic) into the Gregorian days it covers, LO and HI as
 * "YYYYMMDD". Returns 1, or 0 when S (N bytes) is not such a date.
 */
int date_hijri_bounds(const char *s, size_t n, char lo[9], char hi[9]);

/* Day D of month M (1..12) of Hijri year Y (Umm al-Qura) in the Gregorian
 * calendar; D == 0 is the last day of that month. Returns 1, or 0 when
 * the day does not exist or Y is outside DATE_HIJRI_MIN..DATE_HIJRI_MAX
 * (the years ICU tabulates Umm al-Qura for: every Hijri date is one). */
int date_from_hijri(int y, int m, int d, int *gy, int *gm, int *gd);

/* The day number of ISO ("YYYY-MM-DD", Gregorian): days since
 * 1970-01-01 (so two dates' distance is a subtraction), or -1 when ISO is
 * not such a date. */
long date_days(const char *iso);

#endif /* NX_DATES_H */
