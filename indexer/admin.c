/*
 * admin.c: `newsidx stats` and `newsidx compact` (see admin.h).
 *
 * compact writes the compacted copy beside the index (PATH.compact, same
 * file system) and swaps the two folders in one step (renameat2
 * RENAME_EXCHANGE): readers that have the old index open keep reading it,
 * new ones open the new one, and at no moment is there no index or half of
 * one. A compaction killed before the swap leaves PATH untouched (and a
 * PATH.compact, marked as ours, that the next one removes). It holds the
 * index's lock from start to finish, and moves or deletes nothing that is
 * not its own: an index folder holding other files, or a PATH.compact
 * without our mark, is refused.
 */
#include "admin.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "layout.h"
#include "nx.h"
#include "schema.h"
#include "util.h"

/* Bytes of the regular files directly in folder DIR (the tables). */
static uint64_t folder_bytes(const char *dir)
{
    uint64_t total = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *de;
    buf_t p = BUF_INIT;
    while ((de = readdir(d)) != NULL) {
        struct stat st;
        buf_reset(&p);
        buf_printf(&p, "%s/%s", dir, de->d_name);
        if (lstat(p.data, &st) == 0 && S_ISREG(st.st_mode))
            total += (uint64_t)st.st_size;
    }
    closedir(d);
    buf_free(&p);
    return total;
}

static int count_term(void *ctx, const char *term, size_t len, uint32_t freq)
{
    (void)term;
    (void)len;
    (void)freq;
    ++*(uint64_t *)ctx;
    return 0;
}

static int count_record(void *ctx, const char *key, const char *value,
                        size_t vlen)
{
    (void)key;
    (void)value;
    (void)vlen;
    ++*(uint64_t *)ctx;
    return 0;
}

/* Figures of one shard (or of a one-shard index). */
typedef struct shard_figures {
    uint32_t docs;
    uint64_t files, bytes;
} shard_figures_t;

static nx_status_t shard_stats(const char *path, shard_figures_t *f,
                               char **err)
{
    nx_db_t *db = NULL;
    nx_status_t s = nx_db_open(path, NX_READ, &db, err);
    if (s == NX_OK)
        s = nx_db_doccount(db, &f->docs);
    if (s == NX_OK)
        s = nx_db_metadata_each(db, META_FILE, count_record, &f->files);
    if (s != NX_OK && db && !*err)
        *err = xstrdup(nx_db_strerror(db, s));
    nx_db_free(db);
    f->bytes = folder_bytes(path);
    return s;
}

int admin_stats(const char *dbpath)
{
    int n = layout_read(dbpath);
    if (n < 0)
        return EXIT_INDEX;
    nx_db_t *db = NULL;
    char *err = NULL;
    nx_status_t s = n ? nx_db_open(dbpath, NX_READ, &db, &err) : NX_NO_INDEX;
    if (s != NX_OK) {
        warn_path(dbpath, "no index here (%s); run 'newsidx build' first",
                  err ? err : nx_status_to_string(s));
        free(err);
        return EXIT_INDEX;
    }
    /* Each shard on its own (records, size), then the whole. */
    shard_figures_t *f = xcalloc((size_t)n, sizeof *f);
    uint64_t files = 0, bytes = 0;
    buf_t p = BUF_INIT;
    for (int k = 0; k < n && s == NX_OK; k++) {
        layout_shard_path(&p, dbpath, (size_t)n, (size_t)k);
        s = shard_stats(p.data, &f[k], &err);
        files += f[k].files;
        bytes += f[k].bytes;
    }
    nx_db_info_t info;
    uint64_t terms = 0;
    char *corpus = NULL, *built = NULL, *secs = NULL, *schema = NULL;
    if (s == NX_OK)
        s = nx_db_info(db, &info);
    if (s == NX_OK)
        s = nx_db_allterms(db, "", count_term, &terms);
    if (s == NX_OK)
        s = nx_db_get_metadata(db, META_CORPUS, &corpus);
    if (s == NX_OK)
        s = nx_db_get_metadata(db, META_BUILT, &built);
    if (s == NX_OK)
        s = nx_db_get_metadata(db, META_SECONDS, &secs);
    if (s == NX_OK)
        s = nx_db_get_metadata(db, META_SCHEMA, &schema);
    int status = 0;
    if (s != NX_OK) {
        warn_path(dbpath, "cannot read the index: %s",
                  err ? err : nx_db_strerror(db, s));
        status = EXIT_INDEX;
    } else {
        printf("index: %s\n", dbpath);
        printf("documents: %" PRIu32 "\n", info.doccount);
        printf("files: %" PRIu64 "\n", files);
        printf("terms: %" PRIu64 "\n", terms);
        printf("average length: %.1f\n", info.avlength);
        printf("positions: %s\n", info.has_positions ? "yes" : "no");
        printf("size: %" PRIu64 " bytes (%.1f MiB)\n", bytes,
               (double)bytes / 1048576.0);
        printf("last build: %s\n", *built ? built : "-");
        printf("build seconds: %s\n", *secs ? secs : "-");
        printf("corpus: %s\n", *corpus ? corpus : "-");
        printf("schema: %s\n", *schema ? schema : "1");
        printf("shards: %d\n", n);
        for (int k = 0; n > 1 && k < n; k++)
            printf("shard-%d: %" PRIu32 " documents, %" PRIu64 " files, %"
                   PRIu64 " bytes\n", k, f[k].docs, f[k].files, f[k].bytes);
        if (fflush(stdout) != 0)
            status = EXIT_INDEX;
    }
    free(f);
    free(err);
    buf_free(&p);
    free(corpus);
    free(built);
    free(secs);
    free(schema);
    nx_db_free(db);
    return status;
}

