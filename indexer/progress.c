/*
 * progress.c: see progress.h.
 */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

#include "util.h"

static int on;
static int shown;
static size_t total;
static double t0, last;

/* warn_hook: stderr is locked by the caller. */
static void clear_line(void)
{
    if (shown) {
        fputs("\r\033[K", stderr);
        shown = 0;
    }
}

void progress_start(size_t n, int enabled)
{
    on = enabled && isatty(STDERR_FILENO);
    total = n;
    t0 = last = now_seconds();
    shown = 0;
    if (on)
        warn_hook = clear_line;
}

void progress_update(size_t done, size_t articles)
{
    if (!on)
        return;
    double now = now_seconds();
    if (now - last < 0.25 && done < total)
        return;
    last = now;
    double rate = now > t0 ? (double)articles / (now - t0) : 0;
    double frate = now > t0 ? (double)done / (now - t0) : 0;
    long eta = frate > 0 ? (long)((double)(total - done) / frate + 0.5) : 0;
    flockfile(stderr);
    fprintf(stderr, "\r\033[K  %zu/%zu files  %.0f articles/s  ETA %ld:%02ld",
            done, total, rate, eta / 60, eta % 60);
    fflush(stderr);
    shown = 1;
    funlockfile(stderr);
}

void progress_end(void)
{
    if (!on)
        return;
    flockfile(stderr);
    clear_line();
    fflush(stderr);
    funlockfile(stderr);
    warn_hook = NULL;
    on = 0;
}
