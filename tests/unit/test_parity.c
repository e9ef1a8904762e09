/*
 * test_parity.c: document building and query building meet (tag:
 * analyzer-parity, schema.h's field table). Each spelling of each group of
 * spellings.h is written by document_build into a real index, three times:
 * in the body, in the title, in the keywords. Every other spelling of the
 * group, run through search_run (query_build and all), must find it: a
 * bare word finds the body article, title:word the title article, tag:word
 * the keyword article. Nothing here fakes either side.
 *
 * One more article holds a word and an id far longer than the cap on term
 * length (SCHEMA_TERM_MAX, schema.h): no term of the index may be longer,
 * and the word, cut alike on both sides, still finds it in every field.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw, mkdtemp */
#endif
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "article.h"
#include "document.h"
#include "nx.h"
#include "schema.h"
#include "search.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "check.h"
#pragma GCC diagnostic pop
#include "spellings.h"

#define N_GROUPS (sizeof share_groups / sizeof *share_groups)

/* A word of LONG_LETTERS Arabic letters (2 bytes each) and an id of
 * LONG_ID_BYTES: both longer than SCHEMA_TERM_MAX. */
#define LONG_LETTERS 150
#define LONG_ID_BYTES 300
static void long_word(char *out)
{
    static const char letters[] = "سلامعليكم"; /* 2-byte letters */
    size_t n = sizeof letters - 1;
    for (size_t i = 0; i < LONG_LETTERS; i++)
        memcpy(out + 2 * i, letters + (2 * i) % n, 2);
    out[2 * LONG_LETTERS] = 0;
}

/*
 * Known broken (typed, written): the analyzer folds a hamza seat one way
 * in the surface form (ؤ → و) and keeps it in the stem (ؤ → ء), so one
 * spelling's stem equals the other's SURFACE form: test_analyzer counts
 * that as a shared term, but surface and stem terms have different
 * prefixes in the index, so the query never meets the article. Left for
 * the analyzer's owner (changing stems changes the relevance figures).
 * Each pair must still fail; one that passes is reported as FIXED so the
 * list shrinks.
 */
static const char *const known_broken[][2] = {
    { "المؤتمر", "موتمر" }, { "مؤتمرات", "موتمر" },
    { "موتمر", "المؤتمر" }, { "موتمر", "مؤتمرات" },
    { "طائرة", "الطايرات" }, { "طائرات", "الطايرات" },
    { "الطايرات", "طائرة" }, { "الطايرات", "طائرات" },
    { "موخرا", "مؤخر" }, { "مؤخر", "موخرا" },
};

static int is_known_broken(const char *typed, const char *written)
{
    for (size_t k = 0; k < sizeof known_broken / sizeof *known_broken; k++)
        if (strcmp(known_broken[k][0], typed) == 0 &&
            strcmp(known_broken[k][1], written) == 0)
            return 1;
    return 0;
}

enum { IN_BODY, IN_TITLE, IN_TAG, N_PLACES };
static const char *const place_name[N_PLACES] = { "body", "title", "tag" };

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* The id of the article holding spelling I of group G in PLACE. */
static void article_id(char *buf, size_t size, size_t g, size_t i, int place)
{
    snprintf(buf, size, "g%zu-s%zu-%s", g, i, place_name[place]);
}

/* Write one article per group, spelling and place into a new index at PATH. */
/* Write the article ID (TITLE, KEYWORDS or NULL, BODY) into W. */
static nx_status_t write_article(analyzer_t *an, nx_db_t *w, const char *id,
                                 const char *title, const char *keywords,
                                 char *body, buf_t *unique)
{
    char *paras[1] = { body };
    article_t a = { .title = (char *)title, .keywords = (char *)keywords,
                    .paragraphs = paras, .n_paragraphs = 1 };
    doc_meta_t meta = { id, NULL, id, id, NULL, 0 };
    nx_doc_t *doc = NULL;
    nx_status_t s = document_build(an, &a, &meta, &doc, unique);
    if (s == NX_OK)
        s = nx_db_replace(w, unique->data, doc, NULL);
    nx_doc_free(doc);
    return s;
}

