/*
 * newsidx.c: the indexer's command line.
 *
 *   newsidx build [--corpus DIR] [--db PATH] [--max-size BYTES]
 *                 [--commit-every FILES] [--wait SECONDS] [--quiet]
 *                 [--jobs N] [--no-delete] [--dry-run] [--shards N] [--rebuild]
 *   newsidx stats [--db PATH]
 *   newsidx compact [--db PATH] [--wait SECONDS] [--quiet]
 *   newsidx analyze [--query] TEXT...
 *   newsidx config [--db PATH] [--corpus DIR] [--limit N] [--format F] [KEY]
 *
 * Settings shared with newsq (db, corpus, limit, format) come from the
 * command line, the environment, the config file or the defaults: config.h.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "analyzer.h"
#include "build.h"
#include "cliopt.h"
#include "config.h"
#include "layout.h"
#include "didyoumean.h"
#include "messages.h"
#include "util.h"
#include "variants.h"

static const char usage_en[] =
    "usage: newsidx build [--corpus DIR] [--db PATH] [--max-size BYTES]\n"
    "                     [--commit-every FILES] [--wait SECONDS] [--quiet]\n"
    "                     [--jobs N] [--no-delete] [--dry-run] [--shards N]\n"
    "                     [--rebuild]\n"
    "       newsidx stats [--db PATH]\n"
    "       newsidx compact [--db PATH] [--wait SECONDS] [--quiet]\n"
    "       newsidx analyze [--query] TEXT...\n"
    "       newsidx config [--db PATH] [--corpus DIR] [--limit N]\n"
    "                      [--format F] [KEY]\n"
    "       newsidx variants [--db PATH] [--all] [WORD]\n"
    "       newsidx variants --update [--db PATH] [--wait SECONDS]\n"
    "       newsidx --help | --version\n"
    "\n"
    "build    index every article file under DIR into the index at PATH.\n"
    "         Incremental: unchanged files (same size and time) are not\n"
    "         read again, changed ones are replaced, deleted ones removed.\n"
    "         Prints one summary line: files, documents in the index, errors,\n"
    "         seconds (then files read, unchanged, removed; articles/s), and\n"
    "         a progress line while it runs when stderr is a terminal.\n"
    "         --corpus DIR, -c DIR: default $NEWSIDX_CORPUS, else corpus in\n"
    "         the config file, else ./corpus.\n"
    "         --db PATH, -d PATH: default $NEWSIDX_DB, else db in the config\n"
    "         file, else $XDG_DATA_HOME/newsidx/index, else\n"
    "         ~/.local/share/newsidx/index.\n"
    "         --jobs N, -j N: threads for a first build (default: one per\n"
    "         core, at most 8); later builds use one writer.\n"
    "         --no-delete: keep the articles of files deleted from DIR.\n"
    "         --rebuild: index everything anew beside the index (PATH.rebuild)\n"
    "         and swap it in when done (for a damaged index; --new-since\n"
    "         then reports every article again).\n"
    "         --dry-run, -n: read and analyse what a build would, write\n"
    "         nothing, report the speed (articles/s).\n"
    "         --shards N: a new index in N databases (PATH/shard-K, listed\n"
    "         in PATH/XAPIANDB), each article always in the same one; an\n"
    "         existing index keeps its own number of shards.\n"
    "         --max-size BYTES, -m BYTES: index only the start of larger\n"
    "         files (default 64 MiB; such a file counts as an error).\n"
    "         --commit-every FILES: commit after every FILES files (default\n"
    "         1000; 0: once at the end); a killed build keeps what it committed.\n"
    "         --wait SECONDS: if another build holds the index, wait for it\n"
    "         that long (default: fail at once with exit status 4).\n"
    "         --quiet, -q: no summary line, no progress line.\n"
    "stats    documents, files, distinct terms, size on disk, last build\n"
    "         and its duration, corpus folder: one \"key: value\" per line.\n"
    "compact  rewrite the index compactly (smaller, faster to search);\n"
    "         readers keep working, the new index replaces the old at once.\n"
    "analyze  print, for each word of TEXT, the terms the analyzer makes of it:\n"
    "         WORD<TAB>SURFACE STEM... (--query: as a query would; stopwords\n"
    "         then make no term)\n"
    "config   print the settings in effect (db, corpus, limit, format) and\n"
    "         where each comes from: the command line, the environment\n"
    "         (NEWSIDX_DB, NEWSIDX_CORPUS, NEWSIDX_LIMIT, NEWSIDX_FORMAT), the\n"
    "         config file ($NEWSIDX_CONFIG, else\n"
    "         $XDG_CONFIG_HOME/newsidx/config, else ~/.config/newsidx/config;\n"
    "         \"key = value\" lines, # comments) or the default, in that order\n"
    "         of precedence. With KEY, print only its value. The key\n"
    "         variants (NEWSIDX_VARIANTS) names a file of spelling variants\n"
    "         to join (\"ترامب ترمب\") or forbid (\"!بيان بين\"), one per line.\n"
    "variants the clusters of spelling variants of names mined from the\n"
    "         index (a query word expands to its cluster; a quoted word does\n"
    "         not), each pair with its evidence. WORD: only its cluster\n"
    "         (exit status 1 when none). --all: the rejected pairs too.\n"
    "         A build mines them again when 5% of the index changed since;\n"
    "         --update mines and stores them now (silent; --wait as build).\n"
    "\n"
    "Messages are in Arabic when LC_ALL, LC_MESSAGES or LANG is ar_*.\n"
    "\n"
    "exit status: 0 done; 1 done, but some files were skipped or cut (see\n"
    "stderr); 2 usage error; 3 index cannot be opened or written; 4 index\n"
    "locked by another build; 5 corpus folder unreadable\n"
    "\n"
    "See newsidx(1), newsq(1) and newsidx-query(7).\n";

static const char usage_ar[] =
    "الاستعمال: newsidx build [--corpus DIR] [--db PATH] [--max-size BYTES]\n"
    "                     [--commit-every FILES] [--wait SECONDS] [--quiet]\n"
    "                     [--jobs N] [--no-delete] [--dry-run] [--shards N]\n"
    "                     [--rebuild]\n"
    "       newsidx stats [--db PATH]\n"
    "       newsidx compact [--db PATH] [--wait SECONDS] [--quiet]\n"
    "       newsidx analyze [--query] TEXT...\n"
    "       newsidx config [--db PATH] [--corpus DIR] [--limit N]\n"
    "                      [--format F] [KEY]\n"
    "       newsidx variants [--db PATH] [--all] [WORD]\n"
    "       newsidx variants --update [--db PATH] [--wait SECONDS]\n"
    "       newsidx --help | --version\n"
    "\n"
    "build    يفهرس كل ملفات المقالات تحت المجلد DIR في الفهرس PATH.\n"
    "         البناء تزايدي: الملفات التي لم تتغير (الحجم والوقت نفسهما) لا\n"
    "         تُقرأ ثانية، والمتغيرة تُستبدل، والمحذوفة تُزال. يطبع سطر ملخص\n"
    "         واحدًا: الملفات، والمستندات في الفهرس، والأخطاء، والثواني (ثم\n"
    "         الملفات المقروءة وغير المتغيرة والمزالة؛ مقالة/ثانية)، وسطر تقدم\n"
    "         أثناء العمل إذا كان stderr طرفية.\n"
    "         --corpus DIR أو -c DIR: الافتراضي $NEWSIDX_CORPUS، ثم corpus\n"
    "         في ملف الإعدادات، ثم ./corpus.\n"
    "         --db PATH أو -d PATH: الافتراضي $NEWSIDX_DB، ثم db في ملف\n"
    "         الإعدادات، ثم $XDG_DATA_HOME/newsidx/index، ثم\n"
    "         ~/.local/share/newsidx/index.\n"
    "         --jobs N أو -j N: عدد الخيوط في البناء الأول (الافتراضي: خيط\n"
    "         لكل نواة، 8 على الأكثر)؛ والبناءات اللاحقة بكاتب واحد.\n"
    "         --no-delete: يُبقي مقالات الملفات المحذوفة من DIR.\n"
    "         --rebuild: يفهرس كل شيء من جديد بجوار الفهرس (PATH.rebuild)\n"
    "         ثم يضعه مكانه عند الانتهاء (لفهرس تالف؛ يعيد --new-since\n"
    "         بعدها الإبلاغ عن كل المقالات).\n"
    "         --dry-run أو -n: يقرأ ويحلل ما يقرؤه البناء ولا يكتب شيئًا،\n"
    "         ويطبع السرعة (مقالة/ثانية).\n"
    "         --shards N: فهرس جديد في N قاعدة بيانات (PATH/shard-K، مدرجة في\n"
    "         PATH/XAPIANDB)، وكل مقالة في القاعدة نفسها دائمًا؛ والفهرس\n"
    "         الموجود يحتفظ بعدد أجزائه.\n"
    "         --max-size BYTES أو -m BYTES: يفهرس أول الملفات الأكبر فقط\n"
    "         (الافتراضي 64 MiB؛ ويُعدّ الملف عندئذ خطأً).\n"
    "         --commit-every FILES: يثبّت بعد كل FILES ملفًا (الافتراضي 1000؛\n"
    "         0: مرة واحدة في النهاية)؛ والبناء المقتول يحتفظ بما ثبّته.\n"
    "         --wait SECONDS: إن كان بناء آخر يمسك الفهرس ينتظره هذه المدة\n"
    "         (الافتراضي: يفشل فورًا برمز الخروج 4).\n"
    "         --quiet أو -q: بلا سطر ملخص ولا سطر تقدم.\n"
    "stats    عدد المستندات والملفات والمصطلحات المختلفة، والحجم على القرص،\n"
    "         وآخر بناء ومدته، ومجلد المقالات: سطر \"key: value\" لكل منها.\n"
    "compact  يعيد كتابة الفهرس مضغوطًا (أصغر وأسرع في البحث)؛ ويستمر القراء\n"
    "         في العمل، ويحل الفهرس الجديد محل القديم دفعة واحدة.\n"
    "analyze  يطبع لكل كلمة من TEXT المصطلحات التي يصنعها المحلل منها:\n"
    "         WORD<TAB>SURFACE STEM... (--query: كما في الاستعلام، فلا تصنع\n"
    "         كلمات التوقف أي مصطلح)\n"
    "config   يطبع الإعدادات المعمول بها (db و corpus و limit و format)\n"
    "         ومصدر كل منها، بهذا الترتيب في الأولوية: سطر الأوامر، ثم البيئة\n"
    "         (NEWSIDX_DB و NEWSIDX_CORPUS و NEWSIDX_LIMIT و NEWSIDX_FORMAT)،\n"
    "         ثم ملف الإعدادات ($NEWSIDX_CONFIG، ثم\n"
    "         $XDG_CONFIG_HOME/newsidx/config، ثم ~/.config/newsidx/config؛\n"
    "         أسطر \"key = value\" وتعليقات تبدأ بـ #)، ثم القيمة الافتراضية.\n"
    "         مع KEY يطبع قيمته فقط. المفتاح variants (NEWSIDX_VARIANTS)\n"
    "         يسمّي ملف صيغ إملائية تُدمج (\"ترامب ترمب\") أو تُمنع\n"
    "         (\"!بيان بين\")، واحدة في كل سطر.\n"
    "variants مجموعات الصيغ الإملائية للأسماء المستخرجة من الفهرس (كلمة\n"
    "         البحث تتسع لمجموعتها؛ والكلمة بين علامتي تنصيص لا تتسع)، وأدلة\n"
    "         كل زوج. WORD: مجموعتها فقط (رمز الخروج 1 إن لم توجد). --all:\n"
    "         الأزواج المرفوضة أيضًا. يستخرجها البناء من جديد إذا تغيّر 5%\n"
    "         من الفهرس منذ آخر استخراج؛ و--update يستخرجها ويخزنها الآن\n"
    "         (دون إخراج؛ --wait كما في build).\n"
    "\n"
    "تكون الرسائل بالعربية إذا كان LC_ALL أو LC_MESSAGES أو LANG هو ar_*.\n"
    "\n"
    "رمز الخروج: 0 تم؛ 1 تم، لكن بعض الملفات أُهملت أو قُطعت (انظر stderr)؛\n"
    "2 خطأ في الاستعمال؛ 3 تعذّر فتح الفهرس أو الكتابة فيه؛ 4 الفهرس مقفل من\n"
    "بناء آخر؛ 5 تعذّرت قراءة مجلد المقالات\n"
    "\n"
    "انظر newsidx(1) و newsq(1) و newsidx-query(7).\n";

static int usage(void)
{
    fputs(msg_pick(usage_en, usage_ar), stdout);
    return fflush(stdout) == 0 ? 0 : 3;
}

static const char *const commands[] = { "build", "stats", "compact",
                                        "analyze", "config", "variants",
                                        "help" };

/* Defaults, file and environment, then the command line's db and corpus
 * (NULL: not given). Returns 0 or 2 (the error printed). */
