/*
 * server.c: newsq --serve (server.h) on libmicrohttpd: a pool of worker
 * threads, each with its own searcher; requests routed to the page (page.h)
 * or the JSON API (api.h); the limits of a request; the clean stop.
 *
 * Status codes have newsq's exit statuses' meaning: 200 hits or none
 * (exit 0 and 1), 400 a usage or query error (2), 404 no such article or
 * page, 503 the index missing, unreadable or busy (3 and 4).
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "nx.h"
#include "page.h"
#include "schema.h"
#include "search.h"
#include "stored.h"
#include "util.h"

/* Limits of one request (answered with 400 beyond them). */
#define MAX_QUERY_BYTES 1000
#define MAX_LIMIT 100
#define MAX_OFFSET 10000
#define MAX_SOURCES 32
#define MAX_URL_BYTES 4096
/* Memory of one connection: a request larger than this (headers included)
 * is refused by libmicrohttpd itself (414 or 431). */
#define CONNECTION_MEMORY (32 * 1024)
/* Attempts of one request while the index changes under it. */
#define ATTEMPTS 4
/* How long a stop waits for the connections open (seconds); an idle one
 * is closed by libmicrohttpd after IDLE_SECONDS. */
#define DRAIN_SECONDS 30
#define IDLE_SECONDS 10

static const char csp[] =
    "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

static const server_opts_t *conf; /* read-only while serving */
static atomic_int in_flight;
static atomic_int stopping; /* SIGTERM or SIGINT came: answers close */

/* ------------------------------------------------------------ workers */

typedef struct worker {
    nx_db_t *db;
    searcher_t *se;
    dev_t dev;   /* the index folder (or stub file) DB was opened on: */
    ino_t ino;   /* compact swaps in another one */
} worker_t;

static pthread_key_t worker_key;

static void worker_close(worker_t *w)
{
    searcher_free(w->se);
    nx_db_free(w->db);
    w->se = NULL;
    w->db = NULL;
}

static void worker_free(void *p)
{
    worker_t *w = p;
    worker_close(w);
    free(w);
}

static worker_t *worker_get(void)
{
    worker_t *w = pthread_getspecific(worker_key);
    if (!w) {
        w = xcalloc(1, sizeof *w);
        pthread_setspecific(worker_key, w);
    }
    return w;
}

/* W's index as of the last commit: reopened, or opened again when the
 * folder at the path is another one (compact) or the handle failed.
 * Returns NX_OK or why the index cannot be read (*ERR: a message). */
static nx_status_t worker_ready(worker_t *w, char **err)
{
    struct stat st;
    int have = stat(conf->db, &st) == 0;
    if (w->db && (!have || st.st_dev != w->dev || st.st_ino != w->ino))
        worker_close(w);
    if (w->db && nx_db_reopen(w->db) == NX_OK)
        return NX_OK;
    worker_close(w);
    nx_status_t s = nx_db_open_read(conf->db, conf->timeout, 0, &w->db, err);
    if (s != NX_OK)
        return s;
    w->se = searcher_new(w->db);
    if (!w->se) {
        worker_close(w);
        *err = xstrdup("cannot initialise the analyzer (ICU)");
        return NX_INTERNAL;
    }
    w->dev = have ? st.st_dev : 0;
    w->ino = have ? st.st_ino : 0;
    return NX_OK;
}

/* A short pause before the next attempt while the index is being
 * swapped or committed. */
static void pause_ms(long ms)
{
    struct timespec ts = { 0, ms * 1000000L };
    nanosleep(&ts, NULL);
}

/* ------------------------------------------------------------ responses */

typedef struct reply {
    int status;
    const char *type;
    char *body;     /* malloc'd */
    size_t len;
} reply_t;

static void reply_take(reply_t *r, int status, const char *type, char *body)
{
    r->status = status;
    r->type = type;
    r->body = body ? body : xstrdup("");
    r->len = strlen(r->body);
}

static const char json_type[] = "application/json; charset=utf-8";
static const char html_type[] = "text/html; charset=utf-8";

static void reply_json_error(reply_t *r, int status, const char *msg)
{
    reply_take(r, status, json_type, api_error(status, msg));
}

static void reply_html(reply_t *r, int status, buf_t *b)
{
    reply_take(r, status, html_type, xstrdup(buf_cstr(b)));
    buf_free(b);
}

static void reply_html_error(reply_t *r, int status, const char *msg)
{
    buf_t b = BUF_INIT;
    page_message(&b, status == 404 ? "غير موجود" : "خطأ", msg);
    reply_html(r, status, &b);
}

/* The HTTP status of a failed index access. */
static int index_status(nx_status_t s)
{
    return s == NX_NOT_FOUND ? 404 : 503;
}

/* ------------------------------------------------------------ requests */