static int write_index(const char *path)
{
    nx_db_t *w = NULL;
    char *err = NULL;
    nx_status_t s = nx_db_open(path, NX_WRITE_CREATE, &w, &err);
    CHECK(s == NX_OK, "create %s: %s", path, err ? err : "");
    free(err);
    analyzer_t *an = analyzer_new();
    CHECK(an != NULL, "analyzer");
    if (s != NX_OK || !an) {
        nx_db_free(w);
        analyzer_free(an);
        return -1;
    }
    buf_t unique = BUF_INIT;
    int written = 0, failed = 0;
    for (size_t g = 0; g < N_GROUPS; g++) {
        for (size_t i = 0; i < SPELLINGS_MAX && share_groups[g][i]; i++) {
            for (int p = 0; p < N_PLACES; p++) {
                char id[64], body[256];
                article_id(id, sizeof id, g, i, p);
                /* filler words of no group, so that every article has a
                 * title and a body and no two share a content hash */
                snprintf(body, sizeof body, "%s نص %s",
                         p == IN_BODY ? share_groups[g][i] : "", id);
                s = write_article(an, w, id,
                                  p == IN_TITLE ? share_groups[g][i] : "خبر",
                                  p == IN_TAG ? share_groups[g][i] : NULL,
                                  body, &unique);
                if (s == NX_OK)
                    written++;
                else
                    failed++;
            }
        }
    }
    /* the long word and id (LONG_ID's article) */
    char word[2 * LONG_LETTERS + 1], id[LONG_ID_BYTES + 1];
    long_word(word);
    memset(id, 'i', LONG_ID_BYTES);
    id[LONG_ID_BYTES] = 0;
    char body[sizeof word + 32];
    snprintf(body, sizeof body, "نص %s طويل", word);
    s = write_article(an, w, id, word, word, body, &unique);
    s == NX_OK ? written++ : failed++;
    CHECK(failed == 0 && written > 0, "articles written: %d, failed: %d",
          written, failed);
    s = nx_db_commit(w);
    CHECK(s == NX_OK, "commit: %s", nx_db_errmsg(w));
    buf_free(&unique);
    analyzer_free(an);
    nx_db_free(w);
    return failed || s != NX_OK ? -1 : 0;
}

/* nx_db_termlist: count the terms longer than the cap. */
static int count_long(void *ctx, const char *term, size_t len)
{
    (void)term;
    *(int *)ctx += len > SCHEMA_TERM_MAX;
    return 0;
}

/* nx_db_allterms: the same for every term of the index. */
static int count_long_all(void *ctx, const char *term, size_t len,
                          uint32_t freq)
{
    (void)freq;
    return count_long(ctx, term, len);
}

/* Does TEXT find the article WANT (among all hits)? */
static int finds(searcher_t *se, const char *text, const char *want)
{
    search_request_t req = { .text = text, .limit = 100000 };
    search_result_t res;
    int found = 0;
    if (search_run(se, &req, &res) == SEARCH_OK)
        for (size_t k = 0; k < res.n_hits && !found; k++)
            found = res.hits[k].id && strcmp(res.hits[k].id, want) == 0;
    search_result_free(&res);
    return found;
}

int main(void)
{
    char tmpdir[] = "/tmp/newsidx-parity.XXXXXX";
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[sizeof tmpdir + 8];
    snprintf(path, sizeof path, "%s/db", tmpdir);
    if (write_index(path) == 0) {
        nx_db_t *r = NULL;
        char *err = NULL;
        CHECK(nx_db_open(path, NX_READ, &r, &err) == NX_OK, "open: %s",
              err ? err : "");
        free(err);
        searcher_t *se = r ? searcher_new(r) : NULL;
        CHECK(se != NULL, "searcher");
        int too_long = 0;
        CHECK(r && nx_db_allterms(r, "", count_long_all, &too_long) == NX_OK,
              "list the terms");
        CHECK(too_long == 0, "%d terms longer than SCHEMA_TERM_MAX (%d)",
              too_long, SCHEMA_TERM_MAX);
        char word[2 * LONG_LETTERS + 1], id[LONG_ID_BYTES + 1], q[sizeof word + 8];
        long_word(word);
        memset(id, 'i', LONG_ID_BYTES);
        id[LONG_ID_BYTES] = 0;
        CHECK(se && finds(se, word, id), "a %d-byte word finds its article",
              2 * LONG_LETTERS);
        for (int p = IN_TITLE; se && p <= IN_TAG; p++) {
            snprintf(q, sizeof q, "%s:%s", place_name[p], word);
            CHECK(finds(se, q, id), "%s:LONG finds its article", place_name[p]);
        }
        for (size_t g = 0; se && g < N_GROUPS; g++) {
            for (size_t i = 0; i < SPELLINGS_MAX && share_groups[g][i]; i++) {
                for (size_t j = 0; j < SPELLINGS_MAX && share_groups[g][j];
                     j++) {
                    const char *typed = share_groups[g][j];
                    char id[64], q[256];
                    article_id(id, sizeof id, g, i, IN_BODY);
                    if (is_known_broken(typed, share_groups[g][i]))
                        CHECK(!finds(se, typed, id),
                              "FIXED: '%s' finds '%s' in a body: take the "
                              "pair off known_broken", typed,
                              share_groups[g][i]);
                    else
                        CHECK(finds(se, typed, id),
                              "'%s' finds '%s' in a body", typed,
                              share_groups[g][i]);
                    /* fielded: one word each, and the first spelling
                     * against every other both ways */
                    if ((i && j) || strchr(typed, ' ') ||
                        strchr(share_groups[g][i], ' '))
                        continue;
                    for (int p = IN_TITLE; p <= IN_TAG; p++) {
                        article_id(id, sizeof id, g, i, p);
                        snprintf(q, sizeof q, "%s:%s", place_name[p], typed);
                        CHECK(finds(se, q, id), "'%s' finds '%s' in a %s", q,
                              share_groups[g][i], place_name[p]);
                    }
                }
            }
        }
        searcher_free(se);
        nx_db_free(r);
    }
    CHECK(nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0, "remove %s",
          tmpdir);
    return check_report("test_parity");
}
