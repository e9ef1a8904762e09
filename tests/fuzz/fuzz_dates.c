/*
 * fuzz_dates.c: date_parse and date_hijri_bounds (dates.h) on arbitrary
 * bytes. Checks: a date is YYYY-MM-DD; Hijri bounds are 8 digits each,
 * the first not after the second.
 */
#include "dates.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    char out[11];
    if (date_parse(d, size, out))
        fuzz_check_date(out);
    char lo[9], hi[9];
    if (date_hijri_bounds(d, size, lo, hi)) {
        FUZZ_CHECK(strlen(lo) == 8 && strlen(hi) == 8, "bounds are YYYYMMDD");
        FUZZ_CHECK(strcmp(lo, hi) <= 0, "bounds in order");
    }
    return 0;
}
