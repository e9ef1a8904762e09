/*
 * server_main.c: newsq-server, the program of newsq --serve (server.h,
 * serve_exec.c). newsq reads and checks the options and the config file,
 * then runs it with what they say: DB [ADDR:]PORT THREADS LIMIT TIMEOUT.
 * It is not a command of its own: its messages are newsq's.
 */
#include <stdio.h>
#include <stdlib.h>

#include "server.h"
#include "util.h"

int main(int argc, char **argv)
{
    progname = "newsq";
    if (argc != 6) {
        fprintf(stderr, "newsq-server: run by 'newsq --serve'\n");
        return 2;
    }
    server_opts_t o = {
        .db = argv[1], .listen = argv[2],
        .threads = (unsigned)strtoul(argv[3], NULL, 10),
        .limit = (unsigned)strtoul(argv[4], NULL, 10),
        .timeout = strtod(argv[5], NULL),
    };
    return server_run(&o);
}
