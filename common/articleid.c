/*
 * articleid.c: article ids (see articleid.h).
 */
#include "articleid.h"

#include <string.h>

#include "util.h"

/* The id of a file: its path relative to the corpus, minus the extension. */
char *articleid_file(const char *rel)
{
    const char *slash = strrchr(rel, '/');
    const char *dot = strrchr(rel, '.');
    size_t n = strlen(rel);
    if (dot && (!slash || dot > slash + 1))
        n = (size_t)(dot - rel);
    return xstrndup(rel, n);
}
