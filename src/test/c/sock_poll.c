// Readiness of AF_UNIX sockets under poll, select and epoll: a connected pair through data,
// shutdown and close (POLLIN/OUT/HUP/RDHUP/ERR), a listener with a pending connection, an
// edge-triggered epoll, a full stream (EAGAIN, partial writes, POLLOUT coming back), a
// 1 MiB transfer across fork with blocking flow control, and a reader woken across processes.
#include "jux_test.h"
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

static void show_poll(const char *what, int fd) {
    struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP | POLLPRI, 0};
    poll(&p, 1, 0);
    printf("%-28s revents:%s%s%s%s%s%s\n", what, p.revents & POLLIN ? " IN" : "", p.revents & POLLOUT ? " OUT" : "",
           p.revents & POLLHUP ? " HUP" : "", p.revents & POLLRDHUP ? " RDHUP" : "", p.revents & POLLERR ? " ERR" : "",
           p.revents & POLLPRI ? " PRI" : "");
}

static void states(int type) {
    printf("== %s\n", type == SOCK_STREAM ? "stream" : type == SOCK_DGRAM ? "dgram" : "seqpacket");
    int s = socket(AF_UNIX, type, 0);
    show_poll("unconnected", s);
    close(s);
    int sv[2];
    socketpair(AF_UNIX, type, 0, sv);
    show_poll("connected", sv[0]);
    write(sv[1], "x", 1);
    show_poll("data waiting", sv[0]);
    char c;
    read(sv[0], &c, 1);
    shutdown(sv[1], SHUT_WR);
    show_poll("peer shut down writing", sv[0]);
    show_poll("after SHUT_WR", sv[1]);
    shutdown(sv[0], SHUT_WR);
    show_poll("both shut down writing", sv[0]);
    close(sv[0]);
    close(sv[1]);
    socketpair(AF_UNIX, type, 0, sv);
    write(sv[0], "y", 1);
    close(sv[1]);
    show_poll("peer closed, unread data", sv[0]);
    close(sv[0]);
    socketpair(AF_UNIX, type, 0, sv);
    write(sv[1], "z", 1);
    close(sv[1]);
    show_poll("peer closed, data for us", sv[0]);
    close(sv[0]);
}

static void listener(void) {
    printf("== listener\n");
    struct sockaddr_un a = {AF_UNIX};
    memcpy(a.sun_path, "\0jux-sock-poll-test", 19);
    socklen_t alen = offsetof(struct sockaddr_un, sun_path) + 19;
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(s, (struct sockaddr *) &a, alen);
    listen(s, 4);
    show_poll("listening", s);
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {.u32 = 7}}, out[4];
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    SHOW_RET(epoll_wait(ep, out, 4, 0));
    int go[2];
    pipe(go);
    if (fork() == 0) {
        close(go[1]);
        usleep(20000);
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        connect(c, (struct sockaddr *) &a, alen);
        write(c, "hi", 2);
        read(go[0], &c, 1); // until the parent has looked
        _exit(0);
    }
    close(go[0]);
    int n = epoll_wait(ep, out, 4, 5000);
    printf("epoll_wait %d events %#x data %u\n", n, out[0].events, out[0].data.u32);
    show_poll("connection pending", s);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(s, &r);
    struct timeval tv = {0, 0};
    SHOW_RET(select(s + 1, &r, NULL, NULL, &tv));
    int c = accept(s, NULL, NULL);
    char buf[4];
    SHOW_RET(read(c, buf, sizeof buf));
    show_poll("accepted, data read", c);
    close(go[1]);
    wait(NULL);
    show_poll("client gone", c);
    SHOW_RET(read(c, buf, sizeof buf));
    close(c);
    close(ep);
    close(s);
}

static void edge_triggered(void) {
    printf("== edge-triggered\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN | EPOLLRDHUP | EPOLLET, {.u32 = 1}}, out[4];
    epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
    SHOW_RET(epoll_wait(ep, out, 4, 0));
    write(sv[1], "a", 1);
    SHOW_RET(epoll_wait(ep, out, 4, 0));
    SHOW_RET(epoll_wait(ep, out, 4, 0));
    write(sv[1], "b", 1);
    int n = epoll_wait(ep, out, 4, 0);
    printf("second write: %d events %#x\n", n, n > 0 ? out[0].events : 0);
    shutdown(sv[1], SHUT_WR);
    n = epoll_wait(ep, out, 4, 0);
    printf("shutdown: %d events %#x\n", n, n > 0 ? out[0].events : 0);
    close(ep);
    close(sv[0]);
    close(sv[1]);
}

static void full_stream(void) {
    printf("== full stream\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
    static char chunk[100000];
    long total = 0;
    ssize_t n;
    int partial = 0;
    while ((n = write(sv[0], chunk, sizeof chunk)) > 0) {
        if (n < (ssize_t) sizeof chunk) partial = 1;
        total += n;
    }
    printf("filled: more than 64K %d, stopped by %s, partial write seen %d\n", total > 65536, errname(errno), partial);
    show_poll("full", sv[0]);
    long drained = 0;
    while ((n = read(sv[1], chunk, sizeof chunk)) > 0) drained += n;
    printf("drained all: %d\n", drained == total);
    show_poll("drained", sv[0]);
    close(sv[0]);
    close(sv[1]);
}

static void transfer(void) {
    printf("== 1 MiB across fork\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        static unsigned char buf[65536];
        unsigned long sum = 0, got = 0;
        ssize_t n;
        while ((n = read(sv[1], buf, sizeof buf)) > 0) {
            for (ssize_t i = 0; i < n; i++) sum = sum * 31 + buf[i];
            got += n;
        }
        printf("child got %lu bytes, sum %lx\n", got, sum);
        _exit(0);
    }
    close(sv[1]);
    static unsigned char big[1 << 20];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (unsigned char) (i * 7 + (i >> 12));
    SHOW_RET(write(sv[0], big, sizeof big));
    close(sv[0]);
    int status;
    waitpid(child, &status, 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    states(SOCK_STREAM);
    states(SOCK_SEQPACKET);
    states(SOCK_DGRAM);
    listener();
    edge_triggered();
    full_stream();
    transfer();
    return 0;
}
