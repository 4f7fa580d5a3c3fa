// open, read, write, pread/pwrite, lseek (SEEK_DATA/HOLE), O_APPEND, O_TRUNC, dup'd offsets,
// ftruncate and the errors open(2) documents, on files in a scratch directory under /tmp.
#include "fs_scratch.h"
#include <sys/uio.h>

int main(void) {
    scratch_enter();
    char buf[64];

    int fd = open("f", O_RDWR | O_CREAT | O_EXCL, 0640);
    CHECK(fd >= 0);
    SHOW_RET(write(fd, "hello world", 11));
    SHOW_RET(lseek(fd, 0, SEEK_CUR));
    SHOW_RET(lseek(fd, 0, SEEK_SET));
    memset(buf, 0, sizeof buf);
    SHOW_RET(read(fd, buf, 5));
    printf("read '%s'\n", buf);
    SHOW_RET(pread(fd, buf, 5, 6));
    printf("pread '%.5s'\n", buf);
    SHOW_RET(lseek(fd, 0, SEEK_CUR));
    SHOW_RET(pwrite(fd, "W", 1, 6));
    SHOW_RET(lseek(fd, 0, SEEK_END));
    SHOW_RET(read(fd, buf, sizeof buf));
    SHOW_ERR(lseek(fd, -1, SEEK_SET));
    SHOW_ERR(lseek(fd, 0, 99));
    SHOW_ERR(pread(fd, buf, 1, -1));

    /* dup shares the offset; a second open does not. */
    int d = dup(fd);
    SHOW_RET(lseek(fd, 2, SEEK_SET));
    SHOW_RET(lseek(d, 0, SEEK_CUR));
    int other = open("f", O_RDONLY);
    SHOW_RET(lseek(other, 0, SEEK_CUR));
    memset(buf, 0, sizeof buf);
    SHOW_RET(read(other, buf, sizeof buf));
    printf("content '%s'\n", buf);
    SHOW_ERR(write(other, "x", 1));
    close(d);

    /* readv/writev/preadv/pwritev */
    struct iovec iov[2] = {{"ab", 2}, {"cde", 3}};
    SHOW_RET(lseek(fd, 0, SEEK_END));
    SHOW_RET(writev(fd, iov, 2));
    char a[4] = {0}, b[8] = {0};
    struct iovec rio[2] = {{a, 3}, {b, 7}};
    SHOW_RET(preadv(other, rio, 2, 8));
    printf("preadv '%s' '%s'\n", a, b);
    SHOW_RET(pwritev(fd, iov, 1, 0));

    /* O_APPEND: every write goes to the end, pwrite too (Linux's documented bug). */
    int ap = open("f", O_WRONLY | O_APPEND);
    SHOW_RET(write(ap, "!", 1));
    SHOW_RET(lseek(ap, 0, SEEK_CUR));
    SHOW_RET(pwrite(ap, "?", 1, 0));
    struct stat st;
    fstat(fd, &st);
    printf("size %ld\n", (long)st.st_size);
    SHOW_RET(fcntl(ap, F_GETFL) & (O_APPEND | O_ACCMODE));
    close(ap);

    /* O_TRUNC and ftruncate */
    SHOW_ERR(ftruncate(other, 0));
    SHOW_ERR(ftruncate(fd, -1));
    SHOW_ERR(ftruncate(fd, 4));
    fstat(fd, &st);
    printf("size %ld\n", (long)st.st_size);
    SHOW_ERR(ftruncate(fd, 8));
    memset(buf, 'x', sizeof buf);
    SHOW_RET(pread(fd, buf, sizeof buf, 0));
    printf("bytes %d %d %d %d\n", buf[3], buf[4], buf[7], buf[8]);
    int tr = open("f", O_RDWR | O_TRUNC);
    fstat(tr, &st);
    printf("after O_TRUNC size %ld\n", (long)st.st_size);
    close(tr);

    /* Sparse files: holes read as zeros; SEEK_DATA and SEEK_HOLE. */
    SHOW_RET(pwrite(fd, "data", 4, 1 << 20));
    fstat(fd, &st);
    printf("size %ld\n", (long)st.st_size);
    SHOW_RET(lseek(fd, 0, SEEK_DATA));
    SHOW_RET(lseek(fd, 0, SEEK_HOLE));
    SHOW_RET(lseek(fd, 4096, SEEK_DATA));
    SHOW_RET(lseek(fd, (1 << 20) + 2, SEEK_HOLE));
    SHOW_ERR(lseek(fd, (1 << 20) + 4, SEEK_DATA));
    SHOW_ERR(lseek(fd, (1 << 20) + 4, SEEK_HOLE));
    memset(buf, 'x', sizeof buf);
    SHOW_RET(pread(fd, buf, 4, 100000));
    printf("hole %d%d%d%d\n", buf[0], buf[1], buf[2], buf[3]);

    /* open's errors */
    SHOW_ERR(open("f", O_RDWR | O_CREAT | O_EXCL, 0600));
    SHOW_ERR(open("missing", O_RDONLY));
    SHOW_ERR(open("missing/x", O_RDONLY | O_CREAT, 0600));
    SHOW_ERR(open("f/x", O_RDONLY));
    SHOW_ERR(open("f/", O_RDONLY));
    SHOW_ERR(open("f/", O_RDONLY | O_CREAT, 0600));
    SHOW_ERR(open("new/", O_RDONLY | O_CREAT, 0600));
    SHOW_ERR(open("", O_RDONLY));
    SHOW_ERR(open(".", O_RDWR));
    SHOW_ERR(open(".", O_WRONLY | O_CREAT, 0600));
    SHOW_ERR(open("f", O_RDONLY | O_DIRECTORY));
    SHOW_ERR(open("f", O_RDONLY | O_CREAT | O_DIRECTORY, 0600));
    SHOW_ERR(open(".", O_RDONLY | O_TRUNC));
    SHOW_ERR(open((char *)1, O_RDONLY));
    char longname[300];
    memset(longname, 'n', 256);
    longname[256] = 0;
    SHOW_ERR(open(longname, O_RDONLY));
    SHOW_ERR(open(longname, O_RDONLY | O_CREAT, 0600));
    longname[255] = 0;
    SHOW_ERR(open(longname, O_RDONLY));
    static char longpath[5000];
    memset(longpath, 'a', 4096);
    SHOW_ERR(open(longpath, O_RDONLY));
    SHOW_ERR(read(fd, NULL, 0));
    SHOW_ERR(pread(fd, (char *)1, 10, 0));
    SHOW_ERR(openat(12345, "f", O_RDONLY));
    SHOW_ERR(openat(fd, "f", O_RDONLY));
    int dirfd = open(".", O_RDONLY | O_DIRECTORY);
    SHOW_ERR(read(dirfd, buf, 1));
    SHOW_ERR(write(dirfd, buf, 1));
    int rel = openat(dirfd, "f", O_RDONLY);
    CHECK(rel >= 0);
    close(rel);

    /* Pipes have no offset. */
    int p[2];
    pipe(p);
    SHOW_ERR(lseek(p[0], 0, SEEK_SET));
    SHOW_ERR(pread(p[0], buf, 1, 0));

    /* O_PATH: fstat works, read does not. */
    int op = open("f", O_PATH);
    SHOW_ERR(read(op, buf, 1));
    SHOW_ERR(fstat(op, &st));
    SHOW_RET(fcntl(op, F_GETFL) & ~O_LARGEFILE);

    /* creat, O_CREAT's mode and the umask */
    umask(022);
    int c = creat("c", 0777);
    fstat(c, &st);
    printf("creat mode %o\n", st.st_mode);
    umask(0);
    close(c);
    c = open("c2", O_WRONLY | O_CREAT, 0666);
    fstat(c, &st);
    printf("open mode %o\n", st.st_mode);

    /* O_TMPFILE, then linkat(AT_EMPTY_PATH) gives it a name. */
    int tf = open(".", O_TMPFILE | O_RDWR, 0600);
    CHECK(tf >= 0);
    SHOW_RET(write(tf, "tmp", 3));
    fstat(tf, &st);
    printf("tmpfile nlink %ld\n", (long)st.st_nlink);
    SHOW_ERR(linkat(tf, "", AT_FDCWD, "named", AT_EMPTY_PATH));
    SHOW_ERR(stat("named", &st));
    printf("named size %ld nlink %ld\n", (long)st.st_size, (long)st.st_nlink);
    SHOW_ERR(open(".", O_TMPFILE | O_RDONLY, 0600));

    /* close_range */
    SHOW_ERR(syscall(SYS_close_range, 100, 50, 0));
    SHOW_ERR(syscall(SYS_close_range, tf, tf, 0));
    SHOW_ERR(close(tf));

    scratch_leave();
    return 0;
}
