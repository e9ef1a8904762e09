/*
 * progress.h: the progress line of a build on a terminal:
 *   "  12000/30120 files  850 articles/s  ETA 0:21"
 * redrawn in place on stderr at most a few times a second; nothing at all
 * when stderr is not a terminal (cron), so logs hold only real lines.
 * Warnings printed meanwhile clear it first (util.h warn_hook).
 */
#ifndef NX_PROGRESS_H
#define NX_PROGRESS_H

#include <stddef.h>

/* Start: TOTAL files to go; ENABLED 0 turns everything off. */
void progress_start(size_t total, int enabled);
/* DONE files of TOTAL, ARTICLES documents made so far. Not thread-safe:
 * callers serialise (the build calls it under its mutex). */
void progress_update(size_t done, size_t articles);
/* Erase the line; later updates do nothing. */
void progress_end(void);

#endif
