/*
 * A scratch directory for file-system tests: each test makes its own under /tmp (the host's
 * /tmp natively, Jux's tmpfs under Jux), works inside it through relative paths, and removes
 * it at the end. Nothing printed may depend on its random name.
 */
#ifndef FS_SCRATCH_H
#define FS_SCRATCH_H

#include "jux_test.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

static char scratch_dir[64];

/* Creates /tmp/juxtest.XXXXXX and makes it the working directory. */
static void scratch_enter(void) {
    strcpy(scratch_dir, "/tmp/juxtest.XXXXXX");
    if (!mkdtemp(scratch_dir) || chdir(scratch_dir) != 0) {
        printf("cannot make a scratch directory: %s\n", errname(errno));
        exit(1);
    }
}

static void remove_tree(int dirfd, const char *name) {
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (fd >= 0) {
        DIR *d = fdopendir(fd);
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) remove_tree(fd, e->d_name);
        }
        closedir(d);
        unlinkat(dirfd, name, AT_REMOVEDIR);
    } else {
        unlinkat(dirfd, name, 0);
    }
}

/* Leaves the scratch directory and removes it with everything in it. */
static void scratch_leave(void) {
    if (chdir("/tmp") != 0) return;
    fchmodat(AT_FDCWD, scratch_dir, 0700, 0);
    remove_tree(AT_FDCWD, scratch_dir);
    struct stat st;
    if (stat(scratch_dir, &st) == 0) printf("scratch directory left behind\n");
}

#endif
