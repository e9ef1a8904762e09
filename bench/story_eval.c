/*
 * story_eval.c: how good the same-story rule (story.h) is on a built index.
 *
 *   story_eval --db PATH [--seed N] [--sample N] [--min AGREE] [--max AGREE]
 *
 * Reads every document's signature (SLOT_STORY), content hash, title,
 * source, date and the start of its text, then compares every pair
 * (n^2/2 comparisons of 64 values: seconds for 30,000 articles) and
 * prints:
 *   - how many pairs agree on each number of minimums from 16 up, copies
 *     (the same content hash) left out;
 *   - the recall proxy: the titles that appear word for word in more than
 *     one source, and how many of those groups story_same() joins (every
 *     member the same story as the group's first: "whole"; at least one
 *     pair: "some");
 *   - SAMPLE pairs (default 100) drawn with a fixed SEED (default 1) among
 *     the pairs story_same() joins, copies left out (with --min/--max:
 *     among those that agree on MIN to MAX minimums instead), each with
 *     both titles, sources, dates and the start of both texts: for a
 *     person to judge.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nx.h"
#include "schema.h"
#include "story.h"
#include "util.h"

typedef struct art {
    unsigned char sig[STORY_SIG_BYTES];
    int has_sig;
    char hash[17];
    char *id, *title, *source, *date, *lead;
} art_t;

typedef struct pair {
    unsigned a, b;
    int agree;
} pair_t;

static uint64_t rng_state;
static uint64_t rng(void) /* splitmix64: the same sample on every machine */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The first N characters (UTF-8) of S, on one line. */
static char *head(const char *s, size_t n)
{
    buf_t b = BUF_INIT;
    for (size_t i = 0, c = 0; s && s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && c++ == n)
            break; /* a whole character, never half of one */
        buf_putc(&b, s[i] == '\n' ? ' ' : s[i]);
    }
    char *r = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return r;
}

static art_t *sort_arts; /* what by_title compares */
static int by_title(const void *x, const void *y)
{
    unsigned i = *(const unsigned *)x, j = *(const unsigned *)y;
    int c = strcmp(sort_arts[i].title, sort_arts[j].title);
    return c ? c : (i > j) - (i < j);
}

