/*
 * newsq.c: search the index from the command line. The query language is in
 * qparse.h, the ranking in query.h, the output formats in printer.h.
 *
 * --db, --limit and --format fall back on the environment, the config file
 * and the defaults (config.h); messages follow the locale (messages.h).
 *
 * Results go to stdout through one printer; diagnostics to stderr. Exit
 * status: 0 hits, 1 no hits, 2 usage or query error, 3 index missing or
 * unreadable, 4 index changed during the search and the retries failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer.h"
#include "cliopt.h"
#include "config.h"
#include "messages.h"
#include "nx.h"
#include "order.h"
#include "newsince.h"
#include "printer.h"
#include "query.h"
#include "schema.h"
#include "snippet.h"
#include "suggest.h"
#include "util.h"

enum { EXIT_HITS = 0, EXIT_NO_HITS = 1, EXIT_USAGE = 2, EXIT_NO_INDEX = 3,
       EXIT_BUSY = 4, EXIT_PARTIAL = 5 };

/* Seconds an alert run waits for another one using its state file. */
#define NEWSINCE_WAIT 60
#define MAX_SOURCES 32

static const char usage_en[] =
    "usage: newsq [options] [--] QUERY...\n"
    "\n"
    "Search the newsidx index. Every word goes through the same Arabic\n"
    "analyzer as the index, so الهدنه finds الهدنة and اوكرانيا finds أوكرانيا.\n"
    "\n"
    "query language (newsidx-query(7)):\n"
    "  word word        ranked; articles holding every word come first\n"
    "  \"exact phrase\"   these words, in this order (also “…” «…»)\n"
    "  -word -\"phrase\"  exclude\n"
    "  a OR b, a أو b   either\n"
    "  a NEAR b         both within 10 words (NEAR/5: within 5)\n"
    "  word*            words starting with \"word\"\n"
    "  title:word  title:\"a phrase\"  tag:word   in the title / keywords\n"
    "  source:NAME  source:\"two words\"          from that source\n"
    "  date:2023-11-29  date:2023-11  date:2023  date:2023-11..2023-12\n"
    "\n"
    "options:\n"
    "  -d, --db PATH         the index (default: $NEWSIDX_DB, else db in the\n"
    "                        config file, else $XDG_DATA_HOME/newsidx/index,\n"
    "                        else ~/.local/share/newsidx/index)\n"
    "  -n, --limit N         at most N hits (default: $NEWSIDX_LIMIT, else\n"
    "                        limit in the config file, else 10)\n"
    "  -o, --offset N        skip the first N hits\n"
    "      --sort ORDER      relevance (default), date (oldest first), -date\n"
    "      --since DATE      published on or after DATE (YYYY[-MM[-DD]])\n"
    "      --until DATE      published on or before DATE\n"
    "      --source NAME     from this source (repeat: any of them)\n"
    "      --count           print only the number of matching articles\n"
    "      --no-collapse     show every copy of identical articles\n"
    "                        (--collapse: one of them, the default)\n"
    "  -f, --format F        text, json (one object per line), tsv, ids\n"
    "                        (default: $NEWSIDX_FORMAT, else format in the\n"
    "                        config file, else text)\n"
    "      --explain         show how the query was read and how each hit scored\n"
    "      --new-since FILE  only articles indexed since the last run with FILE,\n"
    "                        then update FILE (for cron jobs): each article\n"
    "                        once; with --limit N the N oldest, the rest next\n"
    "                        time; with --count, counted is delivered\n"
    "      --timeout SECONDS remote shards: wait at most that long to connect\n"
    "                        and for each answer (default 10)\n"
    "      --partial         when shards fail, search the others: their hits,\n"
    "                        a warning naming the failed shards, exit status 5\n"
    "  -h, --help            this help\n"
    "  -V, --version         the version\n"
    "\n"
    "The config file is $NEWSIDX_CONFIG, else $XDG_CONFIG_HOME/newsidx/config,\n"
    "else ~/.config/newsidx/config: \"key = value\" lines (db, limit, format);\n"
    "'newsidx config' shows the settings in effect and where each comes from.\n"
    "Messages are in Arabic when LC_ALL, LC_MESSAGES or LANG is ar_*.\n"
    "\n"
    "exit status: 0 hits; 1 no hits; 2 usage or query error; 3 index missing\n"
    "or unreadable (or a shard of it); 4 index busy (changed during the\n"
    "search, retries failed); 5 partial results (--partial: shards failed)\n"
    "\n"
    "See newsq(1) and newsidx-query(7).\n";

