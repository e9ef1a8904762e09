/*
 * prepare.c: open the shards of the index for a build (or read them for a
 * dry run), create a new index, rebuild one of an older schema; commits
 * with the build's metadata and mark.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build_impl.h"

/* Open the shard at PATH for writing. We hold our lock, so Xapian's can
 * only be held by a writer that is not a newsidx build (xapian-compact, …):
 * wait for it as long as --wait allows. Returns NULL after printing why,
 * with *EXIT_STATUS set. */
nx_db_t *build_open_shard(const char *path, double wait, int *exit_status)
{
    double deadline = now_seconds() + wait;
    nx_db_t *db = NULL;
    char *err = NULL;
    nx_status_t s;
    for (;;) {
        s = nx_db_open(path, NX_WRITE_CREATE, &db, &err);
        if (s != NX_LOCKED || now_seconds() >= deadline)
            break;
        free(err);
        err = NULL;
        struct timespec pause = { 0, 100 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }
    if (s == NX_LOCKED) {
        warn_path(path, "index is locked by another Xapian writer (not a "
                  "newsidx build); use --wait SECONDS to wait");
        *exit_status = EXIT_LOCKED;
    } else if (s != NX_OK) {
        warn_path(path, "cannot open the index: %s",
                  err ? err : nx_status_to_string(s));
        *exit_status = EXIT_INDEX;
    }
    free(err);
    return db;
}

/* Close the N shards of DBS (committing, or first cancelling when CANCEL)
 * and free the array. */
void build_close_shards(nx_db_t **dbs, size_t n, int cancel)
{
    for (size_t k = 0; dbs && k < n; k++) {
        if (cancel && dbs[k])
            nx_db_cancel(dbs[k]);
        nx_db_free(dbs[k]);
    }
    free(dbs);
}

/* This build's SLOT_SEQ mark (16 hex digits): set before any document. */
uint64_t build_batch;
static uint32_t batch_next; /* the number of the next article in it */

/* The time in microseconds, above AFTER (marks grow even if the clock
 * steps back). */
static uint64_t batch_after(uint64_t after)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000;
    return now > after ? now : after + 1;
}

void build_seq_init(const char *prev)
{
    build_batch = batch_after(schema_seq_batch(prev ? prev : ""));
    __atomic_store_n(&batch_next, 0, __ATOMIC_SEQ_CST);
}

void build_seq_next_batch(void)
{
    build_batch = batch_after(build_batch);
    __atomic_store_n(&batch_next, 0, __ATOMIC_SEQ_CST);
}

void build_seq_mark(char out[SCHEMA_SEQ_LEN + 1])
{
    schema_seq_format(out, build_batch,
                      __atomic_fetch_add(&batch_next, 1, __ATOMIC_SEQ_CST));
}

/* Commit what is pending. Every commit records the schema version and the
 * greatest mark of the batch (META_SEQ); the last one also the corpus folder, the time of the build
 * and its length. */
nx_status_t build_commit(nx_db_t *db, const char *root, int last,
                          double seconds)
{
    char top[SCHEMA_SEQ_LEN + 1];
    schema_seq_format(top, build_batch, UINT32_MAX);
    nx_status_t s = nx_db_set_metadata(db, META_SCHEMA, SCHEMA_VERSION);
    if (s == NX_OK)
        s = nx_db_set_metadata(db, META_SEQ, top);
    if (last) {
        char when[32], secs[32];
        time_t now = time(NULL);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
        snprintf(secs, sizeof secs, "%.2f", seconds);
        if (s == NX_OK)
            s = nx_db_set_metadata(db, META_CORPUS, root);
        if (s == NX_OK)
            s = nx_db_set_metadata(db, META_BUILT, when);
        if (s == NX_OK)
            s = nx_db_set_metadata(db, META_SECONDS, secs);
    }
    if (s == NX_OK)
        s = nx_db_commit(db);
    return s;
}

/* Commit every shard of DBS (N); see build_commit(). */
nx_status_t build_commit_all(nx_db_t *const *dbs, size_t n, const char *root,
                              int last, double seconds, nx_db_t **failed)
{
    for (size_t k = 0; k < n; k++) {
        nx_status_t s = build_commit(dbs[k], root, last, seconds);
        if (s != NX_OK) {
            *failed = dbs[k];
            return s;
        }
    }
    return NX_OK;
}

/* Before writing into the shard at PATH of the index at DB: is it whole?
 * Writing into a damaged one ended in heap corruption inside Xapian. 0, or
 * -1 after saying what is wrong and how to rebuild. */
static int check_shard(const char *path, const char *db)
{
    char *err = NULL;
    nx_status_t s = nx_db_check(path, &err);
    if (s != NX_OK && s != NX_NO_INDEX)
        warn_path(path, "the index is damaged (%s); nothing was written: "
                  "run 'newsidx build --rebuild --db %s' to index the "
                  "corpus anew and replace it", err ? err : nx_status_to_string(s),
                  db);
    free(err);
    return s != NX_OK && s != NX_NO_INDEX ? -1 : 0;
}

/* No index at PATH, yet perhaps Xapian's tables: a build killed while
 * Xapian created the database (its version file comes last). They are
 * nothing (no version file, no index) but would stop every later build:
 * remove them, ours alone. 0, or -1 after saying why. */
