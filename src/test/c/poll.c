// poll, ppoll, select and pselect6: pipe readiness before and after writes and closes,
// POLLHUP/POLLERR/POLLNVAL, timeouts (relations only), regular files, stdin, errors.
// stdin: a line for poll
#include "jux_test.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void show(const char *what, int fd, short events) {
    struct pollfd p = {fd, events, 0x7fff};
    int r = poll(&p, 1, 0);
    printf("%s: poll = %d revents %#x\n", what, r, (unsigned)(unsigned short)p.revents);
}

static void pipes(void) {
    int p[2];
    pipe(p);
    show("empty read end", p[0], POLLIN | POLLOUT);
    show("empty write end", p[1], POLLIN | POLLOUT);
    write(p[1], "x", 1);
    show("read end with data", p[0], POLLIN | POLLRDNORM | POLLPRI);
    show("read end with data, POLLOUT asked", p[0], POLLOUT);
    close(p[1]);
    show("read end, data, no writer", p[0], POLLIN);
    char c;
    read(p[0], &c, 1);
    show("read end, empty, no writer", p[0], POLLIN);
    show("read end, no writer, no events asked", p[0], 0);
    close(p[0]);

    pipe2(p, O_NONBLOCK);
    static char page[4096];
    while (write(p[1], page, sizeof page) > 0) {}
    show("full write end", p[1], POLLOUT | POLLWRNORM);
    read(p[0], page, sizeof page);
    show("write end after a page was read", p[1], POLLOUT | POLLWRNORM);
    close(p[0]);
    show("write end, no reader", p[1], POLLOUT);
    close(p[1]);
}

static void several(void) {
    int a[2], b[2];
    pipe(a);
    pipe(b);
    write(b[1], "y", 1);
    struct pollfd fds[5] = {{a[0], POLLIN, 0}, {b[0], POLLIN, 0}, {-1, POLLIN, 0x55}, {99, POLLIN, 0}, {a[1], POLLOUT, 0}};
    int r = poll(fds, 5, 1000);
    printf("poll of 5: %d:", r);
    for (int i = 0; i < 5; i++) printf(" %#x", (unsigned)fds[i].revents);
    printf("\n");
    SHOW_RET(poll(NULL, 0, 0));
    SHOW_ERR(syscall(SYS_poll, 8, 1, 0));
    SHOW_ERR(syscall(SYS_poll, fds, 0x7fffffff, 0));
    SHOW_ERR(syscall(SYS_poll, fds, 1LL << 32 | 1, 0));
    close(a[0]); close(a[1]); close(b[0]); close(b[1]);
}

static void timeouts(void) {
    int p[2];
    pipe(p);
    struct pollfd fd = {p[0], POLLIN, 0};
    long long t0 = now_ms();
    SHOW_RET(poll(&fd, 1, 0));
    long long t1 = now_ms();
    SHOW_RET(poll(&fd, 1, 50));
    long long t2 = now_ms();
    printf("timeout 0 returned at once: %s\n", t1 - t0 < 40 ? "yes" : "no");
    printf("timeout 50 waited at least 50 ms: %s, under 2 s: %s\n", t2 - t1 >= 50 ? "yes" : "no", t2 - t1 < 2000 ? "yes" : "no");
    struct timespec ts = {0, 30 * 1000000};
    t1 = now_ms();
    SHOW_RET(ppoll(&fd, 1, &ts, NULL));
    t2 = now_ms();
    printf("ppoll 30 ms waited: %s, time left written back: %lld.%09ld\n", t2 - t1 >= 30 ? "yes" : "no", (long long)ts.tv_sec, ts.tv_nsec);
    struct timespec bad = {0, 1000000000};
    SHOW_ERR(ppoll(&fd, 1, &bad, NULL));
    bad.tv_sec = -1; bad.tv_nsec = 0;
    SHOW_ERR(ppoll(&fd, 1, &bad, NULL));
    SHOW_ERR(syscall(SYS_ppoll, &fd, 1, (void *)8, NULL, 8));
    sigset_t set;
    sigemptyset(&set);
    ts.tv_sec = 0; ts.tv_nsec = 0;
    SHOW_ERR(syscall(SYS_ppoll, &fd, 1, &ts, &set, 4));
    SHOW_ERR(syscall(SYS_ppoll, &fd, 1, &ts, (void *)8, 8));
    write(p[1], "z", 1);
    ts.tv_sec = 5; ts.tv_nsec = 0;
    SHOW_RET(ppoll(&fd, 1, &ts, &set));
    printf("ppoll with data: time left above 4 s: %s\n", ts.tv_sec >= 4 ? "yes" : "no");
    close(p[0]);
    close(p[1]);
}

static void files(void) {
    int fd = open("/proc/self/exe", O_RDONLY);
    show("regular file", fd, POLLIN | POLLOUT | POLLPRI);
    close(fd);
    fd = open("/", O_RDONLY | O_DIRECTORY);
    show("directory", fd, POLLIN | POLLOUT);
    close(fd);
    fd = open("/dev/null", O_RDWR);
    show("/dev/null", fd, POLLIN | POLLOUT);
    close(fd);
    show("stdin with data", 0, POLLIN);
    /* A host stream and a guest pipe in one wait (Jux polls the host in slices). */
    int p[2];
    pipe(p);
    struct pollfd mixed[2] = {{1, POLLPRI, 0}, {p[0], POLLIN, 0}};
    long long t1 = now_ms();
    int n = poll(mixed, 2, 30);
    long long t2 = now_ms();
    printf("mixed wait: %d, revents %#x %#x, waited 30 ms: %s\n", n, mixed[0].revents, mixed[1].revents, t2 - t1 >= 30 ? "yes" : "no");
    close(p[0]);
    close(p[1]);
    fd = open("/", O_PATH);
    show("O_PATH descriptor", fd, POLLIN);
    fd_set r, w, e;
    FD_ZERO(&r); FD_ZERO(&w); FD_ZERO(&e);
    FD_SET(fd, &r); FD_SET(fd, &w); FD_SET(fd, &e);
    struct timeval tv = {0, 0};
    SHOW_RET(syscall(SYS_select, fd + 1, &r, &w, &e, &tv));
    printf("O_PATH in select: r%d w%d e%d\n", FD_ISSET(fd, &r), FD_ISSET(fd, &w), FD_ISSET(fd, &e));
    close(fd);
}