typedef struct params {
    search_request_t req;
    const char *sources[MAX_SOURCES];
    char error[200]; /* the first bad parameter, or "" */
    int limit_set;
} params_t;


static int bad(params_t *p, const char *fmt, const char *what)
{
    if (!p->error[0])
        snprintf(p->error, sizeof p->error, fmt, what);
    return MHD_YES;
}

/* One query parameter (the same names as newsq's options). */
static enum MHD_Result param(void *cls, enum MHD_ValueKind kind,
                             const char *key, const char *value)
{
    (void)kind;
    params_t *p = cls;
    search_request_t *r = &p->req;
    unsigned long v = 0;
    if (!value)
        value = "";
    if (strcmp(key, "q") == 0) {
        if (strlen(value) > MAX_QUERY_BYTES)
            return bad(p, "q: longer than %s bytes", "1000");
        r->text = value;
    } else if (strcmp(key, "like") == 0) {
        if (strlen(value) > MAX_QUERY_BYTES)
            return bad(p, "like: longer than %s bytes", "1000");
        r->like = *value ? value : NULL;
    } else if (strcmp(key, "limit") == 0) {
        if (!parse_count(value, MAX_LIMIT, &v) || !v)
            return bad(p, "limit: not a number from 1 to 100: '%.60s'", value);
        r->limit = (uint32_t)v;
        p->limit_set = 1;
    } else if (strcmp(key, "offset") == 0) {
        if (!parse_count(value, MAX_OFFSET, &v))
            return bad(p, "offset: not a number from 0 to 10000: '%.60s'",
                       value);
        r->offset = (uint32_t)v;
    } else if (strcmp(key, "sort") == 0) {
        if (strcmp(value, "relevance") == 0 || !*value)
            r->sort = SEARCH_RELEVANCE;
        else if (strcmp(value, "date") == 0)
            r->sort = SEARCH_DATE_ASC;
        else if (strcmp(value, "-date") == 0)
            r->sort = SEARCH_DATE_DESC;
        else
            return bad(p, "sort: expected relevance, date or -date, got "
                          "'%.60s'", value);
    } else if (strcmp(key, "since") == 0) {
        r->since = *value ? value : NULL;
    } else if (strcmp(key, "until") == 0) {
        r->until = *value ? value : NULL;
    } else if (strcmp(key, "source") == 0) {
        if (r->n_sources == MAX_SOURCES)
            return bad(p, "source: at most %s sources", "32");
        if (*value)
            p->sources[r->n_sources++] = value;
    } else if (strcmp(key, "collapse") == 0 && strcmp(value, "story") == 0) {
        r->collapse = 1; /* one hit per story (stories.h) */
        r->collapse_story = 1;
    } else if (strcmp(key, "collapse") == 0 || strcmp(key, "explain") == 0 ||
               strcmp(key, "facets") == 0) {
        int on = strcmp(value, "1") == 0 || strcmp(value, "true") == 0;
        if (!on && strcmp(value, "0") != 0 && strcmp(value, "false") != 0)
            return bad(p, key[0] == 'c'
                              ? "collapse: expected 1, 0 or story: '%.60s'"
                              : "expected 0 or 1 (true or false): '%.60s'",
                       value);
        if (key[0] == 'c') {
            r->collapse = on;
            r->collapse_story = 0;
        } else if (key[0] == 'e')
            r->explain = on;
        else
            r->facets = on; /* facets=0: a client that shows none */
    } else {
        return bad(p, "unknown parameter '%.60s'", key);
    }
    return MHD_YES;
}

static void params_read(struct MHD_Connection *c, params_t *p)
{
    memset(p, 0, sizeof *p);
    search_request_t *r = &p->req;
    r->limit = conf->limit ? conf->limit : 10;
    if (r->limit > MAX_LIMIT)
        r->limit = MAX_LIMIT;
    r->collapse = 1;
    r->fields = r->snippets = r->suggest = r->facets = 1;
    r->sources = p->sources;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, param, p);
}

/* Run P's search on this thread's searcher, again while the index
 * changes. Returns 0 with RES filled (free it), else the HTTP status of
 * the failure with *ERR a message (free it). */
static int search(params_t *p, search_result_t *res, char **err)
{
    worker_t *w = worker_get();
    *err = NULL;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        free(*err);
        *err = NULL;
        if (attempt)
            pause_ms(20L * attempt);
        nx_status_t s = worker_ready(w, err);
        if (s != NX_OK) {
            if (s == NX_NO_INDEX && attempt + 1 == ATTEMPTS)
                return 503;
            continue;
        }
        search_status_t st = search_run(w->se, &p->req, res);
        if (st == SEARCH_OK)
            return 0;
        if (st == SEARCH_BAD_QUERY || st == SEARCH_NO_WORDS) {
            *err = st == SEARCH_BAD_QUERY
                       ? xstrdup(res->error)
                       : xstrdup("the query holds no searchable word");
            search_result_free(res);
            return 400;
        }
        *err = xstrdup(res->error ? res->error : "search failed");
        search_result_free(res);
        worker_close(w); /* a handle that failed: open afresh */
    }
    if (!*err)
        *err = xstrdup("the index is busy");
    return 503;
}

