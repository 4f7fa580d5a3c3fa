// Ancillary data on AF_UNIX sockets: SCM_RIGHTS (a pipe end, a file, a socket; across fork;
// in-flight descriptions stay alive; MSG_CTRUNC when the control buffer is short or missing;
// MSG_CMSG_CLOEXEC; MSG_PEEK; a stream read stops after a message carrying fds) and
// SCM_CREDENTIALS with SO_PASSCRED (default and explicit credentials, writers not glued),
// with the errors of bad control messages.
#include "fs_scratch.h"
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

/*
 * sendmsg through the system call itself: musl's wrapper refuses control data over 1 KiB
 * (ENOMEM) and its msghdr cannot hold a 64-bit msg_controllen; its layout is the kernel's
 * when the padding is zero, as it is here.
 */
static long ksendmsg(int fd, const struct msghdr *m, int flags) {
    return syscall(SYS_sendmsg, fd, m, flags);
}

/* The kernel's struct msghdr, for a msg_controllen musl's cannot hold. */
struct kernel_msghdr {
    void *name;
    int namelen;
    void *iov;
    size_t iovlen;
    void *control;
    size_t controllen;
    int flags;
};

/* Another process whose pid root may name in SCM_CREDENTIALS. */
static pid_t helper = -2;

static int send_fds(int s, const char *data, const int *fds, int n) {
    char ctl[CMSG_SPACE(sizeof(int) * 300)];
    memset(ctl, 0, sizeof ctl);
    struct iovec io = {(void *) data, strlen(data)};
    struct msghdr m = {0};
    m.msg_iov = &io;
    m.msg_iovlen = 1;
    if (n > 0) {
        m.msg_control = ctl;
        m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * n);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
    }
    return ksendmsg(s, &m, 0);
}

/* Receives into buf; returns the byte count, fills fds (up to *nfds) and prints flags. */
static ssize_t recv_fds(int s, char *buf, size_t len, int *fds, int *nfds, size_t ctlspace, int flags) {
    char ctl[4096];
    memset(buf, 0, len);
    struct iovec io = {buf, len - 1};
    struct msghdr m = {0};
    m.msg_iov = &io;
    m.msg_iovlen = 1;
    m.msg_control = ctlspace ? ctl : NULL;
    m.msg_controllen = ctlspace;
    ssize_t r = recvmsg(s, &m, flags);
    int got = 0;
    if (r >= 0 && ctlspace) {
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                int k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                memcpy(fds + got, CMSG_DATA(c), k * sizeof(int));
                got += k;
            } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
                struct ucred u;
                memcpy(&u, CMSG_DATA(c), sizeof u);
                printf("  credentials: pid is me %d, is helper %d, uid %d gid %d, len %d\n",
                       u.pid == getpid(), u.pid == helper, u.uid, u.gid, (int) c->cmsg_len);
            }
        }
    }
    if (r >= 0) printf("  recvmsg %zd \"%s\" fds %d ctrunc %d cmsg_cloexec %d controllen %d\n", r, buf, got, !!(m.msg_flags & MSG_CTRUNC),
                       !!(m.msg_flags & MSG_CMSG_CLOEXEC), (int) m.msg_controllen);
    else printf("  recvmsg -1 %s\n", errname(errno));
    if (nfds) *nfds = got;
    return r;
}

static int is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