/* Compact the database at PATH and swap the copy in (see the top and
 * layout.h; LOCKED: PATH holds the index's lock file). 0 or an exit status
 * after printing why. */
static int compact_one(const char *path, int locked)
{
    char *foreign = layout_foreign(path, 0);
    if (foreign) {
        warn_path(path, "holds '%s', which is not part of the index: "
                  "compact would move it away with the old index; move it "
                  "out of the index folder first", foreign);
        free(foreign);
        return EXIT_INDEX;
    }
    buf_t tmp = BUF_INIT;
    buf_printf(&tmp, "%s.compact", path);
    int status = layout_tmp_make(tmp.data);
    if (status) {
        buf_free(&tmp);
        return status;
    }
    char *err = NULL;
    nx_status_t s = nx_compact(&path, 1, tmp.data, &err);
    if (s != NX_OK) {
        warn_path(path, "cannot compact: %s",
                  err ? err : nx_status_to_string(s));
        status = EXIT_INDEX;
    } else {
        int e = layout_swap_in(path, tmp.data, locked);
        if (e) {
            warn_path(path, "cannot swap in the compacted index: %s",
                      strerror(e));
            status = EXIT_INDEX;
        }
    }
    free(err);
    layout_tmp_remove(tmp.data);
    buf_free(&tmp);
    return status;
}

int admin_compact(const char *dbpath, double wait, int quiet)
{
    double t0 = now_seconds();
    int n = layout_read(dbpath);
    if (n <= 0) {
        if (n == 0)
            warn_path(dbpath, "no index here; run 'newsidx build' first");
        return EXIT_INDEX;
    }
    int status = 0;
    int lock = build_lock(dbpath, wait, &status);
    if (lock < 0)
        return status;
    uint64_t before = 0, after = 0;
    buf_t p = BUF_INIT;
    for (int k = 0; k < n && !status; k++) {
        layout_shard_path(&p, dbpath, (size_t)n, (size_t)k);
        before += folder_bytes(p.data);
        /* One shard: the index folder itself is swapped, with our lock
         * file in it. The lock is held until the end all the same. */
        status = compact_one(p.data, n == 1);
        after += folder_bytes(p.data);
    }
    pidlock_release(lock);
    if (!status && !quiet)
        printf("compacted: %" PRIu64 " -> %" PRIu64 " bytes (%.0f%%), "
               "%.2f s\n", before, after,
               before ? 100.0 * (double)after / (double)before : 0.0,
               now_seconds() - t0);
    buf_free(&p);
    return status;
}
