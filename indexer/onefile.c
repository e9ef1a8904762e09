/*
 * onefile.c: read, parse, analyse and store one file (the workers of a
 * build, serial or parallel).
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

/* Sharded build: is HASH new to this build (then remember it)? Under mu. */
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
 * The articles of a many-article file (reader.h: JSON lines, a
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
                         append ? (size_t)fi->old_line : 1, &b->fields,
                         entry_bad, w->path.data };
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
        char mark[SCHEMA_SEQ_LEN + 1];
        build_seq_mark(mark);
        doc_meta_t meta = { a->id, NULL, w->path.data, f->rel, mark, 1 };
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
        s = records_put(w, main_db, i, fi->new_hash);
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
static nx_status_t build_index_file(worker_t *w, size_t i, file_result_t *r)
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
    char *id = articleid_file(f->rel);
    nx_db_t *main_db =
        w->dbs ? w->dbs[layout_shard_of(hash64(id, strlen(id)), b->n_shards)]
               : NULL;
    if (fi->has_old && fi->old_hash == fi->new_hash && !truncated &&
        !b->moved_root) {
        /* Touched, not changed: the documents stand. */
        free(data);
        free(id);
        r->touched = 1;
        return main_db ? records_put(w, main_db, i, fi->new_hash) : NX_OK;
    }
    reader_kind_t kind = reader_kind_of(f->rel, data, len);
    if (kind != READ_ARTICLE) { /* JSON lines, JSON arrays, feeds */
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
        if (a->related) {
            articleid_record(&w->rid, id, a->related);
        } else {
            buf_reset(&w->rid);
            buf_puts(&w->rid, id);
        }
        char mark[SCHEMA_SEQ_LEN + 1];
        build_seq_mark(mark);
        doc_meta_t meta = { w->rid.data, a->related ? id : NULL, w->path.data,
                            f->rel, mark, 0 };
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
        s = records_put(w, main_db, i, fi->new_hash);
    for (size_t k = 0; k < n_keep; k++)
        free(keep[k]);
    free(keep);
    free(id);
    article_set_free(&set);
    return s;
}

/* Commit every COMMIT_EVERY files read (the crash-safety step of a serial
 * build, the memory bound of a shard). */
static nx_status_t build_maybe_commit(worker_t *w)
{
    build_t *b = w->b;
    const build_opts_t *o = b->o;
    if (!w->dbs || !o->commit_every || ++w->since_commit < o->commit_every)
        return NX_OK;
    w->since_commit = 0;
    nx_status_t s = NX_OK;
    for (size_t k = 0; s == NX_OK && k < b->n_shards; k++)
        s = b->parallel ? nx_db_commit(w->dbs[k])
                        : build_commit(w->dbs[k], b->root, 0, 0);
    /* Serial: the next articles are another commit's, so another batch's
     * (parallel: nothing is visible before the install). */
    if (s == NX_OK && !b->parallel)
        build_seq_next_batch();
    return s;
}

void *build_worker_main(void *arg)
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
        nx_status_t s = build_index_file(w, i, &r);
        if (s == NX_OK)
            s = build_maybe_commit(w);
        if (s != NX_OK) {
            warn_path(b->o->db, "cannot write to the index: %s",
                      build_shards_msg(w->dbs, b->n_shards, s));
            pthread_mutex_lock(&b->mu);
            b->fatal = 1;
            pthread_mutex_unlock(&b->mu);
            have = 0;
        }
    }
    return NULL;
}
