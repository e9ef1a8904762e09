/*
 * parallel.c: the end of a parallel first build: merge the threads'
 * databases, give shared related articles their first file, install the
 * result.
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
        char *id = articleid_file(c->rel), *old = articleid_file(w->rel);
        size_t len;
        const char *d = nx_doc_data(doc, &len);
        buf_t tmp = BUF_INIT;
        articleid_record(&v, id, c->k);
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

int build_finish_parallel(build_t *b, size_t jobs, double t0)
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
            s = build_commit(db, b->root, 1, now_seconds() - t0);
        if (s != NX_OK && !err)
            err = xstrdup(nx_db_strerror(db, s));
        nx_db_free(db);
        layout_shard_path(&dest, b->o->db, b->n_shards, sh);
        if (s != NX_OK) {
            warn_path(b->o->db, "cannot merge the threads' databases: %s",
                      err ? err : nx_status_to_string(s));
            status = EXIT_INDEX;
        } else {
            int e = nx_files_install(merged.data, dest.data);
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
