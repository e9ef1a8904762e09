/*
 * build.c: `newsidx build`: bring the index in line with the corpus folder.
 *
 * Incremental: the index keeps a record of every file it holds (size,
 * mtime, content hash: filestate.h). A build walks the corpus, skips files
 * whose size and mtime match their record (without reading them), re-reads
 * the others (a file only touched, same hash, just gets a fresh record),
 * replaces the documents of changed files in place (the main article keeps
 * its document id: newsq --new-since relies on it), and at the end removes
 * the documents of files that are gone (not with --no-delete; a file moved
 * elsewhere in the corpus is removed from its old place all the same, so it
 * is never there twice).
 *
 * Two ways to write:
 *  - serial: one writer on the index itself, committing every COMMIT_EVERY
 *    files it reads and at the end. Each commit is atomic (Xapian), so
 *    readers and a build killed at any moment see the index of the last
 *    commit: whole files, never a half-written article; the next build
 *    carries on from there (the committed files have their records).
 *  - sharded: when the index is empty (a first build, or a rebuild of an
 *    index of an older schema) and there are several cores, each of JOBS
 *    threads reads, analyses and writes its share of the files into its own
 *    temporary database under PATH/newsidx.tmp; the shards are then merged
 *    by Xapian's compaction, and the result moved into PATH with its version
 *    file last, so that until then PATH holds no index rather than half of
 *    one. A build killed before that leaves no index, and the next one
 *    starts again. Xapian's add_document is most of a build's time and a
 *    WritableDatabase is single-threaded: separate databases are the way to
 *    keep both cores writing.
 *
 * One writer at a time: before the index is opened, the build takes an
 * exclusive lock on PATH/newsidx.lock (BUILD_LOCK_FILE, created with the
 * index folder; util.h pidlock_acquire: an fcntl record lock, which the
 * kernel drops when the process ends, even by SIGKILL, so it is never
 * stale). The file also holds the holder's pid, for people; a second build
 * reports that pid and exits with EXIT_LOCKED, or waits with --wait.
 * Xapian's own lock (PATH/flintlock) cannot name its holder, hence ours.
 *
 * One bad file is reported on stderr (one line naming it and the reason)
 * and counted; it never stops the build, and its old documents (if any)
 * stay until it can be read again.
 */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyzer.h"
#include "article.h"
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
/* The temporary folder of a sharded build, inside the index folder. */
#define BUILD_TMP_DIR "newsidx.tmp"

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

/* The id of a file: its path relative to the corpus, minus the extension. */
static char *file_id(const char *rel)
{
    const char *slash = strrchr(rel, '/');
    const char *dot = strrchr(rel, '.');
    size_t n = strlen(rel);
    if (dot && (!slash || dot > slash + 1))
        n = (size_t)(dot - rel);
    return xstrndup(rel, n);
}

static const char *status_msg(nx_db_t *db, nx_status_t st)
{
    const char *m = db ? nx_db_errmsg(db) : "";
    return *m ? m : nx_status_to_string(st);
}

/* The message of the shard of DBS (N) that failed last with ST. */
static const char *shards_msg(nx_db_t *const *dbs, size_t n, nx_status_t st)
{
    for (size_t k = 0; dbs && k < n; k++)
        if (dbs[k] && *nx_db_errmsg(dbs[k]))
            return nx_db_errmsg(dbs[k]);
    return nx_status_to_string(st);
}

int build_lock(const char *dbpath, double wait, int *exit_status)
{
    struct stat st;
    int e = make_parent_dirs(dbpath);
    if (!e && mkdir(dbpath, 0777) != 0) {
        e = errno;
        if (e == EEXIST)
            e = stat(dbpath, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    }
    if (e) {
        warn_path(dbpath, "cannot create the index folder: %s", strerror(e));
        *exit_status = EXIT_INDEX;
        return -1;
    }
    buf_t path = BUF_INIT;
    buf_printf(&path, "%s/%s", dbpath, BUILD_LOCK_FILE);
    long holder;
    int fd = pidlock_acquire(path.data, wait, &holder, &e);
    buf_free(&path);
    if (fd == -1) {
        if (holder > 0)
            warn_path(dbpath, "index is locked by pid %ld (another newsidx "
                      "build); use --wait SECONDS to wait", holder);
        else
            warn_path(dbpath, "index is locked by another newsidx build; "
                      "use --wait SECONDS to wait");
        *exit_status = EXIT_LOCKED;
    } else if (fd < 0) {
        warn_path(dbpath, "cannot lock the index: %s", strerror(e));
        *exit_status = EXIT_INDEX;
    }
    return fd;
}

/* Open the shard at PATH for writing. We hold our lock, so Xapian's can
 * only be held by a writer that is not a newsidx build (xapian-compact, …):
 * wait for it as long as --wait allows. Returns NULL after printing why,
 * with *EXIT_STATUS set. */
static nx_db_t *open_shard(const char *path, double wait, int *exit_status)
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
static void close_shards(nx_db_t **dbs, size_t n, int cancel)
{
    for (size_t k = 0; dbs && k < n; k++) {
        if (cancel && dbs[k])
            nx_db_cancel(dbs[k]);
        nx_db_free(dbs[k]);
    }
    free(dbs);
}

/* This build's SLOT_SEQ mark (16 hex digits): set before any document. */
static char build_seq[17];

/*
 * The mark of a build starting now: the time in microseconds, but always
 * above PREV (the last build's mark, "" if none), so that marks grow even
 * if the clock steps back.
 */
static void seq_init(const char *prev)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000;
    uint64_t last = prev && *prev ? strtoull(prev, NULL, 16) : 0;
    if (now <= last)
        now = last + 1;
    snprintf(build_seq, sizeof build_seq, "%016" PRIx64, now);
}

