/*
 * articleid.c: article ids (see articleid.h).
 */
#include "articleid.h"

#include <string.h>

#define TXT ".txt"

char *articleid_file(const char *rel)
{
    size_t n = strlen(rel);
    const char *slash = strrchr(rel, '/');
    const char *base = slash ? slash + 1 : rel;
    int txt = n >= strlen(TXT) && strlen(base) > strlen(TXT) &&
              strcmp(rel + n - strlen(TXT), TXT) == 0;
    if (txt)
        n -= strlen(TXT);
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (rel[i] == '%')
            buf_puts(&b, "%25");
        else if (rel[i] == '#')
            buf_puts(&b, "%23");
        else
            buf_putc(&b, rel[i]);
    }
    if (!txt)
        buf_putc(&b, '%');
    char *id = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return id;
}

void articleid_record(buf_t *b, const char *file_id, int k)
{
    buf_reset(b);
    buf_printf(b, "%s#%d", file_id, k);
}
