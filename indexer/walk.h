/*
 * walk.h: the corpus walk. Every regular file under a folder, recursively,
 * following symbolic links (loops detected), hidden names skipped; what is
 * neither a folder nor a regular file is reported and skipped.
 */
#ifndef NX_WALK_H
#define NX_WALK_H

#include <stddef.h>
#include <stdint.h>

typedef struct corpus_file {
    char *rel;          /* path relative to the corpus folder */
    uint64_t size;      /* from stat, at walk time */
    int64_t mtime_ns;
} corpus_file_t;

typedef struct corpus_files {
    corpus_file_t *v;   /* sorted by strcmp of REL */
    size_t n, cap;
    size_t errors;      /* entries reported on stderr and skipped */
} corpus_files_t;

/* Walk ROOT (an absolute folder path) into *OUT (zeroed first). Problems
 * are printed on stderr, one line each, and counted in OUT->errors. */
void walk_corpus(const char *root, corpus_files_t *out);

void corpus_files_free(corpus_files_t *files);

#endif
