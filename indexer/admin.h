/*
 * admin.h: `newsidx stats` and `newsidx compact`.
 */
#ifndef NX_ADMIN_H
#define NX_ADMIN_H

/* Print the figures of the index at DB, one "key: value" per line.
 * Returns an exit status (0, or EXIT_INDEX when there is no index). */
int admin_stats(const char *db);

/* Compact the index at DB in place (under the build lock, waiting up to
 * WAIT seconds for it). Returns an exit status. */
int admin_compact(const char *db, double wait, int quiet);

#endif
