/*
 * build_impl.h: what the parts of `newsidx build` share (build.c drives;
 * prepare.c opens the index and commits, records.c keeps the file
 * records, onefile.c indexes one file, parallel.c ends a parallel first
 * build). Not for other modules: build.h is the interface.
 */
#ifndef NX_BUILD_IMPL_H
#define NX_BUILD_IMPL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "article.h"
#include "articleid.h"
#include "build.h"
#include "document.h"
#include "filestate.h"
#include "layout.h"
#include "nx.h"
#include "progress.h"
#include "reader.h"
#include "schema.h"
#include "util.h"
#include "walk.h"

/* Below this many files to index, one writer is as fast as a merge. */
#define SHARD_MIN_FILES 200

enum { F_NEW, F_CHANGED, F_UNCHANGED };

typedef struct file_info {
    unsigned char state;   /* F_* */
    unsigned char has_old; /* the index has a record of this file */
    unsigned char indexed; /* read (and written) by this build */
    uint64_t old_hash, new_hash;
    uint64_t old_size;     /* of the recorded file */
    uint64_t old_end, old_line; /* JSON lines: where its last read ended */
    uint64_t new_end, new_line; /* and where this build's read ended */
} file_info_t;

/* A record whose file is no longer in the corpus. */
typedef struct gone_file {
    char *rel;
    uint64_t hash;
    size_t shard;          /* where its record (and main article) is */
} gone_file_t;

/* In a parallel build, each copy of a related article met: the first one
 * met is written by its thread (WRITER), the others are claimed for their
 * file REL after the merge, and the document's id, path and parent become
 * those of the first file in corpus order, as a serial build makes them. */
typedef struct claim {
    uint64_t hash;
    char *rel;
    int k;                 /* its number in the file (id REL#K) */
    int writer;
} claim_t;

typedef struct build {
    const build_opts_t *o;
    const char *root;
    corpus_files_t files;
    file_info_t *info;     /* parallel to files.v */
    size_t *todo, n_todo;  /* files to read, in order */
    gone_file_t *gone;
    size_t n_gone, cap_gone;
    int fresh;             /* the index is empty: add, never replace */
    int moved_root;        /* the last build read another corpus folder:
                              every document's stored path is stale */
    int parallel;          /* one temporary database per thread and shard */
    buf_t tmpdir;
    nx_db_t **dbs;         /* the shards, open for writing (serial builds) */
    size_t n_shards;

    reader_fields_t fields; /* JSON field names from the config */

    pthread_mutex_t mu;    /* guards everything below */
    size_t next;           /* next todo item to hand out */
    size_t done, docs, bad, touched;
    int fatal;
    uint64_t *seen;        /* parallel: content hashes of related articles */
    size_t n_seen, cap_seen;
    claim_t *claims;
    size_t n_claims, cap_claims;
} build_t;

typedef struct worker {
    build_t *b;
    analyzer_t *an;
    nx_db_t **dbs;         /* one per shard: b->dbs, or its own temporary
                            * ones (parallel); NULL in a dry run */
    size_t since_commit;
    buf_t path, unique, owner, key, value, rid;
    pthread_t thread;
} worker_t;

/* build.c: the message of the shard of DBS that failed last. */
const char *build_shards_msg(nx_db_t *const *dbs, size_t n, nx_status_t st);

/* prepare.c */
/* Marks (schema.h SLOT_SEQ): the batch of the articles written until the
 * next commit. build_seq_init starts the first one above PREV (the
 * greatest META_SEQ of the shards); build_seq_next_batch starts the next
 * one (after each commit of a serial build, so that an alert run between
 * two commits never saves a mark that articles committed later are
 * under); build_seq_mark gives the next article its mark (thread-safe). */
extern uint64_t build_batch;
void build_seq_init(const char *prev);
void build_seq_next_batch(void);
void build_seq_mark(char out[SCHEMA_SEQ_LEN + 1]);
/* Open the shard at PATH for writing, waiting WAIT seconds for a Xapian
 * writer that is not ours. NULL after printing why, *EXIT_STATUS set. */
nx_db_t *build_open_shard(const char *path, double wait, int *exit_status);
/* Close the N shards of DBS (cancelling first when CANCEL), free DBS. */
void build_close_shards(nx_db_t **dbs, size_t n, int cancel);
/* Commit DB with the build's metadata (LAST: also corpus, time, length). */
nx_status_t build_commit(nx_db_t *db, const char *root, int last,
                         double seconds);
nx_status_t build_commit_all(nx_db_t *const *dbs, size_t n, const char *root,
                             int last, double seconds, nx_db_t **failed);
/* Before replacing the files of the index at DB (N shards): 0 when its
 * folders hold nothing but the index, else EXIT_INDEX after saying what. */
int build_check_own(const char *db, size_t n);
/* Open the shards as the build needs them: 0 or an exit status. */
int build_prepare(build_t *b);

/* records.c */
typedef struct path_index {
    size_t *slot; /* index + 1; 0: empty */
    size_t mask;
    build_t *b;
    size_t shard; /* whose records are being read */
} path_index_t;
void records_index_init(path_index_t *t, build_t *b);
/* nx_db_metadata_each callback (CTX: a path_index_t). */
int records_on_record(void *ctx, const char *key, const char *value,
                      size_t vlen);
nx_status_t records_put(worker_t *w, nx_db_t *db, size_t i, uint64_t hash);
nx_status_t records_remove_gone(build_t *b, nx_db_t **dbs, size_t *removed,
                                nx_db_t **failed);

/* onefile.c: a worker thread (ARG: its worker_t). */
void *build_worker_main(void *arg);

/* parallel.c: 0, or an exit status after printing why. */
int build_finish_parallel(build_t *b, size_t jobs, double t0);

#endif
