// Path resolution (path_resolution(7)): symlinks relative, absolute, in the middle and at the
// end, loops and the 40-link limit, trailing slashes, "." and "..", empty paths and
// AT_EMPTY_PATH, dirfds, ENOTDIR and ENAMETOOLONG.
#include "fs_scratch.h"

static void show_stat(const char *what, int r, struct stat *st) {
    if (r != 0) printf("%s: %s\n", what, errname(errno));
    else if (S_ISDIR(st->st_mode)) printf("%s: directory\n", what);   /* directory sizes differ between file systems */
    else printf("%s: type %o size %ld\n", what, st->st_mode & S_IFMT, (long)st->st_size);
}

#define ST(path) do { struct stat st_; errno = 0; show_stat("stat " path, stat(path, &st_), &st_); } while (0)
#define LST(path) do { struct stat st_; errno = 0; show_stat("lstat " path, lstat(path, &st_), &st_); } while (0)

int main(void) {
    scratch_enter();
    char cwd[4096];
    mkdir("d", 0755);
    mkdir("d/sub", 0755);
    int fd = open("d/file", O_WRONLY | O_CREAT, 0644);
    write(fd, "12345", 5);
    close(fd);

    /* Relative and absolute symlinks, in the middle and at the end. */
    symlink("d", "ld");
    symlink("file", "d/lf");
    symlink("../d/sub", "d/sub/self");
    getcwd(cwd, sizeof cwd);
    char abs[4200];
    snprintf(abs, sizeof abs, "%s/d/file", cwd);
    symlink(abs, "abs");
    symlink("nowhere", "dangling");
    symlink("loop1", "loop2");
    symlink("loop2", "loop1");
    symlink("d/file/", "slashlink");
    symlink("", "empty") == 0 ? printf("empty symlink made\n") : printf("empty symlink: %s\n", errname(errno));

    ST("ld");
    LST("ld");
    ST("ld/file");
    ST("ld/lf");
    LST("ld/lf");
    ST("d/sub/self/self/self/../file");
    ST("abs");
    LST("abs");
    ST("dangling");
    LST("dangling");
    ST("loop1");
    LST("loop1");
    ST("loop1/x");
    ST("slashlink");
    ST("d/file/");
    ST("d/file/.");
    ST("d/file/..");
    ST("d/sub/");
    ST("d//sub///");
    ST("ld/");
    LST("ld/");
    ST("d/missing/x");
    ST("d/missing");
    ST("");
    ST(".");
    ST("..");
    ST("/..");
    ST("/../../tmp");
    ST("d/./sub/../file");

    /* A chain of 40 symlinks resolves; 41 is ELOOP. */
    char name[32], target[32];
    symlink("d/file", "c0");
    for (int i = 1; i <= 40; i++) {
        snprintf(name, sizeof name, "c%d", i);
        snprintf(target, sizeof target, "c%d", i - 1);
        symlink(target, name);
    }
    ST("c39");
    ST("c40");
    LST("c40");

    /* O_NOFOLLOW: ELOOP on a final symlink, fine in the middle; O_PATH|O_NOFOLLOW opens the link. */
    SHOW_ERR(open("ld", O_RDONLY | O_NOFOLLOW));
    SHOW_ERR(open("ld/file", O_RDONLY | O_NOFOLLOW));
    int pl = open("dangling", O_PATH | O_NOFOLLOW);
    CHECK(pl >= 0);
    struct stat st;
    fstat(pl, &st);
    printf("O_PATH symlink type %o\n", st.st_mode & S_IFMT);
    char buf[64] = {0};
    SHOW_RET(readlinkat(pl, "", buf, sizeof buf));
    printf("readlinkat(fd, \"\") '%s'\n", buf);
    SHOW_ERR(fstatat(pl, "", &st, AT_EMPTY_PATH));
    printf("AT_EMPTY_PATH type %o\n", st.st_mode & S_IFMT);

    /* O_CREAT through a dangling symlink creates its target; with O_EXCL it is EEXIST. */
    SHOW_ERR(open("dangling", O_WRONLY | O_CREAT | O_EXCL, 0600));
    fd = open("dangling", O_WRONLY | O_CREAT, 0600);
    CHECK(fd >= 0);
    close(fd);
    ST("nowhere");

    /* dirfds */
    int dfd = open("d", O_RDONLY | O_DIRECTORY);
    SHOW_ERR(fstatat(dfd, "file", &st, 0));
    SHOW_ERR(fstatat(dfd, "lf", &st, AT_SYMLINK_NOFOLLOW));
    printf("lf type %o\n", st.st_mode & S_IFMT);
    SHOW_ERR(fstatat(dfd, "", &st, 0));
    SHOW_ERR(fstatat(dfd, "", &st, AT_EMPTY_PATH));
    SHOW_ERR(fstatat(dfd, "sub/..", &st, 0));
    SHOW_ERR(fstatat(dfd, "x", &st, 0x4));
    int ffd = open("d/file", O_RDONLY);
    SHOW_ERR(fstatat(ffd, "x", &st, 0));
    SHOW_ERR(fstatat(ffd, "", &st, AT_EMPTY_PATH));
    printf("size %ld\n", (long)st.st_size);
    SHOW_ERR(fstatat(999, "x", &st, 0));
    SHOW_ERR(fstatat(999, "/tmp", &st, 0));
    SHOW_ERR(fstatat(AT_FDCWD, (char *)1, &st, 0));

    /* Name and path lengths */
    char longname[300];
    memset(longname, 'x', 255);
    longname[255] = 0;
    SHOW_ERR(mkdir(longname, 0755));
    SHOW_ERR(rmdir(longname));
    longname[255] = 'x';
    longname[256] = 0;
    SHOW_ERR(mkdir(longname, 0755));
    SHOW_ERR(lstat(longname, &st));

    /* Non-UTF-8 names survive. */
    SHOW_ERR(mkdir("\xff\xfe", 0755));
    SHOW_ERR(stat("\xff\xfe", &st));
    SHOW_ERR(rmdir("\xff\xfe"));

    /* readlink */
    memset(buf, 0, sizeof buf);
    SHOW_RET(readlink("ld/lf", buf, sizeof buf));
    printf("'%s'\n", buf);
    memset(buf, 0, sizeof buf);
    SHOW_RET(readlink("ld/lf", buf, 2));
    printf("'%s'\n", buf);
    SHOW_ERR(readlink("d/file", buf, sizeof buf));
    SHOW_ERR(readlink("ld/lf", buf, 0));
    SHOW_ERR(readlink("missing", buf, sizeof buf));
    SHOW_ERR(readlink("", buf, sizeof buf));
    SHOW_ERR(readlink("ld/", buf, sizeof buf));

    /* chdir through a symlink; ".." goes to the real parent; getcwd shows the real path. */
    SHOW_ERR(chdir("ld/sub"));
    getcwd(buf, sizeof buf);
    printf("cwd ends with /d/sub: %s\n", strlen(buf) >= 6 && !strcmp(buf + strlen(buf) - 6, "/d/sub") ? "true" : "false");
    SHOW_ERR(stat("../file", &st));
    SHOW_ERR(chdir("../file"));
    SHOW_ERR(chdir("missing"));
    SHOW_ERR(fchdir(ffd));
    SHOW_ERR(fchdir(dfd));
    SHOW_ERR(stat("file", &st));
    SHOW_ERR(getcwd(buf, 2) == NULL ? -1 : 0);
    SHOW_ERR(chdir(scratch_dir));

    /* The root's ".." is the root. */
    SHOW_ERR(chdir("/.."));
    getcwd(buf, sizeof buf);
    printf("cwd '%s'\n", buf);
    SHOW_ERR(chdir(scratch_dir));

    scratch_leave();
    return 0;
}
