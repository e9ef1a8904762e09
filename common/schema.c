/*
 * schema.c: the document-data record format and safe boolean terms.
 */
#include "schema.h"

#include "nx.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const schema_field_t schema_fields[FIELD_COUNT] = {
    /*                name        prefix          stems                pos stop rank_stems */
    [FIELD_BODY]     = { "body",     "",             PFX_STEM,            1, 1, 1 },
    [FIELD_TITLE]    = { "title",    PFX_TITLE,      PFX_TITLE_STEM,      1, 1, 1 },
    [FIELD_KEYWORDS] = { "keywords", PFX_KEYWORD,    PFX_KEYWORD PFX_STEM, 0, 1, 0 },
    [FIELD_LEAD]     = { "lead",     PFX_LEAD,       NULL,                0, 0, 0 },
};

void schema_seq_format(char out[SCHEMA_SEQ_LEN + 1], uint64_t batch,
                       uint32_t n)
{
    snprintf(out, SCHEMA_SEQ_LEN + 1, "%016" PRIx64 "%08" PRIx32, batch, n);
}

static int is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

int schema_seq_full(const char *mark, char out[SCHEMA_SEQ_LEN + 1])
{
    size_t n = strlen(mark);
    if ((n != 0 && n != 16 && n != SCHEMA_SEQ_LEN) || !is_hex(mark, n))
        return -1;
    if (n == 16)
        snprintf(out, SCHEMA_SEQ_LEN + 1, "%sffffffff", mark);
    else
        memcpy(out, mark, n + 1);
    return 0;
}

uint64_t schema_seq_batch(const char *mark)
{
    char b[17];
    size_t n = strlen(mark);
    if ((n != 16 && n != SCHEMA_SEQ_LEN) || !is_hex(mark, n))
        return 0;
    memcpy(b, mark, 16);
    b[16] = '\0';
    return strtoull(b, NULL, 16);
}

void docdata_put(buf_t *b, const char *key, const char *value, size_t len)
{
    buf_printf(b, "%s=%zu:", key, len);
    buf_append(b, value, len);
    buf_putc(b, '\n');
}

const char *docdata_get(const char *data, size_t len, const char *key,
                        size_t *vlen)
{
    size_t klen = strlen(key);
    size_t i = 0;
    while (i < len) {
        const char *eq = memchr(data + i, '=', len - i);
        if (!eq)
            return NULL;
        const char *colon = memchr(eq, ':', len - (size_t)(eq - data));
        if (!colon)
            return NULL;
        char *endp;
        unsigned long long n = strtoull(eq + 1, &endp, 10);
        if (endp != colon)
            return NULL;
        size_t vstart = (size_t)(colon + 1 - data);
        if (n > len - vstart)
            return NULL;
        if ((size_t)(eq - (data + i)) == klen &&
            memcmp(data + i, key, klen) == 0) {
            *vlen = (size_t)n;
            return data + vstart;
        }
        i = vstart + (size_t)n + 1; /* skip the value and its "\n" */
    }
    return NULL;
}

char *docdata_dup(const char *data, size_t len, const char *key)
{
    size_t vlen;
    const char *v = docdata_get(data, len, key, &vlen);
    return v ? xstrndup(v, vlen) : NULL;
}

void docdata_replace(buf_t *out, const char *data, size_t len, const char *key,
                     const char *value, size_t vlen)
{
    size_t klen = strlen(key);
    int done = 0;
    size_t i = 0;
    while (i < len) {
        const char *eq = memchr(data + i, '=', len - i);
        const char *colon = eq ? memchr(eq, ':', len - (size_t)(eq - data))
                               : NULL;
        char *endp;
        unsigned long long n = colon ? strtoull(eq + 1, &endp, 10) : 0;
        size_t vstart = colon ? (size_t)(colon + 1 - data) : len;
        if (!colon || endp != colon || n > len - vstart)
            break; /* malformed: the rest is dropped */
        size_t rk = (size_t)(eq - (data + i));
        if (rk == klen && memcmp(data + i, key, klen) == 0) {
            docdata_put(out, key, value, vlen);
            done = 1;
        } else {
            buf_append(out, data + i, vstart + (size_t)n + 1 - i);
        }
        i = vstart + (size_t)n + 1;
    }
    if (!done)
        docdata_put(out, key, value, vlen);
}

_Static_assert(SCHEMA_TERM_MAX <= NX_MAX_TERM, "the cap is within Xapian's");

void schema_term(buf_t *b, const char *prefix, const char *term, size_t len)
{
    size_t plen = strlen(prefix);
    if (plen + len <= SCHEMA_TERM_MAX) {
        buf_puts(b, prefix);
        buf_append(b, term, len);
        return;
    }
    /* Keep a readable head, then the hash of the whole. */
    size_t head = 160; /* with "#", 16 hex digits and a prefix: < the cap */
    while (head > 0 && ((unsigned char)term[head] & 0xC0) == 0x80)
        head--;
    buf_puts(b, prefix);
    buf_append(b, term, head);
    buf_printf(b, "#%016llx", (unsigned long long)hash64(term, len));
}