static int settings(config_t *cfg, const char *db, const char *corpus)
{
    const char *arg[CFG_NKEYS] = { NULL };
    arg[CFG_DB] = db;
    arg[CFG_CORPUS] = corpus;
    if (config_load_args(cfg, arg) != 0)
        return 2;
    if (!cfg->item[CFG_DB].value)
        return usage_fail("no index location (HOME is not set): use --db, "
                          "NEWSIDX_DB or db in the config file");
    return 0;
}

static const struct option build_opts[] = {
    { "corpus", required_argument, NULL, 'c' },
    { "db", required_argument, NULL, 'd' },
    { "max-size", required_argument, NULL, 'm' },
    { "commit-every", required_argument, NULL, 'C' },
    { "wait", required_argument, NULL, 'w' },
    { "quiet", no_argument, NULL, 'q' },
    { "jobs", required_argument, NULL, 'j' },
    { "dry-run", no_argument, NULL, 'n' },
    { "no-delete", no_argument, NULL, 'D' },
    { "shards", required_argument, NULL, 'S' },
    { "rebuild", no_argument, NULL, 'R' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* --wait SECONDS: 0 or 2 (the error printed). */
static int parse_wait(const char *s, double *wait)
{
    char *end;
    double v = strtod(s, &end);
    if (*s < '0' || *s > '9' || *end != '\0' || !isfinite(v) || v > 1e9)
        return usage_fail("--wait: not a number of seconds: '%s'", s);
    *wait = v;
    return 0;
}

static int cmd_build(int argc, char **argv)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    build_opts_t o = {
        .max_size = 64u << 20,
        .commit_every = BUILD_COMMIT_EVERY,
        .jobs = cores < 1 ? 1 : cores > BUILD_MAX_JOBS ? BUILD_MAX_JOBS
                                                       : (unsigned)cores,
    };
    const char *db = NULL, *corpus = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:d:m:j:nqh", build_opts, NULL)) != -1) {
        switch (c) {
        case 'c': corpus = optarg; break;
        case 'd': db = optarg; break;
        case 'q': o.quiet = 1; break;
        case 'n': o.dry_run = 1; break;
        case 'D': o.no_delete = 1; break;
        case 'R': o.rebuild = 1; break;
        case 'S': {
            char *end;
            unsigned long v = strtoul(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end != '\0' || v == 0 ||
                v > LAYOUT_MAX_SHARDS)
                return usage_fail("--shards: not a number of shards (1-%d): "
                                  "'%s'", LAYOUT_MAX_SHARDS, optarg);
            o.shards = (unsigned)v;
            break;
        }
        case 'j': {
            char *end;
            unsigned long v = strtoul(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end != '\0' || v == 0 ||
                v > 64)
                return usage_fail("--jobs: not a number of threads (1-64): "
                                  "'%s'", optarg);
            o.jobs = (unsigned)v;
            break;
        }
        case 'm': {
            char *end;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end != '\0' || v == 0)
                return usage_fail("--max-size: not a positive number of bytes: '%s'",
                                   optarg);
            o.max_size = (size_t)v;
            break;
        }
        case 'C': {
            char *end;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end != '\0')
                return usage_fail("--commit-every: not a number of files: '%s'",
                                  optarg);
            o.commit_every = (size_t)v;
            break;
        }
        case 'w':
            if (parse_wait(optarg, &o.wait) != 0)
                return 2;
            break;
        case 'h': return usage();
        default: return cliopt_fail(c, argc, argv, build_opts, "build: ");
        }
    }
    if (optind < argc)
        return usage_fail("%s: unexpected argument '%s'", "build", argv[optind]);
    config_t cfg;
    int r = settings(&cfg, db, corpus);
    if (r == 0) {
        o.db = cfg.item[CFG_DB].value;
        o.corpus = cfg.item[CFG_CORPUS].value;
        o.json_fields = cfg.item[CFG_JSON_FIELDS].value;
        o.variants = cfg.item[CFG_VARIANTS].value;
        r = build_run(&o);
    }
    config_free(&cfg);
    return r;
}

