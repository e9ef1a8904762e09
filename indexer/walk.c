/*
 * walk.c: list the files of a corpus folder (see walk.h).
 */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

typedef struct visited {
    dev_t dev;
    ino_t ino;
} visited_t;

typedef struct walker {
    const char *root;
    corpus_files_t *files;
    visited_t *seen;
    size_t n_seen, cap_seen;
    size_t errors;
} walker_t;

/* What a file that is neither a folder nor a regular file is. */
static const char *file_kind(mode_t m)
{
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    return "not a regular file";
}

/* Report a child that stat() could not follow: a broken symbolic link gets
 * its own reason, anything else the errno text. */
static void warn_unreachable(const char *path, int err)
{
    struct stat lst;
    if (err == ENOENT && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        warn_path(path, "skipped: broken symbolic link");
    else
        warn_path(path, "%s", strerror(err));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(walker_t *w, const char *rel)
{
    buf_t full = BUF_INIT;
    buf_puts(&full, w->root);
    if (*rel) {
        buf_putc(&full, '/');
        buf_puts(&full, rel);
    }
    struct stat st;
    if (stat(full.data, &st) != 0) {
        warn_path(full.data, "%s", strerror(errno));
        w->errors++;
        buf_free(&full);
        return;
    }
    for (size_t i = 0; i < w->n_seen; i++) {
        if (w->seen[i].dev == st.st_dev && w->seen[i].ino == st.st_ino) {
            warn_path(full.data, "directory loop (symbolic link), skipped");
            w->errors++;
            buf_free(&full);
            return;
        }
    }
    if (w->n_seen == w->cap_seen) {
        w->cap_seen = w->cap_seen ? w->cap_seen * 2 : 16;
        w->seen = xrealloc(w->seen, w->cap_seen * sizeof *w->seen);
    }
    w->seen[w->n_seen++] = (visited_t){ st.st_dev, st.st_ino };

    DIR *d = opendir(full.data);
    if (!d) {
        warn_path(full.data, "%s", strerror(errno));
        w->errors++;
        w->n_seen--;
        buf_free(&full);
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ., .., and hidden files (editors' temporaries) */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        buf_t child = BUF_INIT;
        if (*rel) {
            buf_puts(&child, rel);
            buf_putc(&child, '/');
        }
        buf_puts(&child, names[i]);
        buf_t cfull = BUF_INIT;
        buf_printf(&cfull, "%s/%s", w->root, child.data);
        struct stat cst;
        if (stat(cfull.data, &cst) != 0) {
            warn_unreachable(cfull.data, errno);
            w->errors++;
        } else if (S_ISDIR(cst.st_mode)) {
            walk(w, child.data);
        } else if (S_ISREG(cst.st_mode)) {
            corpus_files_t *f = w->files;
            if (f->n == f->cap) {
                f->cap = f->cap ? f->cap * 2 : 256;
                f->v = xrealloc(f->v, f->cap * sizeof *f->v);
            }
            f->v[f->n++] = (corpus_file_t){
                child.data, (uint64_t)cst.st_size,
                (int64_t)cst.st_mtim.tv_sec * 1000000000 + cst.st_mtim.tv_nsec };
            child.data = NULL;
        } else {
            /* A FIFO would block the build; devices and sockets are no
             * articles either. */
            warn_path(cfull.data, "skipped: %s", file_kind(cst.st_mode));
            w->errors++;
        }
        buf_free(&cfull);
        buf_free(&child);
        free(names[i]);
    }
    free(names);
    w->n_seen--;
    buf_free(&full);
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const corpus_file_t *)a)->rel,
                  ((const corpus_file_t *)b)->rel);
}

void walk_corpus(const char *root, corpus_files_t *out)
{
    *out = (corpus_files_t){ NULL, 0, 0, 0 };
    walker_t w = { root, out, NULL, 0, 0, 0 };
    walk(&w, "");
    out->errors = w.errors;
    free(w.seen);
    /* One order for the whole tree (not folder by folder): the order of
     * the build, of its commit points, and of the file records. */
    qsort(out->v, out->n, sizeof *out->v, cmp_file);
}

void corpus_files_free(corpus_files_t *files)
{
    for (size_t i = 0; i < files->n; i++)
        free(files->v[i].rel);
    free(files->v);
    *files = (corpus_files_t){ NULL, 0, 0, 0 };
}
