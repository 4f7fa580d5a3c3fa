// chmod, chown, utimensat/utimes/utime, truncate, access, umask, mknod, statx and statfs.
#include "fs_scratch.h"
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <utime.h>

static void mode_of(const char *p) {
    struct stat st;
    if (lstat(p, &st) != 0) printf("%s: %s\n", p, errname(errno));
    else printf("%s: mode %o uid %d gid %d\n", p, st.st_mode, st.st_uid, st.st_gid);
}

int main(void) {
    scratch_enter();
    umask(022);
    SHOW_RET(umask(077));
    SHOW_RET(umask(022));
    close(open("f", O_CREAT | O_WRONLY, 0666));
    mkdir("d", 0777);
    mode_of("f");
    mode_of("d");

    SHOW_ERR(chmod("f", 04755));
    mode_of("f");
    SHOW_ERR(chmod("f", 0170644));
    mode_of("f");
    SHOW_ERR(chmod("missing", 0644));
    symlink("f", "lf");
    SHOW_ERR(chmod("lf", 0600));
    mode_of("f");
    mode_of("lf");
    SHOW_ERR(fchmodat(AT_FDCWD, "f", 0640, 0));
    int fd = open("f", O_RDWR);
    SHOW_ERR(fchmod(fd, 02755));
    mode_of("f");
    /* A write by root (CAP_FSETID) keeps set-user-ID and set-group-ID. */
    SHOW_ERR(chmod("f", 06755));
    write(fd, "x", 1);
    mode_of("f");
    int op = open("f", O_PATH);
    /* The raw call: musl's fchmod retries an EBADF through /proc/self/fd, which needs procfs. */
    SHOW_ERR(syscall(SYS_fchmod, op, 0644));
    SHOW_ERR(fchmod(999, 0644));

    /* chown as root */
    SHOW_ERR(chown("f", 1000, 1000));
    mode_of("f");
    SHOW_ERR(chmod("f", 06755));
    SHOW_ERR(chown("f", -1, -1));
    mode_of("f");
    SHOW_ERR(lchown("lf", 12, 34));
    mode_of("lf");
    mode_of("f");
    SHOW_ERR(fchown(fd, 0, 0));
    SHOW_ERR(fchownat(AT_FDCWD, "lf", 5, 6, AT_SYMLINK_NOFOLLOW));
    mode_of("lf");
    SHOW_ERR(fchownat(AT_FDCWD, "lf", 5, 6, 0x4));
    SHOW_ERR(fchownat(fd, "", 7, 8, AT_EMPTY_PATH));
    mode_of("f");

    /* Timestamps */
    struct timespec ts[2] = {{1000000000, 123456789}, {1200000000, 987654321}};
    SHOW_ERR(utimensat(AT_FDCWD, "f", ts, 0));
    struct stat st;
    stat("f", &st);
    printf("atime %ld.%09ld mtime %ld.%09ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {5, 0}};
    SHOW_ERR(utimensat(AT_FDCWD, "f", omit, 0));
    stat("f", &st);
    printf("atime %ld mtime %ld\n", (long)st.st_atim.tv_sec, (long)st.st_mtim.tv_sec);
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    SHOW_ERR(utimensat(AT_FDCWD, "f", bad, 0));
    SHOW_ERR(utimensat(AT_FDCWD, "f", ts, 0x4));
    SHOW_ERR(utimensat(AT_FDCWD, "missing", ts, 0));
    SHOW_ERR(utimensat(AT_FDCWD, "lf", ts, AT_SYMLINK_NOFOLLOW));
    lstat("lf", &st);
    printf("symlink mtime %ld\n", (long)st.st_mtim.tv_sec);
    SHOW_ERR(futimens(fd, ts));
    SHOW_ERR(utimensat(fd, NULL, ts, AT_SYMLINK_NOFOLLOW));
    struct timeval tv[2] = {{100, 5}, {200, 7}};
    SHOW_ERR(utimes("f", tv));
    stat("f", &st);
    printf("atime %ld.%09ld mtime %ld.%09ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timeval badtv[2] = {{100, 1000000}, {200, 7}};
    SHOW_ERR(utimes("f", badtv));
    struct utimbuf ub = {300, 400};
    SHOW_ERR(utime("f", &ub));
    stat("f", &st);
    printf("atime %ld mtime %ld\n", (long)st.st_atim.tv_sec, (long)st.st_mtim.tv_sec);
    /* A write moves mtime and ctime to now. */
    write(fd, "y", 1);
    stat("f", &st);
    printf("mtime moved: %s\n", st.st_mtim.tv_sec > 400 ? "true" : "false");
    SHOW_ERR(utimensat(AT_FDCWD, "f", NULL, 0));
    stat("f", &st);
    printf("atime now: %s\n", st.st_atim.tv_sec > 400 ? "true" : "false");

    /* truncate */
    SHOW_ERR(truncate("f", 100));
    stat("f", &st);
    printf("size %ld\n", (long)st.st_size);
    SHOW_ERR(truncate("f", -1));
    SHOW_ERR(truncate("d", 0));
    SHOW_ERR(truncate("missing", 0));
    SHOW_ERR(truncate("lf", 3));
    stat("f", &st);
    printf("size %ld\n", (long)st.st_size);

    /* access: root may read and write anything, execute only with some x bit. */
    SHOW_ERR(chmod("f", 0));
    SHOW_ERR(access("f", R_OK | W_OK));
    SHOW_ERR(access("f", X_OK));
    SHOW_ERR(chmod("f", 0010));
    SHOW_ERR(access("f", X_OK));
    SHOW_ERR(access("f", 8));
    SHOW_ERR(access("missing", F_OK));
    SHOW_ERR(access("f/", F_OK));
    SHOW_ERR(faccessat(AT_FDCWD, "d", X_OK, AT_EACCESS));
    SHOW_ERR(syscall(SYS_faccessat2, AT_FDCWD, "lf", F_OK, AT_SYMLINK_NOFOLLOW));
    SHOW_ERR(syscall(SYS_faccessat2, AT_FDCWD, "lf", F_OK, 0x4));

    /* mknod */
    SHOW_ERR(mknod("fifo", S_IFIFO | 0644, 0));
    SHOW_ERR(mknod("chr", S_IFCHR | 0600, makedev(1, 3)));
    SHOW_ERR(mknod("reg", 0600, 0));
    SHOW_ERR(mknod("bad", S_IFDIR | 0600, 0));
    SHOW_ERR(mknod("fifo", S_IFIFO | 0644, 0));
    stat("chr", &st);
    printf("chr: mode %o rdev %d:%d size %ld\n", st.st_mode, major(st.st_rdev), minor(st.st_rdev), (long)st.st_size);
    mode_of("fifo");
    mode_of("reg");
    SHOW_ERR(mkfifoat(AT_FDCWD, "fifo2", 0600));

    /* statx (musl has no struct statx) */
#ifdef STATX_TYPE
    struct statx sx;
    SHOW_ERR(statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &sx));
    printf("statx: mode %o nlink %d size %lld basic %s\n", sx.stx_mode, sx.stx_nlink, (long long)sx.stx_size,
           (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS ? "true" : "false");
    SHOW_ERR(statx(AT_FDCWD, "lf", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx));
    printf("statx lf: mode %o\n", sx.stx_mode);
    SHOW_ERR(statx(AT_FDCWD, "f", 0x6000, STATX_BASIC_STATS, &sx));
    SHOW_ERR(statx(AT_FDCWD, "f", 0, 0x80000000, &sx));
    SHOW_ERR(statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx));
    stat("f", &st);
    printf("statx ino matches stat: %s\n", sx.stx_ino == st.st_ino ? "true" : "false");
#endif

    /* statfs */
    struct statfs sf;
    SHOW_ERR(statfs(".", &sf));
    printf("namelen %ld bsize %ld\n", (long)sf.f_namelen, (long)sf.f_bsize);
    SHOW_ERR(statfs("missing", &sf));
    SHOW_ERR(fstatfs(fd, &sf));
    SHOW_ERR(fstatfs(999, &sf));

    /* fallocate, fsync */
    int g = open("g", O_RDWR | O_CREAT, 0644);
    SHOW_ERR(fallocate(g, 0, 0, 8192));
    stat("g", &st);
    printf("fallocate size %ld blocks>=16 %s\n", (long)st.st_size, st.st_blocks >= 16 ? "true" : "false");
    SHOW_ERR(fallocate(g, FALLOC_FL_KEEP_SIZE, 8192, 4096));
    stat("g", &st);
    printf("keep size %ld\n", (long)st.st_size);
    SHOW_ERR(fallocate(g, 0, -1, 10));
    SHOW_ERR(fallocate(g, 0, 0, 0));
    SHOW_ERR(fallocate(op, 0, 0, 10));
    SHOW_ERR(fsync(g));
    SHOW_ERR(fdatasync(g));
    SHOW_ERR(fsync(999));
    SHOW_ERR(syncfs(g));
    sync();

    scratch_leave();
    return 0;
}