static const struct option admin_opts[] = {
    { "db", required_argument, NULL, 'd' },
    { "wait", required_argument, NULL, 'w' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* stats: --db only (the table ends early); compact: --db, --wait, --quiet. */
static const struct option stats_opts[] = {
    { "db", required_argument, NULL, 'd' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static int cmd_admin(int argc, char **argv, int compact)
{
    const struct option *opts = compact ? admin_opts : stats_opts;
    const char *name = compact ? "compact" : "stats";
    const char *db = NULL;
    double wait = 0;
    int quiet = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, compact ? ":d:qh" : ":d:h", opts,
                            NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'q': quiet = 1; break;
        case 'w':
            if (parse_wait(optarg, &wait) != 0)
                return 2;
            break;
        case 'h': return usage();
        default:
            return cliopt_fail(c, argc, argv, opts,
                               compact ? "compact: " : "stats: ");
        }
    }
    if (optind < argc)
        return usage_fail("%s: unexpected argument '%s'", name, argv[optind]);
    config_t cfg;
    int r = settings(&cfg, db, NULL);
    if (r == 0)
        r = compact ? admin_compact(cfg.item[CFG_DB].value, wait, quiet)
                    : admin_stats(cfg.item[CFG_DB].value);
    config_free(&cfg);
    return r;
}

static const struct option variants_opts[] = {
    { "db", required_argument, NULL, 'd' },
    { "all", no_argument, NULL, 'a' },
    { "update", no_argument, NULL, 'u' },
    { "wait", required_argument, NULL, 'w' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* newsidx variants [--all] [WORD]: the spelling-variant clusters. */
static int cmd_variants(int argc, char **argv)
{
    const char *db = NULL;
    int all = 0, update = 0, c;
    double wait = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:auh", variants_opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'a': all = 1; break;
        case 'u': update = 1; break;
        case 'w':
            if (parse_wait(optarg, &wait) != 0)
                return 2;
            break;
        case 'h': return usage();
        default: return cliopt_fail(c, argc, argv, variants_opts, "variants: ");
        }
    }
    if (update && optind < argc)
        return usage_fail("%s: unexpected argument '%s'", "variants", argv[optind]);
    if (optind + 1 < argc)
        return usage_fail("%s: unexpected argument '%s'", "variants",
                          argv[optind + 1]);
    config_t cfg;
    int r = settings(&cfg, db, NULL);
    if (r == 0 && update) {
        /* Mine now and store, as a build does: one writer at a time. */
        const char *path = cfg.item[CFG_DB].value;
        int mined = 0, lock = -1;
        if (layout_read(path) <= 0) {
            warn_path(path, "no index here; run 'newsidx build' first");
            r = 3;
        } else if ((lock = build_lock(path, wait, &r)) >= 0) {
            r = variants_after_build(path, cfg.item[CFG_VARIANTS].value, 0,
                                     1, &mined);
            r = r < 0 ? 3 : r > 0;
            pidlock_release(lock);
        }
    } else if (r == 0) {
        nx_db_t *x = NULL;
        char *err = NULL;
        nx_status_t s = nx_db_open(cfg.item[CFG_DB].value, NX_READ, &x, &err);
        if (s != NX_OK) {
            warn_path(cfg.item[CFG_DB].value, "cannot open the index: %s",
                      err ? err : nx_status_to_string(s));
            r = 3;
        } else {
            r = variants_list(x, cfg.item[CFG_VARIANTS].value,
                              optind < argc ? argv[optind] : NULL, all, stdout);
            r = r < 0 ? 3 : r;
        }
        free(err);
        nx_db_free(x);
    }
    config_free(&cfg);
    if (fflush(stdout) != 0 && r == 0)
        r = 3;
    return r;
}

typedef struct analyze_ctx {
    const char *text;
    int query;
} analyze_ctx_t;

static int print_terms(void *vctx, const an_token_t *tok)
{
    const analyze_ctx_t *c = vctx;
    printf("%.*s\t", (int)(tok->end - tok->start), c->text + tok->start);
    if (!(c->query && tok->stopword)) {
        fwrite(tok->surface, 1, tok->surface_len, stdout);
        for (size_t i = 0; i < tok->n_stems; i++)
            printf(" Z%s", tok->stems[i]);
    }
    putchar('\n');
    return 0;
}

static int cmd_analyze(int argc, char **argv)
{
    static const struct option opts[] = {
        { "query", no_argument, NULL, 'Q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int query = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'Q': query = 1; break;
        case 'h': return usage();
        default: return cliopt_fail(c, argc, argv, opts, "analyze: ");
        }
    }
    if (optind >= argc)
        return usage_fail("analyze: no text given");
    analyzer_t *an = analyzer_new();
    if (!an) {
        warnx_("cannot initialise ICU word segmentation");
        return 3;
    }
    for (int i = optind; i < argc; i++) {
        analyze_ctx_t ctx = { argv[i], query };
        analyzer_run(an, argv[i], strlen(argv[i]), print_terms, &ctx);
    }
    analyzer_free(an);
    return fflush(stdout) == 0 ? 0 : 3;
}

/* "# default", "# environment: NEWSIDX_DB", … for `newsidx config`. */
static const char *origin_label(cfg_origin_t o)
{
    switch (o) {
    case CFG_ARG: return "command line: ";
    case CFG_ENV: return "environment: ";
    case CFG_FILE: return "config file: ";
    default: return "";
    }
}

static const struct option config_opts[] = {
    { "db", required_argument, NULL, 'd' },
    { "corpus", required_argument, NULL, 'c' },
    { "limit", required_argument, NULL, 'n' },
    { "format", required_argument, NULL, 'f' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static int cmd_config(int argc, char **argv)
{
    const char *arg[CFG_NKEYS] = { NULL };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:c:n:f:h", config_opts, NULL)) != -1) {
        switch (c) {
        case 'd': arg[CFG_DB] = optarg; break;
        case 'c': arg[CFG_CORPUS] = optarg; break;
        case 'n': arg[CFG_LIMIT] = optarg; break;
        case 'f': arg[CFG_FORMAT] = optarg; break;
        case 'h': return usage();
        default: return cliopt_fail(c, argc, argv, config_opts, "config: ");
        }
    }
    cfg_key_t only = CFG_NKEYS;
    if (optind < argc) {
        only = config_key_from_name(argv[optind]);
        if (only == CFG_NKEYS) {
            const char *names[CFG_NKEYS];
            for (int k = 0; k < CFG_NKEYS; k++)
                names[k] = config_key_name((cfg_key_t)k);
            const char *best = closest_name(argv[optind], names, CFG_NKEYS);
            if (best)
                return usage_fail("config: unknown key '%s' (did you mean "
                                  "'%s'?)", argv[optind], best);
            return usage_fail("config: unknown key '%s' (known keys: db, "
                              "corpus, limit, format, json_fields, "
                              "variants)",
                              argv[optind]);
        }
    }
    config_t cfg;
    int r = config_load_args(&cfg, arg);
    if (r == 0 && optind + 1 < argc)
        r = usage_fail("config: newsidx only reads the config file; edit %s",
                       cfg.file ? cfg.file : "~/.config/newsidx/config");
    if (r != 0) {
        config_free(&cfg);
        return r;
    }
    if (only != CFG_NKEYS) {
        const char *v = cfg.item[only].value;
        if (v)
            printf("%s\n", v);
        else if (only != CFG_DB)
            printf("\n"); /* an optional key left unset */
        else
            r = usage_fail("no index location (HOME is not set): use --db, "
                           "NEWSIDX_DB or db in the config file");
    } else {
        /* Comments first, so that `grep -v '^#'` leaves the settings. */
        if (cfg.file)
            printf("# config file: %s (%s)\n", cfg.file,
                   cfg.file_found ? (cfg.file_from_env ? "NEWSIDX_CONFIG" : "read")
                                  : "not found");
        else
            printf("# config file: none (HOME is not set)\n");
        for (int k = 0; k < CFG_NKEYS; k++) {
            const cfg_item_t *it = &cfg.item[k];
            printf("%s = %s  # %s%s\n", config_key_name((cfg_key_t)k),
                   it->value ? it->value : "", origin_label(it->origin),
                   it->value ? it->where
                   : k == CFG_DB ? "none (HOME is not set)" : "none");
        }
    }
    config_free(&cfg);
    if (fflush(stdout) != 0 && r == 0)
        r = 3;
    return r;
}

/* argv[1] is an option: --help, --version, or a mistake. */
static int top_option(const char *arg)
{
    static const struct option top[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
        return usage();
    if (strcmp(arg, "--version") == 0 || strcmp(arg, "-V") == 0) {
        printf("newsidx %s\n", NEWSIDX_VERSION);
        return fflush(stdout) == 0 ? 0 : 3;
    }
    /* An option of a command, given before it: say where it goes. */
    const struct option *sets[] = { build_opts, admin_opts, config_opts };
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
        for (const struct option *o = sets[i]; o->name; o++) {
            size_t n = strcspn(arg + 2, "=");
            int is_long = strncmp(arg, "--", 2) == 0 &&
                          strlen(o->name) == n &&
                          strncmp(arg + 2, o->name, n) == 0;
            int is_short = arg[0] == '-' && arg[1] == o->val && arg[1] &&
                           arg[2] == '\0';
            if (o->val != 'h' && (is_long || is_short))
                return usage_fail("option '%s' goes after the command: newsidx "
                                  "COMMAND %s (build, stats, compact, analyze, "
                                  "config or variants)", arg, arg);
        }
    }
    const char *best = cliopt_closest(arg, top);
    if (best && strncmp(arg, "--", 2) == 0) {
        buf_t b = BUF_INIT;
        buf_printf(&b, "--%s", best);
        int r = usage_fail("%sunknown option '%s' (did you mean %s?)", "", arg,
                           b.data);
        buf_free(&b);
        return r;
    }
    return usage_fail("%sunknown option '%s'", "", arg);
}

int main(int argc, char **argv)
{
    progname = "newsidx";
    if (argc < 2)
        return usage_fail("missing command (build, stats, compact, analyze, "
                          "config or variants)");
    const char *cmd = argv[1];
    if (cmd[0] == '-')
        return top_option(cmd);
    if (strcmp(cmd, "build") == 0)
        return cmd_build(argc - 1, argv + 1);
    if (strcmp(cmd, "stats") == 0)
        return cmd_admin(argc - 1, argv + 1, 0);
    if (strcmp(cmd, "compact") == 0)
        return cmd_admin(argc - 1, argv + 1, 1);
    if (strcmp(cmd, "analyze") == 0)
        return cmd_analyze(argc - 1, argv + 1);
    if (strcmp(cmd, "config") == 0)
        return cmd_config(argc - 1, argv + 1);
    if (strcmp(cmd, "variants") == 0)
        return cmd_variants(argc - 1, argv + 1);
    if (strcmp(cmd, "help") == 0)
        return usage();
    const char *best = closest_name(cmd, commands,
                                    sizeof commands / sizeof *commands);
    if (best)
        return usage_fail("unknown command '%s' (did you mean '%s'?)", cmd, best);
    return usage_fail("unknown command '%s' (build, stats, compact, analyze, "
                      "config or variants)", cmd);
}
