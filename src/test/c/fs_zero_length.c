// read(2) and write(2) of 0 bytes reach the file as on Linux: a directory says EISDIR, an
// eventfd, timerfd or signalfd EINVAL, a datagram socket (UDP, unix dgram and seqpacket)
// sends an empty datagram the receiver sees, netlink says ENODATA; regular files, pipes
// (even empty, even without readers: no SIGPIPE) and /dev/null return 0 at once.
#include "jux_test.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>

static void show(const char *what, long r) {
    printf("%s: %s\n", what, r >= 0 ? (r == 0 ? "0" : "positive") : errname(errno));
}

static void datagrams(const char *what, int tx, int rx) {
    char buf[16];
    show("  write of nothing", write(tx, buf, 0));
    show("  write of x", write(tx, "x", 1));
    long a = recv(rx, buf, sizeof buf, MSG_DONTWAIT);
    long b = recv(rx, buf, sizeof buf, MSG_DONTWAIT);
    printf("%s: received %ld then %ld bytes\n", what, a, b);
    show("  read of nothing", read(rx, buf, 0));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    char buf[16];
    int dir = open("/", O_RDONLY | O_DIRECTORY);
    show("read(dir, 0)", read(dir, buf, 0));
    int efd = eventfd(0, EFD_NONBLOCK);
    show("read(eventfd, 0)", read(efd, buf, 0));
    show("write(eventfd, 0)", write(efd, buf, 0));
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    show("read(timerfd, 0)", read(tfd, buf, 0));
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    int sfd = signalfd(-1, &set, SFD_NONBLOCK);
    show("read(signalfd, 0)", read(sfd, buf, 0));

    int p[2];
    pipe(p);
    show("read(empty pipe, 0)", read(p[0], buf, 0));
    close(p[0]);
    show("write(pipe without readers, 0)", write(p[1], buf, 0));
    show("write(pipe without readers, 1)", write(p[1], buf, 1));
    int f = open("/tmp", O_RDWR | O_TMPFILE, 0600);
    show("write(file, 0)", write(f, buf, 0));
    show("read(file, 0)", read(f, buf, 0));
    int null = open("/dev/null", O_WRONLY);
    show("write(/dev/null, 0)", write(null, buf, 0));

    int u[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, u);
    datagrams("unix dgram", u[0], u[1]);
    int q[2];
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, q);
    datagrams("unix seqpacket", q[0], q[1]);
    int s[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    show("write(unix stream, 0)", write(s[0], buf, 0));
    printf("unix stream: nothing to read: %s\n", recv(s[1], buf, sizeof buf, MSG_DONTWAIT) < 0 && errno == EAGAIN ? "yes" : "no");

    int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    bind(rx, (struct sockaddr *) &a, sizeof a);
    getsockname(rx, (struct sockaddr *) &a, &len);
    connect(tx, (struct sockaddr *) &a, sizeof a);
    datagrams("udp", tx, rx);
    int unconnected = socket(AF_INET, SOCK_DGRAM, 0);
    show("write(unconnected udp, 0)", write(unconnected, buf, 0));

    int nl = socket(AF_NETLINK, SOCK_RAW, 0);    /* NETLINK_ROUTE (musl has no linux/ headers) */
    show("write(netlink, 0)", write(nl, buf, 0));
    return 0;
}
