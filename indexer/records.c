/*
 * records.c: the record a build keeps of every file (filestate.h): match
 * them with the corpus, write them, remove the files that are gone.
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

void records_index_init(path_index_t *t, build_t *b)
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
static size_t records_index_find(const path_index_t *t, const char *rel,
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
int records_on_record(void *ctx, const char *key, const char *value,
                     size_t vlen)
{
    (void)key;
    path_index_t *t = ctx;
    build_t *b = t->b;
    file_record_t r;
    if (filestate_decode(value, vlen, &r) != 0)
        return 0; /* not ours: leave it */
    size_t i = records_index_find(t, r.rel, r.rel_len);
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
nx_status_t records_put(worker_t *w, nx_db_t *db, size_t i,
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

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Remove the documents and records of the files that are gone; those moved
 * (same content, indexed by this build under another path) even with
 * --no-delete. Counts what it removed in *REMOVED. DBS NULL: count only (a
 * dry run). */
nx_status_t records_remove_gone(build_t *b, nx_db_t **dbs, size_t *removed,
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
