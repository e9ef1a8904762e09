/*
 * test_unmade.c: a part of a query that cannot be made fails the query
 * (issue 16, item 6). A prefix (word*) is expanded from the index's own
 * words; when they cannot be read, the part it stands for (an exclusion,
 * a source filter) used to be dropped without a word, which widens the
 * results. Here the index is damaged under an open reader: query_build
 * must answer -2 with a message, never a query without that part.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw, mkdtemp */
#endif
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer.h"
#include "nx.h"
#include "query.h"
#include "schema.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "check.h"
#pragma GCC diagnostic pop

/* Enough distinct words for the postlist table to need more than its root
 * block, which a reader keeps in memory once open. */
#define N_DOCS 600
#define WORDS_PER_DOC 12

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void write_index(const char *path)
{
    nx_db_t *w = NULL;
    char *err = NULL;
    nx_status_t s = nx_db_open(path, NX_WRITE_CREATE, &w, &err);
    CHECK(s == NX_OK, "create: %s", err ? err : "");
    free(err);
    for (int i = 0; w && i < N_DOCS; i++) {
        nx_doc_t *d = nx_doc_new();
        char t[64];
        nx_doc_add_posting(d, "alpha", 5, 1);
        for (int k = 0; k < WORDS_PER_DOC; k++) {
            int n = snprintf(t, sizeof t, "w%05dpadding", i * WORDS_PER_DOC + k);
            nx_doc_add_posting(d, t, (size_t)n, (uint32_t)k + 2);
        }
        int n = snprintf(t, sizeof t, "%sagency %d", PFX_SOURCE, i % 7);
        nx_doc_add_boolean(d, t, (size_t)n);
        CHECK(nx_db_add(w, d, NULL) == NX_OK, "add %d: %s", i,
              nx_db_errmsg(w));
        nx_doc_free(d);
    }
    CHECK(nx_db_commit(w) == NX_OK, "commit: %s", nx_db_errmsg(w));
    nx_db_free(w);
}

/* Zeros over every block of FILE: the blocks a reader has not kept in
 * memory (all but its root) are garbage from now on. */
static void damage(const char *file)
{
    int fd = open(file, O_WRONLY);
    struct stat st;
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 8192 * 2,
          "%s: a table of several blocks", file);
    static char zeros[8192];
    for (off_t o = 0; fd >= 0 && o < st.st_size; o += 8192)
        CHECK(pwrite(fd, zeros, sizeof zeros, o) == (ssize_t)sizeof zeros,
              "damage %s", file);
    if (fd >= 0)
        close(fd);
}

static int build(analyzer_t *an, nx_db_t *db, const char *text,
                 const char *source, char **error)
{
    const char *sources[1] = { source };
    query_filters_t f = { sources, source ? 1 : 0, NULL, NULL, db };
    query_t q;
    int rc = query_build(an, text, &f, &q, error);
    if (rc == 0)
        query_free(&q);
    return rc;
}

int main(void)
{
    char dir[] = "/tmp/newsidx-unmade.XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[sizeof dir + 16], table[sizeof dir + 32];
    snprintf(path, sizeof path, "%s/db", dir);
    snprintf(table, sizeof table, "%s/postlist.glass", path);
    write_index(path);

    analyzer_t *an = analyzer_new();
    nx_db_t *r = NULL;
    CHECK(nx_db_open(path, NX_READ, &r, NULL) == NX_OK, "open the reader");
    char *error = NULL;
    CHECK(build(an, r, "alpha -w000*", NULL, &error) == 0,
          "whole index: an exclusion by prefix is made (%s)",
          error ? error : "");
    free(error);
    error = NULL;

    damage(table);
    int rc = build(an, r, "alpha", "agency", &error);
    CHECK(rc == -2, "damaged: a source filter fails the query (got %d)", rc);
    free(error);
    error = NULL;
    rc = build(an, r, "alpha -w001*", NULL, &error);
    CHECK(rc == -2, "damaged: the exclusion fails the query (got %d)", rc);
    CHECK(error && strstr(error, "could not be made"),
          "damaged: the message says so: %s", error ? error : "(none)");
    free(error);

    nx_db_free(r);
    analyzer_free(an);
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return check_report("test_unmade");
}