static void rights(void) {
    printf("== SCM_RIGHTS\n");
    int sv[2], p[2], fds[8], n;
    char buf[64];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    int file = open("data", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(file, "file contents", 13);
    lseek(file, 5, SEEK_SET);
    int pass[2] = {p[1], file};
    SHOW_RET(send_fds(sv[0], "two fds", pass, 2));
    close(p[1]);
    close(file);
    // the write end is in flight: the read end sees no hang-up yet
    struct pollfd pf = {p[0], POLLIN, 0};
    SHOW_RET(poll(&pf, 1, 0));
    pid_t child = fork();
    if (child == 0) {
        recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, 0);
        write(fds[0], "via passed pipe", 15);
        char fb[16] = {0};
        read(fds[1], fb, sizeof fb - 1); // the shared offset: from 5
        printf("  child read file: \"%s\"\n", fb);
        _exit(n);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child got %d fds\n", WEXITSTATUS(status));
    memset(buf, 0, sizeof buf);
    SHOW_RET(read(p[0], buf, sizeof buf));
    printf("pipe: \"%s\"\n", buf);
    SHOW_RET(read(p[0], buf, sizeof buf)); // every write end closed now: EOF
    close(p[0]);

    // A short control buffer: one fd fits, the other is closed; no buffer at all: none.
    pipe(p);
    int two[2] = {p[0], p[1]};
    send_fds(sv[0], "short", two, 2);
    recv_fds(sv[1], buf, sizeof buf, fds, &n, CMSG_LEN(sizeof(int)), 0);
    CHECK(n == 1 && is_open(fds[0]));
    for (int i = 0; i < n; i++) close(fds[i]);
    send_fds(sv[0], "none", two, 2);
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 0, 0);
    send_fds(sv[0], "tiny", two, 2);
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 8, 0);
    // MSG_CMSG_CLOEXEC
    send_fds(sv[0], "cloexec", two, 1);
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, MSG_CMSG_CLOEXEC);
    printf("cloexec %d\n", fcntl(fds[0], F_GETFD) == FD_CLOEXEC);
    close(fds[0]);

    // A stream read takes the bytes before a message with fds and that message, not beyond.
    write(sv[0], "ab", 2);
    send_fds(sv[0], "cd", two, 1);
    write(sv[0], "ef", 2);
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, 0);
    close(fds[0]);
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, 0);
    // a partial read of a message with fds gets them with its first part
    send_fds(sv[0], "ghij", two, 1);
    recv_fds(sv[1], buf, 3, fds, &n, 4096, 0);
    close(fds[0]);
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, 0);
    // MSG_PEEK installs the fds too; the real read gets them again
    send_fds(sv[0], "peek", two, 1);
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, MSG_PEEK);
    int peeked = fds[0];
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, 0);
    CHECK(peeked != fds[0]);
    close(peeked);
    close(fds[0]);
    // read(2) on a socket drops passed fds
    send_fds(sv[0], "read", two, 2);
    memset(buf, 0, sizeof buf);
    SHOW_RET(read(sv[1], buf, sizeof buf));
    close(p[1]);
    SHOW_RET(read(p[0], buf, 1)); // the dropped write end was the last: EOF
    close(p[0]);

    // A socket passed over a socket works in the receiver.
    int inner[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, inner);
    send_fds(sv[0], "socket", &inner[1], 1);
    close(inner[1]);
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, 0);
    SHOW_RET(send(fds[0], "through", 7, 0));
    memset(buf, 0, sizeof buf);
    SHOW_RET(recv(inner[0], buf, sizeof buf, 0));
    char path[64], link[64] = {0};
    snprintf(path, sizeof path, "/proc/self/fd/%d", fds[0]);
    readlink(path, link, sizeof link - 1);
    CHECK(strncmp(link, "socket:[", 8) == 0);
    close(fds[0]);
    close(inner[0]);

    // Datagrams carry fds per message.
    int dv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dv);
    pipe(p);
    send_fds(dv[0], "d1", &p[1], 1);
    send_fds(dv[0], "d2", &p[1], 1);
    recv_fds(dv[1], buf, sizeof buf, fds, &n, 4096, 0);
    close(fds[0]);
    recv_fds(dv[1], buf, sizeof buf, fds, &n, 4096, 0);
    close(fds[0]);
    // A socket closed with fds still queued releases them.
    send_fds(dv[0], "lost", &p[1], 1);
    close(p[1]);
    close(dv[1]);
    close(dv[0]);
    SHOW_RET(read(p[0], buf, 1));
    close(p[0]);
    close(sv[0]);
    close(sv[1]);
}