static void selects(void) {
    int p[2];
    pipe(p);
    fd_set r, w, e;
    FD_ZERO(&r); FD_ZERO(&w); FD_ZERO(&e);
    FD_SET(p[0], &r); FD_SET(p[1], &w); FD_SET(p[0], &e); FD_SET(p[1], &r);
    struct timeval tv = {0, 0};
    int n = select(p[1] + 1, &r, &w, &e, &tv);
    printf("select: %d, read end readable %d, write end writable %d, write end readable %d, exceptional %d\n", n,
           FD_ISSET(p[0], &r), FD_ISSET(p[1], &w), FD_ISSET(p[1], &r), FD_ISSET(p[0], &e));
    write(p[1], "q", 1);
    FD_ZERO(&r); FD_ZERO(&w);
    FD_SET(p[0], &r); FD_SET(p[1], &w);
    tv.tv_sec = 1; tv.tv_usec = 0;
    n = select(p[1] + 1, &r, &w, NULL, &tv);
    printf("select with data: %d, readable %d, writable %d, time left under 1 s and above 0.5 s: %s\n", n,
           FD_ISSET(p[0], &r), FD_ISSET(p[1], &w), tv.tv_sec == 0 && tv.tv_usec > 500000 ? "yes" : (tv.tv_sec == 1 && tv.tv_usec == 0 ? "exact" : "no"));
    char c;
    read(p[0], &c, 1);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv.tv_sec = 0; tv.tv_usec = 20000;
    long long t1 = now_ms();
    n = select(p[0] + 1, &r, NULL, NULL, &tv);
    long long t2 = now_ms();
    printf("select timeout: %d, set cleared %d, waited: %s, timeval left %ld.%06ld\n", n, !FD_ISSET(p[0], &r),
           t2 - t1 >= 20 ? "yes" : "no", (long)tv.tv_sec, (long)tv.tv_usec);
    tv.tv_sec = 0; tv.tv_usec = 1500000; /* select folds whole seconds out of tv_usec */
    FD_ZERO(&w);
    FD_SET(p[1], &w);
    SHOW_RET(syscall(SYS_select, p[1] + 1, NULL, &w, NULL, &tv));
    printf("timeval after: %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec >= 900000 ? 1L : 0L);
    /* Errors (raw calls: the C libraries check or convert some arguments themselves). */
    FD_ZERO(&r);
    FD_SET(40, &r);
    tv.tv_sec = 0; tv.tv_usec = 0;
    SHOW_ERR(syscall(SYS_select, 41, &r, NULL, NULL, &tv));
    SHOW_ERR(syscall(SYS_select, -1, NULL, NULL, NULL, &tv));
    tv.tv_sec = -1;
    SHOW_ERR(syscall(SYS_select, 0, NULL, NULL, NULL, &tv));
    tv.tv_sec = 0; tv.tv_usec = -1;
    SHOW_ERR(syscall(SYS_select, 0, NULL, NULL, NULL, &tv));
    tv.tv_usec = 0;
    SHOW_ERR(syscall(SYS_select, 1, 8, NULL, NULL, &tv));
    SHOW_ERR(syscall(SYS_select, 0, 8, NULL, NULL, &tv));
    SHOW_ERR(syscall(SYS_select, 1, NULL, NULL, NULL, 8));
    /* nfds beyond the table: bits past the open fds are not looked at. */
    FD_ZERO(&r);
    FD_SET(1000, &r);
    SHOW_RET(syscall(SYS_select, 1024, &r, NULL, NULL, &tv));
    close(p[0]);
    close(p[1]);
}

static void pselects(void) {
    int p[2];
    pipe(p);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    sigset_t block_usr1, old, during;
    sigemptyset(&block_usr1);
    sigaddset(&block_usr1, SIGUSR1);
    sigprocmask(SIG_SETMASK, NULL, &old);
    struct timespec ts = {0, 10 * 1000000};
    SHOW_RET(pselect(p[0] + 1, &r, NULL, NULL, &ts, &block_usr1));
    sigprocmask(SIG_SETMASK, NULL, &during);
    printf("mask restored after pselect: %s\n", sigismember(&during, SIGUSR1) == sigismember(&old, SIGUSR1) ? "yes" : "no");
    /* The raw call: the sixth argument is {sigset pointer, size}. */
    struct { const sigset_t *ss; size_t len; } data = {&block_usr1, 4};
    ts.tv_nsec = 0;
    FD_SET(p[0], &r);
    SHOW_ERR(syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, &data));
    data.len = 8;
    SHOW_RET(syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, &data));
    data.ss = (const sigset_t *)8;
    SHOW_ERR(syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, &data));
    SHOW_ERR(syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, (void *)8));
    data.ss = NULL;
    SHOW_RET(syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, &data));
    close(p[0]);
    close(p[1]);
}

int main(void) {
    pipes();
    several();
    timeouts();
    files();
    selects();
    pselects();
    return 0;
}
