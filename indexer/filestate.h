/*
 * filestate.h: what the index remembers of each corpus file, so that a
 * build skips unchanged files and removes deleted ones.
 *
 * One Xapian metadata entry per indexed file, written in the same commit as
 * the file's documents (so the two never disagree):
 *   key    META_FILE + relpath (a hash of it when the path is too long
 *          for a metadata key)
 *   value  "SIZE MTIME_NS HASH RELPATH": decimal size and modification time
 *          (ns) as stat saw them, the FNV-1a hash of the bytes (16 hex),
 *          then the path itself (it may hold spaces; it runs to the end).
 * A file is unchanged when size and mtime match (not even read); when they
 * differ but the hash matches, only the record is refreshed.
 *
 * A JSON lines file (reader.h) also records where its last read ended, as
 * "/END:LINE " before the path (a relative path never starts with '/'):
 * END the byte after its last complete line, LINE the line number there.
 * When the file only grew (its first SIZE bytes still hash to HASH), the
 * next build reads from END (build.c, index_entries).
 */
#ifndef NX_FILESTATE_H
#define NX_FILESTATE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef struct file_record {
    uint64_t size;
    int64_t mtime_ns;
    uint64_t hash;
    const char *rel;   /* points into the decoded value */
    size_t rel_len;
    uint64_t read_end; /* JSON lines: where the last read ended (0: none) */
    uint64_t read_line;/* the line number at READ_END */
} file_record_t;

/* The metadata key of the file REL, into KEY (reset first). */
void filestate_key(buf_t *key, const char *rel);

/* The value for record R (R->rel is REL_LEN bytes), into VALUE (reset). */
void filestate_encode(buf_t *value, const file_record_t *r);

/* Parse VALUE (LEN bytes). Returns 0 and fills *R (R->rel points into
 * VALUE), or -1 when VALUE is not a record. */
int filestate_decode(const char *value, size_t len, file_record_t *r);

#endif