/* The article ID of the index into A; 0 or the HTTP status of a failure
 * (*ERR a message to free). */
static int article(const char *id, stored_article_t *a, char **err)
{
    worker_t *w = worker_get();
    *err = NULL;
    nx_status_t s = NX_OK;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        free(*err);
        *err = NULL;
        if (attempt)
            pause_ms(20L * attempt);
        s = worker_ready(w, err);
        if (s != NX_OK)
            continue;
        s = stored_article_get(w->db, id, a);
        if (s == NX_OK)
            return 0;
        stored_article_free(a);
        if (s == NX_NOT_FOUND) {
            *err = xstrdup("no article with that id");
            return 404;
        }
        *err = xstrdup(nx_db_strerror(w->db, s));
        worker_close(w);
    }
    if (!*err)
        *err = xstrdup(nx_status_to_string(s));
    return index_status(s);
}

static void api_search_reply(struct MHD_Connection *c, reply_t *r)
{
    params_t p;
    params_read(c, &p);
    if (p.error[0])
        return reply_json_error(r, 400, p.error);
    if ((!p.req.text || !*p.req.text) && !p.req.like)
        return reply_json_error(r, 400, "q: no query given");
    search_result_t res;
    char *err = NULL;
    int status = search(&p, &res, &err);
    if (status)
        reply_json_error(r, status, err);
    else
        reply_take(r, 200, json_type, api_search(&p.req, &res));
    if (!status)
        search_result_free(&res);
    free(err);
}

static void page_reply(struct MHD_Connection *c, reply_t *r)
{
    params_t p;
    params_read(c, &p);
    buf_t b = BUF_INIT;
    if (p.error[0]) {
        page_search(&b, &p.req, NULL, p.error);
        return reply_html(r, 400, &b);
    }
    if ((!p.req.text || !*p.req.text) && !p.req.like) {
        p.req.text = NULL;
        page_search(&b, &p.req, NULL, NULL);
        return reply_html(r, 200, &b);
    }
    search_result_t res;
    char *err = NULL;
    int status = search(&p, &res, &err);
    /* a reader is told what to do, the index's own words go to the API */
    page_search(&b, &p.req, status ? NULL : &res,
                status == 503 ? "الفهرس غير متاح الآن؛ أعد المحاولة بعد قليل."
                              : err);
    if (!status)
        search_result_free(&res);
    free(err);
    reply_html(r, status ? status : 200, &b);
}

static void article_reply(const char *id, int json, reply_t *r)
{
    stored_article_t a;
    char *err = NULL;
    int status = *id ? article(id, &a, &err) : 404;
    if (status) {
        const char *msg = err ? err : "no article with that id";
        if (json)
            reply_json_error(r, status, msg);
        else
            reply_html_error(r, status, status == 404
                                            ? "لا توجد مقالة بهذا المعرّف."
                                            : msg);
        free(err);
        return;
    }
    if (json) {
        reply_take(r, 200, json_type, api_article(&a));
    } else {
        buf_t b = BUF_INIT;
        page_article(&b, &a);
        reply_html(r, 200, &b);
    }
    stored_article_free(&a);
}

static void health_reply(reply_t *r)
{
    worker_t *w = worker_get();
    char *err = NULL, *built = NULL;
    uint32_t docs = 0;
    nx_status_t s = worker_ready(w, &err);
    if (s == NX_OK)
        s = nx_db_doccount(w->db, &docs);
    if (s == NX_OK)
        s = nx_db_get_metadata(w->db, META_BUILT, &built);
    if (s == NX_OK)
        reply_take(r, 200, json_type, api_health(docs, built));
    else
        reply_json_error(r, 503, err ? err : nx_status_to_string(s));
    free(built);
    free(err);
}

/* Route URL (the path, unescaped by libmicrohttpd) to its reply. */
static void route(struct MHD_Connection *c, const char *url, reply_t *r)
{
    if (strcmp(url, "/") == 0)
        page_reply(c, r);
    else if (strcmp(url, "/style.css") == 0)
        reply_take(r, 200, "text/css; charset=utf-8", xstrdup(page_css));
    else if (strcmp(url, "/api/search") == 0)
        api_search_reply(c, r);
    else if (strncmp(url, "/api/article/", 13) == 0)
        article_reply(url + 13, 1, r);
    else if (strncmp(url, "/article/", 9) == 0)
        article_reply(url + 9, 0, r);
    else if (strcmp(url, "/healthz") == 0)
        health_reply(r);
    else if (strncmp(url, "/api/", 5) == 0)
        reply_json_error(r, 404, "no such API");
    else
        reply_html_error(r, 404, "لا توجد صفحة بهذا العنوان.");
}

