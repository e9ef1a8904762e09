/*
 * replay.c: main() for a fuzz target built with fuzzing_engine=none. Runs
 * LLVMFuzzerTestOneInput once on each file named on the command line, and
 * on every file of each folder named (not recursively, sorted), then prints
 * "NAME: N passed, 0 failed". A broken invariant aborts (fuzz.h), and the
 * sanitizers of the build (ASan, UBSan) catch the rest: the test then fails.
 * The NAME is the program's name.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "util.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run the target on one file; 0, or 1 when it cannot be read. */
static int run_file(const char *path)
{
    char *data;
    size_t len;
    int e = read_file(path, 0, &data, &len, NULL);
    if (e) {
        fprintf(stderr, "%s: %s\n", path, strerror(e));
        return 1;
    }
    /* An exact-size copy, so that ASan sees a read past the end. */
    uint8_t *copy = xmalloc(len);
    memcpy(copy, data, len);
    free(data);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    return 0;
}

int main(int argc, char **argv)
{
    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    size_t passed = 0, failed = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
            failed++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[i]))
                failed++;
            else
                passed++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) {
            fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
            failed++;
            continue;
        }
        char **names = NULL;
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrdup(e->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof *names, cmp_str);
        for (size_t k = 0; k < n; k++) {
            buf_t path = BUF_INIT;
            buf_printf(&path, "%s/%s", argv[i], names[k]);
            if (run_file(path.data))
                failed++;
            else
                passed++;
            buf_free(&path);
            free(names[k]);
        }
        free(names);
    }
    if (passed + failed == 0)
        failed++; /* an empty corpus proves nothing */
    printf("%s: %zu passed, %zu failed\n", name, passed, failed);
    return failed ? 1 : 0;
}
