// Non-blocking TCP and readiness: connect's EINPROGRESS then POLLOUT and SO_ERROR 0 (the next
// connect 0, then EISCONN), a refused non-blocking connect (SO_ERROR ECONNREFUSED, then
// ECONNABORTED), accept's EAGAIN and accept4 flags, epoll on a listener and a connection
// (EPOLLIN, EPOLLOUT, EPOLLRDHUP, EPOLLHUP, EPOLLERR, edge-triggered), select, a full
// connection (EAGAIN, a partial write, POLLOUT back after the reader drains), SO_RCVTIMEO,
// and a blocked reader interrupted by a signal (EINTR under SO_RCVTIMEO, else restarted).
#include "jux_test.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#define A(x) ((struct sockaddr *)&(x))

static int listener(struct sockaddr_in *at) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(l, A(a), sizeof a);
    listen(l, 8);
    socklen_t len = sizeof *at;
    getsockname(l, (struct sockaddr *)at, &len);
    return l;
}

static const char *events(unsigned e) {
    static char text[80];
    snprintf(text, sizeof text, "%s%s%s%s%s", e & EPOLLIN ? " IN" : "", e & EPOLLOUT ? " OUT" : "", e & EPOLLRDHUP ? " RDHUP" : "",
             e & EPOLLHUP ? " HUP" : "", e & EPOLLERR ? " ERR" : "");
    return text;
}

static unsigned wait_epoll(int ep, int ms) {
    struct epoll_event e = {0};
    int n = epoll_wait(ep, &e, 1, ms);
    return n == 1 ? e.events : 0;
}

static int so_error(int fd) {
    int e = -1;
    socklen_t l = sizeof e;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l);
    return e;
}

static void on_alarm(int sig) { (void)sig; }

static void connects(void) {
    printf("== non-blocking connect\n");
    struct sockaddr_in at;
    int l = listener(&at);
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(c, A(at), sizeof at);
    printf("connect: %s\n", r == 0 || errno == EINPROGRESS ? "0 or EINPROGRESS" : errname(errno));
    struct pollfd p = {c, POLLOUT, 0};
    int ready = poll(&p, 1, 5000);
    printf("poll: %d, POLLOUT: %s\n", ready, p.revents & POLLOUT ? "yes" : "no");
    printf("SO_ERROR: %s\n", errname(so_error(c)));
    r = connect(c, A(at), sizeof at);
    printf("connect again: %s\n", r == 0 || errno == EISCONN ? "0 or EISCONN" : errname(errno));
    SHOW_ERR(connect(c, A(at), sizeof at));
    int s = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    printf("accept4 flags: nonblock %d cloexec %d\n", (fcntl(s, F_GETFL) & O_NONBLOCK) != 0, (fcntl(s, F_GETFD) & FD_CLOEXEC) != 0);
    char buf[8];
    SHOW_ERR(read(s, buf, sizeof buf));
    int fl = fcntl(l, F_GETFL);
    fcntl(l, F_SETFL, fl | O_NONBLOCK);
    SHOW_ERR(accept(l, NULL, NULL));
    close(s);
    close(c);

    int gone = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(gone, A(any), sizeof any);
    struct sockaddr_in nowhere;
    socklen_t nl = sizeof nowhere;
    getsockname(gone, A(nowhere), &nl);
    close(gone);
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    r = connect(c, A(nowhere), sizeof nowhere);
    printf("refused connect: %s\n", r == -1 && (errno == EINPROGRESS || errno == ECONNREFUSED) ? "EINPROGRESS or ECONNREFUSED" : errname(errno));
    p.fd = c;
    p.events = POLLOUT;
    poll(&p, 1, 5000);
    printf("revents:%s\n", events(p.revents));
    printf("SO_ERROR: %s\n", errname(so_error(c)));
    SHOW_ERR(connect(c, A(nowhere), sizeof nowhere));
    close(c);
    close(l);
}

