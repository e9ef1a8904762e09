/*
 * server.h: newsq --serve, the search over HTTP (libmicrohttpd): the
 * search page at / (server-rendered, Arabic, right to left: page.h) and
 * the JSON API under /api/ (api.h), both answered by search_run().
 *
 * Each worker thread of the pool has its own index handle and analyzer,
 * made on its first request and reopened at every request, so that a
 * commit of `newsidx build` or the index swapped in by `newsidx compact`
 * is seen without a restart. SIGTERM or SIGINT: stop accepting, finish the
 * requests in flight, return 0.
 */
#ifndef NX_SERVER_H
#define NX_SERVER_H

typedef struct server_opts {
    const char *db;       /* the index (newsq's --db, config, default) */
    const char *listen;   /* "[ADDR:]PORT"; ADDR 127.0.0.1 when absent;
                             PORT 0: any free port (printed on stderr) */
    unsigned threads;     /* worker threads (0: the number of cores) */
    unsigned limit;       /* hits per page when the request does not say */
    double timeout;       /* remote shards (newsq --timeout; 0: Xapian's) */
} server_opts_t;

/* Serve until SIGTERM or SIGINT. Returns newsq's exit status: 0 after a
 * signal, 2 for a bad --serve or --threads, 3 when it cannot listen. */
int server_run(const server_opts_t *o);

/* newsq --serve: run server_run in the program newsq-server, found beside
 * this program, else in NEWSQ_SERVER (serve_exec.c). Returns only when it
 * cannot be run: 3, with a message. */
int server_exec(const server_opts_t *o);

#endif
