// The error paths of AF_INET/AF_INET6 sockets: socket(2)'s protocol and type checks, bind's
// address checks (EINVAL, EAFNOSUPPORT, EADDRNOTAVAIL, EADDRINUSE and SO_REUSEADDR,
// EACCES below port 1024 for a non-root user), connect (ECONNREFUSED, EISCONN, EINVAL),
// listen/accept on the wrong socket, ENOTCONN, EPIPE, EFAULT, and the socket options
// (doubled buffers, SO_TYPE/DOMAIN/PROTOCOL, IPV6_V6ONLY after bind, unknown options).
#include "jux_test.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

static struct sockaddr_in v4(const char *ip, int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

static int port_of(int fd) {
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &l);
    return ntohs(a.sin_port);
}

static int intopt(int fd, int level, int name) {
    int v = -7;
    socklen_t l = sizeof v;
    if (getsockopt(fd, level, name, &v, &l) != 0) return -errno;
    return v;
}

#define A(x) ((struct sockaddr *)&(x))

static void sockets(void) {
    printf("== socket\n");
    SHOW_ERR(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
    SHOW_ERR(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
    SHOW_ERR(socket(AF_INET6, SOCK_STREAM, 99));
    SHOW_ERR(socket(AF_INET, SOCK_SEQPACKET, 0));
    SHOW_ERR(socket(AF_INET, SOCK_RAW, 0));
    SHOW_ERR(socket(AF_INET, SOCK_STREAM, -1));
    SHOW_ERR(socket(AF_INET, 0x7fff0001, 0));
    int sv[2];
    SHOW_ERR(socketpair(AF_INET, SOCK_STREAM, 0, sv));
    int s = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP);
    printf("flags: cloexec %d nonblock %d\n", (fcntl(s, F_GETFD) & FD_CLOEXEC) != 0, (fcntl(s, F_GETFL) & O_NONBLOCK) != 0);
    printf("SO_TYPE %d SO_DOMAIN %d SO_PROTOCOL %d\n", intopt(s, SOL_SOCKET, SO_TYPE), intopt(s, SOL_SOCKET, SO_DOMAIN),
           intopt(s, SOL_SOCKET, SO_PROTOCOL));
    struct stat st;
    fstat(s, &st);
    printf("S_ISSOCK: %s\n", S_ISSOCK(st.st_mode) ? "yes" : "no");
    close(s);
    s = socket(AF_INET, SOCK_DGRAM, 0);
    printf("SO_TYPE %d SO_DOMAIN %d SO_PROTOCOL %d\n", intopt(s, SOL_SOCKET, SO_TYPE), intopt(s, SOL_SOCKET, SO_DOMAIN),
           intopt(s, SOL_SOCKET, SO_PROTOCOL));
    close(s);
}

static void binds(void) {
    printf("== bind\n");
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = v4("127.0.0.1", 0);
    SHOW_ERR(bind(s, A(a), sizeof a - 1));
    struct sockaddr_in6 six = {.sin6_family = AF_INET6};
    SHOW_ERR(bind(s, (struct sockaddr *)&six, sizeof six));
    struct sockaddr_in far = v4("192.0.2.1", 0);
    SHOW_ERR(bind(s, A(far), sizeof far));
    SHOW_ERR(bind(s, NULL, sizeof a));
    SHOW_ERR(bind(s, (struct sockaddr *)8, sizeof a));
    SHOW_ERR(bind(s, A(a), 200));
    struct sockaddr_in other = v4("127.0.0.2", 0);
    SHOW_ERR(bind(s, A(other), sizeof other));
    SHOW_ERR(bind(s, A(a), sizeof a));
    int port = port_of(s);
    printf("port in 32768..60999: %s\n", port >= 32768 && port <= 60999 ? "yes" : "no");
    close(s);

    // AF_UNSPEC with INADDR_ANY is taken for AF_INET (old programs); with another address it is not.
    s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in un = {.sin_family = AF_UNSPEC};
    SHOW_ERR(bind(s, A(un), sizeof un));
    close(s);
    s = socket(AF_INET, SOCK_STREAM, 0);
    un.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SHOW_ERR(bind(s, A(un), sizeof un));
    close(s);

    printf("-- EADDRINUSE and SO_REUSEADDR\n");
    int l = socket(AF_INET, SOCK_STREAM, 0);
    a = v4("127.0.0.1", 0);
    bind(l, A(a), sizeof a);
    listen(l, 4);
    struct sockaddr_in same = v4("127.0.0.1", port_of(l));
    struct sockaddr_in any = v4("0.0.0.0", port_of(l));
    int t = socket(AF_INET, SOCK_STREAM, 0);
    SHOW_ERR(bind(t, A(same), sizeof same));
    SHOW_ERR(bind(t, A(any), sizeof any));
    setsockopt(t, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int));
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int));
    SHOW_ERR(bind(t, A(same), sizeof same)); // the other one listens: still in use
    struct sockaddr_in two = v4("127.0.0.2", port_of(l));
    SHOW_ERR(bind(t, A(two), sizeof two)); // another address of 127/8 is free
    close(t);
    // A UDP socket does not collide with a TCP one.
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    SHOW_ERR(bind(u, A(same), sizeof same));
    int u2 = socket(AF_INET, SOCK_DGRAM, 0);
    SHOW_ERR(bind(u2, A(same), sizeof same));
    setsockopt(u, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int));
    setsockopt(u2, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int));
    SHOW_ERR(bind(u2, A(same), sizeof same));
    close(u);
    close(u2);
    // Two bound, non-listening sockets with SO_REUSEADDR share a port; the second listen is EADDRINUSE.
    int p1 = socket(AF_INET, SOCK_STREAM, 0), p2 = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(p1, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int));
    setsockopt(p2, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int));
    a = v4("127.0.0.1", 0);
    bind(p1, A(a), sizeof a);
    struct sockaddr_in p1a = v4("127.0.0.1", port_of(p1));
    SHOW_ERR(bind(p2, A(p1a), sizeof p1a));
    SHOW_ERR(listen(p1, 1));
    SHOW_ERR(listen(p2, 1));
    close(p1);
    close(p2);
    // Closing the listener frees the port at once (there is no TIME_WAIT without connections).
    close(l);
    t = socket(AF_INET, SOCK_STREAM, 0);
    SHOW_ERR(bind(t, A(same), sizeof same));
    close(t);

    printf("-- privileged ports\n");
    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(65534) != 0) perror("setuid");
        int s2 = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in low = v4("127.0.0.1", 80);
        SHOW_ERR(bind(s2, A(low), sizeof low));
        struct sockaddr_in high = v4("127.0.0.1", 0);
        SHOW_ERR(bind(s2, A(high), sizeof high));
        SHOW_ERR(socket(AF_INET, SOCK_RAW, IPPROTO_UDP));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

