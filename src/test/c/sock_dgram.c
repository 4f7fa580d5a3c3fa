// AF_UNIX datagram sockets with path names on hostfs (the scratch directory is a host
// directory under Jux): sendto/recvfrom names, connect and AF_UNSPEC, EPERM for a receiver
// connected elsewhere, the receive queue limit (EAGAIN, POLLOUT), EMSGSIZE, names that are
// gone, SO_RCVTIMEO, and a blocking recv interrupted by a signal with and without SA_RESTART.
// jux-args: --mount {scratch}:/tmp
#include "fs_scratch.h"
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

static socklen_t path_addr(struct sockaddr_un *a, const char *path) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, path);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static int bound(const char *path) {
    struct sockaddr_un a;
    socklen_t len = path_addr(&a, path);
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (bind(s, (struct sockaddr *) &a, len) != 0) printf("bind %s: %s\n", path, errname(errno));
    return s;
}

static void receive(const char *who, int s, int flags) {
    char buf[64] = {0};
    struct sockaddr_un from;
    memset(&from, 0x55, sizeof from);
    socklen_t flen = sizeof from;
    ssize_t n = recvfrom(s, buf, sizeof buf - 1, flags, (struct sockaddr *) &from, &flen);
    if (n < 0) {
        printf("%s: recvfrom -1 %s\n", who, errname(errno));
        return;
    }
    printf("%s: got %zd \"%s\" from len %d %s\n", who, n, buf, (int) flen, flen > 2 ? from.sun_path : "(unnamed)");
}

static volatile int alarms;
static void on_alarm(int sig) { (void) sig; alarms++; }

static void interrupted(int restart) {
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGALRM, &sa, NULL);
    int s = bound(restart ? "intr1" : "intr0");
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    if (restart) {
        // restarted after the handler: a second timer ends it through SO_RCVTIMEO instead
        struct timeval tv = {0, 200000};
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    char c;
    SHOW_ERR(recv(s, &c, 1, 0));
    printf("alarms %d\n", alarms);
    close(s);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    scratch_enter();
    struct sockaddr_un a, b, c;
    socklen_t alen = path_addr(&a, "a"), blen = path_addr(&b, "b"), clen = path_addr(&c, "c");
    int sa = bound("a"), sb = bound("b"), sc = bound("c");
    struct stat st;
    stat("a", &st);
    CHECK(S_ISSOCK(st.st_mode));
    int anon = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW_RET(sendto(sa, "to b", 4, 0, (struct sockaddr *) &b, blen));
    SHOW_RET(sendto(anon, "anon", 4, 0, (struct sockaddr *) &b, blen));
    receive("b", sb, 0);
    receive("b", sb, 0);
    receive("b", sb, MSG_DONTWAIT);
    SHOW_RET(sendto(sb, "self", 4, 0, (struct sockaddr *) &b, blen));
    receive("b", sb, 0);
    SHOW_ERR(send(sa, "x", 1, 0));
    SHOW_ERR(connect(sa, (struct sockaddr *) &b, blen));
    SHOW_RET(send(sa, "connected", 9, 0));
    receive("b", sb, 0);
    SHOW_RET(sendto(sa, "explicit to c", 13, 0, (struct sockaddr *) &c, clen));
    receive("c", sc, 0);
    // b connects to a: now only a may send to b
    SHOW_ERR(connect(sb, (struct sockaddr *) &a, alen));
    SHOW_ERR(sendto(sc, "x", 1, 0, (struct sockaddr *) &b, blen));
    SHOW_ERR(sendto(anon, "x", 1, 0, (struct sockaddr *) &b, blen));
    SHOW_RET(send(sa, "still", 5, 0));
    receive("b", sb, 0);
    struct sockaddr unspec = {AF_UNSPEC};
    SHOW_ERR(connect(sb, &unspec, sizeof unspec));
    SHOW_ERR(getpeername(sb, (struct sockaddr *) &a, &alen));
    SHOW_ERR(send(sb, "x", 1, 0));
    SHOW_RET(sendto(sc, "open again", 10, 0, (struct sockaddr *) &b, blen));
    receive("b", sb, 0);

    // The receive queue of a socket that is not connected back holds 11 datagrams.
    int sent = 0;
    while (sendto(anon, "q", 1, MSG_DONTWAIT, (struct sockaddr *) &c, clen) == 1) sent++;
    printf("queued %d, then %s\n", sent, errname(errno));
    SHOW_ERR(connect(anon, (struct sockaddr *) &c, clen));
    struct pollfd p = {anon, POLLOUT, 0};
    SHOW_RET(poll(&p, 1, 0));
    receive("c", sc, 0);
    p.revents = 0;
    SHOW_RET(poll(&p, 1, 0));
    printf("revents %#x\n", p.revents);
    SHOW_RET(send(anon, "q", 1, MSG_DONTWAIT));
    SHOW_ERR(send(anon, "q", 1, MSG_DONTWAIT));

    // Too big for the send buffer; names that are gone.
    int sndbuf;
    socklen_t sl = sizeof sndbuf;
    getsockopt(sa, SOL_SOCKET, SO_SNDBUF, &sndbuf, &sl);
    char *big = calloc(1, sndbuf);
    SHOW_ERR(send(sa, big, sndbuf, 0));
    SHOW_RET(send(sa, big, 4096, 0) > 0);
    free(big);
    close(sc);
    SHOW_ERR(sendto(sa, "x", 1, 0, (struct sockaddr *) &c, clen));
    SHOW_ERR(unlink("c"));
    SHOW_ERR(sendto(sa, "x", 1, 0, (struct sockaddr *) &c, clen));
    close(sb);
    SHOW_ERR(send(sa, "x", 1, 0));
    SHOW_ERR(send(sa, "x", 1, 0));

    // SO_RCVTIMEO: a timed-out receive is EAGAIN; the value reads back rounded to the clock tick.
    struct timeval tv = {0, 30000};
    SHOW_ERR(setsockopt(sa, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    char ch;
    SHOW_ERR(recv(sa, &ch, 1, 0));
    tv.tv_usec = 1000001;
    SHOW_ERR(setsockopt(sa, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    SHOW_ERR(setsockopt(sa, SOL_SOCKET, SO_RCVTIMEO, &tv, 8));
    tv.tv_sec = 2;
    tv.tv_usec = 500000;
    setsockopt(sa, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    memset(&tv, 0, sizeof tv);
    sl = sizeof tv;
    getsockopt(sa, SOL_SOCKET, SO_SNDTIMEO, &tv, &sl);
    printf("SO_SNDTIMEO %ld.%06ld len %d\n", (long) tv.tv_sec, (long) tv.tv_usec, (int) sl);
    close(sa);
    close(anon);

    interrupted(0);
    interrupted(1);
    scratch_leave();
    return 0;
}
