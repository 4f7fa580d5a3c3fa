// UDP over 127.0.0.1: message boundaries, MSG_TRUNC (flag and full length), MSG_PEEK,
// recvfrom's address (the sender's name), FIONREAD (the next datagram), connect as a default
// peer (only its datagrams arrive; AF_UNSPEC undoes it), sends to a port nobody has bound
// (dropped; ECONNREFUSED for a connected socket), EDESTADDRREQ, EMSGSIZE, EINVAL for port 0,
// zero-length datagrams, sendmsg/recvmsg with iovecs and a forked exchange.
#include "jux_test.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define A(x) ((struct sockaddr *)&(x))

static struct sockaddr_in v4(const char *ip, int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

static struct sockaddr_in name_of(int fd) {
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    getsockname(fd, A(a), &l);
    return a;
}

static int bound(void) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = v4("127.0.0.1", 0);
    bind(s, A(a), sizeof a);
    return s;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int r = bound(), s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = name_of(r);
    char buf[64];
    printf("== boundaries\n");
    SHOW_ERR(recv(r, buf, sizeof buf, MSG_DONTWAIT));
    SHOW_RET(sendto(s, "one", 3, 0, A(to), sizeof to));
    SHOW_RET(sendto(s, "two!", 4, 0, A(to), sizeof to));
    SHOW_RET(sendto(s, "", 0, 0, A(to), sizeof to));
    SHOW_RET(sendto(s, "a longer datagram", 17, 0, A(to), sizeof to));
    struct sockaddr_in sn = name_of(s);
    printf("sender autobound: port > 0: %s, address any: %s\n", sn.sin_port != 0 ? "yes" : "no", sn.sin_addr.s_addr == 0 ? "yes" : "no");
    int q = -1;
    ioctl(r, FIONREAD, &q);
    printf("FIONREAD: %d\n", q);
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    SHOW_RET(recvfrom(r, buf, sizeof buf, MSG_PEEK, A(from), &fl));
    SHOW_RET(recvfrom(r, buf, sizeof buf, 0, A(from), &fl));
    printf("from: len %d, the sender's port: %s, 127.0.0.1: %s\n", (int)fl, from.sin_port == sn.sin_port ? "yes" : "no",
           from.sin_addr.s_addr == htonl(INADDR_LOOPBACK) ? "yes" : "no");
    SHOW_RET(recv(r, buf, 2, 0));
    SHOW_RET(recv(r, buf, sizeof buf, 0));
    SHOW_RET(recv(r, buf, 4, MSG_TRUNC));
    printf("starts %.4s\n", buf);
    SHOW_ERR(recv(r, buf, sizeof buf, MSG_DONTWAIT));

    printf("== recvmsg\n");
    sendto(s, "0123456789", 10, 0, A(to), sizeof to);
    char p1[4], p2[4];
    struct iovec iov[2] = {{p1, 4}, {p2, 4}};
    struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = iov, .msg_iovlen = 2};
    SHOW_RET(recvmsg(r, &m, 0));
    printf("msg_flags MSG_TRUNC: %s, namelen %d, %.4s|%.4s, controllen %d\n", m.msg_flags & MSG_TRUNC ? "yes" : "no",
           (int)m.msg_namelen, p1, p2, (int)m.msg_controllen);
    struct iovec out[2] = {{"ab", 2}, {"cd", 2}};
    struct msghdr sm = {.msg_name = &to, .msg_namelen = sizeof to, .msg_iov = out, .msg_iovlen = 2};
    SHOW_RET(sendmsg(s, &sm, 0));
    SHOW_RET(recv(r, buf, sizeof buf, 0));
    printf("gathered %.4s\n", buf);

    printf("== errors\n");
    SHOW_ERR(send(s, "x", 1, 0));
    struct sockaddr_in zero = v4("127.0.0.1", 0);
    SHOW_ERR(sendto(s, "x", 1, 0, A(zero), sizeof zero));
    SHOW_ERR(sendto(s, "x", 1, 0, A(to), 8));
    static char big[70000];
    SHOW_ERR(sendto(s, big, 65508, 0, A(to), sizeof to));
    SHOW_RET(sendto(s, big, 65507, 0, A(to), sizeof to));
    SHOW_RET(recv(r, big, sizeof big, 0));
    struct sockaddr_in unspec_to = to;
    unspec_to.sin_family = AF_UNSPEC;
    SHOW_RET(sendto(s, "unspec", 6, 0, A(unspec_to), sizeof unspec_to));
    SHOW_RET(recv(r, buf, sizeof buf, MSG_ERRQUEUE | MSG_DONTWAIT));
    SHOW_RET(recv(r, buf, sizeof buf, MSG_ERRQUEUE));
    SHOW_RET(recv(r, buf, sizeof buf, 0));
    struct sockaddr_in peer;
    socklen_t pl = sizeof peer;
    SHOW_ERR(getpeername(s, A(peer), &pl));
    SHOW_ERR(shutdown(s, SHUT_RD));

    printf("== nobody there\n");
    int gone = bound();
    struct sockaddr_in nowhere = name_of(gone);
    close(gone);
    SHOW_RET(sendto(s, "lost", 4, 0, A(nowhere), sizeof nowhere));
    SHOW_RET(sendto(s, "lost", 4, 0, A(nowhere), sizeof nowhere));
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    SHOW_ERR(connect(c, A(nowhere), sizeof nowhere));
    SHOW_RET(send(c, "lost", 4, 0));
    struct pollfd pf = {c, POLLIN, 0};
    poll(&pf, 1, 5000);
    printf("POLLERR: %s\n", pf.revents & POLLERR ? "yes" : "no");
    SHOW_ERR(send(c, "lost", 4, 0));
    SHOW_RET(send(c, "lost", 4, 0));
    poll(&pf, 1, 5000);
    SHOW_ERR(recv(c, buf, sizeof buf, MSG_DONTWAIT));
    SHOW_ERR(recv(c, buf, sizeof buf, MSG_DONTWAIT));
    close(c);

    printf("== connected\n");
    int a = bound(), b = bound(), third = bound();
    struct sockaddr_in an = name_of(a), bn = name_of(b);
    SHOW_ERR(connect(a, A(bn), sizeof bn));
    pl = sizeof peer;
    getpeername(a, A(peer), &pl);
    printf("peer is b: %s\n", peer.sin_port == bn.sin_port ? "yes" : "no");
    sendto(third, "stranger", 8, 0, A(an), sizeof an);
    sendto(b, "friend", 6, 0, A(an), sizeof an);
    SHOW_RET(recv(a, buf, sizeof buf, 0));
    printf("a got %.6s\n", buf);
    SHOW_ERR(recv(a, buf, sizeof buf, MSG_DONTWAIT));
    SHOW_RET(send(a, "hi", 2, 0));
    SHOW_RET(recv(b, buf, sizeof buf, 0));
    struct sockaddr_in tn = name_of(third);
    SHOW_RET(sendto(a, "direct", 6, 0, A(tn), sizeof tn));
    SHOW_RET(recv(third, buf, sizeof buf, 0));
    struct sockaddr_in unspec = {.sin_family = AF_UNSPEC};
    SHOW_ERR(connect(a, A(unspec), sizeof unspec));
    pl = sizeof peer;
    SHOW_ERR(getpeername(a, A(peer), &pl));
    SHOW_ERR(send(a, "x", 1, 0));
    SHOW_RET(sendto(a, "explicit", 8, 0, A(bn), sizeof bn));
    SHOW_RET(recv(b, buf, sizeof buf, 0));
    // __udp_disconnect keeps what bind(2) chose: a's host (127.0.0.1), but not its port, since
    // bind asked for port 0; the sendto above bound a new ephemeral port, which may or may not
    // be the old one (Linux picks it at random), so only "bound, on 127.0.0.1" is checked.
    struct sockaddr_in after = name_of(a);
    printf("still on 127.0.0.1, bound: %s\n",
           after.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && after.sin_port != 0 ? "yes" : "no");
    // A port bind(2) named itself (SOCK_BINDPORT_LOCK) survives the disconnect.
    int probe = bound();
    struct sockaddr_in fixed = name_of(probe);
    close(probe);
    int locked = socket(AF_INET, SOCK_DGRAM, 0);
    if (bind(locked, A(fixed), sizeof fixed) == 0) {
        SHOW_ERR(connect(locked, A(bn), sizeof bn));
        SHOW_ERR(connect(locked, A(unspec), sizeof unspec));
        struct sockaddr_in kept = name_of(locked);
        printf("named port kept: %s\n", kept.sin_port == fixed.sin_port ? "yes" : "no");
    } else {
        printf("named port kept: yes\n"); // another program took the port in between: nothing to check
    }
    close(locked);
    SHOW_ERR(shutdown(b, SHUT_RD));

    printf("== across fork\n");
    pid_t pid = fork();
    if (pid == 0) {
        int k = socket(AF_INET, SOCK_DGRAM, 0);
        for (int i = 0; i < 5; i++) {
            char msg[16];
            int n = snprintf(msg, sizeof msg, "msg %d", i);
            sendto(k, msg, n, 0, A(to), sizeof to);
        }
        _exit(0);
    }
    for (int i = 0; i < 5; i++) {
        ssize_t n = recv(r, buf, sizeof buf, 0);
        printf("%.*s\n", (int)n, buf);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