static void connects(void) {
    printf("== connect, listen, accept\n");
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = v4("127.0.0.1", 0);
    bind(l, A(a), sizeof a);
    int port = port_of(l);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = v4("127.0.0.1", port);
    SHOW_ERR(connect(c, A(to), sizeof to)); // bound, not listening
    SHOW_ERR(accept(l, NULL, NULL));
    SHOW_ERR(listen(l, 2));
    SHOW_ERR(listen(l, 5));
    SHOW_ERR(connect(c, A(to), 8));
    struct sockaddr_in6 six = {.sin6_family = AF_INET6};
    SHOW_ERR(connect(c, (struct sockaddr *)&six, sizeof six));
    SHOW_ERR(connect(c, (struct sockaddr *)8, sizeof to));
    SHOW_ERR(connect(c, A(to), sizeof to));
    SHOW_ERR(connect(c, A(to), sizeof to));
    SHOW_ERR(connect(l, A(to), sizeof to));
    struct sockaddr_in via_any = v4("0.0.0.0", port);
    int c2 = socket(AF_INET, SOCK_STREAM, 0);
    SHOW_ERR(connect(c2, A(via_any), sizeof via_any));
    struct sockaddr_in peer;
    socklen_t pl = sizeof peer;
    getpeername(c2, A(peer), &pl);
    printf("0.0.0.0 reaches 127.0.0.1: %s\n", peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK) ? "yes" : "no");
    SHOW_ERR(bind(c2, A(a), sizeof a));
    int d = accept(l, NULL, NULL);
    SHOW_ERR(accept(l, (struct sockaddr *)8, &(socklen_t){16}));
    SHOW_ERR(syscall(SYS_accept4, l, NULL, NULL, 0x1234)); // musl's accept4 would fall back to accept

    SHOW_ERR(listen(d, 1));
    int fl = fcntl(l, F_GETFL);
    fcntl(l, F_SETFL, fl | O_NONBLOCK);
    SHOW_ERR(accept(l, NULL, NULL));
    close(c);
    close(c2);
    close(d);
    close(l);

    int fresh = socket(AF_INET, SOCK_STREAM, 0);
    char buf[4];
    struct sockaddr_in x;
    socklen_t xl = sizeof x;
    SHOW_ERR(getpeername(fresh, A(x), &xl));
    xl = sizeof x;
    SHOW_ERR(getsockname(fresh, A(x), &xl));
    printf("unbound name: port %d, any: %s, len %d\n", ntohs(x.sin_port), x.sin_addr.s_addr == 0 ? "yes" : "no", (int)xl);
    SHOW_ERR(recv(fresh, buf, sizeof buf, 0));
    SHOW_ERR(send(fresh, "x", 1, MSG_NOSIGNAL));
    SHOW_ERR(shutdown(fresh, SHUT_RDWR));
    SHOW_ERR(getsockname(fresh, A(x), (socklen_t *)8));
    close(fresh);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    SHOW_ERR(listen(u, 1));
    SHOW_ERR(accept(u, NULL, NULL));
    close(u);
}

