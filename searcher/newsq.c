/*
 * newsq.c: search the index from the command line. The query language is in
 * qparse.h, the ranking in query.h, the pipeline in search.h, the output
 * formats in printer.h.
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

#include "cliopt.h"
#include "config.h"
#include "messages.h"
#include "nx.h"
#include "newsince.h"
#include "printer.h"
#include "schema.h"
#include "search.h"
#include "server.h"
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
    "      --collapse story  one hit per story: the same story in other\n"
    "                        articles (another source, an edited title) as\n"
    "                        \"+N more: source, ...\"\n"
    "  -f, --format F        text, json (one object per line), tsv, ids\n"
    "                        (default: $NEWSIDX_FORMAT, else format in the\n"
    "                        config file, else text)\n"
    "      --explain         show how the query was read and how each hit scored\n"
    "      --facets          first the total and the counts by source and month\n"
    "      --like ID         articles on the same subject as article ID (as\n"
    "                        printed), not its copies; QUERY, if given, narrows\n"
    "      --serve [ADDR:]PORT  serve the search page and the JSON API over\n"
    "                        HTTP (ADDR: 127.0.0.1 unless given; no QUERY)\n"
    "      --threads N       with --serve: worker threads (default: cores)\n"
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
    "      --collapse story  نتيجة واحدة لكل خبر: الخبر نفسه في مقالات أخرى\n"
    "                        (مصدر آخر، عنوان معدّل) يظهر في سطر\n"
    "                        \"+N more: المصدر، ...\"\n"
    "  -f, --format F        text أو json (كائن في كل سطر) أو tsv أو ids\n"
    "                        (الافتراضي: $NEWSIDX_FORMAT، ثم format في ملف\n"
    "                        الإعدادات، ثم text)\n"
    "      --explain         يبيّن كيف قُرئ الاستعلام وكيف حُسبت درجة كل نتيجة\n"
    "      --facets          أولًا العدد الكلي والأعداد حسب المصدر والشهر\n"
    "      --like ID         المقالات في موضوع المقال ID (كما يُطبع) دون نسخه؛\n"
    "                        وإن أُعطي QUERY فهو يضيّق النتائج\n"
    "      --serve [ADDR:]PORT  يقدّم صفحة البحث وواجهة JSON عبر HTTP\n"
    "                        (ADDR: 127.0.0.1 ما لم يُذكر؛ دون QUERY)\n"
    "      --threads N       مع --serve: عدد خيوط العمل (الافتراضي: عدد الأنوية)\n"
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


typedef struct opts {
    const char *db;
    unsigned long limit, offset;
    format_t format;
    int sort;            /* 0 relevance, 1 date ascending, -1 descending */
    const char *sources[MAX_SOURCES];
    size_t n_sources;
    const char *since, *until;
    int count, collapse, explain;
    int story;           /* --collapse story */
    const char *state;   /* --new-since FILE */
    double timeout;      /* --timeout: remote shards (0: Xapian's 10 s) */
    int partial;         /* --partial */
    int facets;          /* --facets */
    const char *serve;   /* --serve [ADDR:]PORT */
    unsigned long threads; /* --threads (0: cores) */
    const char *like;    /* --like ID */
} opts_t;

static int run(searcher_t *se, nx_db_t *db, const char *path,
               const opts_t *o, const char *text)
{
    int rc = EXIT_NO_HITS;
    newsince_t ns;
    int have_ns = 0; /* 1: begun; -1: begun, nothing to save */
    if (o->state) {
        rc = newsince_begin(&ns, o->state, db, NEWSINCE_WAIT);
        have_ns = rc ? -1 : 1;
        if (rc)
            goto out;
    }
    search_request_t req = {
        .text = text, .sources = o->sources, .n_sources = o->n_sources,
        .since = o->since, .until = o->until, .sort = o->sort,
        .offset = (uint32_t)o->offset, .limit = (uint32_t)o->limit,
        .collapse = o->collapse, .count_only = o->count,
        .explain = o->explain,
        /* only what the format prints is made (ids: the id alone) */
        .fields = o->format != FMT_IDS,
        .snippets = o->format == FMT_TEXT || o->format == FMT_JSON,
        .suggest = !o->state, .newsince = have_ns > 0 ? &ns : NULL,
        .partial = o->partial,
        .facets = o->facets,
        .like = o->like,
        .collapse_story = o->story,
    };
    search_result_t res;
    search_status_t st = search_run(se, &req, &res);
    if (st == SEARCH_BAD_QUERY) {
        rc = usage_fail("%s", res.error); /* qparse's own words (English) */
        have_ns = have_ns ? -1 : 0;
        goto done;
    }
    if (res.warning)
        warnx_("note: %s", res.warning);
    if (st == SEARCH_NO_WORDS) {
        rc = usage_fail("the query holds no searchable word: '%s'", text);
        have_ns = have_ns ? -1 : 0;
        goto done;
    }
    printer_t pr;
    printer_init(&pr, o->format, stdout,
                 o->format == FMT_TEXT && want_color(stdout));
    if (o->explain)
        pr.explain(&pr, res.parsed, res.words);
    if (st == SEARCH_FAILED) {
        warnx_("%s: search failed: %s", path, res.error);
        rc = res.nx == NX_MODIFIED ? EXIT_BUSY : EXIT_NO_INDEX;
        have_ns = have_ns ? -1 : 0; /* nothing delivered */
        goto done;
    }
    if (o->facets)
        pr.facets(&pr, &res);
    if (res.relaxed)
        warnx_("note: no article matches '%s' exactly; showing the "
               "closest (phrases, NEAR and fields not required)", text);
    if (o->count) {
        pr.count(&pr, res.count);
        rc = res.count ? EXIT_HITS : EXIT_NO_HITS;
        goto done;
    }
    for (size_t i = 0; i < res.n_hits; i++) {
        hit_t h = printer_hit(&res.hits[i], &res, o->explain);
        pr.hit(&pr, &h);
    }
    rc = res.n_hits ? EXIT_HITS : EXIT_NO_HITS;
    if (res.no_match) {
        if (res.suggestion)
            warnx_("no match for '%s'; did you mean: %s", text,
                   res.suggestion);
        else
            warnx_("no match for '%s'", text);
        pr.no_hits(&pr, text, res.suggestion);
    }
done:
    search_result_free(&res);
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
    return rc;
}