static const char usage_ar[] =
    "الاستعمال: newsq [options] [--] QUERY...\n"
    "\n"
    "يبحث في فهرس newsidx. تمر كل كلمة بالمحلل العربي نفسه الذي بُني به\n"
    "الفهرس، فيجد «الهدنه» الهدنة ويجد «اوكرانيا» أوكرانيا.\n"
    "\n"
    "لغة الاستعلام (newsidx-query(7)):\n"
    "  كلمة كلمة          بالترتيب حسب الصلة؛ المقالات التي فيها كل الكلمات أولًا\n"
    "  \"عبارة تامة\"       هذه الكلمات بهذا الترتيب (وكذلك “…” و«…»)\n"
    "  -كلمة -\"عبارة\"     استبعاد\n"
    "  a OR b, a أو b     إحداهما\n"
    "  a NEAR b           كلتاهما في حدود 10 كلمات (NEAR/5: في حدود 5)\n"
    "  كلمة*              الكلمات التي تبدأ بـ«كلمة»\n"
    "  title:كلمة  title:\"عبارة\"  tag:كلمة   في العنوان / في الكلمات الدلالية\n"
    "  source:الاسم  source:\"كلمتان\"         من هذا المصدر\n"
    "  date:2023-11-29  date:2023-11  date:2023  date:2023-11..2023-12\n"
    "\n"
    "الخيارات:\n"
    "  -d, --db PATH         الفهرس (الافتراضي: $NEWSIDX_DB، ثم db في ملف\n"
    "                        الإعدادات، ثم $XDG_DATA_HOME/newsidx/index، ثم\n"
    "                        ~/.local/share/newsidx/index)\n"
    "  -n, --limit N         N نتيجة على الأكثر (الافتراضي: $NEWSIDX_LIMIT،\n"
    "                        ثم limit في ملف الإعدادات، ثم 10)\n"
    "  -o, --offset N        تخطي أول N نتيجة\n"
    "      --sort ORDER      relevance (حسب الصلة، الافتراضي)، date (الأقدم\n"
    "                        أولًا)، -date (الأحدث أولًا)\n"
    "      --since DATE      المنشور في DATE أو بعده (YYYY[-MM[-DD]])\n"
    "      --until DATE      المنشور في DATE أو قبله\n"
    "      --source NAME     من هذا المصدر (بالتكرار: من أيٍّ منها)\n"
    "      --count           يطبع عدد المقالات المطابقة فقط\n"
    "      --no-collapse     يعرض كل نسخ المقالات المتطابقة (--collapse: نسخة\n"
    "                        واحدة منها، وهو الافتراضي)\n"
    "  -f, --format F        text أو json (كائن في كل سطر) أو tsv أو ids\n"
    "                        (الافتراضي: $NEWSIDX_FORMAT، ثم format في ملف\n"
    "                        الإعدادات، ثم text)\n"
    "      --explain         يبيّن كيف قُرئ الاستعلام وكيف حُسبت درجة كل نتيجة\n"
    "      --new-since FILE  المقالات المفهرسة منذ آخر تشغيل مع FILE فقط، ثم\n"
    "                        يحدّث FILE (لمهام cron): كل مقال مرة واحدة؛ مع\n"
    "                        --limit N أقدم N والباقي في المرة التالية؛ ومع\n"
    "                        --count يُعدّ ما عُدّ مُبلَّغًا\n"
    "      --timeout SECONDS الأجزاء البعيدة: أقصى انتظار للاتصال ولكل جواب\n"
    "                        (الافتراضي 10)\n"
    "      --partial         إذا تعطلت أجزاء يبحث في الباقي: نتائجها، وتحذير\n"
    "                        يسمّي الأجزاء المعطلة، ورمز الخروج 5\n"
    "  -h, --help            هذه المساعدة\n"
    "  -V, --version         الإصدار\n"
    "\n"
    "ملف الإعدادات هو $NEWSIDX_CONFIG، ثم $XDG_CONFIG_HOME/newsidx/config، ثم\n"
    "~/.config/newsidx/config: أسطر \"key = value\" (db و limit و format)؛\n"
    "ويعرض 'newsidx config' الإعدادات المعمول بها ومصدر كل منها.\n"
    "تكون الرسائل بالعربية إذا كان LC_ALL أو LC_MESSAGES أو LANG هو ar_*.\n"
    "\n"
    "رمز الخروج: 0 توجد نتائج؛ 1 لا نتائج؛ 2 خطأ في الاستعمال أو الاستعلام؛\n"
    "3 الفهرس مفقود أو تتعذّر قراءته (أو جزء منه)؛ 4 الفهرس مشغول (تغيّر\n"
    "أثناء البحث وفشلت المحاولات)؛ 5 نتائج جزئية (--partial: تعطلت أجزاء)\n"
    "\n"
    "انظر newsq(1) و newsidx-query(7).\n";

