// TCP over 127.0.0.1: an echo between a forked client and server on port 0 (getsockname,
// getpeername, accept's address), MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT, MSG_TRUNC, shutdown
// (end of file for the peer, EPIPE for the writer), close with unread data (ECONNRESET),
// a write to a closed peer (accepted, then EPIPE with SIGPIPE; MSG_NOSIGNAL), FIONREAD and
// SIOCOUTQ, and SO_LINGER with a zero timeout.
#include "jux_test.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ /* <linux/sockios.h>, which musl lacks */
#endif

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

/* Waits (up to 5 s) until one of events holds; the loopback delivers asynchronously on Linux. */
static int wait_for(int fd, short events) {
    struct pollfd p = {fd, events, 0};
    poll(&p, 1, 5000);
    return p.revents;
}

static void show_poll(const char *what, int fd) {
    struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP, 0};
    poll(&p, 1, 0);
    printf("%-26s revents:%s%s%s%s%s\n", what, p.revents & POLLIN ? " IN" : "", p.revents & POLLOUT ? " OUT" : "",
           p.revents & POLLHUP ? " HUP" : "", p.revents & POLLRDHUP ? " RDHUP" : "", p.revents & POLLERR ? " ERR" : "");
}

static int listener(struct sockaddr_in *where) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0) perror("bind");
    if (listen(s, 8) != 0) perror("listen");
    socklen_t l = sizeof *where;
    getsockname(s, (struct sockaddr *)where, &l);
    return s;
}

/* A connected pair: *client and *server. */
static void pair(int lfd, struct sockaddr_in *at, int *client, int *server) {
    *client = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(*client, (struct sockaddr *)at, sizeof *at) != 0) perror("connect");
    *server = accept(lfd, NULL, NULL);
}

static void echo(void) {
    printf("== echo across fork\n");
    struct sockaddr_in at;
    int l = listener(&at);
    printf("bound port in 32768..60999: %s\n", ntohs(at.sin_port) >= 32768 && ntohs(at.sin_port) <= 60999 ? "yes" : "no");
    printf("bound address is 127.0.0.1: %s\n", at.sin_addr.s_addr == htonl(INADDR_LOOPBACK) ? "yes" : "no");
    int v = 0;
    socklen_t vl = sizeof v;
    getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
    printf("SO_ACCEPTCONN: %d\n", v);
    pid_t pid = fork();
    if (pid == 0) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&at, sizeof at) != 0) _exit(1);
        const char *msgs[] = {"hello", "over", "tcp"};
        for (int i = 0; i < 3; i++) {
            char buf[64];
            write(c, msgs[i], strlen(msgs[i]));
            ssize_t n = recv(c, buf, strlen(msgs[i]), MSG_WAITALL);
            printf("client got back %.*s\n", (int)n, buf);
            fflush(stdout);
        }
        shutdown(c, SHUT_WR);
        char buf[8];
        printf("client read after its shutdown: %zd\n", read(c, buf, sizeof buf));
        fflush(stdout);
        _exit(0);
    }
    struct sockaddr_in peer;
    socklen_t pl = sizeof peer;
    int s = accept(l, (struct sockaddr *)&peer, &pl);
    printf("accept: fd >= 0: %s, addrlen %d, family AF_INET: %s, peer 127.0.0.1: %s\n", s >= 0 ? "yes" : "no", (int)pl,
           peer.sin_family == AF_INET ? "yes" : "no", peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK) ? "yes" : "no");
    struct sockaddr_in local, remote;
    socklen_t ll = sizeof local, rl = sizeof remote;
    getsockname(s, (struct sockaddr *)&local, &ll);
    getpeername(s, (struct sockaddr *)&remote, &rl);
    printf("accepted socket's local port is the listener's: %s\n", local.sin_port == at.sin_port ? "yes" : "no");
    printf("getpeername equals accept's address: %s\n", remote.sin_port == peer.sin_port && remote.sin_addr.s_addr == peer.sin_addr.s_addr ? "yes" : "no");
    printf("peer port differs from the listener's: %s\n", peer.sin_port != at.sin_port ? "yes" : "no");
    char buf[64];
    ssize_t n;
    while ((n = read(s, buf, sizeof buf)) > 0) write(s, buf, n);
    printf("server read end of file: %zd\n", n);
    close(s);
    int st;
    waitpid(pid, &st, 0);
    printf("client exit: %d\n", WEXITSTATUS(st));
    close(l);
}

