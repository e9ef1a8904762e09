/*
 * layout.h: where the shards of an index live.
 *
 * One shard: the index folder PATH is the Xapian database itself. N shards
 * (newsidx build --shards N): PATH/shard-0 … PATH/shard-N-1, and the stub
 * PATH/XAPIANDB listing them ("auto shard-K", Xapian's stub format), so
 * that newsq, quest and xapian-delve open PATH as one database. An article
 * lives in the shard its id hashes to (a related article: its content
 * hash), so it always lands in the same one and builds stay incremental.
 */
#ifndef NX_LAYOUT_H
#define NX_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define LAYOUT_STUB "XAPIANDB"
#define LAYOUT_MAX_SHARDS 256

/* Shards of the index at DB: 0 when there is no index yet, N >= 1, or -1
 * after printing why when PATH/XAPIANDB is not a stub newsidx wrote. */
int layout_read(const char *db);

/* The folder of shard K of N into P (reset first). */
void layout_shard_path(buf_t *p, const char *db, size_t n, size_t k);

/* Write PATH/XAPIANDB for N shards (atomically). 0 or an errno value. */
int layout_write_stub(const char *db, size_t n);

/* Names newsidx itself keeps in an index folder: the build lock, the
 * temporary folder of a parallel first build, the mark of a compaction's
 * temporary folder. */
#define LAYOUT_LOCK "newsidx.lock"
#define LAYOUT_BUILD_TMP "newsidx.tmp"
#define LAYOUT_COMPACT_MARK "newsidx.compacting"

/*
 * Is there anything in folder DIR that is neither Xapian's (nx.h
 * nx_files_is_db) nor newsidx's (the names above, the stub, and with
 * SHARDS the shard-K folders)? Returns the first such name, malloc'd, or
 * NULL (DIR missing counts as empty). Whatever replaces an index's files
 * checks this first: it never moves or deletes what is not its own.
 */
char *layout_foreign(const char *dir, int shards);

/*
 * Replacing an index whole (compact, build --rebuild): the new one is
 * made in a sibling folder TMP (PATH.compact, PATH.rebuild), then swapped
 * with PATH in one step, so that readers see the old index or the new one,
 * never none. TMP holds LAYOUT_COMPACT_MARK while it is ours.
 *
 * layout_tmp_make: make TMP (marked). One left by a killed run (marked,
 * nothing foreign in it) is removed first; anything else at TMP is
 * refused. 0, or an exit status of newsidx after printing why.
 * layout_swap_in: swap TMP's index into PATH. With LOCKED (PATH holds the
 * index's lock file, which the caller holds), TMP's lock file becomes a
 * second name of it first, so that PATH's lock file is the held one before
 * and after the swap. 0 or an errno value; TMP then holds the old index.
 * layout_tmp_remove: remove TMP (when marked: only then is it ours).
 */
int layout_tmp_make(const char *tmp);
int layout_swap_in(const char *path, const char *tmp, int locked);
void layout_tmp_remove(const char *tmp);

/* The shard of N that the hash H goes to. */
static inline size_t layout_shard_of(uint64_t h, size_t n)
{
    return n > 1 ? (size_t)(h % n) : 0;
}

#endif
