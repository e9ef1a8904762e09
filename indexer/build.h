/*
 * build.h: `newsidx build`: walk a corpus folder and index every article.
 */
#ifndef NX_BUILD_H
#define NX_BUILD_H

#include <stddef.h>

typedef struct build_opts {
    const char *corpus;   /* folder to index */
    const char *variants; /* the user variants file (variants.h) or NULL */
    const char *db;       /* index path */
    size_t max_size;      /* files larger than this are cut (bytes) */
    size_t commit_every;  /* commit after every N files (0: only at the end) */
    double wait;          /* seconds to wait for another build's lock */
    int quiet;            /* no summary line, no progress line */
    unsigned jobs;        /* threads for a first build (1: one writer) */
    int dry_run;          /* read and analyse, write nothing */
    int no_delete;        /* keep the documents of deleted files */
    unsigned shards;      /* shards of a new index (0: 1, or the index's) */
    int rebuild;          /* build anew beside the index, then swap it in */
    const char *json_fields; /* the json_fields setting (reader.h), or NULL */
} build_opts_t;

/* Default of --commit-every: a killed build keeps its progress in steps of
 * this many files, and a writer's memory stays bounded. */
#define BUILD_COMMIT_EVERY 1000

/* Most threads --jobs defaults to (one per core up to this). */
#define BUILD_MAX_JOBS 8

/* Exit statuses of newsidx (documented in README and --help). */
enum {
    EXIT_BUILD_OK = 0,
    EXIT_BUILD_WARNINGS = 1, /* done, but some files were skipped or cut */
    EXIT_USAGE = 2,
    EXIT_INDEX = 3,          /* the index cannot be opened or written */
    EXIT_LOCKED = 4,         /* another newsidx build holds the index */
    EXIT_CORPUS = 5,         /* the corpus folder cannot be read */
};

/* Create the index folder DBPATH and take its build lock (see build.c),
 * waiting up to WAIT seconds for another holder. Returns the lock's file
 * descriptor (for pidlock_release), or a negative value after printing why,
 * with *EXIT_STATUS set. */
int build_lock(const char *dbpath, double wait, int *exit_status);

/* Run a build; returns one of the exit statuses above. With REBUILD: the
 * whole corpus is indexed into PATH.rebuild (a new index, the shards of
 * the old one or --shards) under PATH's lock, which is then swapped with
 * PATH in one step (layout.h): the way out of a damaged index. Its
 * articles get new marks: --new-since reports them again. */
int build_run(const build_opts_t *opts);

#endif