static int parse_count(const char *s, unsigned long max, unsigned long *v)
{
    char *end;
    if (*s < '0' || *s > '9')
        return 0;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (*end || errno || x > max)
        return 0;
    *v = (unsigned long)x;
    return 1;
}

typedef struct opts {
    const char *db;
    unsigned long limit, offset;
    format_t format;
    int sort;            /* 0 relevance, 1 date ascending, -1 descending */
    const char *sources[MAX_SOURCES];
    size_t n_sources;
    const char *since, *until;
    int count, collapse, explain;
    const char *state;   /* --new-since FILE */
    double timeout;      /* --timeout: remote shards (0: Xapian's 10 s) */
    int partial;         /* --partial */
} opts_t;

/* --partial (read by search_retry). */
static int partial_ok;

/* Run the search. A writer's commit under it is retried in the nx layer;
 * here: a remote shard that stopped answering, with --partial: open the
 * shards again, without those that fail, and search once more. */
static nx_status_t search_retry(nx_db_t *db, const nx_query_t *q,
                                const nx_search_opts_t *so, uint32_t offset,
                                uint32_t limit, nx_hits_t **hits)
{
    nx_status_t s = nx_search(db, q, so, offset, limit, hits);
    if (s == NX_NETWORK && partial_ok &&
        (s = nx_db_reopen_shards(db)) == NX_OK)
        s = nx_search(db, q, so, offset, limit, hits);
    return s;
}

/* The weight of document D (id ID) under each part of Q (for --explain).
 * A related article is found by its content hash, a main one by its id
 * (schema.h). */
static void explain_hit(nx_db_t *db, const query_t *q, const nx_doc_t *d,
                        const char *id, int related,
                        const nx_search_opts_t *so, double *w)
{
    buf_t t = BUF_INIT;
    size_t hlen = 0;
    const char *hash = related ? nx_doc_value(d, SLOT_HASH, &hlen) : NULL;
    if (hash)
        schema_term(&t, PFX_HASH, hash, hlen);
    else
        schema_term(&t, PFX_ID, id, strlen(id));
    nx_query_t *idq = nx_query_term(t.data, t.len, 1);
    buf_free(&t);
    nx_search_opts_t o = *so;
    o.collapse = 0;
    o.sort_by_value = 0;
    o.min_docid = 0;
    for (size_t i = 0; i < q->n_parts; i++) {
        nx_query_t *v[2] = { q->parts[i], idq };
        nx_query_t *f = nx_query_combine(NX_OP_FILTER, v, 2, 0);
        nx_hits_t *h = NULL;
        w[i] = 0;
        if (f && nx_search(db, f, &o, 0, 1, &h) == NX_OK && nx_hits_count(h))
            w[i] = nx_hits_weight(h, 0);
        nx_hits_free(h);
        nx_query_free(f);
    }
    nx_query_free(idq);
}

