/*
 * util.h: small helpers shared by both programs: a growable byte buffer,
 * allocation that dies cleanly on exhaustion, whole-file reading, a 64-bit
 * content hash, and the rules for finding the index.
 */
#ifndef NX_UTIL_H
#define NX_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Allocation that never returns NULL: on exhaustion it prints
 * "PROG: out of memory" and exits with status 70 (EX_SOFTWARE). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growable byte buffer, always NUL-terminated after LEN bytes. */
typedef struct buf {
    char *data; /* NULL until the first append */
    size_t len, cap;
} buf_t;

#define BUF_INIT { NULL, 0, 0 }
void buf_append(buf_t *b, const void *p, size_t n);
void buf_puts(buf_t *b, const char *s);
void buf_putc(buf_t *b, char c);
void buf_printf(buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf_t *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void buf_reset(buf_t *b);          /* len = 0, keeps the memory */
void buf_free(buf_t *b);           /* frees; B is empty and reusable */
const char *buf_cstr(buf_t *b);    /* "" for an empty buffer, never NULL */

/*
 * Read the file at PATH, at most MAX_BYTES (0: no limit). On success returns
 * 0, *DATA is malloc'd (NUL-terminated, caller frees) and *LEN its length;
 * *TRUNCATED (if not NULL) is 1 when the file was longer than MAX_BYTES.
 * On failure returns an errno value and leaves *DATA NULL.
 */
int read_file(const char *path, size_t max_bytes, char **data, size_t *len,
              int *truncated);

/* FNV-1a 64-bit: a stable content hash (not cryptographic). */
uint64_t hash64(const void *p, size_t n);

/* The program name for diagnostics ("newsidx", "newsq"). */
extern const char *progname;

/* Print "PROG: message\n" on stderr. */
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * "PROG: PATH: message" on stderr, PATH with its control characters and
 * backslashes escaped (\n, \t, \r, \xHH, \\) so that a file name holding a
 * newline still makes one line. Other bytes (UTF-8 included) are kept.
 */
void warn_path(const char *path, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Append S (N bytes) to B with its control characters written out: C0
 * controls, DEL and C1 controls (U+0080-U+009F) as \xHH; with
 * ESCAPE_LINES also newline, tab, carriage return (\n, \t, \r) and
 * backslash (\\), so that the whole stays one line; without, newline
 * and tab stay. Other bytes (UTF-8 included) are kept. Every text that
 * reaches a terminal or a text output goes through this: no escape
 * sequence from a file name, an article or a query gets through.
 */
void buf_escape_controls(buf_t *b, const char *s, size_t n, int escape_lines);
/* The same, written to OUT (newline and tab kept). */
void fput_escaped(FILE *out, const char *s, size_t n);

/* Called (with stderr locked) before every warning is printed: the
 * progress line uses it to clear itself. NULL: nothing. */
extern void (*warn_hook)(void);

/* Print "PROG: message\nTry 'PROG --help'.\n" on stderr; returns 2, the
 * usage-error exit status of both programs. */
int usage_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Is this stream a terminal that wants colour (isatty and NO_COLOR unset)? */
int want_color(FILE *f);

/* S, all decimal digits (no sign, no space), as *V when at most MAX:
 * 1, else 0 (NULL and "" too). newsq's options and the server's
 * parameters read numbers alike. */
int parse_count(const char *s, unsigned long max, unsigned long *v);

/*
 * The index location: EXPLICIT if not NULL, else $NEWSIDX_DB, else
 * $XDG_DATA_HOME/newsidx/index, else $HOME/.local/share/newsidx/index.
 * Returns a malloc'd path, or NULL when none can be formed (no HOME).
 * The programs go through config.h, which puts the config file's db between
 * NEWSIDX_DB and db_path_default.
 */
char *db_path_resolve(const char *explicit_path);
/* The last two rules alone: the default index location, or NULL. */
char *db_path_default(void);

/* mkdir -p for the parent folders of PATH. 0 or an errno value. */
int make_parent_dirs(const char *path);

/* rm -rf PATH (no symbolic link followed). 0 or an errno value. */
int remove_tree(const char *path);

/* Seconds since an arbitrary fixed point (monotonic clock). */
double now_seconds(void);

/*
 * An exclusive lock between processes on the file PATH (created if missing,
 * mode 0644; its folder must exist). It is a POSIX record lock (fcntl
 * F_SETLK) on the whole file, so the kernel drops it when the process exits
 * or dies, even by SIGKILL: it is never left stale. The holder's pid is also
 * written into the file, for people. WAIT_SECONDS: 0 tries once; otherwise
 * the lock is retried every 50 ms for that long.
 *
 * Returns a file descriptor (>= 0) that holds the lock until it is closed
 * (pidlock_release, or the process ends). Returns -1 when another process
 * holds the lock: *HOLDER is its pid (0 if it cannot be told). Returns -2
 * when the file cannot be opened or locked: *ERR is the errno value.
 * POSIX locks are per process and any close() of the same file drops them:
 * open PATH nowhere else in the process.
 */
int pidlock_acquire(const char *path, double wait_seconds, long *holder,
                    int *err);
/* Release the lock taken by pidlock_acquire (FD < 0 is ignored). */
void pidlock_release(int fd);

#endif /* NX_UTIL_H */
