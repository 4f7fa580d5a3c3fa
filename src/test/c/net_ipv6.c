// AF_INET6 on ::1: an echo, a dual-stack listener on :: that takes an IPv4 client (seen as
// ::ffff:127.0.0.1), IPV6_V6ONLY (v4 clients refused, v4-mapped binds EINVAL), the port
// conflict between :: and 0.0.0.0 unless V6ONLY, v4-mapped binds and addresses, ENETUNREACH
// for a v4 peer of a V6ONLY socket, and UDP between the families.
#include "jux_test.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#define A(x) ((struct sockaddr *)&(x))

static struct sockaddr_in6 v6(const char *ip, int port) {
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
    inet_pton(AF_INET6, ip, &a.sin6_addr);
    return a;
}

static struct sockaddr_in v4(const char *ip, int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

static int port6(int fd) {
    struct sockaddr_in6 a;
    socklen_t l = sizeof a;
    getsockname(fd, A(a), &l);
    return ntohs(a.sin6_port);
}

static void show6(const char *what, struct sockaddr_in6 *a, socklen_t len) {
    char text[64];
    inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    printf("%s: len %d family %s addr %s\n", what, (int)len, a->sin6_family == AF_INET6 ? "AF_INET6" : "other", text);
}

static int listener6_at(const char *ip, int v6only, int port) {
    int l = socket(AF_INET6, SOCK_STREAM, 0);
    setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
    struct sockaddr_in6 a = v6(ip, port);
    if (bind(l, A(a), sizeof a) != 0) perror("bind");
    listen(l, 4);
    return l;
}

static int listener6(const char *ip, int v6only) {
    return listener6_at(ip, v6only, 0);
}

/*
 * A port no IPv4 socket holds right now. An IPv6 socket's ephemeral port may be one an IPv4
 * socket of another program holds (other tests run alongside), which would make a wildcard
 * IPv4 bind to it fail for a reason that is not the one tested.
 */
static int free_ipv4_port(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = v4("0.0.0.0", 0);
    socklen_t l = sizeof a;
    bind(s, A(a), sizeof a);
    getsockname(s, A(a), &l);
    close(s);
    return ntohs(a.sin_port);
}

static void echo6(void) {
    printf("== ::1\n");
    int l = listener6("::1", 0);
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 to = v6("::1", port6(l));
    SHOW_ERR(connect(c, A(to), sizeof to));
    struct sockaddr_in6 peer;
    socklen_t pl = sizeof peer;
    int s = accept(l, A(peer), &pl);
    show6("accepted peer", &peer, pl);
    struct sockaddr_in6 me;
    socklen_t ml = sizeof me;
    getsockname(c, A(me), &ml);
    show6("client name", &me, ml);
    printf("client port is the peer port: %s\n", me.sin6_port == peer.sin6_port ? "yes" : "no");
    write(c, "six", 3);
    char buf[8] = {0};
    read(s, buf, sizeof buf);
    printf("server got %s\n", buf);
    // A v4 client cannot reach a listener bound to ::1.
    int c4 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in t4 = v4("127.0.0.1", port6(l));
    SHOW_ERR(connect(c4, A(t4), sizeof t4));
    close(c4);
    close(c);
    close(s);
    close(l);
}

static void dual(void) {
    printf("== dual stack\n");
    int l = listener6("::", 0);
    int port = port6(l);
    int c4 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in t4 = v4("127.0.0.1", port);
    SHOW_ERR(connect(c4, A(t4), sizeof t4));
    struct sockaddr_in6 peer;
    socklen_t pl = sizeof peer;
    int s = accept(l, A(peer), &pl);
    show6("v4 client seen as", &peer, pl);
    struct sockaddr_in6 local;
    socklen_t ll = sizeof local;
    getsockname(s, A(local), &ll);
    show6("server side name", &local, ll);
    close(s);
    close(c4);
    // A v6 client through a v4-mapped destination.
    int c6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 mapped = v6("::ffff:127.0.0.1", port);
    SHOW_ERR(connect(c6, A(mapped), sizeof mapped));
    struct sockaddr_in6 me;
    socklen_t ml = sizeof me;
    getsockname(c6, A(me), &ml);
    show6("mapped client name", &me, ml);
    s = accept(l, NULL, NULL);
    close(s);
    close(c6);
    // :: without V6ONLY holds the port for IPv4 too.
    int b4 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in same4 = v4("127.0.0.1", port);
    SHOW_ERR(bind(b4, A(same4), sizeof same4));
    close(b4);
    close(l);

    printf("== IPV6_V6ONLY\n");
    l = listener6_at("::", 1, free_ipv4_port());
    port = port6(l);
    c4 = socket(AF_INET, SOCK_STREAM, 0);
    t4 = v4("127.0.0.1", port);
    SHOW_ERR(connect(c4, A(t4), sizeof t4));
    close(c4);
    b4 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any4 = v4("0.0.0.0", port);
    SHOW_ERR(bind(b4, A(any4), sizeof any4));
    SHOW_ERR(listen(b4, 1));
    close(b4);
    int v6only = socket(AF_INET6, SOCK_STREAM, 0);
    setsockopt(v6only, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, sizeof(int));
    struct sockaddr_in6 m = v6("::ffff:127.0.0.1", 0);
    SHOW_ERR(bind(v6only, A(m), sizeof m));
    SHOW_ERR(connect(v6only, A(m), sizeof m));
    close(v6only);
    close(l);

    printf("== v6 binds\n");
    int s6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 far = v6("2001:db8::1", 0);
    SHOW_ERR(bind(s6, A(far), sizeof far));
    struct sockaddr_in6 farmapped = v6("::ffff:192.0.2.1", 0);
    SHOW_ERR(bind(s6, A(farmapped), sizeof farmapped));
    struct sockaddr_in6 lo = v6("::1", 0);
    SHOW_ERR(bind(s6, A(lo), 23));
    SHOW_ERR(bind(s6, A(lo), 24));
    SHOW_ERR(bind(s6, A(lo), sizeof lo));
    close(s6);
    s6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in six4 = v4("127.0.0.1", 0);
    SHOW_ERR(bind(s6, A(six4), sizeof six4));
    SHOW_ERR(bind(s6, A(m), sizeof m));
    struct sockaddr_in6 nm;
    socklen_t nl = sizeof nm;
    getsockname(s6, A(nm), &nl);
    show6("v4-mapped bind", &nm, nl);
    close(s6);
    s6 = socket(AF_INET6, SOCK_STREAM, 0);
    nl = sizeof nm;
    getsockname(s6, A(nm), &nl);
    show6("unbound", &nm, nl);
    close(s6);
}

static void udp(void) {
    printf("== UDP across families\n");
    int r = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 any = v6("::", 0);
    bind(r, A(any), sizeof any);
    int port = port6(r);
    int s4 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = v4("127.0.0.1", port);
    SHOW_RET(sendto(s4, "from4", 5, 0, A(to), sizeof to));
    int s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 to6 = v6("::1", port);
    SHOW_RET(sendto(s6, "from6", 5, 0, A(to6), sizeof to6));
    for (int i = 0; i < 2; i++) {
        char buf[16] = {0};
        struct sockaddr_in6 from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(r, buf, sizeof buf, 0, A(from), &fl);
        printf("got %zd %s, ", n, buf);
        show6("from", &from, fl);
    }
    // An AF_INET6 UDP socket may connect to an AF_INET address.
    SHOW_ERR(connect(s6, A(to), sizeof to));
    struct sockaddr_in6 pn;
    socklen_t pnl = sizeof pn;
    getpeername(s6, A(pn), &pnl);
    show6("peer", &pn, pnl);
    SHOW_RET(send(s6, "again", 5, 0));
    char buf[16] = {0};
    SHOW_RET(recv(r, buf, sizeof buf, 0));
    close(s4);
    close(s6);
    close(r);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    echo6();
    dual();
    udp();
    return 0;
}
