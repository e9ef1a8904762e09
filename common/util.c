/*
 * util.c: buffers, checked allocation, file reading, hashing and the index
 * location rules declared in util.h.
 */
#include "util.h"

#include "messages.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *progname = "newsidx";

static void die_nomem(void)
{
    fprintf(stderr, "%s: out of memory\n", progname);
    exit(70);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die_nomem();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die_nomem();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die_nomem();
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static void buf_grow(buf_t *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void buf_append(buf_t *b, const void *p, size_t n)
{
    buf_grow(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(buf_t *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_putc(buf_t *b, char c)
{
    buf_append(b, &c, 1);
}

void buf_vprintf(buf_t *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n >= 0) {
        buf_grow(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void buf_printf(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_reset(buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void buf_free(buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

const char *buf_cstr(buf_t *b)
{
    return b->data ? b->data : "";
}

int read_file(const char *path, size_t max_bytes, char **data, size_t *len,
              int *truncated)
{
    *data = NULL;
    *len = 0;
    if (truncated)
        *truncated = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return errno;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return e;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return EISDIR;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return EINVAL; /* FIFOs and devices could block or never end */
    }
    size_t cap = (size_t)st.st_size + 1;
    if (max_bytes && cap > max_bytes + 1)
        cap = max_bytes + 1;
    char *p = xmalloc(cap);
    size_t n = 0;
    for (;;) {
        if (n + 1 >= cap) {
            if (max_bytes && n >= max_bytes) {
                char c;
                ssize_t r = read(fd, &c, 1);
                if (r > 0 && truncated)
                    *truncated = 1;
                break;
            }
            cap *= 2;
            if (max_bytes && cap > max_bytes + 1)
                cap = max_bytes + 1;
            p = xrealloc(p, cap);
        }
        ssize_t r = read(fd, p + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(p);
            close(fd);
            return e;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    p[n] = '\0';
    *data = p;
    *len = n;
    return 0;
}

uint64_t hash64(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void (*warn_hook)(void);

void buf_escape_controls(buf_t *b, const char *s, size_t n, int escape_lines)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (escape_lines && (c == '\n' || c == '\t' || c == '\r' ||
                             c == '\\')) {
            buf_puts(b, c == '\n' ? "\\n" : c == '\t' ? "\\t"
                        : c == '\r' ? "\\r" : "\\\\");
        } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
            buf_printf(b, "\\x%02x", c);
        } else if (c == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 &&
                   p[i + 1] <= 0x9f) {
            /* A C1 control (U+0080-U+009F): CSI is one of them. */
            buf_printf(b, "\\xc2\\x%02x", p[i + 1]);
            i++;
        } else {
            buf_putc(b, (char)c);
        }
    }
}

void fput_escaped(FILE *out, const char *s, size_t n)
{
    buf_t b = BUF_INIT;
    buf_escape_controls(&b, s, n, 0);
    if (b.len)
        fwrite(b.data, 1, b.len, out);
    buf_free(&b);
}

/* "PROG: " then the formatted message and a newline, on stderr, as one
 * line even when threads warn at once. */
static void vwarn(const char *fmt, va_list ap)
{
    fmt = msg_tr(fmt); /* messages.h: translated by their English format */
    flockfile(stderr);
    if (warn_hook)
        warn_hook();
    /* Whatever the message quotes (a query, a path, Xapian's words) reaches
     * no terminal as a control sequence. */
    buf_t m = BUF_INIT, e = BUF_INIT;
    buf_vprintf(&m, fmt, ap);
    buf_escape_controls(&e, buf_cstr(&m), m.len, 0);
    fprintf(stderr, "%s: %s\n", progname, buf_cstr(&e));
    buf_free(&m);
    buf_free(&e);
    funlockfile(stderr);
}

void warnx_(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
}

void warn_path(const char *path, const char *fmt, ...)
{
    buf_t b = BUF_INIT;
    buf_escape_controls(&b, path, strlen(path), 1);
    buf_puts(&b, ": ");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, msg_tr(fmt), ap);
    va_end(ap);
    warnx_("%s", b.data);
    buf_free(&b);
}

int usage_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
    fprintf(stderr, msg_tr("Try '%s --help'.\n"), progname);
    return 2;
}

int want_color(FILE *f)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return 0;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return 0;
    return isatty(fileno(f));
}

char *db_path_resolve(const char *explicit_path)
{
    if (explicit_path && *explicit_path)
        return xstrdup(explicit_path);
    const char *env = getenv("NEWSIDX_DB");
    if (env && *env)
        return xstrdup(env);
    return db_path_default();
}

char *db_path_default(void)
{
    buf_t b = BUF_INIT;
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg == '/')
        buf_printf(&b, "%s/newsidx/index", xdg);
    else if (home && *home)
        buf_printf(&b, "%s/.local/share/newsidx/index", home);
    else
        return NULL;
    return b.data;
}

int make_parent_dirs(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            free(p);
            return e;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type,
                        struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : errno;
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : errno;
}

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The pid of the process holding a lock that conflicts with ours on FD: the
 * kernel's answer (F_GETLK), else the number written in the file. 0 when it
 * cannot be told, -1 when the file is no longer locked. */
static long lock_holder(int fd)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    if (fcntl(fd, F_GETLK, &fl) == 0) {
        if (fl.l_type == F_UNLCK)
            return -1;
        if (fl.l_pid > 0)
            return (long)fl.l_pid;
    }
    char text[24];
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    if (n <= 0)
        return 0;
    text[n] = '\0';
    long pid = strtol(text, NULL, 10);
    return pid > 0 ? pid : 0;
}

int pidlock_acquire(const char *path, double wait_seconds, long *holder,
                    int *err)
{
    *holder = 0;
    *err = 0;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
    if (fd < 0) {
        *err = errno;
        return -2;
    }
    double deadline = now_seconds() + (wait_seconds > 0 ? wait_seconds : 0);
    for (;;) {
        struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
        if (fcntl(fd, F_SETLK, &fl) == 0)
            break;
        if (errno == EINTR)
            continue;
        if (errno != EACCES && errno != EAGAIN) {
            *err = errno;
            close(fd);
            return -2;
        }
        long h = lock_holder(fd);
        if (h < 0)
            continue; /* released in between: try again at once */
        if (now_seconds() >= deadline) {
            *holder = h;
            close(fd);
            return -1;
        }
        struct timespec pause = { 0, 50 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }
    /* Ours now. Record the pid for people: overwrite, then cut what a longer
     * pid may have left. A failure here is harmless (the kernel's lock is
     * what counts, and lock_holder asks the kernel first). */
    char text[24];
    int n = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    if (pwrite(fd, text, (size_t)n, 0) == n) {
        if (ftruncate(fd, n) != 0) {
            /* harmless: see above */
        }
    }
    return fd;
}

void pidlock_release(int fd)
{
    if (fd >= 0)
        close(fd); /* drops the record lock */
}

int parse_count(const char *s, unsigned long max, unsigned long *v)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return 0;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (*end || errno || x > max)
        return 0;
    *v = (unsigned long)x;
    return 1;
}