static enum MHD_Result send_reply(struct MHD_Connection *c, reply_t *r,
                                  const char *allow)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->len, r->body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(r->body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", r->type);
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (allow)
        MHD_add_response_header(resp, "Allow", allow);
    if (atomic_load(&stopping))
        MHD_add_response_header(resp, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* Per request: whether it came with a body (refused), counted in flight. */
typedef struct request {
    int body;
} request_t;

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)cls; (void)version; (void)upload;
    request_t *rq = *con_cls;
    if (!rq) {
        rq = xcalloc(1, sizeof *rq);
        *con_cls = rq;
        atomic_fetch_add(&in_flight, 1);
        return MHD_YES;
    }
    if (*upload_size) {
        rq->body = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    reply_t r = { 0, NULL, NULL, 0 };
    int api = strncmp(url, "/api/", 5) == 0 || strcmp(url, "/healthz") == 0;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        if (api)
            reply_json_error(&r, 405, "only GET and HEAD");
        else
            reply_html_error(&r, 405, "لا يُقبل إلا GET و HEAD.");
        return send_reply(c, &r, "GET, HEAD");
    }
    const char *raw = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                  "Content-Length");
    if (rq->body || (raw && strcmp(raw, "0") != 0) ||
        strlen(url) > MAX_URL_BYTES) {
        const char *msg = rq->body || raw ? "a GET request takes no body"
                                          : "the URL is too long";
        if (api)
            reply_json_error(&r, 400, msg);
        else
            reply_html_error(&r, 400, msg);
        return send_reply(c, &r, NULL);
    }
    route(c, url, &r);
    if (r.status >= 500)
        warnx_("%s %s: %d", method, url, r.status);
    return send_reply(c, &r, NULL);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls; (void)c; (void)toe;
    if (*con_cls) {
        free(*con_cls);
        *con_cls = NULL;
        atomic_fetch_sub(&in_flight, 1);
    }
}

/* "[ADDR:]PORT" into A (ADDR an IPv4 address; 127.0.0.1 when absent). */
static int parse_listen(const char *s, struct sockaddr_in *a)
{
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const char *colon = strrchr(s, ':');
    const char *port = colon ? colon + 1 : s;
    if (colon) {
        char addr[64];
        size_t n = (size_t)(colon - s);
        if (n == 0 || n >= sizeof addr)
            return 0;
        memcpy(addr, s, n);
        addr[n] = '\0';
        if (inet_pton(AF_INET, addr, &a->sin_addr) != 1)
            return 0;
    }
    unsigned long p = 0;
    if (!parse_count(port, 65535, &p))
        return 0;
    a->sin_port = htons((uint16_t)p);
    return 1;
}

int server_run(const server_opts_t *o)
{
    struct sockaddr_in addr;
    if (!parse_listen(o->listen, &addr))
        return usage_fail("--serve: expected [ADDR:]PORT (ADDR an IPv4 "
                          "address, PORT 0 to 65535): '%s'", o->listen);
    unsigned threads = o->threads;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 && n <= 64 ? (unsigned)n : 1;
    }
    conf = o;
    pthread_key_create(&worker_key, worker_free);
    /* The workers inherit a mask without these: the main thread takes
     * them with sigwait. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
                     MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, handle, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_END);
    if (!d) {
        warnx_("--serve %s: cannot listen: %s", o->listen, strerror(errno));
        pthread_key_delete(worker_key);
        return 3;
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char ip[INET_ADDRSTRLEN] = "";
    inet_ntop(AF_INET, &addr.sin_addr, ip, sizeof ip);
    warnx_("serving %s at http://%s:%u/ with %u threads", o->db, ip,
           info ? (unsigned)info->port : 0u, threads);
    int sig = 0;
    sigwait(&stop, &sig);
    /* Stop accepting (the listening socket stays open, unread, until
     * MHD_stop_daemon: libmicrohttpd's rule) and let the connections
     * already accepted finish their request; answers now close them. */
    atomic_store(&stopping, 1);
    MHD_quiesce_daemon(d);
    const union MHD_DaemonInfo *c =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    warnx_("stopping (%s): %u connections open",
           sig == SIGINT ? "SIGINT" : "SIGTERM",
           c ? c->num_connections : 0u);
    for (int i = 0; i < DRAIN_SECONDS * 100; i++) {
        c = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (atomic_load(&in_flight) == 0 && (!c || c->num_connections == 0))
            break;
        pause_ms(10);
    }
    MHD_stop_daemon(d);
    pthread_key_delete(worker_key);
    warnx_("stopped (%s)", sig == SIGINT ? "SIGINT" : "SIGTERM");
    return 0;
}
