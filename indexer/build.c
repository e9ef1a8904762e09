/*
 * build.c: walk the corpus (sorted, recursive, symlink loops detected), parse
 * each file, index its main and related articles, commit once at the end so
 * readers see either the previous index or the new one, never a half build.
 * One bad file is reported on stderr and skipped; it never stops the build.
 */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "analyzer.h"
#include "article.h"
#include "document.h"
#include "nx.h"
#include "schema.h"
#include "util.h"

typedef struct file_list {
    char **paths; /* relative to the corpus */
    size_t n, cap;
} file_list_t;

typedef struct visited {
    dev_t dev;
    ino_t ino;
} visited_t;

typedef struct walker {
    const char *root;
    file_list_t files;
    visited_t *seen;
    size_t n_seen, cap_seen;
    size_t errors;
} walker_t;

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
        warnx_("%s: %s", full.data, strerror(errno));
        w->errors++;
        buf_free(&full);
        return;
    }
    for (size_t i = 0; i < w->n_seen; i++) {
        if (w->seen[i].dev == st.st_dev && w->seen[i].ino == st.st_ino) {
            warnx_("%s: directory loop (symbolic link), skipped", full.data);
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
        warnx_("%s: %s", full.data, strerror(errno));
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
            warnx_("%s: %s", cfull.data, strerror(errno));
            w->errors++;
        } else if (S_ISDIR(cst.st_mode)) {
            walk(w, child.data);
        } else if (S_ISREG(cst.st_mode)) {
            if (w->files.n == w->files.cap) {
                w->files.cap = w->files.cap ? w->files.cap * 2 : 256;
                w->files.paths = xrealloc(w->files.paths,
                                          w->files.cap * sizeof(char *));
            }
            w->files.paths[w->files.n++] = child.data;
            child.data = NULL;
        }
        buf_free(&cfull);
        buf_free(&child);
        free(names[i]);
    }
    free(names);
    w->n_seen--;
    buf_free(&full);
}

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

int build_run(const build_opts_t *o)
{
    double t0 = now_seconds();
    struct stat st;
    if (stat(o->corpus, &st) != 0 || !S_ISDIR(st.st_mode)) {
        warnx_("%s: cannot read corpus folder: %s", o->corpus,
               stat(o->corpus, &st) != 0 ? strerror(errno) : "not a folder");
        return EXIT_CORPUS;
    }
    char *root = realpath(o->corpus, NULL);
    if (!root) {
        warnx_("%s: %s", o->corpus, strerror(errno));
        return EXIT_CORPUS;
    }

    int e = make_parent_dirs(o->db);
    if (e) {
        warnx_("%s: cannot create the index folder: %s", o->db, strerror(e));
        free(root);
        return EXIT_INDEX;
    }
    nx_db_t *db = NULL;
    char *err = NULL;
    nx_status_t s = nx_db_open(o->db, NX_WRITE_CREATE, &db, &err);
    if (s != NX_OK) {
        if (s == NX_LOCKED)
            warnx_("%s: index is locked by another newsidx build", o->db);
        else
            warnx_("%s: cannot open the index: %s", o->db,
                   err ? err : nx_status_to_string(s));
        free(err);
        free(root);
        return s == NX_LOCKED ? EXIT_LOCKED : EXIT_INDEX;
    }

    walker_t w = { root, { NULL, 0, 0 }, NULL, 0, 0, 0 };
    walk(&w, "");

    analyzer_t *an = analyzer_new();
    if (!an) {
        warnx_("cannot initialise ICU word segmentation");
        nx_db_free(db);
        free(root);
        return EXIT_INDEX;
    }
    size_t docs = 0, bad = w.errors;
    int fatal = 0;
    buf_t full = BUF_INIT, unique = BUF_INIT, fterm = BUF_INIT;
    for (size_t i = 0; i < w.files.n && !fatal; i++) {
        const char *rel = w.files.paths[i];
        buf_reset(&full);
        buf_printf(&full, "%s/%s", root, rel);
        char *data;
        size_t len;
        int truncated;
        int rerr = read_file(full.data, o->max_size, &data, &len, &truncated);
        if (rerr) {
            warnx_("%s: %s", full.data, strerror(rerr));
            bad++;
            continue;
        }
        if (truncated)
            warnx_("%s: larger than %zu bytes, only the start is indexed",
                   full.data, o->max_size);
        article_set_t set;
        const char *reason = NULL;
        article_status_t as = article_parse(data, len, &set, &reason);
        free(data);
        if (as != ART_OK) {
            warnx_("%s: skipped: %s", full.data, reason ? reason : "unreadable");
            bad++;
            continue;
        }
        if (set.flags & ART_FROM_CP1256)
            warnx_("%s: converted from windows-1256", full.data);
        /* Replace every document of this file: related articles may differ. */
        buf_reset(&fterm);
        schema_term(&fterm, PFX_FILE, rel, strlen(rel));
        s = nx_db_delete_term(db, fterm.data);
        char *id = file_id(rel);
        for (size_t k = 0; s == NX_OK && k < set.n; k++) {
            buf_t rid = BUF_INIT;
            if (set.items[k].related)
                buf_printf(&rid, "%s#%d", id, set.items[k].related);
            else
                buf_puts(&rid, id);
            doc_meta_t meta = { rid.data, set.items[k].related ? id : NULL,
                                full.data, rel };
            nx_doc_t *doc = NULL;
            s = document_build(an, &set.items[k], &meta, &doc, &unique);
            if (s == NX_OK)
                s = nx_db_replace(db, unique.data, doc, NULL);
            nx_doc_free(doc);
            buf_free(&rid);
            if (s == NX_OK)
                docs++;
        }
        free(id);
        article_set_free(&set);
        if (s != NX_OK) {
            warnx_("%s: cannot write to the index: %s", o->db,
                   status_msg(db, s));
            fatal = 1;
        }
    }
    if (!fatal) {
        char when[32];
        time_t now = time(NULL);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
        s = nx_db_set_metadata(db, META_SCHEMA, SCHEMA_VERSION);
        if (s == NX_OK)
            s = nx_db_set_metadata(db, META_CORPUS, root);
        if (s == NX_OK)
            s = nx_db_set_metadata(db, META_BUILT, when);
        if (s == NX_OK)
            s = nx_db_commit(db);
        if (s != NX_OK) {
            warnx_("%s: cannot commit the index: %s", o->db, status_msg(db, s));
            fatal = 1;
        }
    } else {
        nx_db_cancel(db);
    }
    nx_db_free(db);
    analyzer_free(an);
    if (!o->quiet)
        printf("%zu files, %zu documents, %zu errors, %.2f s\n", w.files.n,
               docs, bad, now_seconds() - t0);
    for (size_t i = 0; i < w.files.n; i++)
        free(w.files.paths[i]);
    free(w.files.paths);
    free(w.seen);
    buf_free(&full);
    buf_free(&unique);
    buf_free(&fterm);
    free(root);
    if (fatal)
        return EXIT_INDEX;
    return bad ? EXIT_BUILD_WARNINGS : EXIT_BUILD_OK;
}
