/*
 * cliopt.h: getopt_long's errors, said by us, with the closest valid option
 * ("unknown option '--limt' (did you mean --limit?)").
 *
 * Typical use:
 *     opterr = 0;                                   (getopt says nothing)
 *     while ((c = getopt_long(argc, argv, ":d:n:h", opts, NULL)) != -1)
 *         switch (c) {
 *         ...
 *         default: return cliopt_fail(c, argc, argv, opts, "");
 *         }
 * The ':' that starts the short options makes getopt_long return ':' for a
 * missing value, so that it can be told from an unknown option.
 */
#ifndef NX_CLIOPT_H
#define NX_CLIOPT_H

#include <getopt.h>

/*
 * Print the usage error for C, what getopt_long just returned ('?' or
 * ':'), naming the argument at fault; CONTEXT ("build: " or "") starts the
 * message. Reads optind and optopt as getopt_long left them. Returns 2,
 * the usage-error exit status.
 */
int cliopt_fail(int c, int argc, char **argv, const struct option *opts,
                const char *context);

/* The long option (without "--") that TYPED (with or without "--", up to
 * any '=') most likely meant, or NULL (didyoumean.h). */
const char *cliopt_closest(const char *typed, const struct option *opts);

#endif /* NX_CLIOPT_H */