int main(int argc, char **argv)
{
    progname = "newsq";
    enum { O_SORT = 256, O_SINCE, O_UNTIL, O_SOURCE, O_COUNT, O_COLLAPSE,
           O_NO_COLLAPSE, O_EXPLAIN, O_NEW_SINCE, O_TIMEOUT, O_PARTIAL,
           O_FACETS, O_SERVE, O_THREADS, O_LIKE };
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
        { "collapse", optional_argument, NULL, O_COLLAPSE },
        { "no-collapse", no_argument, NULL, O_NO_COLLAPSE },
        { "explain", no_argument, NULL, O_EXPLAIN },
        { "new-since", required_argument, NULL, O_NEW_SINCE },
        { "timeout", required_argument, NULL, O_TIMEOUT },
        { "partial", no_argument, NULL, O_PARTIAL },
        { "facets", no_argument, NULL, O_FACETS },
        { "serve", required_argument, NULL, O_SERVE },
        { "threads", required_argument, NULL, O_THREADS },
        { "like", required_argument, NULL, O_LIKE },
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
        case O_COLLAPSE:
            /* "--collapse story" as well as "--collapse=story"; a bare
             * --collapse (before a query word) stays copies */
            if (!optarg && optind < argc &&
                (strcmp(argv[optind], "story") == 0 ||
                 strcmp(argv[optind], "copies") == 0))
                optarg = argv[optind++];
            if (optarg && strcmp(optarg, "story") != 0 &&
                strcmp(optarg, "copies") != 0)
                return usage_fail("--collapse: expected copies or story, "
                                  "got '%s'", optarg);
            o.collapse = 1;
            o.story = optarg && strcmp(optarg, "story") == 0;
            break;
        case O_NO_COLLAPSE: o.collapse = 0; o.story = 0; break;
        case O_EXPLAIN: o.explain = 1; break;
        case O_NEW_SINCE: o.state = optarg; break;
        case O_PARTIAL: o.partial = 1; break;
        case O_FACETS: o.facets = 1; break;
        case O_SERVE: o.serve = optarg; break;
        case O_LIKE: o.like = optarg; break;
        case O_THREADS:
            if (!parse_count(optarg, 64, &o.threads) || !o.threads)
                return usage_fail("--threads: not a number from 1 to 64: '%s'",
                                  optarg);
            break;
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
    if (rc == 0 && o.serve && optind < argc)
        rc = usage_fail("--serve takes no query: '%s'", argv[optind]);
    else if (rc == 0 && !o.serve && o.threads)
        rc = usage_fail("--threads goes with --serve");
    else if (rc == 0 && o.serve && o.like)
        rc = usage_fail("--like goes with a search, not --serve "
                        "(the server takes like=ID)");
    else if (rc == 0 && !o.serve && optind >= argc && !o.like)
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
    if (o.serve) {
        server_opts_t so = { cfg.item[CFG_DB].value, o.serve,
                             (unsigned)o.threads, (unsigned)o.limit,
                             o.timeout };
        rc = server_exec(&so);
        config_free(&cfg);
        return rc;
    }
    buf_t text = BUF_INIT;
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            buf_putc(&text, ' ');
        buf_puts(&text, argv[i]);
    }

    const char *path = cfg.item[CFG_DB].value;
    nx_db_t *db = NULL;
    char *err = NULL;
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
        searcher_t *se = searcher_new(db);
        if (!se) {
            warnx_("cannot initialise the analyzer (ICU)");
            rc = EXIT_NO_INDEX;
        } else {
            rc = run(se, db, path, &o, text.data);
        }
        searcher_free(se);
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
