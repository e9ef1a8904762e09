/*
 * buildlock.c: the one-writer lock of an index (build.h build_lock): see
 * build.c for why our own lock beside Xapian's.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build_impl.h"

int build_lock(const char *dbpath, double wait, int *exit_status)
{
    struct stat st;
    int e = make_parent_dirs(dbpath);
    if (!e && mkdir(dbpath, 0777) != 0) {
        e = errno;
        if (e == EEXIST)
            e = stat(dbpath, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    }
    if (e) {
        warn_path(dbpath, "cannot create the index folder: %s", strerror(e));
        *exit_status = EXIT_INDEX;
        return -1;
    }
    buf_t path = BUF_INIT;
    buf_printf(&path, "%s/%s", dbpath, LAYOUT_LOCK);
    long holder;
    int fd = pidlock_acquire(path.data, wait, &holder, &e);
    buf_free(&path);
    if (fd == -1) {
        if (holder > 0)
            warn_path(dbpath, "index is locked by pid %ld (another newsidx "
                      "build); use --wait SECONDS to wait", holder);
        else
            warn_path(dbpath, "index is locked by another newsidx build; "
                      "use --wait SECONDS to wait");
        *exit_status = EXIT_LOCKED;
    } else if (fd < 0) {
        warn_path(dbpath, "cannot lock the index: %s", strerror(e));
        *exit_status = EXIT_INDEX;
    }
    return fd;
}
