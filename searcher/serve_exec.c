/*
 * serve_exec.c: newsq --serve runs the server program, newsq-server
 * (server_main.c), in its own place (execv: the same process, so signals
 * and the exit status are the server's). The server is a program apart so
 * that a search does not load what only the server uses: libmicrohttpd,
 * with gnutls and its dependencies, and jansson. Loading them took more
 * than a third of a whole newsq process (bench/README.md, "Results").
 */
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define SERVER_NAME "newsq-server"

/* The server program beside this one (the build tree), in *PATH. */
static int beside_self(char *path, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", path, size - 1);
    if (n <= 0 || (size_t)n >= size - 1)
        return 0;
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    if (!slash || (size_t)(slash + 1 - path) + sizeof SERVER_NAME > size)
        return 0;
    memcpy(slash + 1, SERVER_NAME, sizeof SERVER_NAME);
    return access(path, X_OK) == 0;
}

int server_exec(const server_opts_t *o)
{
    char self[4096];
    const char *prog = beside_self(self, sizeof self) ? self : NEWSQ_SERVER;
    char threads[24], limit[24], timeout[40];
    snprintf(threads, sizeof threads, "%u", o->threads);
    snprintf(limit, sizeof limit, "%u", o->limit);
    snprintf(timeout, sizeof timeout, "%.17g", o->timeout);
    char *argv[] = { (char *)SERVER_NAME, (char *)o->db, (char *)o->listen,
                     threads, limit, timeout, NULL };
    fflush(NULL);
    execv(prog, argv);
    warnx_("--serve: cannot run %s: %s", prog, strerror(errno));
    return 3;
}
