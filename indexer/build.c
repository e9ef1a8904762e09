/*
 * build.c: walk the corpus (sorted, recursive, symlink loops detected), parse
 * each file, index its main and related articles.
 *
 * One writer at a time: before the index is opened, the build takes an
 * exclusive lock on PATH/newsidx.lock (BUILD_LOCK_FILE, created with the
 * index folder; util.h pidlock_acquire: an fcntl record lock, which the
 * kernel drops when the process ends, even by SIGKILL, so it is never
 * stale). The file also holds the holder's pid, for people; a second build
 * reports that pid and exits with EXIT_LOCKED, or waits with --wait.
 * Xapian's own lock (PATH/flintlock) cannot name its holder, hence ours.
 *
 * Commits: every COMMIT_EVERY files and at the end. Each commit is atomic
 * (Xapian), so readers and a build killed at any moment see the index of
 * the last commit: whole files, never a half-written article. A killed
 * build keeps the files it had committed; the next build redoes them all.
 *
 * One bad file is reported on stderr (one line naming it and the reason)
 * and counted; it never stops the build.
 */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
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

/*
 * "newsidx: PATH: message" on stderr, PATH with its control characters and
 * backslashes escaped (\n, \t, \r, \xHH, \\) so that a file name holding a
 * newline still makes one line. Other bytes (UTF-8 included) are kept.
 */
static void warn_path(const char *path, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void warn_path(const char *path, const char *fmt, ...)
{
    buf_t b = BUF_INIT;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        switch (*p) {
        case '\n': buf_puts(&b, "\\n"); break;
        case '\t': buf_puts(&b, "\\t"); break;
        case '\r': buf_puts(&b, "\\r"); break;
        case '\\': buf_puts(&b, "\\\\"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                buf_printf(&b, "\\x%02x", *p);
            else
                buf_putc(&b, (char)*p);
        }
    }
    buf_puts(&b, ": ");
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0) {
        char *msg = xmalloc((size_t)n + 1);
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
        buf_puts(&b, msg);
        free(msg);
    }
    warnx_("%s", b.data);
    buf_free(&b);
}

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
            if (w->files.n == w->files.cap) {
                w->files.cap = w->files.cap ? w->files.cap * 2 : 256;
                w->files.paths = xrealloc(w->files.paths,
                                          w->files.cap * sizeof(char *));
            }
            w->files.paths[w->files.n++] = child.data;
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

/* Create the index folder and take its lock (see the top of this file).
 * Returns the lock's file descriptor, or a negative value after printing
 * why, with *EXIT_STATUS set. */
