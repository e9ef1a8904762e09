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
 * exclusive lock on PATH/newsidx.lock (LAYOUT_LOCK, created with the
 * index folder; util.h pidlock_acquire: an fcntl record lock, which the
 * kernel drops when the process ends, even by SIGKILL, so it is never
 * stale). The file also holds the holder's pid, for people; a second build
 * reports that pid and exits with EXIT_LOCKED, or waits with --wait.
 * Xapian's own lock (PATH/flintlock) cannot name its holder, hence ours.
 *
 * One bad file is reported on stderr (one line naming it and the reason)
 * and counted; it never stops the build, and its old documents (if any)
 * stay until it can be read again.
 *
 * The parts: build.c (this driver), buildlock.c, prepare.c, records.c,
 * onefile.c, parallel.c (build_impl.h).
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
#include "variants.h"

/* The message of the shard of DBS (N) whose last call failed with ST
 * (each write clears the message of the one before). */
const char *build_shards_msg(nx_db_t *const *dbs, size_t n, nx_status_t st)
{
    for (size_t k = 0; dbs && k < n; k++)
        if (dbs[k] && *nx_db_errmsg(dbs[k]))
            return nx_db_strerror(dbs[k], st);
    return nx_status_to_string(st);
}

/* build --rebuild (see build.h). */
static int rebuild(const build_opts_t *o)
{
    int status = 0;
    int lock = build_lock(o->db, o->wait, &status);
    if (lock < 0)
        return status;
    /* The shards of the old index if it can tell, else --shards. */
    int have = layout_read(o->db);
    build_opts_t n = *o;
    n.rebuild = 0;
    if (!n.shards)
        n.shards = have > 0 ? (unsigned)have : 1;
    buf_t tmp = BUF_INIT;
    buf_printf(&tmp, "%s.rebuild", o->db);
    status = build_check_own(o->db, have > 0 ? (size_t)have : n.shards);
    if (!status)
        status = layout_tmp_make(tmp.data);
    if (!status) {
        n.db = tmp.data;
        status = build_run(&n);
        if (status == EXIT_BUILD_OK || status == EXIT_BUILD_WARNINGS) {
            int e = layout_swap_in(o->db, tmp.data, 1);
            if (e) {
                warn_path(o->db, "cannot swap in the rebuilt index: %s",
                          strerror(e));
                status = EXIT_INDEX;
            }
        }
        layout_tmp_remove(tmp.data);
    }
    buf_free(&tmp);
    pidlock_release(lock);
    return status;
}

int build_run(const build_opts_t *o)
{
    if (o->rebuild && !o->dry_run)
        return rebuild(o);
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
    status = build_prepare(&b);
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
            records_index_init(&t, &b);
            t.shard = k;
            s = nx_db_metadata_each(b.dbs[k], META_FILE, records_on_record, &t);
            free(t.slot);
        }
    }
    if (s != NX_OK) {
        warn_path(o->db, "cannot read the index: %s", nx_db_strerror(failed, s));
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
    build_seq_init(prev);
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
    /* The articles of many-article files (an item may be in several) are
     * written by one writer (onefile.c, index_entries). */
    for (size_t k = 0; b.parallel && k < b.n_todo; k++)
        if (reader_maybe_many(b.files.v[b.todo[k]].rel))
            b.parallel = 0;
    if (!o->dry_run && !b.parallel)
        jobs = 1;
    if (b.parallel) {
        /* The index is empty: it is replaced whole at the end, so no
         * handle on it may stay open (its close would write). */
        build_close_shards(b.dbs, b.n_shards, 0);
        b.dbs = NULL;
        if ((status = build_check_own(o->db, b.n_shards)) != 0)
            goto out;
        buf_printf(&b.tmpdir, "%s/%s", o->db, LAYOUT_BUILD_TMP);
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
        if (pthread_create(&w[k].thread, NULL, build_worker_main, &w[k]) != 0)
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
            build_close_shards(w[k].dbs, w[k].dbs ? b.n_shards : 0, status != 0);
            w[k].dbs = NULL;
        }
        if (!status)
            status = build_finish_parallel(&b, jobs, t0);
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
        s = records_remove_gone(&b, b.dbs, &removed, &failed);
        if (s == NX_OK)
            s = build_commit_all(b.dbs, b.n_shards, root, 1, now_seconds() - t0,
                           &failed);
        if (s != NX_OK) {
            warn_path(o->db, "cannot write to the index: %s",
                      nx_db_strerror(failed, s));
            status = EXIT_INDEX;
        }
    } else if (o->dry_run) {
        records_remove_gone(&b, NULL, &removed, &failed);
    }
    /* On failure each shard stays at its last commit. */
    build_close_shards(b.dbs, b.dbs ? b.n_shards : 0, status != 0 && !o->dry_run);
    b.dbs = NULL;
    /* Spelling variants, mined again when the index changed enough (a bad
     * line of the user's file counts as an error of the build); before the
     * files are marked clean, since storing them writes. */
    if (!status && !o->dry_run) {
        int v = variants_after_build(o->db, o->variants, b.docs + removed, 0,
                                     NULL);
        if (v < 0)
            status = EXIT_INDEX;
        else
            b.bad += (size_t)v;
    }
    /* Closed whole: the next build need not read every table to trust it
     * (nx_db_check), unless something touches the files meanwhile. */
    for (size_t k = 0; !status && !o->dry_run && k < b.n_shards; k++) {
        buf_t p = BUF_INIT;
        layout_shard_path(&p, o->db, b.n_shards, k);
        nx_files_mark_clean(p.data);
        buf_free(&p);
    }

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
    build_close_shards(b.dbs, b.dbs ? b.n_shards : 0, 1);
    for (size_t k = 0; w && k < jobs; k++) {
        analyzer_free(w[k].an);
        if (b.parallel)
            build_close_shards(w[k].dbs, w[k].dbs ? b.n_shards : 0, 1);
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