int main(int argc, char **argv)
{
    progname = "story_eval";
    const char *dbpath = NULL;
    unsigned long seed = 1, sample = 100;
    long lo = -1, hi = STORY_HASHES; /* lo -1: story_same() decides */
    static const struct option longopts[] = {
        { "db", required_argument, NULL, 'd' },
        { "seed", required_argument, NULL, 's' },
        { "sample", required_argument, NULL, 'n' },
        { "min", required_argument, NULL, 'm' },
        { "max", required_argument, NULL, 'M' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "d:s:n:m:M:", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': dbpath = optarg; break;
        case 's': seed = strtoul(optarg, NULL, 10); break;
        case 'n': sample = strtoul(optarg, NULL, 10); break;
        case 'm': lo = strtol(optarg, NULL, 10); break;
        case 'M': hi = strtol(optarg, NULL, 10); break;
        default:
            fprintf(stderr, "usage: story_eval --db PATH [--seed N] "
                            "[--sample N] [--min A] [--max A]\n");
            return 2;
        }
    }
    nx_db_t *db = NULL;
    if (!dbpath || nx_db_open(dbpath, NX_READ, &db, NULL) != NX_OK) {
        fprintf(stderr, "story_eval: cannot open the index '%s'\n",
                dbpath ? dbpath : "(none: --db)");
        return 1;
    }
    uint32_t last = 0;
    nx_db_lastdocid(db, &last);
    art_t *arts = xcalloc(last + 1, sizeof *arts);
    unsigned n = 0;
    for (uint32_t id = 1; id <= last; id++) {
        nx_doc_t *d = NULL;
        if (nx_db_get_doc(db, id, &d) != NX_OK || !d)
            continue;
        art_t *a = &arts[n++];
        size_t len = 0, dlen = 0;
        const char *v = nx_doc_value(d, SLOT_STORY, &len);
        if (v && len == STORY_SIG_BYTES) {
            memcpy(a->sig, v, len);
            a->has_sig = 1;
        }
        v = nx_doc_value(d, SLOT_HASH, &len);
        memcpy(a->hash, v ? v : "", v && len == 16 ? 16 : 0);
        const char *data = nx_doc_data(d, &dlen);
        a->id = docdata_dup(data, dlen, DATA_ID);
        a->title = docdata_dup(data, dlen, DATA_TITLE);
        a->source = docdata_dup(data, dlen, DATA_SOURCE);
        a->date = docdata_dup(data, dlen, DATA_DATE);
        char *text = docdata_dup(data, dlen, DATA_TEXT);
        a->lead = head(text, 160);
        free(text);
        if (!a->title)
            a->title = xstrdup("");
        nx_doc_free(d);
    }
    unsigned with_sig = 0;
    for (unsigned i = 0; i < n; i++)
        with_sig += arts[i].has_sig;
    printf("documents %u, with a signature %u\n", n, with_sig);

    /* Every pair; copies (same content hash) left out. */
    unsigned long hist[STORY_HASHES + 1] = { 0 };
    /* The other design, a build-time key for Xapian's collapse: the
     * first two minimums as one exact key. Pairs it would join among
     * those story_same() joins, and among those that agree on fewer than
     * 16 minimums (different stories). */
    unsigned long key_same = 0, key_joined = 0, key_wrong = 0;
    pair_t *pairs = NULL;
    size_t np = 0, cap = 0;
    for (unsigned i = 0; i < n; i++) {
        if (!arts[i].has_sig)
            continue;
        for (unsigned j = i + 1; j < n; j++) {
            if (!arts[j].has_sig)
                continue;
            int ag = story_agree(arts[i].sig, STORY_SIG_BYTES, arts[j].sig,
                                 STORY_SIG_BYTES);
            if (strcmp(arts[i].hash, arts[j].hash) == 0)
                continue;
            int key = memcmp(arts[i].sig + 2, arts[j].sig + 2, 4) == 0;
            if (ag < 16) {
                key_wrong += key;
                continue;
            }
            if (story_same(arts[i].sig, STORY_SIG_BYTES, arts[j].sig,
                           STORY_SIG_BYTES)) {
                key_joined++;
                key_same += key;
            }
            hist[ag]++;
            if (lo < 0 ? story_same(arts[i].sig, STORY_SIG_BYTES,
                                    arts[j].sig, STORY_SIG_BYTES)
                       : ag >= lo && ag <= hi) {
                if (np == cap) {
                    cap = cap ? 2 * cap : 1024;
                    pairs = xrealloc(pairs, cap * sizeof *pairs);
                }
                pairs[np++] = (pair_t){ i, j, ag };
            }
        }
    }
    printf("pairs by agreeing minimums (of %d; copies left out):\n",
           STORY_HASHES);
    unsigned long cum = 0;
    for (int k = STORY_HASHES; k >= 16; k--) {
        cum += hist[k];
        printf("  %2d: %lu (>= %d: %lu)%s\n", k, hist[k], k, cum,
               k == STORY_SAME ? "  <- STORY_SAME" : "");
    }

    printf("a build-time key (the first 2 minimums): joins %lu of the %lu "
           "pairs story_same() joins (%.1f%%), and %lu pairs agreeing on "
           "fewer than 16\n", key_same, key_joined,
           key_joined ? 100.0 * key_same / key_joined : 0, key_wrong);

    /* Recall proxy: titles word for word in more than one source. */
    unsigned *ord = xcalloc(n + 1, sizeof *ord);
    for (unsigned i = 0; i < n; i++)
        ord[i] = i;
    sort_arts = arts;
    qsort(ord, n, sizeof *ord, by_title);
    unsigned groups = 0, whole = 0, some = 0, gpairs = 0, gsame = 0;
    buf_t missed = BUF_INIT; /* the first groups not joined whole */
    unsigned n_missed = 0;
    for (unsigned s = 0, e; s < n; s = e) {
        for (e = s + 1; e < n && strcmp(arts[ord[e]].title,
                                        arts[ord[s]].title) == 0; e++)
            ;
        int sources = 0;
        for (unsigned k = s + 1; k < e; k++)
            if (arts[ord[k]].source && arts[ord[s]].source &&
                strcmp(arts[ord[k]].source, arts[ord[s]].source) != 0)
                sources = 1;
        if (e - s < 2 || !sources || !*arts[ord[s]].title)
            continue;
        groups++;
        int all = 1, any = 0;
        for (unsigned k = s + 1; k < e; k++) {
            const art_t *a = &arts[ord[s]], *b = &arts[ord[k]];
            int same = strcmp(a->hash, b->hash) == 0 ||
                       story_same(a->sig, a->has_sig ? STORY_SIG_BYTES : 0,
                                  b->sig, b->has_sig ? STORY_SIG_BYTES : 0);
            all &= same;
            any |= same;
            gpairs++;
            gsame += same;
        }
        whole += all;
        some += any;
        if (!all && n_missed++ < 12) {
            buf_printf(&missed, "  %s:", arts[ord[s]].title);
            for (unsigned k = s; k < e; k++) {
                const art_t *a = &arts[ord[s]], *b = &arts[ord[k]];
                buf_printf(&missed, " %s (%s, %s, agree %d, %ld days)",
                           b->id, b->source ? b->source : "-",
                           b->date ? b->date : "-",
                           story_agree(a->sig, a->has_sig ? STORY_SIG_BYTES : 0,
                                       b->sig, b->has_sig ? STORY_SIG_BYTES : 0),
                           story_days_apart(a->sig, STORY_SIG_BYTES, b->sig,
                                            STORY_SIG_BYTES));
            }
            buf_putc(&missed, '\n');
        }
    }
    printf("titles word for word in more than one source: %u groups; "
           "joined whole %u (%.1f%%), at least one pair %u (%.1f%%); "
           "pairs with the first %u/%u (%.1f%%)\n",
           groups, whole, groups ? 100.0 * whole / groups : 0, some,
           groups ? 100.0 * some / groups : 0, gsame, gpairs,
           gpairs ? 100.0 * gsame / gpairs : 0);
    printf("the first groups not joined whole (the first of each is the one "
           "compared):\n%s", buf_cstr(&missed));
    buf_free(&missed);

    /* The sample: a partial Fisher-Yates shuffle with the fixed seed. */
    rng_state = seed;
    size_t m = sample < np ? sample : np;
    if (lo < 0)
        printf("pairs story_same() joins: %zu (copies left out)\n", np);
    printf("sample: %zu of %zu pairs %s (seed %lu)\n", m, np,
           lo < 0 ? "joined" : "in the agreement range", seed);
    for (size_t k = 0; k < m; k++) {
        size_t r = k + (size_t)(rng() % (np - k));
        pair_t t = pairs[k];
        pairs[k] = pairs[r];
        pairs[r] = t;
        const art_t *a = &arts[pairs[k].a], *b = &arts[pairs[k].b];
        printf("\n#%zu agree %d, %ld days%s\n  A %s | %s | %s | %s\n"
               "    %s\n  B %s | %s | %s | %s\n    %s\n",
               k + 1, pairs[k].agree,
               story_days_apart(a->sig, STORY_SIG_BYTES, b->sig,
                                STORY_SIG_BYTES),
               strcmp(a->title, b->title) == 0 ? " (same title)" : "",
               a->id, a->source ? a->source : "-", a->date ? a->date : "-",
               a->title, a->lead, b->id, b->source ? b->source : "-",
               b->date ? b->date : "-", b->title, b->lead);
    }
    for (unsigned i = 0; i < n; i++) {
        free(arts[i].id);
        free(arts[i].title);
        free(arts[i].source);
        free(arts[i].date);
        free(arts[i].lead);
    }
    free(arts);
    free(ord);
    free(pairs);
    nx_db_free(db);
    return 0;
}