static void flags(void) {
    printf("== recv flags\n");
    struct sockaddr_in at;
    int l = listener(&at), c, s;
    pair(l, &at, &c, &s);
    char buf[32];
    SHOW_ERR(recv(s, buf, sizeof buf, MSG_DONTWAIT));
    write(c, "abcdef", 6);
    wait_for(s, POLLIN);
    int q = -1;
    ioctl(s, FIONREAD, &q);
    printf("FIONREAD: %d\n", q);
    SHOW_ERR(ioctl(c, SIOCOUTQ, &q));
    SHOW_RET(recv(s, buf, 3, MSG_PEEK));
    printf("peeked %.3s\n", buf);
    SHOW_RET(recv(s, buf, 2, MSG_TRUNC));
    SHOW_RET(recv(s, buf, sizeof buf, 0));
    printf("then %.4s\n", buf);
    SHOW_ERR(recv(s, buf, 1, MSG_OOB));
    SHOW_ERR(ioctl(l, FIONREAD, &q));
    int off = 0;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
    socklen_t ol = sizeof off;
    getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &off, &ol);
    printf("TCP_NODELAY: %d\n", off);
    close(c);
    close(s);
    close(l);
}

static void shutdowns(void) {
    printf("== shutdown and close\n");
    struct sockaddr_in at;
    int l = listener(&at), c, s;
    pair(l, &at, &c, &s);
    show_poll("connected", c);
    SHOW_ERR(shutdown(c, 7));
    SHOW_ERR(shutdown(c, SHUT_WR));
    wait_for(s, POLLRDHUP);
    show_poll("peer after SHUT_WR", s);
    show_poll("writer after SHUT_WR", c);
    char buf[8];
    SHOW_RET(read(s, buf, sizeof buf));
    SHOW_ERR(send(c, "x", 1, MSG_NOSIGNAL));
    SHOW_RET(write(s, "back", 4));
    wait_for(c, POLLIN);
    SHOW_RET(read(c, buf, sizeof buf));
    SHOW_ERR(shutdown(s, SHUT_WR));
    wait_for(c, POLLHUP);
    show_poll("both shut", c);
    close(c);
    close(s);

    // Closing with unread data resets the connection.
    pair(l, &at, &c, &s);
    write(c, "unread", 6);
    wait_for(s, POLLIN);
    close(s);
    wait_for(c, POLLERR);
    show_poll("after reset", c);
    SHOW_ERR(read(c, buf, sizeof buf));
    show_poll("error taken", c);
    SHOW_RET(read(c, buf, sizeof buf));
    sigpipes = 0;
    SHOW_ERR(write(c, "x", 1));
    printf("SIGPIPE: %d\n", sigpipes);
    struct sockaddr_in r;
    socklen_t rl = sizeof r;
    SHOW_ERR(getpeername(c, (struct sockaddr *)&r, &rl));
    close(c);

    // A write to a peer that closed normally is taken, then the reset makes the next one EPIPE.
    pair(l, &at, &c, &s);
    close(s);
    wait_for(c, POLLRDHUP);
    show_poll("peer closed", c);
    SHOW_RET(read(c, buf, sizeof buf));
    sigpipes = 0;
    SHOW_RET(write(c, "x", 1));
    wait_for(c, POLLERR);
    int err = 0;
    socklen_t el = sizeof err;
    getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &el);
    printf("SO_ERROR: %s\n", errname(err));
    SHOW_ERR(write(c, "x", 1));
    printf("SIGPIPE: %d\n", sigpipes);
    SHOW_ERR(send(c, "x", 1, MSG_NOSIGNAL));
    printf("SIGPIPE: %d\n", sigpipes);
    close(c);

    // SO_LINGER with a zero timeout: close resets at once.
    pair(l, &at, &c, &s);
    struct linger lg = {1, 0};
    setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(s);
    wait_for(c, POLLERR);
    SHOW_ERR(recv(c, buf, sizeof buf, 0));
    close(c);

    // A listener closed with a connection nobody accepted resets it.
    c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&at, sizeof at);
    close(l);
    wait_for(c, POLLERR);
    SHOW_ERR(recv(c, buf, sizeof buf, 0));
    close(c);
    c = socket(AF_INET, SOCK_STREAM, 0);
    SHOW_ERR(connect(c, (struct sockaddr *)&at, sizeof at));
    close(c);
}

static void bulk(void) {
    printf("== 1 MiB across fork\n");
    struct sockaddr_in at;
    int l = listener(&at);
    pid_t pid = fork();
    if (pid == 0) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        connect(c, (struct sockaddr *)&at, sizeof at);
        static char block[65536];
        for (int i = 0; i < 16; i++) {
            memset(block, 'a' + i, sizeof block);
            size_t done = 0;
            while (done < sizeof block) done += write(c, block + done, sizeof block - done);
        }
        _exit(0);
    }
    int s = accept(l, NULL, NULL);
    static char buf[100000];
    long total = 0, sum = 0;
    ssize_t n;
    while ((n = read(s, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) sum += buf[i];
        total += n;
    }
    printf("received %ld bytes, checksum %ld\n", total, sum);
    waitpid(pid, NULL, 0);
    close(s);
    close(l);
}

int main(void) {
    signal(SIGPIPE, on_sigpipe);
    setvbuf(stdout, NULL, _IONBF, 0);
    echo();
    flags();
    shutdowns();
    bulk();
    return 0;
}
