/*
 * build.h: `newsidx build`: walk a corpus folder and index every article.
 */
#ifndef NX_BUILD_H
#define NX_BUILD_H

#include <stddef.h>

typedef struct build_opts {
    const char *corpus;   /* folder to index */
    const char *db;       /* index path */
    size_t max_size;      /* files larger than this are cut (bytes) */
    int quiet;            /* no summary line */
} build_opts_t;

/* Exit statuses of newsidx (documented in README and --help). */
enum {
    EXIT_BUILD_OK = 0,
    EXIT_BUILD_WARNINGS = 1, /* done, but some files were skipped */
    EXIT_USAGE = 2,
    EXIT_INDEX = 3,          /* the index cannot be opened or written */
    EXIT_LOCKED = 4,         /* another newsidx build holds the index */
    EXIT_CORPUS = 5,         /* the corpus folder cannot be read */
};

/* Run a build; returns one of the exit statuses above. */
int build_run(const build_opts_t *opts);

#endif
