/*
 * filestate.c: file records (see filestate.h).
 */
#include "filestate.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* Glass limits metadata keys to about 245 bytes; keep a margin. */
#define MAX_KEY_PATH 200

void filestate_key(buf_t *key, const char *rel)
{
    buf_reset(key);
    buf_puts(key, META_FILE);
    size_t n = strlen(rel);
    if (n <= MAX_KEY_PATH)
        buf_append(key, rel, n);
    else /* '\x01' cannot start a path: no clash with a real one */
        buf_printf(key, "\x01%016" PRIx64 "%016" PRIx64, hash64(rel, n),
                   hash64(rel, n / 2));
}

void filestate_encode(buf_t *value, const file_record_t *r)
{
    buf_reset(value);
    buf_printf(value, "%" PRIu64 " %" PRId64 " %016" PRIx64 " ", r->size,
               r->mtime_ns, r->hash);
    if (r->read_end || r->read_line)
        buf_printf(value, "/%" PRIu64 ":%" PRIu64 " ", r->read_end,
                   r->read_line);
    buf_append(value, r->rel, r->rel_len);
}

int filestate_decode(const char *value, size_t len, file_record_t *r)
{
    /* VALUE comes NUL-terminated from nx_db_metadata_each. */
    char *end;
    const char *p = value;
    r->size = strtoull(p, &end, 10);
    if (end == p || *end != ' ')
        return -1;
    p = end + 1;
    r->mtime_ns = strtoll(p, &end, 10);
    if (end == p || *end != ' ')
        return -1;
    p = end + 1;
    r->hash = strtoull(p, &end, 16);
    if (end != p + 16 || *end != ' ')
        return -1;
    p = end + 1;
    r->read_end = r->read_line = 0;
    if (*p == '/') { /* where an appended file's last read ended */
        r->read_end = strtoull(p + 1, &end, 10);
        if (end == p + 1 || *end != ':')
            return -1;
        p = end + 1;
        r->read_line = strtoull(p, &end, 10);
        if (end == p || *end != ' ')
            return -1;
        p = end + 1;
    }
    r->rel = p;
    r->rel_len = len - (size_t)(p - value);
    return r->rel_len ? 0 : -1;
}