static int run(nx_db_t *db, const char *path, const opts_t *o, const char *text)
{
    analyzer_t *an = analyzer_new();
    if (!an) {
        warnx_("cannot initialise the analyzer (ICU)");
        return EXIT_NO_INDEX;
    }
    query_filters_t qf = { o->sources, o->n_sources, o->since, o->until, db };
    query_t q;
    char *err = NULL;
    if (query_build(an, text, &qf, &q, &err) != 0) {
        int r = usage_fail("%s", err); /* qparse's own words (English) */
        free(err);
        analyzer_free(an);
        return r;
    }
    if (q.warning)
        warnx_("note: %s", q.warning);
    printer_t pr;
    printer_init(&pr, o->format, stdout,
                 o->format == FMT_TEXT && want_color(stdout));
    int rc = EXIT_NO_HITS;
    newsince_t ns;
    int have_ns = 0;
    if (!q.q) {
        rc = usage_fail("the query holds no searchable word: '%s'", text);
        goto out;
    }
    if (o->explain) {
        char *d = nx_query_describe(q.q);
        pr.explain(&pr, d ? d : "", buf_cstr(&q.explain));
        free(d);
    }

    nx_search_opts_t so;
    memset(&so, 0, sizeof so);
    so.bm25_k1 = q.weights.k1;
    so.bm25_b = q.weights.b;
    so.collapse = o->collapse;
    so.collapse_slot = SLOT_HASH;
    so.tie_by_value = 1;
    so.tie_slot = SLOT_KEY;
    if (o->sort) {
        so.sort_by_value = 1;
        so.sort_slot = SLOT_DATE;
        so.sort_reverse = o->sort < 0;
    }
    if (o->state) {
        rc = newsince_begin(&ns, o->state, db, NEWSINCE_WAIT);
        have_ns = rc ? -1 : 1; /* -1: only the lock to release */
        if (rc)
            goto out;
        rc = EXIT_NO_HITS;
        q.q = newsince_filter(&ns, q.q, &so.min_docid);
        q.relaxed = newsince_filter(&ns, q.relaxed, &so.min_docid);
    }
    /* --new-since delivers the oldest new articles first: every one. */
    uint32_t want = (uint32_t)(o->offset + o->limit);
    if (o->state)
        nx_db_doccount(db, &want);

    nx_hits_t *hits = NULL;
    nx_status_t s;
    if (o->count) {
        /* Xapian's estimate is not exact once duplicates are collapsed:
         * count the hits themselves (ids only, no document is read). */
        uint32_t all = 0;
        nx_db_doccount(db, &all);
        so.ids_only = 1;
        s = search_retry(db, q.q, &so, 0, all, &hits);
    } else {
        /* Fetch from the top so related articles can be ordered after
         * their parents across the whole window, then print the slice. */
        s = search_retry(db, q.q, &so, 0, want, &hits);
    }
    if (s != NX_OK) {
        warnx_("%s: search failed: %s", path,
               *nx_db_errmsg(db) ? nx_db_errmsg(db) : nx_status_to_string(s));
        rc = s == NX_MODIFIED ? EXIT_BUSY : EXIT_NO_INDEX;
        have_ns = have_ns ? -1 : 0; /* nothing delivered */
        goto out;
    }
    if (!o->count && q.relaxed && nx_hits_matches_estimated(hits) == 0) {
        /* Nothing holds the phrases / NEAR groups / fields exactly: answer
         * with the articles closest to them rather than nothing. */
        nx_hits_free(hits);
        hits = NULL;
        s = search_retry(db, q.relaxed, &so, 0, want, &hits);
        if (s != NX_OK) {
            warnx_("%s: search failed: %s", path,
                   *nx_db_errmsg(db) ? nx_db_errmsg(db)
                                     : nx_status_to_string(s));
            rc = s == NX_MODIFIED ? EXIT_BUSY : EXIT_NO_INDEX;
            have_ns = have_ns ? -1 : 0;
            goto out;
        }
        if (nx_hits_count(hits))
            warnx_("note: no article matches '%s' exactly; showing the "
                   "closest (phrases, NEAR and fields not required)", text);
    }
    if (o->count) {
        /* With --new-since, counted is delivered: the state moves past
         * every new article. */
        unsigned long n = nx_hits_count(hits);
        pr.count(&pr, n);
        rc = n ? EXIT_HITS : EXIT_NO_HITS;
        if (have_ns)
            newsince_choose(&ns, NULL, 0, 0, NULL);
        nx_hits_free(hits);
        goto out;
    }

    size_t n = nx_hits_count(hits);
    unsigned char *keep = xcalloc(n + 1, 1);
    if (have_ns) {
        /* At most --limit of them: the oldest (newsince.h). */
        char **marks = xcalloc(n + 1, sizeof *marks);
        for (size_t i = 0; i < n; i++) {
            size_t ml = 0;
            const nx_doc_t *d = nx_hits_doc(hits, i);
            const char *m = d ? nx_doc_value(d, SLOT_SEQ, &ml) : NULL;
            marks[i] = m ? xstrndup(m, ml) : NULL;
        }
        newsince_choose(&ns, (const char *const *)marks, n, o->limit, keep);
        for (size_t i = 0; i < n; i++)
            free(marks[i]);
        free(marks);
    } else {
        memset(keep, 1, n);
    }
    shown_t *v = xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        const nx_doc_t *d = nx_hits_doc(hits, i);
        size_t dlen = 0;
        const char *data = d ? nx_doc_data(d, &dlen) : "";
        v[i].id = docdata_dup(data, dlen, "id");
        v[i].parent = docdata_dup(data, dlen, "parent");
        v[i].idx = i;
    }
    if (!o->sort)
        parents_first(v, n);
    snippet_t sn = { BUF_INIT, NULL, 0 };
    double weights[QUERY_MAX_PARTS];
    size_t printed = 0;
    for (size_t k = o->offset; k < n; k++) {
        size_t i = v[k].idx;
        if (!keep[i])
            continue;
        const nx_doc_t *d = nx_hits_doc(hits, i);
        size_t dlen = 0;
        const char *data = d ? nx_doc_data(d, &dlen) : "";
        char *fpath = docdata_dup(data, dlen, "path");
        char *title = docdata_dup(data, dlen, "title");
        char *date = docdata_dup(data, dlen, "date");
        char *source = docdata_dup(data, dlen, "source");
        size_t tlen = 0;
        const char *body = docdata_get(data, dlen, "text", &tlen);
        snippet_make(an, &q, body ? body : "", body ? tlen : 0, &sn);
        hit_t h = { (unsigned)(k + 1), v[k].id, fpath, title, date, source,
                    v[k].parent, nx_hits_weight(hits, i), buf_cstr(&sn.text),
                    sn.marks, sn.n_marks, NULL, NULL, 0 };
        if (o->explain && v[k].id) {
            explain_hit(db, &q, d, v[k].id, v[k].parent != NULL, &so,
                        weights);
            h.parts = q.part_names;
            h.part_weights = weights;
            h.n_parts = q.n_parts;
        }
        pr.hit(&pr, &h);
        printed++;
        free(fpath); free(title); free(date); free(source);
    }
    snippet_free(&sn);
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].parent);
    }
    free(v);
    free(keep);
    rc = printed ? EXIT_HITS : EXIT_NO_HITS;
    if (!n && nx_hits_matches_estimated(hits) == 0 && !o->state) {
        char *sugg = suggest_spelling(db, &q);
        if (sugg)
            warnx_("no match for '%s'; did you mean: %s", text, sugg);
        else
            warnx_("no match for '%s'", text);
        pr.no_hits(&pr, text, sugg);
        free(sugg);
    }
    nx_hits_free(hits);