/* Commit what is pending. Every commit records the schema version and the
 * build's mark; the last one also the corpus folder, the time of the build
 * and its length. */
static nx_status_t commit(nx_db_t *db, const char *root, int last,
                          double seconds)
{
    nx_status_t s = nx_db_set_metadata(db, META_SCHEMA, SCHEMA_VERSION);
    if (s == NX_OK)
        s = nx_db_set_metadata(db, META_SEQ, build_seq);
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

/* Commit every shard of DBS (N); see commit(). */
static nx_status_t commit_all(nx_db_t *const *dbs, size_t n, const char *root,
                              int last, double seconds, nx_db_t **failed)
{
    for (size_t k = 0; k < n; k++) {
        nx_status_t s = commit(dbs[k], root, last, seconds);
        if (s != NX_OK) {
            *failed = dbs[k];
            return s;
        }
    }
    return NX_OK;
}

/* ------------------------------------------------------------ file records */

/* Open-addressing table from a path to its index in b->files. */
typedef struct path_index {
    size_t *slot; /* index + 1; 0: empty */
    size_t mask;
    build_t *b;
    size_t shard; /* whose records are being read */
} path_index_t;

static void path_index_init(path_index_t *t, build_t *b)
{
    size_t cap = 16;
    while (cap < 2 * b->files.n)
        cap *= 2;
    t->slot = xcalloc(cap, sizeof *t->slot);
    t->mask = cap - 1;
    t->b = b;
    for (size_t i = 0; i < b->files.n; i++) {
        const char *rel = b->files.v[i].rel;
        size_t h = (size_t)hash64(rel, strlen(rel)) & t->mask;
        while (t->slot[h])
            h = (h + 1) & t->mask;
        t->slot[h] = i + 1;
    }
}

/* The index of the file REL (LEN bytes), or (size_t)-1. */
static size_t path_index_find(const path_index_t *t, const char *rel,
                              size_t len)
{
    size_t h = (size_t)hash64(rel, len) & t->mask;
    for (; t->slot[h]; h = (h + 1) & t->mask) {
        const char *r = t->b->files.v[t->slot[h] - 1].rel;
        if (strlen(r) == len && memcmp(r, rel, len) == 0)
            return t->slot[h] - 1;
    }
    return (size_t)-1;
}

/* nx_db_metadata_each callback: match a record with its file. */
static int on_record(void *ctx, const char *key, const char *value,
                     size_t vlen)
{
    (void)key;
    path_index_t *t = ctx;
    build_t *b = t->b;
    file_record_t r;
    if (filestate_decode(value, vlen, &r) != 0)
        return 0; /* not ours: leave it */
    size_t i = path_index_find(t, r.rel, r.rel_len);
    if (i == (size_t)-1) {
        if (b->n_gone == b->cap_gone) {
            b->cap_gone = b->cap_gone ? b->cap_gone * 2 : 64;
            b->gone = xrealloc(b->gone, b->cap_gone * sizeof *b->gone);
        }
        b->gone[b->n_gone++] = (gone_file_t){ xstrndup(r.rel, r.rel_len),
                                              r.hash, t->shard };
        return 0;
    }
    const corpus_file_t *f = &b->files.v[i];
    file_info_t *fi = &b->info[i];
    fi->has_old = 1;
    fi->old_hash = r.hash;
    fi->old_size = r.size;
    fi->old_end = fi->new_end = r.read_end;
    fi->old_line = fi->new_line = r.read_line;
    fi->state = f->size == r.size && f->mtime_ns == r.mtime_ns &&
                        !b->moved_root
                    ? F_UNCHANGED : F_CHANGED;
    return 0;
}

/* Write the record of file I (content hash HASH) into DB (the shard of its
 * main article) with the next commit. */
static nx_status_t put_record(worker_t *w, nx_db_t *db, size_t i,
                              uint64_t hash)
{
    const corpus_file_t *f = &w->b->files.v[i];
    const file_info_t *fi = &w->b->info[i];
    file_record_t r = { f->size, f->mtime_ns, hash, f->rel, strlen(f->rel),
                        fi->new_end, fi->new_line };
    filestate_key(&w->key, f->rel);
    filestate_encode(&w->value, &r);
    return nx_db_set_metadata(db, w->key.data, w->value.data);
}

/* ------------------------------------------------------------ one file */

/* Is HASH new to this build (then remember it)? Under mu. Sharded builds:
 * related articles; an empty index: articles of many-article files. */
static int seen_first(build_t *b, uint64_t hash)
{
    if (hash == 0)
        hash = 1; /* 0 marks an empty slot */
    if (2 * (b->n_seen + 1) > b->cap_seen) {
        size_t cap = b->cap_seen ? b->cap_seen * 2 : 1024;
        uint64_t *t = xcalloc(cap, sizeof *t);
        for (size_t i = 0; i < b->cap_seen; i++) {
            if (!b->seen[i])
                continue;
            size_t h = (size_t)b->seen[i] & (cap - 1);
            while (t[h])
                h = (h + 1) & (cap - 1);
            t[h] = b->seen[i];
        }
        free(b->seen);
        b->seen = t;
        b->cap_seen = cap;
    }
    size_t h = (size_t)hash & (b->cap_seen - 1);
    for (; b->seen[h]; h = (h + 1) & (b->cap_seen - 1))
        if (b->seen[h] == hash)
            return 0;
    b->seen[h] = hash;
    b->n_seen++;
    return 1;
}

/* Store the related article number K of file REL, DOC (unique term in
 * w->unique): claim the copy the index already has, or add it. */
static nx_status_t store_related(worker_t *w, nx_doc_t *doc, const char *rel,
                                 int k)
{
    build_t *b = w->b;
    uint64_t h = strtoull(w->unique.data + strlen(PFX_HASH), NULL, 16);
    nx_db_t *db = w->dbs[layout_shard_of(h, b->n_shards)];
    if (b->parallel) {
        /* Another thread may hold it: the first one writes it, the others
         * claim it after the merge. */
        pthread_mutex_lock(&b->mu);
        int first = seen_first(b, h);
        if (b->n_claims == b->cap_claims) {
            b->cap_claims = b->cap_claims ? b->cap_claims * 2 : 64;
            b->claims = xrealloc(b->claims, b->cap_claims * sizeof *b->claims);
        }
        b->claims[b->n_claims++] = (claim_t){ h, xstrdup(rel), k, first };
        pthread_mutex_unlock(&b->mu);
        return first ? nx_db_add(db, doc, NULL) : NX_OK;
    }
    buf_reset(&w->owner);
    schema_term(&w->owner, PFX_OWNER, rel, strlen(rel));
    int found = 0;
    nx_status_t s = nx_db_claim(db, w->unique.data, w->owner.data, &found);
    if (s == NX_OK && !found)
        s = nx_db_add(db, doc, NULL);
    return s;
}

/* What reading one file gave, for the totals. */
typedef struct file_result {
    size_t docs;
    int bad, touched;
} file_result_t;

/* reader_opts_t.on_bad: one line per record skipped, naming the file. */
static void entry_bad(void *ctx, const char *where, const char *why)
{
    warn_path((const char *)ctx, "%s: skipped: %s", where, why);
}

/*
 * Issue 14: the articles of a many-article file (reader.h: JSON lines, a
 * JSON array, a feed), file I, whose LEN bytes are DATA (TRUNCATED: cut at
 * --max-size). Each article is its own document, Q+its id, owned by the
 * file through XREL+relpath (nx_db_replace_shared: the same item in
 * another file stays one document owned by both). A JSON lines file that
 * only grew is read from where the last build stopped, and nothing is
 * released; any other change re-reads the whole file and lets go of the
 * articles it no longer holds. The file's record (with where the read
 * ended) goes in MAIN_DB, in the same commit. Problems with records are
 * reported and counted in *R; returns NX_OK or the index error that must
 * stop the build.
 */
static nx_status_t index_entries(worker_t *w, size_t i, reader_kind_t kind,
                                 const char *data, size_t len, int truncated,
                                 nx_db_t *main_db, file_result_t *r)
{
    build_t *b = w->b;
    const corpus_file_t *f = &b->files.v[i];
    file_info_t *fi = &b->info[i];
    int append = kind == READ_JSONL && fi->has_old && !b->moved_root &&
                 fi->old_end > 0 && fi->old_end <= fi->old_size &&
                 len >= fi->old_size &&
                 hash64(data, (size_t)fi->old_size) == fi->old_hash;
    reader_opts_t ro = { f->rel, append ? (size_t)fi->old_end : 0,
                         append ? (size_t)fi->old_line : 1, &b->fields, entry_bad,
                         w->path.data };
    article_set_t set;
    reader_result_t res;
    const char *reason = NULL;
    if (reader_read(kind, data, len, &ro, &set, &res, &reason) != 0) {
        warn_path(w->path.data, "skipped: %s", reason);
        r->bad = 1;
        fi->indexed = 0;
        return NX_OK;
    }
    if (res.bad)
        r->bad = 1;
    if (truncated) {
        warn_path(w->path.data, "larger than %zu bytes, only the start is "
                  "indexed", b->o->max_size);
        r->bad = 1;
    }
    char **keep = xcalloc(set.n ? set.n : 1, sizeof *keep);
    size_t n_keep = 0;
    nx_status_t s = NX_OK;
    for (size_t k = 0; s == NX_OK && k < set.n; k++) {
        const article_t *a = &set.items[k];
        doc_meta_t meta = { a->id, NULL, w->path.data, f->rel, build_seq, 1 };
        nx_doc_t *doc = NULL;
        s = document_build(w->an, a, &meta, main_db ? &doc : NULL, &w->unique);
        if (s == NX_OK && main_db) {
            nx_db_t *db =
                w->dbs[layout_shard_of(hash64(a->id, strlen(a->id)),
                                       b->n_shards)];
            /* Into an empty index, an id met first is added without the
             * look-up (twice as fast); met again, it replaces. */
            int first = 0;
            if (b->fresh) {
                pthread_mutex_lock(&b->mu);
                first = seen_first(b, hash64(w->unique.data, w->unique.len));
                pthread_mutex_unlock(&b->mu);
            }
            s = first ? nx_db_add(db, doc, NULL)
                      : nx_db_replace_shared(db, w->unique.data, doc,
                                             SLOT_SEQ, PFX_OWNER);
            if (s == NX_OK)
                keep[n_keep++] = xstrdup(w->unique.data);
        }
        nx_doc_free(doc);
        if (s == NX_OK)
            r->docs++;
    }
    if (s == NX_OK && main_db && fi->has_old && !append) {
        /* A document of the whole file (read as one article by an older
         * newsidx) goes; so do the articles the file no longer holds. */
        buf_reset(&w->owner);
        schema_term(&w->owner, PFX_FILE, f->rel, strlen(f->rel));
        s = nx_db_delete_term(main_db, w->owner.data);
        buf_reset(&w->owner);
        schema_term(&w->owner, PFX_OWNER, f->rel, strlen(f->rel));
        for (size_t k = 0; s == NX_OK && k < b->n_shards; k++)
            s = nx_db_release(w->dbs[k], w->owner.data, PFX_OWNER,
                              (const char *const *)keep, n_keep, NULL);
    }
    fi->new_end = kind == READ_JSONL ? res.end : 0;
    fi->new_line = kind == READ_JSONL ? res.end_line : 0;
    if (s == NX_OK && main_db && !truncated)
        s = put_record(w, main_db, i, fi->new_hash);
    for (size_t k = 0; k < n_keep; k++)
        free(keep[k]);
    free(keep);
    article_set_free(&set);
    return s;
}

/*
 * Read, parse, analyse and store file I. Problems with the file are
 * reported and counted in *R; the return value is NX_OK or the index error
 * that must stop the build.
 */
static nx_status_t index_file(worker_t *w, size_t i, file_result_t *r)
{
    build_t *b = w->b;
    const build_opts_t *o = b->o;
    const corpus_file_t *f = &b->files.v[i];
    file_info_t *fi = &b->info[i];
    buf_reset(&w->path);
    buf_printf(&w->path, "%s/%s", b->root, f->rel);
    char *data;
    size_t len;
    int truncated;
    int rerr = read_file(w->path.data, o->max_size, &data, &len, &truncated);
    if (rerr) {
        /* Unreadable, or gone since the walk. */
        warn_path(w->path.data, "%s", strerror(rerr));
        r->bad = 1;
        return NX_OK;
    }
    fi->new_hash = hash64(data, len);
    fi->indexed = 1;
    char *id = file_id(f->rel);
    nx_db_t *main_db =
        w->dbs ? w->dbs[layout_shard_of(hash64(id, strlen(id)), b->n_shards)]
               : NULL;
    if (fi->has_old && fi->old_hash == fi->new_hash && !truncated &&
        !b->moved_root) {
        /* Touched, not changed: the documents stand. */
        free(data);
        free(id);
        r->touched = 1;
        return main_db ? put_record(w, main_db, i, fi->new_hash) : NX_OK;
    }
    reader_kind_t kind = reader_kind_of(f->rel, data, len);
    if (kind != READ_ARTICLE) { /* issue 14: JSON, feeds */
        nx_status_t s =
            index_entries(w, i, kind, data, len, truncated, main_db, r);
        free(data);
        free(id);
        return s;
    }
    article_set_t set;
    const char *reason = NULL;
    article_status_t as = article_parse(data, len, &set, &reason);
    free(data);
    if (as != ART_OK) {
        warn_path(w->path.data, "skipped: %s", reason ? reason : "unreadable");
        r->bad = 1;
        fi->indexed = 0;
        free(id);
        return NX_OK;
    }
    if (truncated) {
        /* No record: the file is read again (and reported) every build. */
        warn_path(w->path.data, "larger than %zu bytes, only the start is "
                  "indexed", o->max_size);
        r->bad = 1;
    }
    if (set.flags & ART_FROM_CP1256)
        warn_path(w->path.data, "converted from windows-1256");

    char **keep = xcalloc(set.n ? set.n : 1, sizeof *keep);
    size_t n_keep = 0;
    nx_status_t s = NX_OK;
    for (size_t k = 0; s == NX_OK && k < set.n; k++) {
        const article_t *a = &set.items[k];
        buf_reset(&w->rid);
        if (a->related)
            buf_printf(&w->rid, "%s#%d", id, a->related);
        else
            buf_puts(&w->rid, id);
        doc_meta_t meta = { w->rid.data, a->related ? id : NULL, w->path.data,
                            f->rel, build_seq, 0 };
        nx_doc_t *doc = NULL;
        s = document_build(w->an, a, &meta, main_db ? &doc : NULL,
                           &w->unique);
        if (s == NX_OK && main_db) {
            if (a->related)
                s = store_related(w, doc, f->rel, a->related);
            else if (b->fresh)
                s = nx_db_add(main_db, doc, NULL);
            else /* in place, by its id: the document keeps its docid
                  * and its first-indexed mark */
                s = nx_db_replace_keep(main_db, w->unique.data, doc,
                                       SLOT_SEQ);
        }
        nx_doc_free(doc);
        if (s == NX_OK) {
            r->docs++;
            if (a->related && main_db)
                keep[n_keep++] = xstrdup(w->unique.data);
        }
    }
    /* Let go of the related articles this file no longer has (in any
     * shard: they go by their content). */
    if (s == NX_OK && main_db && fi->has_old) {
        buf_reset(&w->owner);
        schema_term(&w->owner, PFX_OWNER, f->rel, strlen(f->rel));
        for (size_t k = 0; s == NX_OK && k < b->n_shards; k++)
            s = nx_db_release(w->dbs[k], w->owner.data, PFX_OWNER,
                              (const char *const *)keep, n_keep, NULL);
    }
    if (s == NX_OK && main_db && !truncated)
        s = put_record(w, main_db, i, fi->new_hash);
    for (size_t k = 0; k < n_keep; k++)
        free(keep[k]);
    free(keep);
    free(id);
    article_set_free(&set);
    return s;
}

/* Commit every COMMIT_EVERY files read (the crash-safety step of a serial
 * build, the memory bound of a shard). */
static nx_status_t maybe_commit(worker_t *w)
{
    build_t *b = w->b;
    const build_opts_t *o = b->o;
    if (!w->dbs || !o->commit_every || ++w->since_commit < o->commit_every)
        return NX_OK;
    w->since_commit = 0;
    nx_status_t s = NX_OK;
    for (size_t k = 0; s == NX_OK && k < b->n_shards; k++)
        s = b->parallel ? nx_db_commit(w->dbs[k])
                        : commit(w->dbs[k], b->root, 0, 0);
    return s;
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    build_t *b = w->b;
    file_result_t r = { 0, 0, 0 };
    int have = 0;
    for (;;) {
        pthread_mutex_lock(&b->mu);
        if (have) {
            b->done++;
            b->docs += r.docs;
            b->bad += (size_t)r.bad;
            b->touched += (size_t)r.touched;
            progress_update(b->done, b->docs);
        }
        if (b->fatal || b->next >= b->n_todo) {
            pthread_mutex_unlock(&b->mu);
            break;
        }
        size_t i = b->todo[b->next++];
        pthread_mutex_unlock(&b->mu);
        r = (file_result_t){ 0, 0, 0 };
        have = 1;
        nx_status_t s = index_file(w, i, &r);
        if (s == NX_OK)
            s = maybe_commit(w);
        if (s != NX_OK) {
            warn_path(b->o->db, "cannot write to the index: %s",
                      shards_msg(w->dbs, b->n_shards, s));
            pthread_mutex_lock(&b->mu);
            b->fatal = 1;
            pthread_mutex_unlock(&b->mu);
            have = 0;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------ the index */

static int remove_entry(const char *path, const struct stat *st, int type,
                        struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

/* rm -rf PATH (no symbolic link followed). 0 or an errno value. */
static int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : errno;
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : errno;
}

/*
 * Remove the Xapian database in folder DIR (not our lock file): its version
 * file first, so that from then on DIR holds no index rather than a broken
 * one. 0 or an errno value.
 */
static int remove_database(const char *dir)
{
    buf_t p = BUF_INIT;
    buf_printf(&p, "%s/iamglass", dir);
    int e = unlink(p.data) != 0 && errno != ENOENT ? errno : 0;
    DIR *d = e ? NULL : opendir(dir);
    struct dirent *de;
    while (d && !e && (de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n > 6 && strcmp(de->d_name + n - 6, ".glass") == 0) {
            buf_reset(&p);
            buf_printf(&p, "%s/%s", dir, de->d_name);
            if (unlink(p.data) != 0 && errno != ENOENT)
                e = errno;
        }
    }
    if (d)
        closedir(d);
    buf_free(&p);
    return e;
}

/*
 * Move the database in folder FROM into folder TO, which holds none (or an
 * empty one, removed first): the tables, then the version file, whose
 * arrival makes the index appear whole. 0 or an errno value.
 */
static int install_database(const char *from, const char *to)
{
    int e = remove_database(to);
    DIR *d = e ? NULL : opendir(from);
    if (!e && !d)
        e = errno;
    buf_t src = BUF_INIT, dst = BUF_INIT;
    struct dirent *de;
    while (d && !e && (de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n <= 6 || strcmp(de->d_name + n - 6, ".glass") != 0)
            continue;
        buf_reset(&src);
        buf_reset(&dst);
        buf_printf(&src, "%s/%s", from, de->d_name);
        buf_printf(&dst, "%s/%s", to, de->d_name);
        if (rename(src.data, dst.data) != 0)
            e = errno;
    }
    if (d)
        closedir(d);
    if (!e) {
        buf_reset(&src);
        buf_reset(&dst);
        buf_printf(&src, "%s/iamglass", from);
        buf_printf(&dst, "%s/iamglass", to);
        if (rename(src.data, dst.data) != 0)
            e = errno;
    }
    buf_free(&src);
    buf_free(&dst);
    return e;
}

/*
 * The end of a parallel build: for each shard, merge the threads' databases
 * of it (closed) into TMPDIR/merged-K, give the related articles written by
 * one thread their owners from the others, write the build's metadata, and
 * move the result into the shard's folder. Returns 0, or an exit status
 * after printing why.
 */
static int cmp_claim(const void *pa, const void *pb)
{
    const claim_t *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return strcmp(a->rel, b->rel);
}

/* The claims of one hash start at C (sorted: the first file first): when
 * its writer is another file, make the document that first file's. */
static nx_status_t first_owner(build_t *b, nx_db_t *db, const claim_t *c)
{
    const claim_t *w = c;
    while (!w->writer)
        w++; /* every hash has its writer */
    if (w == c)
        return NX_OK;
    char hex[17];
    snprintf(hex, sizeof hex, "%016" PRIx64, c->hash);
    buf_t term = BUF_INIT, data = BUF_INIT, v = BUF_INIT, del = BUF_INIT,
          add = BUF_INIT;
    schema_term(&term, PFX_HASH, hex, 16);
    uint32_t docid = 0;
    nx_doc_t *doc = NULL;
    nx_status_t s = nx_db_find(db, term.data, &docid);
    if (s == NX_OK && docid)
        s = nx_db_get_doc(db, docid, &doc);
    if (s == NX_OK && doc) {
        char *id = file_id(c->rel), *old = file_id(w->rel);
        size_t len;
        const char *d = nx_doc_data(doc, &len);
        buf_t tmp = BUF_INIT;
        buf_printf(&v, "%s#%d", id, c->k);
        docdata_replace(&tmp, d, len, "id", v.data, v.len);
        buf_reset(&v);
        buf_printf(&v, "%s/%s", b->root, c->rel);
        docdata_replace(&data, tmp.data, tmp.len, "path", v.data, v.len);
        buf_reset(&tmp);
        docdata_replace(&tmp, data.data, data.len, "parent", id, strlen(id));
        schema_term(&del, PFX_PARENT, old, strlen(old));
        schema_term(&add, PFX_PARENT, id, strlen(id));
        s = nx_db_update(db, docid, tmp.data, tmp.len, del.data, add.data);
        buf_free(&tmp);
        free(id);
        free(old);
    }
    nx_doc_free(doc);
    buf_free(&term);
    buf_free(&data);
    buf_free(&v);
    buf_free(&del);
    buf_free(&add);
    return s;
}

static int finish_parallel(build_t *b, size_t jobs, double t0)
{
    if (b->n_claims)
        qsort(b->claims, b->n_claims, sizeof *b->claims, cmp_claim);
    const char **srcs = xcalloc(jobs, sizeof *srcs);
    buf_t *paths = xcalloc(jobs, sizeof *paths);
    buf_t merged = BUF_INIT, term = BUF_INIT, owner = BUF_INIT, dest = BUF_INIT;
    int status = 0;
    for (size_t sh = 0; sh < b->n_shards && !status; sh++) {
        for (size_t k = 0; k < jobs; k++) {
            buf_reset(&paths[k]);
            buf_printf(&paths[k], "%s/t%zu-s%zu", b->tmpdir.data, k, sh);
            srcs[k] = paths[k].data;
        }
        buf_reset(&merged);
        buf_printf(&merged, "%s/merged-%zu", b->tmpdir.data, sh);
        char *err = NULL;
        nx_db_t *db = NULL;
        nx_status_t s = nx_compact(srcs, jobs, merged.data, &err);
        if (s == NX_OK) {
            free(err);
            err = NULL;
            s = nx_db_open(merged.data, NX_WRITE_CREATE, &db, &err);
        }
        for (size_t k = 0; s == NX_OK && k < b->n_claims; k++) {
            if (layout_shard_of(b->claims[k].hash, b->n_shards) != sh)
                continue;
            if (k == 0 || b->claims[k - 1].hash != b->claims[k].hash)
                s = first_owner(b, db, &b->claims[k]);
            if (b->claims[k].writer || s != NX_OK)
                continue;
            char hex[17];
            snprintf(hex, sizeof hex, "%016" PRIx64, b->claims[k].hash);
            buf_reset(&term);
            schema_term(&term, PFX_HASH, hex, 16);
            buf_reset(&owner);
            schema_term(&owner, PFX_OWNER, b->claims[k].rel,
                        strlen(b->claims[k].rel));
            int found;
            s = nx_db_claim(db, term.data, owner.data, &found);
        }
        if (s == NX_OK)
            s = commit(db, b->root, 1, now_seconds() - t0);
        if (s != NX_OK && !err)
            err = xstrdup(status_msg(db, s));
        nx_db_free(db);
        layout_shard_path(&dest, b->o->db, b->n_shards, sh);
        if (s != NX_OK) {
            warn_path(b->o->db, "cannot merge the threads' databases: %s",
                      err ? err : nx_status_to_string(s));
            status = EXIT_INDEX;
        } else {
            int e = install_database(merged.data, dest.data);
            if (e) {
                warn_path(dest.data, "cannot move the new index in place: %s",
                          strerror(e));
                status = EXIT_INDEX;
            }
        }
        free(err);
    }
    for (size_t k = 0; k < jobs; k++)
        buf_free(&paths[k]);
    free(paths);
    free(srcs);
    buf_free(&merged);
    buf_free(&term);
    buf_free(&owner);
    buf_free(&dest);
    return status;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Remove the documents and records of the files that are gone; those moved
 * (same content, indexed by this build under another path) even with
 * --no-delete. Counts what it removed in *REMOVED. DBS NULL: count only (a
 * dry run). */
static nx_status_t remove_gone(build_t *b, nx_db_t **dbs, size_t *removed,
                               nx_db_t **failed)
{
    uint64_t *fresh = xcalloc(b->files.n ? b->files.n : 1, sizeof *fresh);
    size_t n_fresh = 0;
    for (size_t i = 0; i < b->files.n; i++)
        if (b->info[i].indexed && !b->info[i].has_old)
            fresh[n_fresh++] = b->info[i].new_hash;
    qsort(fresh, n_fresh, sizeof *fresh, cmp_u64);
    buf_t term = BUF_INIT, key = BUF_INIT;
    nx_status_t s = NX_OK;
    for (size_t g = 0; s == NX_OK && g < b->n_gone; g++) {
        const gone_file_t *gf = &b->gone[g];
        int moved = bsearch(&gf->hash, fresh, n_fresh, sizeof *fresh,
                            cmp_u64) != NULL;
        if (b->o->no_delete && !moved)
            continue;
        if (dbs) {
            nx_db_t *db = dbs[gf->shard];
            *failed = db;
            buf_reset(&term);
            schema_term(&term, PFX_FILE, gf->rel, strlen(gf->rel));
            s = nx_db_delete_term(db, term.data);
            buf_reset(&term);
            schema_term(&term, PFX_OWNER, gf->rel, strlen(gf->rel));
            for (size_t k = 0; s == NX_OK && k < b->n_shards; k++) {
                *failed = dbs[k];
                s = nx_db_release(dbs[k], term.data, PFX_OWNER, NULL, 0, NULL);
            }
            if (s == NX_OK) {
                *failed = db;
                filestate_key(&key, gf->rel);
                s = nx_db_set_metadata(db, key.data, "");
            }
        }
        if (s == NX_OK)
            ++*removed;
    }
    buf_free(&term);
    buf_free(&key);
    free(fresh);
    return s;
}

/* ------------------------------------------------------------ the build */

/* Remove the database of every shard of the index at DB (N shards). */
static int remove_shards(const char *db, size_t n)
{
    buf_t p = BUF_INIT;
    int e = 0;
    for (size_t k = 0; k < n && !e; k++) {
        layout_shard_path(&p, db, n, k);
        e = remove_database(p.data);
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
static int prepare_index(build_t *b)
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
        } else if (!(dbs[k] = open_shard(p.data, o->wait, &status))) {
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
                      status_msg(dbs[0], s));
            status = EXIT_INDEX;
        }
    }
    if (!status && (count > 0 || *schema) &&
        strcmp(schema, SCHEMA_VERSION) != 0) {
        warn_path(o->db, "index made by another version of newsidx (schema "
                  "%s, now %s): %s from scratch", *schema ? schema : "1",
                  SCHEMA_VERSION, o->dry_run ? "a build would rebuild it"
                                             : "rebuilding it");
        close_shards(dbs, n, 0);
        dbs = NULL;
        if (!o->dry_run) {
            int e = remove_shards(o->db, n);
            if (e) {
                warn_path(o->db, "cannot remove the old index: %s",
                          strerror(e));
                status = EXIT_INDEX;
            }
            dbs = xcalloc(n, sizeof *dbs);
            for (size_t k = 0; k < n && !status; k++) {
                layout_shard_path(&p, o->db, n, k);
                if (!(dbs[k] = open_shard(p.data, o->wait, &status)))
                    break;
            }
        }
    }
    free(schema);
    buf_free(&p);
    if (status) {
        close_shards(dbs, n, 0);
        return status;
    }
    b->dbs = dbs;
    return 0;
}

int build_run(const build_opts_t *o)
{
    double t0 = now_seconds();
    struct stat st;
    if (stat(o->corpus, &st) != 0 || !S_ISDIR(st.st_mode)) {
        warn_path(o->corpus, "cannot read corpus folder: %s",
                  stat(o->corpus, &st) != 0 ? strerror(errno) : "not a folder");
        return EXIT_CORPUS;
    }
    const char *families = getenv("NEWSIDX_TERMS");
    if (families && document_set_families(families) != 0) {
        warnx_("NEWSIDX_TERMS: not a list of noFAMILY words: '%s'", families);
        return EXIT_USAGE;
    }
    char *root = realpath(o->corpus, NULL);
    if (!root) {
        warn_path(o->corpus, "%s", strerror(errno));
        return EXIT_CORPUS;
    }

    int status = EXIT_BUILD_OK;
    int lock = -1;
    if (!o->dry_run && (lock = build_lock(o->db, o->wait, &status)) < 0) {
        free(root);
        return status;
    }
    build_t b;
    memset(&b, 0, sizeof b);
    b.o = o;
    b.root = root;
    pthread_mutex_init(&b.mu, NULL);
    worker_t *w = NULL;
    size_t jobs = 0, unchanged = 0, removed = 0;
    uint64_t count = 0;
    buf_t why = BUF_INIT;
    if (reader_fields_parse(o->json_fields, &b.fields, &why) != 0) {
        warnx_("json_fields: %s", why.data); /* config_load checked it */
        buf_free(&why);
        status = EXIT_USAGE;
        goto out;
    }
    buf_free(&why);
    status = prepare_index(&b);
    if (status)
        goto out;

    walk_corpus(root, &b.files);
    b.info = xcalloc(b.files.n ? b.files.n : 1, sizeof *b.info);
    nx_status_t s = NX_OK;
    nx_db_t *failed = NULL;
    if (b.dbs) {
        /* Records are by path under the corpus; documents also hold the
         * full path. Another corpus folder than last time: read every file
         * again (documents keep their ids and first-indexed marks). */
        char *last = NULL;
        failed = b.dbs[0];
        s = nx_db_get_metadata(b.dbs[0], META_CORPUS, &last);
        b.moved_root = s == NX_OK && *last && strcmp(last, root) != 0;
        free(last);
    }
    for (size_t k = 0; b.dbs && k < b.n_shards && s == NX_OK; k++) {
        uint32_t c = 0;
        failed = b.dbs[k];
        s = nx_db_doccount(b.dbs[k], &c);
        count += c;
        if (s == NX_OK) {
            path_index_t t;
            path_index_init(&t, &b);
            t.shard = k;
            s = nx_db_metadata_each(b.dbs[k], META_FILE, on_record, &t);
            free(t.slot);
        }
    }
    if (s != NX_OK) {
        warn_path(o->db, "cannot read the index: %s", status_msg(failed, s));
        status = EXIT_INDEX;
        goto out;
    }
    b.fresh = count == 0;
    /* The mark of this build: above every shard's last one. */
    char *prev = xstrdup("");
    for (size_t k = 0; b.dbs && k < b.n_shards; k++) {
        char *m = NULL;
        if (nx_db_get_metadata(b.dbs[k], META_SEQ, &m) == NX_OK &&
            strcmp(m, prev) > 0) {
            free(prev);
            prev = m;
        } else {
            free(m);
        }
    }
    seq_init(prev);
    free(prev);
    b.todo = xcalloc(b.files.n ? b.files.n : 1, sizeof *b.todo);
    for (size_t i = 0; i < b.files.n; i++) {
        if (b.info[i].state == F_UNCHANGED)
            unchanged++;
        else
            b.todo[b.n_todo++] = i;
    }

    /* Writers: one on the shards themselves, or one per thread, each with
     * its own databases (see the top). */
    jobs = o->jobs ? o->jobs : 1;
    if (jobs > b.n_todo)
        jobs = b.n_todo ? b.n_todo : 1;
    b.parallel = !o->dry_run && b.fresh && jobs > 1 &&
                 b.n_todo >= SHARD_MIN_FILES;
    /* Issue 14: the articles of many-article files (an item may be in
     * several) are written by one writer (index_entries). */
    for (size_t k = 0; b.parallel && k < b.n_todo; k++)
        if (reader_maybe_many(b.files.v[b.todo[k]].rel))
            b.parallel = 0;
    if (!o->dry_run && !b.parallel)
        jobs = 1;
    if (b.parallel) {
        /* The index is empty: it is replaced whole at the end, so no
         * handle on it may stay open (its close would write). */
        close_shards(b.dbs, b.n_shards, 0);
        b.dbs = NULL;
        buf_printf(&b.tmpdir, "%s/%s", o->db, BUILD_TMP_DIR);
        int e = remove_tree(b.tmpdir.data); /* a killed build's */
        if (!e && mkdir(b.tmpdir.data, 0777) != 0)
            e = errno;
        if (e) {
            warn_path(b.tmpdir.data, "cannot make a temporary folder: %s",
                      strerror(e));
            status = EXIT_INDEX;
            goto out;
        }
    }
    w = xcalloc(jobs, sizeof *w);
    for (size_t k = 0; k < jobs && !status; k++) {
        w[k].b = &b;
        if (!(w[k].an = analyzer_new())) {
            warnx_("cannot initialise ICU word segmentation");
            status = EXIT_INDEX;
            break;
        }
        if (!b.parallel) {
            w[k].dbs = o->dry_run ? NULL : b.dbs;
            continue;
        }
        w[k].dbs = xcalloc(b.n_shards, sizeof *w[k].dbs);
        for (size_t sh = 0; sh < b.n_shards && !status; sh++) {
            buf_t p = BUF_INIT;
            buf_printf(&p, "%s/t%zu-s%zu", b.tmpdir.data, k, sh);
            char *err = NULL;
            s = nx_db_open(p.data, NX_WRITE_CREATE, &w[k].dbs[sh], &err);
            if (s != NX_OK) {
                warn_path(p.data, "cannot create a temporary database: %s",
                          err ? err : nx_status_to_string(s));
                status = EXIT_INDEX;
            }
            free(err);
            buf_free(&p);
        }
    }
    size_t started = 0;
    progress_start(b.n_todo, !o->quiet);
    for (size_t k = 0; k < jobs && !status; k++, started++)
        if (pthread_create(&w[k].thread, NULL, worker_main, &w[k]) != 0)
            break;
    if (!status && started == 0) {
        warnx_("cannot start a thread");
        status = EXIT_INDEX;
    }
    for (size_t k = 0; k < started; k++)
        pthread_join(w[k].thread, NULL);
    progress_end();
    if (b.fatal)
        status = EXIT_INDEX;

    if (b.parallel) {
        for (size_t k = 0; k < jobs; k++) {
            close_shards(w[k].dbs, w[k].dbs ? b.n_shards : 0, status != 0);
            w[k].dbs = NULL;
        }
        if (!status)
            status = finish_parallel(&b, jobs, t0);
        if (!status && b.n_shards > 1) {
            int e = layout_write_stub(o->db, b.n_shards);
            if (e) {
                warn_path(o->db, "cannot write the list of shards: %s",
                          strerror(e));
                status = EXIT_INDEX;
            }
        }
        remove_tree(b.tmpdir.data);
    } else if (!status && !o->dry_run) {
        s = remove_gone(&b, b.dbs, &removed, &failed);
        if (s == NX_OK)
            s = commit_all(b.dbs, b.n_shards, root, 1, now_seconds() - t0,
                           &failed);
        if (s != NX_OK) {
            warn_path(o->db, "cannot write to the index: %s",
                      status_msg(failed, s));
            status = EXIT_INDEX;
        }
    } else if (o->dry_run) {
        remove_gone(&b, NULL, &removed, &failed);
    }
    /* On failure each shard stays at its last commit. */
    close_shards(b.dbs, b.dbs ? b.n_shards : 0, status != 0 && !o->dry_run);
    b.dbs = NULL;

    /* The documents the index holds now. */
    if (!status && !o->dry_run) {
        nx_db_t *db = NULL;
        uint32_t c = 0;
        if (nx_db_open(o->db, NX_READ, &db, NULL) == NX_OK &&
            nx_db_doccount(db, &c) == NX_OK)
            count = c;
        nx_db_free(db);
    }
    if (!o->quiet && (!status || o->dry_run)) {
        double secs = now_seconds() - t0;
        double rate = secs > 0 ? (double)b.docs / secs : 0;
        if (o->dry_run)
            printf("dry run: %zu files, %zu to read (%zu articles), %zu "
                   "unchanged, %zu to remove, %zu errors, %.2f s, %.0f "
                   "articles/s\n", b.files.n, b.n_todo, b.docs, unchanged,
                   removed, b.bad + b.files.errors, secs, rate);
        else
            printf("%zu files, %" PRIu64 " documents, %zu errors, %.2f s "
                   "(%zu read, %zu unchanged, %zu removed; %.0f articles/s)\n",
                   b.files.n, count, b.bad + b.files.errors, secs, b.n_todo,
                   unchanged + b.touched, removed, rate);
    }
    /* Out before the lock goes: whoever waited for it sees a finished
     * build. */
    fflush(stdout);
    if (!status && b.bad + b.files.errors)
        status = EXIT_BUILD_WARNINGS;
out:
    close_shards(b.dbs, b.dbs ? b.n_shards : 0, 1);
    for (size_t k = 0; w && k < jobs; k++) {
        analyzer_free(w[k].an);
        if (b.parallel)
            close_shards(w[k].dbs, w[k].dbs ? b.n_shards : 0, 1);
        buf_free(&w[k].path);
        buf_free(&w[k].unique);
        buf_free(&w[k].owner);
        buf_free(&w[k].key);
        buf_free(&w[k].value);
        buf_free(&w[k].rid);
    }
    free(w);
    for (size_t g = 0; g < b.n_gone; g++)
        free(b.gone[g].rel);
    free(b.gone);
    for (size_t k = 0; k < b.n_claims; k++)
        free(b.claims[k].rel);
    free(b.claims);
    free(b.seen);
    free(b.todo);
    free(b.info);
    corpus_files_free(&b.files);
    buf_free(&b.tmpdir);
    reader_fields_free(&b.fields);
    pthread_mutex_destroy(&b.mu);
    free(root);
    pidlock_release(lock); /* after Xapian's own locks are gone */
    return status;
}
