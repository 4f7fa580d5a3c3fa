// FIFOs made by mkfifo/mknod under /tmp: open rules without a partner, data through two fds
// of one process, the pipe shared by every opener and dropped with the last one.
#include "fs_scratch.h"
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>

static int queued(int fd) {
    int n = -1;
    if (ioctl(fd, FIONREAD, &n) != 0) return -100 - errno;
    return n;
}

int main(void) {
    scratch_enter();
    SHOW_ERR(mkfifo("f", 0644));
    SHOW_ERR(mkfifo("f", 0644));
    SHOW_ERR(mknod("g", S_IFIFO | 0600, 0));
    struct stat st;
    stat("f", &st);
    printf("S_ISFIFO: %d size %lld\n", S_ISFIFO(st.st_mode), (long long)st.st_size);

    /* No reader: a non-blocking writer cannot open. */
    SHOW_ERR(open("f", O_WRONLY | O_NONBLOCK));
    /* A non-blocking reader opens at once; reads see end of file while no writer exists. */
    int r = open("f", O_RDONLY | O_NONBLOCK);
    printf("O_RDONLY|O_NONBLOCK: %s\n", r >= 0 ? "ok" : errname(errno));
    char buf[64];
    SHOW_RET(read(r, buf, sizeof buf));
    struct pollfd p = {r, POLLIN, 0};
    SHOW_RET(poll(&p, 1, 0));
    printf("revents before any writer: %#x\n", p.revents);
    /* Now a writer can open without blocking. */
    int w = open("f", O_WRONLY | O_NONBLOCK);
    printf("O_WRONLY|O_NONBLOCK with a reader: %s\n", w >= 0 ? "ok" : errname(errno));
    printf("F_GETFL of the writer: wronly %d nonblock %d\n", (fcntl(w, F_GETFL) & O_ACCMODE) == O_WRONLY,
           !!(fcntl(w, F_GETFL) & O_NONBLOCK));
    SHOW_RET(write(w, "through the fifo", 16));
    printf("queued: %d\n", queued(r));
    fstat(w, &st);
    printf("fstat of the open fifo: S_ISFIFO %d size %lld\n", S_ISFIFO(st.st_mode), (long long)st.st_size);
    SHOW_ERR(lseek(r, 0, SEEK_SET));
    SHOW_ERR(pread(r, buf, 1, 0));
    ssize_t n = read(r, buf, sizeof buf);
    printf("read %zd: '%.*s'\n", n, (int)n, buf);
    SHOW_ERR(read(r, buf, sizeof buf));
    p.revents = 0;
    SHOW_RET(poll(&p, 1, 0));
    close(w);
    p.revents = 0;
    SHOW_RET(poll(&p, 1, 0));
    printf("revents after the writer left: %#x\n", p.revents);
    SHOW_RET(read(r, buf, sizeof buf));

    /* O_RDWR never blocks, and the pipe is shared with the other opener. */
    int rw = open("f", O_RDWR);
    printf("O_RDWR: %s\n", rw >= 0 ? "ok" : errname(errno));
    SHOW_RET(write(rw, "abc", 3));
    printf("queued seen by the first reader: %d\n", queued(r));
    n = read(r, buf, sizeof buf);
    printf("first reader got %zd: '%.*s'\n", n, (int)n, buf);
    printf("F_GETPIPE_SZ: %d\n", fcntl(rw, F_GETPIPE_SZ));
    SHOW_RET(write(rw, "left behind", 11));
    close(rw);
    close(r);
    /* The last opener is gone: what was left goes with the pipe. */
    r = open("f", O_RDWR | O_NONBLOCK);
    SHOW_ERR(read(r, buf, sizeof buf));
    close(r);

    /* A second FIFO is a different pipe. */
    int a = open("f", O_RDWR), b = open("g", O_RDWR);
    write(a, "AA", 2);
    printf("g queued: %d, f queued: %d\n", queued(b), queued(a));
    close(a);
    close(b);

    /* O_TRUNC is ignored for a FIFO; O_DIRECTORY is not. */
    r = open("f", O_RDWR | O_TRUNC);
    printf("O_RDWR|O_TRUNC: %s\n", r >= 0 ? "ok" : errname(errno));
    close(r);
    SHOW_ERR(open("f", O_RDONLY | O_DIRECTORY | O_NONBLOCK));

    unlink("f");
    unlink("g");
    scratch_leave();
    return 0;
}
