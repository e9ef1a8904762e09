/*
 * fuzz.h: what the fuzz targets share: the libFuzzer entry point and a check
 * that aborts (a crash for libFuzzer and for replay.c alike) with a message.
 *
 * Each target (fuzz_*.c) defines LLVMFuzzerTestOneInput. Built with
 * fuzzing_engine=libfuzzer it is linked with -fsanitize=fuzzer; built with
 * fuzzing_engine=none it is linked with replay.c, whose main() runs it over
 * every file of a seed-corpus folder (see README.md).
 */
#ifndef NX_FUZZ_H
#define NX_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, what)                                               \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__,  \
                    __LINE__, what, #cond);                                  \
            abort();                                                         \
        }                                                                    \
    } while (0)

/* Is [S, S+N) well-formed UTF-8 (shortest forms, no surrogates, <= U+10FFFF)? */
static inline int fuzz_valid_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t len;
        unsigned lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return 0;
        }
        if (n - i < len)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if (p[i + k] < lo || p[i + k] > hi)
                return 0;
            lo = 0x80;
            hi = 0xBF;
        }
        i += len;
    }
    return 1;
}

#include <string.h>

/* A field of an article: one line of valid UTF-8, not empty, not starting
 * or ending with a space or tab. */
static inline void fuzz_check_line(const char *s, const char *what)
{
    FUZZ_CHECK(s != NULL, what);
    size_t n = strlen(s);
    FUZZ_CHECK(n > 0, what);
    FUZZ_CHECK(memchr(s, '\n', n) == NULL, what);
    FUZZ_CHECK(memchr(s, '\r', n) == NULL, what);
    FUZZ_CHECK(s[0] != ' ' && s[0] != '\t', what);
    FUZZ_CHECK(s[n - 1] != ' ' && s[n - 1] != '\t', what);
    FUZZ_CHECK(fuzz_valid_utf8(s, n), what);
}

/* A date as the index keeps it: YYYY-MM-DD. */
static inline void fuzz_check_date(const char *d)
{
    FUZZ_CHECK(strlen(d) == 10 && d[4] == '-' && d[7] == '-', "date is YYYY-MM-DD");
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7)
            FUZZ_CHECK(d[i] >= '0' && d[i] <= '9', "date is YYYY-MM-DD");
    int m = (d[5] - '0') * 10 + (d[6] - '0');
    int day = (d[8] - '0') * 10 + (d[9] - '0');
    FUZZ_CHECK(m >= 1 && m <= 12, "date month 1..12");
    FUZZ_CHECK(day >= 1 && day <= 31, "date day 1..31");
}

#endif