static void epolls(void) {
    printf("== epoll\n");
    struct sockaddr_in at;
    int l = listener(&at);
    int ep = epoll_create1(0);
    struct epoll_event e = {.events = EPOLLIN, .data.fd = l};
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &e);
    printf("idle listener:%s\n", events(wait_epoll(ep, 0)));
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, A(at), sizeof at);
    printf("pending connection:%s\n", events(wait_epoll(ep, 5000)));
    int s = accept(l, NULL, NULL);
    printf("after accept:%s\n", events(wait_epoll(ep, 0)));
    epoll_ctl(ep, EPOLL_CTL_DEL, l, NULL);
    e.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
    e.data.fd = s;
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &e);
    printf("connected:%s\n", events(wait_epoll(ep, 5000)));
    write(c, "ping", 4);
    e.events = EPOLLIN | EPOLLRDHUP;
    epoll_ctl(ep, EPOLL_CTL_MOD, s, &e);
    printf("data:%s\n", events(wait_epoll(ep, 5000)));
    char buf[8];
    read(s, buf, sizeof buf);
    printf("drained:%s\n", events(wait_epoll(ep, 0)));
    shutdown(c, SHUT_WR);
    printf("peer shut:%s\n", events(wait_epoll(ep, 5000)));
    close(c);
    e.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
    epoll_ctl(ep, EPOLL_CTL_MOD, s, &e);
    printf("peer closed:%s\n", events(wait_epoll(ep, 5000)));
    close(s);

    // Edge-triggered: one event per arrival.
    c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, A(at), sizeof at);
    s = accept(l, NULL, NULL);
    e.events = EPOLLIN | EPOLLET;
    e.data.fd = s;
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &e);
    write(c, "a", 1);
    printf("edge 1:%s\n", events(wait_epoll(ep, 5000)));
    printf("edge again:%s\n", events(wait_epoll(ep, 0)));
    write(c, "b", 1);
    printf("edge 2:%s\n", events(wait_epoll(ep, 5000)));

    // A reset shows as EPOLLERR | EPOLLHUP.
    e.events = EPOLLIN | EPOLLRDHUP;
    epoll_ctl(ep, EPOLL_CTL_MOD, s, &e);
    close(s); // unread data: a reset for c
    e.data.fd = c;
    epoll_ctl(ep, EPOLL_CTL_ADD, c, &e);
    printf("reset:%s\n", events(wait_epoll(ep, 5000)));
    close(c);
    close(ep);

    printf("== select\n");
    c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, A(at), sizeof at);
    s = accept(l, NULL, NULL);
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(s, &rd);
    FD_SET(c, &wr);
    struct timeval tv = {5, 0};
    int ready = select(FD_SETSIZE, &rd, &wr, NULL, &tv);
    printf("select: %d, c writable: %d, s readable: %d\n", ready, FD_ISSET(c, &wr), FD_ISSET(s, &rd));
    write(c, "x", 1);
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    tv.tv_sec = 5;
    ready = select(FD_SETSIZE, &rd, NULL, NULL, &tv);
    printf("select: %d, s readable: %d\n", ready, FD_ISSET(s, &rd));
    close(c);
    close(s);
    close(l);
}

static void full(void) {
    printf("== a full connection\n");
    struct sockaddr_in at;
    int l = listener(&at);
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(c, A(at), sizeof at);
    struct pollfd p = {c, POLLOUT, 0};
    poll(&p, 1, 5000);
    int s = accept(l, NULL, NULL);
    static char block[65536];
    long sent = 0;
    ssize_t n;
    int eagain = 0;
    for (int i = 0; i < 10000; i++) {
        n = write(c, block, sizeof block);
        if (n < 0) {
            eagain = errno == EAGAIN;
            break;
        }
        sent += n;
    }
    printf("filled: sent > 0: %s, then EAGAIN: %s\n", sent > 0 ? "yes" : "no", eagain ? "yes" : "no");
    p.revents = 0;
    poll(&p, 1, 0);
    printf("POLLOUT while full: %s\n", p.revents & POLLOUT ? "yes" : "no");
    long got = 0;
    static char sink[1 << 20];
    struct pollfd rp = {s, POLLIN, 0};
    while (got < sent) {
        poll(&rp, 1, 5000);
        n = read(s, sink, sizeof sink);
        if (n <= 0) break;
        got += n;
    }
    printf("drained all: %s\n", got == sent ? "yes" : "no");
    printf("POLLOUT after draining: %d\n", poll(&p, 1, 5000) == 1 && (p.revents & POLLOUT));
    close(c);
    close(s);
    close(l);
}

static void timeouts(void) {
    printf("== timeouts and signals\n");
    struct sockaddr_in at;
    int l = listener(&at);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, A(at), sizeof at);
    int s = accept(l, NULL, NULL);
    struct timeval tv = {0, 50000};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[4];
    SHOW_ERR(read(s, buf, sizeof buf));
    SHOW_ERR(recv(s, buf, sizeof buf, MSG_WAITALL));
    setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    SHOW_ERR(accept(l, NULL, NULL));
    struct sigaction sa = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &sa, NULL);
    tv.tv_sec = 5;
    tv.tv_usec = 0;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    SHOW_ERR(read(s, buf, sizeof buf));
    // Without a timeout and with SA_RESTART the read restarts and gets the data sent later.
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    tv.tv_sec = 0;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(200000);
        write(c, "late", 4);
        _exit(0);
    }
    setitimer(ITIMER_REAL, &it, NULL);
    SHOW_RET(read(s, buf, sizeof buf));
    waitpid(pid, NULL, 0);
    close(c);
    close(s);
    close(l);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    connects();
    epolls();
    full();
    timeouts();
    return 0;
}