out:
    if (have_ns > 0 && rc != EXIT_USAGE && rc != EXIT_NO_INDEX) {
        /* The state moves only past what is out: written and flushed. */
        if (fflush(stdout) != 0 || ferror(stdout)) {
            warnx_("cannot write the results: %s; --new-since %s not updated",
                   strerror(errno), o->state);
            rc = EXIT_NO_INDEX;
        } else if (nx_db_n_failed(db)) {
            warnx_("--new-since %s not updated: shards were left out",
                   o->state);
        } else if (newsince_save(&ns) != 0) {
            warnx_("--new-since %s: cannot write the state: %s", o->state,
                   strerror(errno));
            rc = EXIT_USAGE;
        }
    }
    if (have_ns)
        newsince_end(&ns);
    query_free(&q);
    analyzer_free(an);
    return rc;
}

int main(int argc, char **argv)
{
    progname = "newsq";
    enum { O_SORT = 256, O_SINCE, O_UNTIL, O_SOURCE, O_COUNT, O_COLLAPSE,
           O_NO_COLLAPSE, O_EXPLAIN, O_NEW_SINCE, O_TIMEOUT, O_PARTIAL };
    static const struct option longopts[] = {
        { "db", required_argument, NULL, 'd' },
        { "limit", required_argument, NULL, 'n' },
        { "offset", required_argument, NULL, 'o' },
        { "format", required_argument, NULL, 'f' },
        { "sort", required_argument, NULL, O_SORT },
        { "since", required_argument, NULL, O_SINCE },
        { "until", required_argument, NULL, O_UNTIL },
        { "source", required_argument, NULL, O_SOURCE },
        { "count", no_argument, NULL, O_COUNT },
        { "collapse", no_argument, NULL, O_COLLAPSE },
        { "no-collapse", no_argument, NULL, O_NO_COLLAPSE },
        { "explain", no_argument, NULL, O_EXPLAIN },
        { "new-since", required_argument, NULL, O_NEW_SINCE },
        { "timeout", required_argument, NULL, O_TIMEOUT },
        { "partial", no_argument, NULL, O_PARTIAL },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    opts_t o;
    memset(&o, 0, sizeof o);
    o.collapse = 1;
    /* --db, --limit, --format: over the environment and the config file
     * (config.h), applied once the options are read. */
    const char *arg[CFG_NKEYS] = { NULL };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:n:o:f:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': arg[CFG_DB] = optarg; break;
        case 'n': arg[CFG_LIMIT] = optarg; break;
        case 'f': arg[CFG_FORMAT] = optarg; break;
        case 'o':
            if (!parse_count(optarg, 100000, &o.offset))
                return usage_fail("--offset: not a number from 0 to 100000: '%s'",
                                  optarg);
            break;
        case O_SORT:
            if (strcmp(optarg, "relevance") == 0)
                o.sort = 0;
            else if (strcmp(optarg, "date") == 0)
                o.sort = 1;
            else if (strcmp(optarg, "-date") == 0)
                o.sort = -1;
            else
                return usage_fail("--sort: expected relevance, date or -date, got '%s'",
                                  optarg);
            break;
        case O_SINCE: o.since = optarg; break;
        case O_UNTIL: o.until = optarg; break;
        case O_SOURCE:
            if (o.n_sources == MAX_SOURCES)
                return usage_fail("--source: at most %d sources", MAX_SOURCES);
            o.sources[o.n_sources++] = optarg;
            break;
        case O_COUNT: o.count = 1; break;
        case O_COLLAPSE: o.collapse = 1; break;
        case O_NO_COLLAPSE: o.collapse = 0; break;
        case O_EXPLAIN: o.explain = 1; break;
        case O_NEW_SINCE: o.state = optarg; break;
        case O_PARTIAL: o.partial = 1; break;
        case O_TIMEOUT: {
            char *end;
            double v = strtod(optarg, &end);
            if (*optarg < '0' || *optarg > '9' || *end != '\0' ||
                !(v > 0) || v > 86400)
                return usage_fail("--timeout: not a number of seconds "
                                  "(0.001 to 86400): '%s'", optarg);
            o.timeout = v;
            break;
        }
        case 'h':
            fputs(msg_pick(usage_en, usage_ar), stdout);
            return fflush(stdout) == 0 ? 0 : EXIT_NO_INDEX;
        case 'V':
            printf("newsq %s\n", NEWSIDX_VERSION);
            return fflush(stdout) == 0 ? 0 : EXIT_NO_INDEX;
        default: return cliopt_fail(c, argc, argv, longopts, "");
        }
    }
    if (o.state && o.offset)
        return usage_fail("--offset cannot be used with --new-since (it "
                          "delivers every new article once, oldest first)");
    config_t cfg;
    int rc = config_load_args(&cfg, arg);
    if (rc == 0 && optind >= argc)
        rc = usage_fail("no query given");
    if (rc == 0 && !cfg.item[CFG_DB].value)
        rc = usage_fail("no index location (HOME is not set): use --db, "
                        "NEWSIDX_DB or db in the config file");
    if (rc != 0) {
        config_free(&cfg);
        return rc;
    }
    o.limit = config_limit(&cfg);
    o.format = format_from_name(cfg.item[CFG_FORMAT].value);
    buf_t text = BUF_INIT;
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            buf_putc(&text, ' ');
        buf_puts(&text, argv[i]);
    }

    const char *path = cfg.item[CFG_DB].value;
    nx_db_t *db = NULL;
    char *err = NULL;
    partial_ok = o.partial;
    nx_status_t s = nx_db_open_read(path, o.timeout, o.partial, &db, &err);
    if (s == NX_NETWORK) {
        warnx_("%s: a shard did not answer: %s", path,
               err ? err : nx_status_to_string(s));
        free(err);
        rc = EXIT_NO_INDEX;
    } else if (s != NX_OK) {
        warnx_("%s: cannot open the index (%s); build it with 'newsidx build'",
               path, err ? err : nx_status_to_string(s));
        free(err);
        rc = EXIT_NO_INDEX;
    } else {
        o.db = path;
        rc = run(db, path, &o, text.data);
        /* Shards left out (when opening or during the search). */
        for (size_t i = 0; i < nx_db_n_failed(db); i++)
            warnx_("%s: partial results, without %s", path,
                   nx_db_failed(db, i));
        if (nx_db_n_failed(db) && (rc == EXIT_HITS || rc == EXIT_NO_HITS))
            rc = EXIT_PARTIAL;
    }
    if (fflush(stdout) != 0 && rc == EXIT_HITS)
        rc = EXIT_NO_INDEX;
    nx_db_free(db);
    config_free(&cfg);
    buf_free(&text);
    return rc;
}
