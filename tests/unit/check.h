/*
 * check.h: the minimal test harness used by the unit tests.
 *
 *   CHECK(cond, "what", ...)   records a pass or prints the failure with its
 *                              file, line and message;
 *   CHECK_STR(got, want, "what")  compares two strings (NULL-safe);
 *   return check_report();     at the end of main: prints
 *                              "NAME: N passed, N failed" and returns 0 or 1.
 */
#ifndef NX_CHECK_H
#define NX_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (cond) {                                                          \
            check_passed++;                                                  \
        } else {                                                             \
            check_failed++;                                                  \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);             \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
        }                                                                    \
    } while (0)

#define CHECK_STR(got, want, ...)                                            \
    do {                                                                     \
        const char *g_ = (got), *w_ = (want);                                \
        int ok_ = (g_ == NULL && w_ == NULL) ||                              \
                  (g_ && w_ && strcmp(g_, w_) == 0);                         \
        CHECK(ok_, __VA_ARGS__);                                             \
        if (!ok_)                                                            \
            fprintf(stderr, "     got  [%s]\n     want [%s]\n",              \
                    g_ ? g_ : "(null)", w_ ? w_ : "(null)");                 \
    } while (0)

static inline int check_report(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
