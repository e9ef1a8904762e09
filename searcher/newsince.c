/*
 * newsince.c: newsq --new-since (see newsince.h).
 */
#include "newsince.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "messages.h"
#include "util.h"

enum { EXIT_USAGE = 2, EXIT_NO_INDEX = 3, EXIT_BUSY = 4 };

/* Read the state at NS->path into NS->from or NS->lastdocid. 0, -1
 * (errno) or -2 (not a state). */
static int state_read(newsince_t *ns)
{
    struct stat st;
    if (stat(ns->path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISREG(st.st_mode))
        return -3;
    ns->exists = 1;
    ns->mode = st.st_mode & 07777;
    FILE *f = fopen(ns->path, "r");
    if (!f)
        return -1;
    char hex[SCHEMA_SEQ_LEN + 2];
    unsigned long v = 0;
    int ok = 0;
    if (fscanf(f, "mark %25[0-9a-f]", hex) == 1 &&
        schema_seq_full(hex, ns->from) == 0 && *ns->from) {
        ok = 1;
    } else if (fseek(f, 0, SEEK_SET) == 0 &&
               fscanf(f, "lastdocid %lu", &v) == 1) {
        ns->lastdocid = (uint32_t)v;
        ok = 1;
    }
    fclose(f);
    return ok ? 0 : -2;
}

int newsince_begin(newsince_t *ns, const char *path, nx_db_t *db, double wait)
{
    memset(ns, 0, sizeof *ns);
    ns->path = path;
    ns->lock = -1;
    buf_t lp = BUF_INIT;
    buf_printf(&lp, "%s.lock", path);
    long holder = 0;
    int e = 0;
    ns->lock = pidlock_acquire(lp.data, wait, &holder, &e);
    buf_free(&lp);
    if (ns->lock == -1) {
        warn_path(path, "--new-since: another newsq (pid %ld) is using this "
                  "state file", holder);
        return EXIT_BUSY;
    }
    if (ns->lock < 0)
        return usage_fail("--new-since %s: cannot lock %s.lock: %s", path,
                          path, strerror(e));
    int r = state_read(ns);
    if (r != 0)
        return usage_fail("--new-since %s: %s", path,
                          r == -2   ? msg_tr("not a newsq state file")
                          : r == -3 ? msg_tr("not a regular file")
                                    : strerror(errno));
    char *top = NULL;
    nx_status_t s = nx_db_metadata_min(db, META_SEQ, &top);
    if (s != NX_OK || schema_seq_full(top, ns->upto) != 0) {
        warnx_("--new-since: cannot read the index's marks: %s",
               s != NX_OK ? nx_db_strerror(db, s) : "not a mark");
        free(top);
        return EXIT_NO_INDEX;
    }
    free(top);
    return 0;
}

/* The mark after MARK (24 digits) into OUT. */
static void mark_after(const char *mark, char out[SCHEMA_SEQ_LEN + 1])
{
    uint64_t batch = schema_seq_batch(mark);
    uint32_t n = (uint32_t)strtoul(mark + 16, NULL, 16);
    if (n == UINT32_MAX)
        schema_seq_format(out, batch + 1, 0);
    else
        schema_seq_format(out, batch, n + 1);
}

nx_query_t *newsince_filter(const newsince_t *ns, nx_query_t *q,
                            uint32_t *min_docid)
{
    if (!q)
        return NULL;
    char lo[SCHEMA_SEQ_LEN + 1] = "";
    if (*ns->from)
        mark_after(ns->from, lo);
    else if (ns->lastdocid)
        *min_docid = ns->lastdocid; /* an older state, read once */
    /* No UPTO: an index with no commit of ours, nothing is new (no mark
     * is "g": marks are hex digits). */
    nx_query_t *r = *ns->upto
                        ? nx_query_value_range(SLOT_SEQ, *lo ? lo : NULL,
                                               ns->upto)
                        : nx_query_value_range(SLOT_SEQ, "g", "g");
    nx_query_t *v[2] = { q, r };
    nx_query_t *f = r ? nx_query_combine(NX_OP_FILTER, v, 2, 0) : NULL;
    nx_query_free(q);
    nx_query_free(r);
    return f;
}

size_t newsince_choose(newsince_t *ns, const char *const *marks, size_t n,
                       size_t limit, unsigned char *keep)
{
    memcpy(ns->next, ns->upto, sizeof ns->next);
    if (n <= limit) {
        if (n)
            memset(keep, 1, n);
        return n;
    }
    /* The LIMIT oldest: the LIMIT-th smallest mark is the cut. Marks are
     * unique, so exactly LIMIT are at or below it. */
    const char **v = xcalloc(n, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = marks[i] ? marks[i] : "";
    for (size_t i = 1; i < n; i++) /* insertion sort: n is small */
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            const char *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    size_t kept = 0;
    if (limit == 0) {
        memcpy(ns->next, ns->from, sizeof ns->next);
        memset(keep, 0, n);
    } else {
        const char *cut = v[limit - 1];
        if (schema_seq_full(cut, ns->next) != 0)
            memcpy(ns->next, ns->from, sizeof ns->next);
        for (size_t i = 0; i < n; i++) {
            keep[i] = strcmp(marks[i] ? marks[i] : "", cut) <= 0;
            kept += keep[i];
        }
    }
    free(v);
    return kept;
}

int newsince_save(newsince_t *ns)
{
    if (!*ns->next || strcmp(ns->next, ns->from) == 0)
        return 0;
    buf_t tmp = BUF_INIT;
    buf_printf(&tmp, "%s.tmp.%ld", ns->path, (long)getpid());
    int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int ok = fd >= 0;
    int e = 0;
    if (ok) {
        char line[SCHEMA_SEQ_LEN + 8];
        int n = snprintf(line, sizeof line, "mark %s\n", ns->next);
        /* The state keeps the permissions it had. */
        ok = (!ns->exists || fchmod(fd, ns->mode) == 0) &&
             write(fd, line, (size_t)n) == n && fsync(fd) == 0;
        e = errno;
        ok = close(fd) == 0 && ok;
    }
    if (ok && rename(tmp.data, ns->path) != 0) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        e = e ? e : errno;
        unlink(tmp.data);
        errno = e;
    }
    buf_free(&tmp);
    return ok ? 0 : -1;
}

void newsince_end(newsince_t *ns)
{
    pidlock_release(ns->lock);
    ns->lock = -1;
}