static int lock_index(const build_opts_t *o, int *exit_status)
{
    struct stat st;
    int e = make_parent_dirs(o->db);
    if (!e && mkdir(o->db, 0777) != 0) {
        e = errno;
        if (e == EEXIST)
            e = stat(o->db, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    }
    if (e) {
        warn_path(o->db, "cannot create the index folder: %s", strerror(e));
        *exit_status = EXIT_INDEX;
        return -1;
    }
    buf_t path = BUF_INIT;
    buf_printf(&path, "%s/%s", o->db, BUILD_LOCK_FILE);
    long holder;
    int fd = pidlock_acquire(path.data, o->wait, &holder, &e);
    buf_free(&path);
    if (fd == -1) {
        if (holder > 0)
            warn_path(o->db, "index is locked by pid %ld (another newsidx "
                      "build); use --wait SECONDS to wait", holder);
        else
            warn_path(o->db, "index is locked by another newsidx build; "
                      "use --wait SECONDS to wait");
        *exit_status = EXIT_LOCKED;
    } else if (fd < 0) {
        warn_path(o->db, "cannot lock the index: %s", strerror(e));
        *exit_status = EXIT_INDEX;
    }
    return fd;
}

/* Open the index for writing. We hold our lock, so Xapian's can only be
 * held by a writer that is not a newsidx build (xapian-compact, …): wait
 * for it as long as --wait allows. Returns NULL after printing why, with
 * *EXIT_STATUS set. */
static nx_db_t *open_index(const build_opts_t *o, int *exit_status)
{
    double deadline = now_seconds() + o->wait;
    nx_db_t *db = NULL;
    char *err = NULL;
    nx_status_t s;
    for (;;) {
        s = nx_db_open(o->db, NX_WRITE_CREATE, &db, &err);
        if (s != NX_LOCKED || now_seconds() >= deadline)
            break;
        free(err);
        err = NULL;
        struct timespec pause = { 0, 100 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }
    if (s == NX_LOCKED) {
        warn_path(o->db, "index is locked by another Xapian writer (not a "
                  "newsidx build); use --wait SECONDS to wait");
        *exit_status = EXIT_LOCKED;
    } else if (s != NX_OK) {
        warn_path(o->db, "cannot open the index: %s",
                  err ? err : nx_status_to_string(s));
        *exit_status = EXIT_INDEX;
    }
    free(err);
    return db;
}

/* Commit what is pending. Every commit records the schema version; the
 * last one also the corpus folder and the time of the build. */
static nx_status_t commit(nx_db_t *db, const char *root, int last)
{
    nx_status_t s = nx_db_set_metadata(db, META_SCHEMA, SCHEMA_VERSION);
    if (last) {
        char when[32];
        time_t now = time(NULL);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
        if (s == NX_OK)
            s = nx_db_set_metadata(db, META_CORPUS, root);
        if (s == NX_OK)
            s = nx_db_set_metadata(db, META_BUILT, when);
    }
    if (s == NX_OK)
        s = nx_db_commit(db);
    return s;
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
    char *root = realpath(o->corpus, NULL);
    if (!root) {
        warn_path(o->corpus, "%s", strerror(errno));
        return EXIT_CORPUS;
    }

    int status = EXIT_BUILD_OK;
    int lock = lock_index(o, &status);
    if (lock < 0) {
        free(root);
        return status;
    }
    nx_db_t *db = open_index(o, &status);
    if (!db) {
        pidlock_release(lock);
        free(root);
        return status;
    }

    walker_t w = { root, { NULL, 0, 0 }, NULL, 0, 0, 0 };
    walk(&w, "");

    analyzer_t *an = analyzer_new();
    if (!an) {
        warnx_("cannot initialise ICU word segmentation");
        nx_db_free(db);
        pidlock_release(lock);
        free(root);
        return EXIT_INDEX;
    }
    size_t docs = 0, bad = w.errors;
    int fatal = 0;
    nx_status_t s = NX_OK;
    buf_t full = BUF_INIT, unique = BUF_INIT, stale = BUF_INIT;
    for (size_t i = 0; i < w.files.n && !fatal; i++) {
        /* Files [0, i) are done: commit them every COMMIT_EVERY files. */
        if (o->commit_every && i > 0 && i % o->commit_every == 0) {
            s = commit(db, root, 0);
            if (s != NX_OK) {
                warn_path(o->db, "cannot commit the index: %s",
                          status_msg(db, s));
                fatal = 1;
                break;
            }
        }
        const char *rel = w.files.paths[i];
        buf_reset(&full);
        buf_printf(&full, "%s/%s", root, rel);
        char *data;
        size_t len;
        int truncated;
        int rerr = read_file(full.data, o->max_size, &data, &len, &truncated);
        if (rerr) {
            /* Unreadable, or gone since the walk. */
            warn_path(full.data, "%s", strerror(rerr));
            bad++;
            continue;
        }
        article_set_t set;
        const char *reason = NULL;
        article_status_t as = article_parse(data, len, &set, &reason);
        free(data);
        if (as != ART_OK) {
            warn_path(full.data, "skipped: %s", reason ? reason : "unreadable");
            bad++;
            continue;
        }
        if (truncated) {
            warn_path(full.data, "larger than %zu bytes, only the start is "
                      "indexed", o->max_size);
            bad++;
        }
        if (set.flags & ART_FROM_CP1256)
            warn_path(full.data, "converted from windows-1256");
        /* Replace the documents of this file in place, by their unique id
         * terms: an unchanged article keeps its document id (newsq
         * --new-since relies on it). Then drop the related articles this
         * file no longer has (their numbers follow on from the last one). */
        char *id = file_id(rel);
        s = NX_OK;
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
        for (size_t k = set.n; s == NX_OK; k++) {
            int exists = 0;
            buf_reset(&stale);
            buf_printf(&stale, "%s#%zu", id, k);
            buf_reset(&unique);
            schema_term(&unique, PFX_ID, stale.data, stale.len);
            s = nx_db_term_exists(db, unique.data, &exists);
            if (s != NX_OK || !exists)
                break;
            s = nx_db_delete_term(db, unique.data);
        }
        free(id);
        article_set_free(&set);
        if (s != NX_OK) {
            warn_path(o->db, "cannot write to the index: %s",
                      status_msg(db, s));
            fatal = 1;
        }
    }
    if (!fatal) {
        s = commit(db, root, 1);
        if (s != NX_OK) {
            warn_path(o->db, "cannot commit the index: %s", status_msg(db, s));
            fatal = 1;
        }
    }
    if (fatal)
        nx_db_cancel(db); /* the index stays at its last commit */
    nx_db_free(db);
    pidlock_release(lock); /* after Xapian's own lock is gone */
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
    buf_free(&stale);
    free(root);
    if (fatal)
        return EXIT_INDEX;
    return bad ? EXIT_BUILD_WARNINGS : EXIT_BUILD_OK;
}