static int remove_unfinished(const char *path)
{
    int e = nx_files_remove(path);
    if (e)
        warn_path(path, "cannot remove an unfinished index: %s", strerror(e));
    return e ? -1 : 0;
}

int build_check_own(const char *db, size_t n)
{
    buf_t p = BUF_INIT;
    char *foreign = layout_foreign(db, n > 1);
    for (size_t k = 0; n > 1 && k < n && !foreign; k++) {
        layout_shard_path(&p, db, n, k);
        if ((foreign = layout_foreign(p.data, 0)) != NULL)
            db = p.data;
    }
    if (foreign)
        warn_path(db, "holds '%s', which is not part of the index: newsidx "
                  "replaces the index's files here and touches nothing "
                  "else; move it away, or build into an empty folder",
                  foreign);
    free(foreign);
    int status = foreign ? EXIT_INDEX : 0;
    buf_free(&p);
    return status;
}

/* Remove the database of every shard of the index at DB (N shards). */
static int remove_shards(const char *db, size_t n)
{
    buf_t p = BUF_INIT;
    int e = 0;
    for (size_t k = 0; k < n && !e; k++) {
        layout_shard_path(&p, db, n, k);
        e = nx_files_remove(p.data);
    }
    buf_free(&p);
    return e;
}

/*
 * Open the shards of the index as the build needs them, after the lock:
 * writable (created if missing, with their stub), or, for a dry run,
 * read-only when there are any (none otherwise, which is no error). The
 * number of shards is the index's own, or --shards for a new index. An
 * index of another schema is removed first, with a note: it is rebuilt
 * from scratch. Sets b->dbs (NULL: none) and b->n_shards. Returns 0 or an
 * exit status after printing why.
 */
int build_prepare(build_t *b)
{
    const build_opts_t *o = b->o;
    int have = layout_read(o->db);
    if (have < 0)
        return EXIT_INDEX;
    if (have > 0 && o->shards && (unsigned)have != o->shards) {
        warn_path(o->db, "the index has %d shard%s; --shards %u would move "
                  "articles between shards: build into a new index (another "
                  "--db) instead", have, have == 1 ? "" : "s", o->shards);
        return EXIT_USAGE;
    }
    size_t n = have ? (size_t)have : o->shards ? o->shards : 1;
    b->n_shards = n;
    if (o->dry_run && have == 0)
        return 0;
    nx_db_t **dbs = xcalloc(n, sizeof *dbs);
    buf_t p = BUF_INIT;
    int status = 0;
    for (size_t k = 0; k < n && !status; k++) {
        layout_shard_path(&p, o->db, n, k);
        if (o->dry_run) {
            char *err = NULL;
            if (nx_db_open(p.data, NX_READ, &dbs[k], &err) != NX_OK) {
                warn_path(p.data, "cannot read the index: %s", err ? err : "");
                status = EXIT_INDEX;
            }
            free(err);
        } else if (have > 0 && check_shard(p.data, o->db) != 0) {
            status = EXIT_INDEX;
            break;
        } else if (have == 0 && remove_unfinished(p.data) != 0) {
            status = EXIT_INDEX;
            break;
        } else if (!(dbs[k] = build_open_shard(p.data, o->wait, &status))) {
            break;
        }
    }
    if (!status && !o->dry_run && n > 1 && have == 0) {
        int e = layout_write_stub(o->db, n);
        if (e) {
            warn_path(o->db, "cannot write the list of shards: %s",
                      strerror(e));
            status = EXIT_INDEX;
        }
    }
    /* Every shard carries the build's metadata: shard 0 speaks for all. */
    uint32_t count = 0;
    char *schema = NULL;
    nx_status_t s = NX_OK;
    if (!status) {
        s = nx_db_doccount(dbs[0], &count);
        if (s == NX_OK)
            s = nx_db_get_metadata(dbs[0], META_SCHEMA, &schema);
        if (s != NX_OK) {
            warn_path(o->db, "cannot read the index: %s",
                      nx_db_strerror(dbs[0], s));
            status = EXIT_INDEX;
        }
    }
    if (!status && (count > 0 || *schema) &&
        strcmp(schema, SCHEMA_VERSION) != 0) {
        warn_path(o->db, "index made by another version of newsidx (schema "
                  "%s, now %s): %s from scratch", *schema ? schema : "1",
                  SCHEMA_VERSION, o->dry_run ? "a build would rebuild it"
                                             : "rebuilding it");
        build_close_shards(dbs, n, 0);
        dbs = NULL;
        if (!o->dry_run && (status = build_check_own(o->db, n)) == 0) {
            int e = remove_shards(o->db, n);
            if (e) {
                warn_path(o->db, "cannot remove the old index: %s",
                          strerror(e));
                status = EXIT_INDEX;
            }
            dbs = xcalloc(n, sizeof *dbs);
            for (size_t k = 0; k < n && !status; k++) {
                layout_shard_path(&p, o->db, n, k);
                if (!(dbs[k] = build_open_shard(p.data, o->wait, &status)))
                    break;
            }
        }
    }
    free(schema);
    buf_free(&p);
    if (status) {
        build_close_shards(dbs, n, 0);
        return status;
    }
    b->dbs = dbs;
    return 0;
}
