// Checks epoll with level- and edge-triggered pipes, EPOLLONESHOT, ctl errors, ready order, closing a
// watched file, nested epoll, timeouts; eventfd counters and semaphores (and a read into a bad buffer).
#include "jux_test.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void show_wait(const char *what, int ep, int max, int timeout) {
    struct epoll_event ev[8];
    int n = epoll_wait(ep, ev, max, timeout);
    printf("%s: %d", what, n);
    if (n < 0) printf(" %s", errname(errno));
    for (int i = 0; i < n; i++) printf(" [data %llu events %#x]", (unsigned long long)ev[i].data.u64, ev[i].events);
    printf("\n");
}

static int add(int ep, int fd, uint32_t events, uint64_t data) {
    struct epoll_event e = {.events = events, .data.u64 = data};
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

static void level_and_edge(void) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    printf("epoll cloexec: %d\n", fcntl(ep, F_GETFD) & FD_CLOEXEC);
    int a[2], b[2];
    pipe(a);
    pipe(b);
    SHOW_ERR(add(ep, a[0], EPOLLIN, 1));
    SHOW_ERR(add(ep, b[0], EPOLLIN | EPOLLET, 2));
    SHOW_ERR(add(ep, a[1], EPOLLOUT, 3));
    show_wait("write end only", ep, 8, 0);
    write(b[1], "b", 1);
    write(a[1], "a", 1);
    show_wait("both have data (ready order)", ep, 8, 0);
    show_wait("again: level-triggered stays, edge-triggered does not", ep, 8, 0);
    write(b[1], "c", 1);
    show_wait("a new write is a new edge", ep, 8, 0);
    show_wait("max 1", ep, 1, 0);
    show_wait("max 1 again (round robin)", ep, 1, 0);
    char buf[8];
    read(a[0], buf, sizeof buf);
    read(b[0], buf, sizeof buf);
    show_wait("drained", ep, 8, 0);
    close(a[1]);
    show_wait("writer of a closed: POLLHUP always reported; its own watch gone", ep, 8, 0);
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, a[1], NULL));
    close(a[0]);
    close(b[0]);
    close(b[1]);
    show_wait("all closed", ep, 8, 0);
    close(ep);
}

static void oneshot(void) {
    int ep = epoll_create(1);
    int p[2];
    pipe(p);
    write(p[1], "x", 1);
    SHOW_ERR(add(ep, p[0], EPOLLIN | EPOLLONESHOT, 7));
    show_wait("oneshot first", ep, 8, 0);
    show_wait("oneshot disabled", ep, 8, 0);
    write(p[1], "y", 1);
    show_wait("still disabled after a write", ep, 8, 0);
    struct epoll_event e = {.events = EPOLLIN | EPOLLONESHOT, .data.u64 = 8};
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e));
    show_wait("re-armed by MOD", ep, 8, 0);
    close(p[0]);
    close(p[1]);
    close(ep);
}

static void errors(void) {
    int ep = epoll_create1(0);
    int p[2];
    pipe(p);
    struct epoll_event e = {.events = EPOLLIN};
    SHOW_ERR(epoll_create(0));
    SHOW_ERR(epoll_create1(1));
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &e));
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
    SHOW_ERR(epoll_ctl(ep, 99, p[0], &e));
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &e));
    SHOW_ERR(epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &e));
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, 77, &e));
    SHOW_ERR(epoll_ctl(77, EPOLL_CTL_ADD, p[0], &e));
    SHOW_ERR(syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[1], 8));
    int file = open("/proc/self/exe", O_RDONLY);
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, file, &e));
    int opath = open("/", O_PATH);
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, opath, &e));
    close(opath);
    int devnull = open("/dev/null", O_RDONLY);
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, devnull, &e));
    e.events = EPOLLIN | EPOLLEXCLUSIVE;
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e));
    e.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &e));
    struct epoll_event out[2];
    SHOW_ERR(epoll_wait(ep, out, 0, 0));
    SHOW_ERR(syscall(SYS_epoll_wait, ep, out, -1, 0));
    SHOW_ERR(epoll_wait(p[0], out, 2, 0));
    SHOW_ERR(epoll_wait(77, out, 2, 0));
    SHOW_ERR(syscall(SYS_epoll_wait, ep, -4096L, 2, 0));
    sigset_t set;
    sigemptyset(&set);
    SHOW_ERR(syscall(SYS_epoll_pwait, ep, out, 2, 0, &set, 4));
    SHOW_RET(syscall(SYS_epoll_pwait, ep, out, 2, 0, &set, 8));
    struct timespec ts = {0, 1000000000};
    SHOW_ERR(syscall(SYS_epoll_pwait2, ep, out, 2, &ts, NULL, 8));
    ts.tv_nsec = 5000000;
    long long t0 = now_ms();
    SHOW_RET(syscall(SYS_epoll_pwait2, ep, out, 2, &ts, NULL, 8));
    printf("pwait2 waited 5 ms: %s\n", now_ms() - t0 >= 5 ? "yes" : "no");
    close(file);
    close(devnull);
    close(p[0]);
    close(p[1]);
    close(ep);
}