static void options(void) {
    printf("== options\n");
    int s = socket(AF_INET, SOCK_STREAM, 0);
    printf("default SO_SNDBUF %d SO_RCVBUF %d\n", intopt(s, SOL_SOCKET, SO_SNDBUF), intopt(s, SOL_SOCKET, SO_RCVBUF));
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &(int){10000}, sizeof(int));
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &(int){10000}, sizeof(int));
    printf("after 10000: SO_SNDBUF %d SO_RCVBUF %d\n", intopt(s, SOL_SOCKET, SO_SNDBUF), intopt(s, SOL_SOCKET, SO_RCVBUF));
    SHOW_ERR(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &(int){1}, sizeof(int)));
    printf("SO_KEEPALIVE %d\n", intopt(s, SOL_SOCKET, SO_KEEPALIVE));
    SHOW_ERR(setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &(int){1}, sizeof(int)));
    printf("SO_REUSEPORT %d SO_ERROR %d SO_ACCEPTCONN %d\n", intopt(s, SOL_SOCKET, SO_REUSEPORT), intopt(s, SOL_SOCKET, SO_ERROR),
           intopt(s, SOL_SOCKET, SO_ACCEPTCONN));
    SHOW_ERR(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &(int){5}, sizeof(int)));
    SHOW_ERR(setsockopt(s, IPPROTO_TCP, TCP_CORK, &(int){1}, sizeof(int)));
    printf("TCP_NODELAY %d TCP_CORK %d\n", intopt(s, IPPROTO_TCP, TCP_NODELAY), intopt(s, IPPROTO_TCP, TCP_CORK));
    SHOW_ERR(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &(int){1}, 2));
    SHOW_ERR(setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &(int){0}, sizeof(int)));
    SHOW_ERR(setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &(int){30}, sizeof(int)));
    printf("TCP_KEEPIDLE %d TCP_KEEPINTVL %d TCP_KEEPCNT %d\n", intopt(s, IPPROTO_TCP, TCP_KEEPIDLE), intopt(s, IPPROTO_TCP, TCP_KEEPINTVL),
           intopt(s, IPPROTO_TCP, TCP_KEEPCNT));
    SHOW_ERR(setsockopt(s, IPPROTO_IP, IP_TOS, &(int){0x10}, sizeof(int)));
    printf("IP_TOS %#x IP_TTL %d\n", intopt(s, IPPROTO_IP, IP_TOS), intopt(s, IPPROTO_IP, IP_TTL));
    SHOW_ERR(setsockopt(s, IPPROTO_IP, IP_TTL, &(int){0}, sizeof(int)));
    SHOW_ERR(setsockopt(s, IPPROTO_TCP, 9999, &(int){1}, sizeof(int)));
    SHOW_ERR(setsockopt(s, SOL_SOCKET, 9999, &(int){1}, sizeof(int)));
    printf("unknown IP option: %d\n", intopt(s, IPPROTO_IP, 9999));
    printf("IPV6_V6ONLY on AF_INET: %d\n", intopt(s, IPPROTO_IPV6, IPV6_V6ONLY));
    SHOW_ERR(setsockopt(s, SOL_SOCKET, SO_TYPE, &(int){1}, sizeof(int)));
    SHOW_ERR(getsockopt(s, SOL_SOCKET, SO_TYPE, (void *)8, &(socklen_t){4}));
    close(s);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    printf("UDP default SO_SNDBUF %d SO_RCVBUF %d\n", intopt(u, SOL_SOCKET, SO_SNDBUF), intopt(u, SOL_SOCKET, SO_RCVBUF));
    printf("TCP_NODELAY on UDP: %d\n", intopt(u, IPPROTO_TCP, TCP_NODELAY));
    close(u);
    int six = socket(AF_INET6, SOCK_STREAM, 0);
    printf("IPV6_V6ONLY %d\n", intopt(six, IPPROTO_IPV6, IPV6_V6ONLY));
    SHOW_ERR(setsockopt(six, IPPROTO_IPV6, IPV6_V6ONLY, &(int){3}, sizeof(int)));
    printf("IPV6_V6ONLY %d\n", intopt(six, IPPROTO_IPV6, IPV6_V6ONLY));
    struct sockaddr_in6 lo = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    SHOW_ERR(bind(six, (struct sockaddr *)&lo, sizeof lo));
    SHOW_ERR(setsockopt(six, IPPROTO_IPV6, IPV6_V6ONLY, &(int){0}, sizeof(int)));
    close(six);
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IONBF, 0);
    sockets();
    binds();
    connects();
    options();
    return 0;
}
