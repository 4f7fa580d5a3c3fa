// pipe2 flags, O_DIRECT packets, FIONREAD, EAGAIN, PIPE_BUF atomic fill, pipe sizes, EPIPE.
#include "jux_test.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>

static int nread(int fd) {
    int n = -1;
    if (ioctl(fd, FIONREAD, &n) != 0) return -100 - errno;
    return n;
}

static void flags(void) {
    int p[2];
    SHOW_ERR(pipe2(p, O_CLOEXEC | O_NONBLOCK));
    printf("read end: cloexec %d nonblock %d rdonly %d\n", fcntl(p[0], F_GETFD) & FD_CLOEXEC,
           !!(fcntl(p[0], F_GETFL) & O_NONBLOCK), (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
    printf("write end: cloexec %d nonblock %d wronly %d\n", fcntl(p[1], F_GETFD) & FD_CLOEXEC,
           !!(fcntl(p[1], F_GETFL) & O_NONBLOCK), (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
    char c;
    SHOW_ERR(read(p[0], &c, 1));
    SHOW_ERR(write(p[0], "x", 1));
    SHOW_ERR(read(p[1], &c, 1));
    SHOW_ERR(lseek(p[0], 0, SEEK_SET));
    SHOW_ERR(pread(p[0], &c, 1, 0));
    close(p[0]);
    close(p[1]);
    SHOW_ERR(pipe2(p, 0x4));
    SHOW_ERR(pipe2(p, O_APPEND));
    int *volatile bad = (int *)8;
    SHOW_ERR(pipe2(bad, 0));
    SHOW_ERR(pipe(bad));
}

static void fionread(void) {
    int p[2];
    pipe(p);
    printf("empty: %d\n", nread(p[0]));
    write(p[1], "hello", 5);
    write(p[1], " world", 6);
    printf("after two writes: %d (write end says %d)\n", nread(p[0]), nread(p[1]));
    char buf[64];
    SHOW_RET(read(p[0], buf, 3));
    printf("after reading 3: %d\n", nread(p[0]));
    SHOW_RET(read(p[0], buf, sizeof buf));
    printf("after draining: %d\n", nread(p[0]));
    close(p[1]);
    SHOW_RET(read(p[0], buf, sizeof buf));
    int on = 1;
    SHOW_ERR(ioctl(p[0], FIONBIO, &on));
    printf("FIONBIO set O_NONBLOCK: %d\n", !!(fcntl(p[0], F_GETFL) & O_NONBLOCK));
    close(p[0]);
}

static void packets(void) {
    int p[2];
    SHOW_ERR(pipe2(p, O_DIRECT));
    printf("O_DIRECT in F_GETFL: %d\n", !!(fcntl(p[1], F_GETFL) & O_DIRECT));
    write(p[1], "one", 3);
    write(p[1], "two!", 4);
    write(p[1], "three", 5);
    printf("queued: %d\n", nread(p[0]));
    char buf[64];
    ssize_t n = read(p[0], buf, sizeof buf);
    printf("packet 1: %zd '%.*s'\n", n, (int)n, buf);
    n = read(p[0], buf, 2);
    printf("packet 2 (short buffer): %zd '%.*s'\n", n, (int)n, buf);
    n = read(p[0], buf, sizeof buf);
    printf("packet 3: %zd '%.*s'\n", n, (int)n, buf);
    /* A packet pipe holds one packet per slot: 16 tiny writes fill it. */
    fcntl(p[1], F_SETFL, O_NONBLOCK | O_DIRECT);
    int count = 0;
    while (write(p[1], "x", 1) == 1) count++;
    printf("1-byte packets until full: %d (%s), queued %d\n", count, errname(errno), nread(p[0]));
    close(p[0]);
    close(p[1]);
    /* A write larger than a page becomes several packets. */
    pipe2(p, O_DIRECT);
    static char big[6000];
    memset(big, 'b', sizeof big);
    SHOW_RET(write(p[1], big, sizeof big));
    SHOW_RET(read(p[0], big, sizeof big));
    SHOW_RET(read(p[0], big, sizeof big));
    close(p[0]);
    close(p[1]);
}

static void fill(void) {
    int p[2];
    pipe2(p, O_NONBLOCK);
    printf("F_GETPIPE_SZ: %d\n", fcntl(p[1], F_GETPIPE_SZ));
    static char page[8192];
    int count = 0;
    ssize_t n;
    while ((n = write(p[1], page, 4096)) == 4096) count++;
    printf("4096-byte writes until full: %d, last %zd %s\n", count, n, errname(errno));
    printf("queued: %d\n", nread(p[0]));
    SHOW_ERR(write(p[1], "x", 1));
    char c;
    read(p[0], &c, 1);
    /* The first page still holds 4095 bytes: the pipe stays full for a 1-byte write. */
    SHOW_ERR(write(p[1], "x", 1));
    static char buf[4096];
    read(p[0], buf, 4095);
    SHOW_RET(write(p[1], page, 100));
    SHOW_ERR(write(p[1], page, 4096));
    /* Partial non-atomic write: 8000 bytes with one free page. */
    read(p[0], buf, 4096);
    read(p[0], buf, 4096);
    SHOW_RET(write(p[1], page, 8000));
    close(p[0]);
    close(p[1]);

    /* Small writes merge into one page: 5000 1-byte writes use 2 slots. */
    pipe2(p, O_NONBLOCK);
    for (int i = 0; i < 5000; i++) write(p[1], "y", 1);
    printf("after 5000 small writes: %d queued\n", nread(p[0]));
    close(p[0]);
    close(p[1]);
}

static void sizes(void) {
    int p[2];
    pipe2(p, O_NONBLOCK);
    SHOW_RET(fcntl(p[0], F_SETPIPE_SZ, 0));
    SHOW_RET(fcntl(p[0], F_GETPIPE_SZ));
    SHOW_RET(fcntl(p[0], F_SETPIPE_SZ, 5000));
    SHOW_RET(fcntl(p[1], F_SETPIPE_SZ, 65536 * 2 + 1));
    SHOW_RET(fcntl(p[1], F_GETPIPE_SZ));
    SHOW_RET(fcntl(p[1], F_SETPIPE_SZ, 4096));
    static char page[4096];
    write(p[1], page, 4096);
    write(p[1], "z", 1);
    SHOW_ERR(fcntl(p[1], F_SETPIPE_SZ, 4096));
    SHOW_ERR(fcntl(1 + p[1], F_GETPIPE_SZ));
    SHOW_ERR(fcntl(p[1], F_SETPIPE_SZ, -1));
    close(p[0]);
    close(p[1]);
}

static void epipe(void) {
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    pipe(p);
    close(p[0]);
    SHOW_ERR(write(p[1], "x", 1));
    close(p[1]);
    pipe(p);
    close(p[1]);
    char c;
    SHOW_RET(read(p[0], &c, 1));
    close(p[0]);
}

int main(void) {
    flags();
    fionread();
    packets();
    fill();
    sizes();
    epipe();
    return 0;
}
