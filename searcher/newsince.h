/*
 * newsince.h: newsq --new-since FILE, exactly once.
 *
 * Every article has a mark (schema.h SLOT_SEQ), unique to it, that grows
 * with every commit. The state file holds the mark of the last article
 * delivered ("mark HEX"). A run:
 *   1. takes the lock FILE.lock (two runs with one state file would both
 *      report the same articles), then reads FILE (absent: everything is
 *      new; it must be a regular file written by newsq);
 *   2. reads UPTO, the least META_SEQ of the shards: every article up to it
 *      is committed in every shard, so nothing marked at or below it can
 *      appear later (a build commits batch after batch, each above the
 *      last);
 *   3. searches the articles marked in (FROM, UPTO];
 *   4. with more hits than --limit, delivers the LIMIT oldest (by mark;
 *      printed in the usual order) and moves only past the last of them:
 *      the others come with the next run;
 *   5. saves the new mark only after the output was written and flushed
 *      without error, and not when shards were left out (--partial). The
 *      file keeps its permissions; it is replaced atomically.
 */
#ifndef NX_NEWSINCE_H
#define NX_NEWSINCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nx.h"
#include "schema.h"

typedef struct newsince {
    const char *path;      /* the state file */
    int lock;              /* pidlock on PATH.lock, -1 if none */
    int exists;            /* PATH existed: its mode is kept */
    mode_t mode;
    char from[SCHEMA_SEQ_LEN + 1]; /* delivered up to ("" none) */
    uint32_t lastdocid;    /* a state of an older newsq ("lastdocid N") */
    char upto[SCHEMA_SEQ_LEN + 1]; /* committed everywhere up to */
    char next[SCHEMA_SEQ_LEN + 1]; /* what to save ("" nothing) */
} newsince_t;

/* Steps 1 and 2 for PATH on DB, waiting up to WAIT seconds for another
 * run's lock. Returns 0, or an exit status of newsq after printing why
 * (2: not a state file, 3: the index, 4: another run holds the lock). */
int newsince_begin(newsince_t *ns, const char *path, nx_db_t *db,
                   double wait);

/* Step 3: Q (taken over) restricted to the new articles; NULL stays NULL
 * (and NULL when out of memory). Sets *MIN_DOCID for an older state. */
nx_query_t *newsince_filter(const newsince_t *ns, nx_query_t *q,
                            uint32_t *min_docid);

/* Step 4: of the N hits whose marks are MARKS[i] (NULL: none), which to
 * deliver when at most LIMIT may be: KEEP[i] is set to 1 for those. The
 * mark to save becomes the greatest delivered one (UPTO when all are).
 * Returns how many are kept. */
size_t newsince_choose(newsince_t *ns, const char *const *marks, size_t n,
                       size_t limit, unsigned char *keep);

/* Step 5: save the mark, once the output is out. 0, or -1 with errno. */
int newsince_save(newsince_t *ns);

/* Release the lock. */
void newsince_end(newsince_t *ns);

#endif
