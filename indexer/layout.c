/*
 * layout.c: see layout.h.
 */
#include "layout.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nx.h"

int layout_read(const char *db)
{
    buf_t p = BUF_INIT;
    buf_printf(&p, "%s/%s", db, LAYOUT_STUB);
    FILE *f = fopen(p.data, "r");
    if (!f) {
        struct stat st;
        (void)st;
        buf_free(&p);
        return nx_files_has_db(db);
    }
    char line[256];
    int n = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        char want[64];
        snprintf(want, sizeof want, "auto shard-%d\n", n);
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (strcmp(line, want) != 0 || n >= LAYOUT_MAX_SHARDS) {
            bad = 1;
            break;
        }
        n++;
    }
    fclose(f);
    if (bad || n == 0) {
        warn_path(p.data, "not a stub written by newsidx build (shards "
                  "listed as 'auto shard-0', 'auto shard-1', …); a stub "
                  "with remote shards is for searching: build each shard "
                  "where it lives");
        n = -1;
    }
    buf_free(&p);
    return n;
}

void layout_shard_path(buf_t *p, const char *db, size_t n, size_t k)
{
    buf_reset(p);
    if (n <= 1)
        buf_puts(p, db);
    else
        buf_printf(p, "%s/shard-%zu", db, k);
}

int layout_write_stub(const char *db, size_t n)
{
    buf_t tmp = BUF_INIT, path = BUF_INIT;
    buf_printf(&tmp, "%s/%s.tmp", db, LAYOUT_STUB);
    buf_printf(&path, "%s/%s", db, LAYOUT_STUB);
    int e = 0;
    FILE *f = fopen(tmp.data, "w");
    if (!f) {
        e = errno;
    } else {
        fputs("# the shards of this newsidx index (newsidx build --shards)\n",
              f);
        for (size_t k = 0; k < n; k++)
            fprintf(f, "auto shard-%zu\n", k);
        if (fclose(f) != 0)
            e = errno;
        else if (rename(tmp.data, path.data) != 0)
            e = errno;
    }
    buf_free(&tmp);
    buf_free(&path);
    return e;
}

char *layout_foreign(const char *dir, int shards)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char *name = NULL;
    struct dirent *de;
    while (!name && (de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        char *end = NULL;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0 ||
            nx_files_is_db(n) || strcmp(n, LAYOUT_LOCK) == 0 ||
            strcmp(n, LAYOUT_BUILD_TMP) == 0 ||
            strcmp(n, LAYOUT_COMPACT_MARK) == 0 ||
            strcmp(n, LAYOUT_STUB) == 0 ||
            strcmp(n, LAYOUT_STUB ".tmp") == 0 ||
            strcmp(n, LAYOUT_LOCK ".new") == 0)
            continue;
        if (shards && strncmp(n, "shard-", 6) == 0 && n[6] >= '0' &&
            n[6] <= '9' && (strtoul(n + 6, &end, 10), *end == '\0'))
            continue;
        name = xstrdup(n);
    }
    closedir(d);
    return name;
}

/* Does folder DIR hold our mark? */
static int is_ours(const char *dir)
{
    buf_t p = BUF_INIT;
    buf_printf(&p, "%s/%s", dir, LAYOUT_COMPACT_MARK);
    struct stat st;
    int ours = lstat(p.data, &st) == 0 && S_ISREG(st.st_mode);
    buf_free(&p);
    return ours;
}

void layout_tmp_remove(const char *tmp)
{
    char *foreign = is_ours(tmp) ? layout_foreign(tmp, 1) : NULL;
    if (is_ours(tmp) && !foreign)
        remove_tree(tmp);
    free(foreign);
}

int layout_tmp_make(const char *tmp)
{
    struct stat st;
    buf_t p = BUF_INIT;
    buf_printf(&p, "%s/%s", tmp, LAYOUT_COMPACT_MARK);
    if (lstat(tmp, &st) == 0) {
        char *foreign = S_ISDIR(st.st_mode) && is_ours(tmp)
                            ? layout_foreign(tmp, 1) : NULL;
        if (!S_ISDIR(st.st_mode) || !is_ours(tmp) || foreign) {
            warn_path(tmp, "exists and is not a folder left by newsidx; "
                      "move it away (newsidx needs this name for a new "
                      "copy of the index)");
            free(foreign);
            buf_free(&p);
            return 3;
        }
        remove_tree(tmp); /* a killed run's */
    }
    int fd = -1;
    if (mkdir(tmp, 0777) != 0 ||
        (fd = open(p.data, O_WRONLY | O_CREAT | O_EXCL, 0666)) < 0) {
        warn_path(tmp, "cannot make a temporary folder: %s", strerror(errno));
        buf_free(&p);
        return 3;
    }
    close(fd);
    buf_free(&p);
    return 0;
}

int layout_swap_in(const char *path, const char *tmp, int locked)
{
    buf_t a = BUF_INIT, b = BUF_INIT;
    int e = 0;
    if (locked) {
        buf_printf(&a, "%s/%s", path, LAYOUT_LOCK);
        buf_printf(&b, "%s/%s.new", tmp, LAYOUT_LOCK);
        unlink(b.data);
        if (link(a.data, b.data) != 0) {
            e = errno;
        } else {
            buf_reset(&a);
            buf_printf(&a, "%s/%s", tmp, LAYOUT_LOCK);
            if (rename(b.data, a.data) != 0)
                e = errno;
        }
    }
    if (!e && renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) != 0)
        e = errno;
    if (!e) {
        /* The mark goes with the old index, which TMP now holds. */
        buf_reset(&a);
        buf_reset(&b);
        buf_printf(&a, "%s/%s", path, LAYOUT_COMPACT_MARK);
        buf_printf(&b, "%s/%s", tmp, LAYOUT_COMPACT_MARK);
        rename(a.data, b.data);
    }
    buf_free(&a);
    buf_free(&b);
    return e;
}