static void closing_and_nesting(void) {
    int ep = epoll_create1(0), inner = epoll_create1(0);
    int p[2];
    pipe(p);
    int dup0 = dup(p[0]);
    add(ep, p[0], EPOLLIN, 10);
    write(p[1], "x", 1);
    close(p[0]);
    show_wait("fd closed but a dup keeps the file: still reported", ep, 8, 0);
    close(dup0);
    show_wait("last fd closed: the watch is gone", ep, 8, 0);
    pipe(p);
    SHOW_ERR(add(inner, p[0], EPOLLIN, 20));
    SHOW_ERR(add(ep, inner, EPOLLIN, 30));
    SHOW_ERR(add(inner, ep, EPOLLIN, 40));
    show_wait("outer, nothing ready", ep, 8, 0);
    struct pollfd pf = {inner, POLLIN, 0};
    SHOW_RET(poll(&pf, 1, 0));
    write(p[1], "y", 1);
    show_wait("outer sees the inner epoll ready", ep, 8, 0);
    SHOW_RET(poll(&pf, 1, 0));
    show_wait("inner", inner, 8, 0);
    long long t0 = now_ms();
    char c;
    read(p[0], &c, 1);
    show_wait("outer after draining, 20 ms", ep, 8, 20);
    printf("waited: %s\n", now_ms() - t0 >= 20 ? "yes" : "no");
    close(p[0]);
    close(p[1]);
    close(inner);
    close(ep);
}

/* Jux's standard streams are host fds: nothing wakes an epoll for them, Jux asks the host. */
static void host_streams(void) {
    fflush(stdout);
    int ep = epoll_create1(0);
    SHOW_ERR(add(ep, 1, EPOLLOUT, 60));
    show_wait("stdout, level-triggered", ep, 8, 0);
    show_wait("stdout, level-triggered again", ep, 8, 0);
    struct epoll_event e = {.events = EPOLLOUT | EPOLLET, .data.u64 = 61};
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, 1, &e));
    show_wait("stdout, edge-triggered", ep, 8, 0);
    show_wait("stdout, edge-triggered again", ep, 8, 20);
    e.events = EPOLLPRI;
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, 1, &e));
    long long t0 = now_ms();
    show_wait("stdout, EPOLLPRI, 30 ms", ep, 8, 30);
    printf("waited: %s\n", now_ms() - t0 >= 30 ? "yes" : "no");
    close(ep);
}

static void eventfds(void) {
    int fd = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    printf("eventfd flags: nonblock %d cloexec %d rdwr %d\n", !!(fcntl(fd, F_GETFL) & O_NONBLOCK),
           fcntl(fd, F_GETFD) & FD_CLOEXEC, (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
    uint64_t v = 0;
    SHOW_RET(read(fd, &v, 8));
    printf("value: %llu\n", (unsigned long long)v);
    SHOW_ERR(read(fd, &v, 8));
    SHOW_ERR(read(fd, &v, 4));
    v = 5;
    SHOW_RET(write(fd, &v, 8));
    SHOW_RET(write(fd, &v, 8));
    SHOW_ERR(write(fd, &v, 7));
    v = UINT64_MAX;
    SHOW_ERR(write(fd, &v, 8));
    v = UINT64_MAX - 11;
    SHOW_RET(write(fd, &v, 8));
    struct pollfd pf = {fd, POLLIN | POLLOUT, 0};
    poll(&pf, 1, 0);
    printf("full counter: revents %#x\n", pf.revents);
    v = 1;
    SHOW_ERR(write(fd, &v, 8));
    read(fd, &v, 8);
    printf("read the maximum: %d\n", v == UINT64_MAX - 1);
    poll(&pf, 1, 0);
    printf("empty counter: revents %#x\n", pf.revents);
    close(fd);
    fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    SHOW_RET(read(fd, &v, 8));
    printf("semaphore read: %llu\n", (unsigned long long)v);
    SHOW_RET(read(fd, &v, 8));
    SHOW_ERR(read(fd, &v, 8));
    int ep = epoll_create1(0);
    SHOW_ERR(add(ep, fd, EPOLLIN | EPOLLET, 50));
    show_wait("eventfd empty", ep, 8, 0);
    v = 1;
    write(fd, &v, 8);
    show_wait("eventfd written", ep, 8, 0);
    close(ep);
    close(fd);
    SHOW_ERR(eventfd(0, 2));
    // eventfd_read takes the count before copying it out: a bad buffer loses it (EFAULT).
    fd = eventfd(7, EFD_NONBLOCK);
    void *volatile bad = (void *)8;
    SHOW_ERR(read(fd, bad, 8));
    SHOW_ERR(read(fd, &v, 8));
    close(fd);
}

int main(void) {
    level_and_edge();
    oneshot();
    errors();
    closing_and_nesting();
    host_streams();
    eventfds();
    return 0;
}