static void rights_errors(void) {
    printf("== control message errors\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    int bad = 999;
    SHOW_ERR(send_fds(sv[0], "x", &bad, 1));
    int many[254];
    for (int i = 0; i < 254; i++) many[i] = 0;
    SHOW_ERR(send_fds(sv[0], "x", many, 254));
    SHOW_RET(send_fds(sv[0], "x", many, 253));
    char buf[64];
    int fds[300], n;
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, 0);
    for (int i = 0; i < n; i++) close(fds[i]);
    char ctl[64] = {0};
    struct iovec io = {"x", 1};
    struct msghdr m = {0};
    m.msg_iov = &io;
    m.msg_iovlen = 1;
    m.msg_control = ctl;
    m.msg_controllen = sizeof ctl;
    struct cmsghdr *c = (struct cmsghdr *) ctl;
    c->cmsg_len = 200;
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    SHOW_ERR(ksendmsg(sv[0], &m, 0));
    c->cmsg_len = CMSG_LEN(4);
    c->cmsg_type = 77;
    SHOW_ERR(ksendmsg(sv[0], &m, 0));
    c->cmsg_level = 6;
    SHOW_RET(ksendmsg(sv[0], &m, 0));
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    SHOW_ERR(ksendmsg(sv[0], &m, 0));
    c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
    m.msg_controllen = CMSG_SPACE(sizeof(struct ucred));
    struct ucred u = {999999, 0, 0};
    memcpy(CMSG_DATA(c), &u, sizeof u);
    SHOW_ERR(ksendmsg(sv[0], &m, 0));
    u.pid = getpid();
    u.uid = -1;
    memcpy(CMSG_DATA(c), &u, sizeof u);
    SHOW_ERR(ksendmsg(sv[0], &m, 0));
    struct kernel_msghdr km = {0};
    km.iov = &io;
    km.iovlen = 1;
    km.control = ctl;
    km.controllen = (size_t) 1 << 40;
    SHOW_ERR(ksendmsg(sv[0], (struct msghdr *) &km, 0));
    m.msg_controllen = 16;
    m.msg_control = (void *) 8;
    SHOW_ERR(ksendmsg(sv[0], &m, 0));
    SHOW_ERR(ksendmsg(sv[0], (struct msghdr *) 8, 0));
    m.msg_control = NULL;
    m.msg_controllen = 0;
    m.msg_iovlen = 2000;
    SHOW_ERR(ksendmsg(sv[0], &m, 0));
    SHOW_ERR(recvmsg(sv[1], &m, 0));
    m.msg_iovlen = 1;
    io.iov_base = (void *) 8;
    SHOW_ERR(ksendmsg(sv[0], &m, 0));
    SHOW_ERR(send(sv[0], (void *) 8, 4, 0));
    close(sv[0]);
    close(sv[1]);
}

static void credentials(void) {
    printf("== SCM_CREDENTIALS\n");
    int sv[2], on = 1, fds[4], n;
    char buf[64];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    send(sv[0], "no passcred", 11, 0);
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, 0);
    SHOW_ERR(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    send(sv[0], "default", 7, 0);
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, 0);
    send(sv[0], "no room", 7, 0);
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 0, 0);
    send(sv[0], "short", 5, 0);
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 20, 0);
    // explicit credentials: root may name another existing process
    helper = fork();
    if (helper == 0) {
        pause();
        _exit(0);
    }
    char ctl[CMSG_SPACE(sizeof(struct ucred))] = {0}; // musl's cmsghdr has padding the kernel reads
    struct iovec io = {"explicit", 8};
    struct msghdr m = {0};
    m.msg_iov = &io;
    m.msg_iovlen = 1;
    m.msg_control = ctl;
    m.msg_controllen = sizeof ctl;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
    struct ucred u = {helper, 5, 7};
    memcpy(CMSG_DATA(c), &u, sizeof u);
    SHOW_RET(ksendmsg(sv[0], &m, 0));
    recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, 0);
    kill(helper, SIGKILL);
    waitpid(helper, NULL, 0);
    int one = 0;
    pipe(fds);
    int pass = fds[0];
    send_fds(sv[0], "both", &pass, 1);
    recv_fds(sv[1], buf, sizeof buf, fds + 2, &n, 4096, 0);
    close(fds[0]);
    close(fds[1]);
    close(fds[2]);
    (void) one;
    close(sv[0]);
    close(sv[1]);

    // A stream reader with SO_PASSCRED never glues two writers' bytes.
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    for (int passcred = 0; passcred < 2; passcred++) {
        setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &passcred, sizeof passcred);
        if (fork() == 0) {
            write(sv[0], "child,", 6);
            _exit(0);
        }
        wait(NULL);
        write(sv[0], "parent", 6);
        printf("passcred %d:\n", passcred);
        recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, 0);
        if (passcred) recv_fds(sv[1], buf, sizeof buf, fds, &n, 4096, 0);
    }
    close(sv[0]);
    close(sv[1]);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    scratch_enter();
    rights();
    rights_errors();
    credentials();
    scratch_leave();
    return 0;
}
