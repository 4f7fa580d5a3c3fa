// socketpair(AF_UNIX) of each type: ping-pong across fork, stream bytes vs packet boundaries,
// shutdown and close semantics (EOF, EPIPE with SIGPIPE for streams only, ECONNREFUSED for a
// datagram peer that is gone), MSG_PEEK/MSG_TRUNC/MSG_WAITALL/MSG_DONTWAIT, FIONREAD, fstat
// and /proc/self/fd of a socket, SO_TYPE/SO_DOMAIN/SO_PROTOCOL/SO_PEERCRED.
#include "jux_test.h"
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

static volatile int sigpipes;
static void on_sigpipe(int sig) { (void) sig; sigpipes++; }

static const char *type_name(int type) {
    return type == SOCK_STREAM ? "stream" : type == SOCK_DGRAM ? "dgram" : "seqpacket";
}

static void ping_pong(int type) {
    int sv[2];
    SHOW_ERR(socketpair(AF_UNIX, type, 0, sv));
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        char buf[64];
        for (int i = 0; i < 3; i++) {
            ssize_t n = read(sv[1], buf, sizeof buf);
            for (ssize_t k = 0; k < n; k++) buf[k] = buf[k] >= 'a' && buf[k] <= 'z' ? buf[k] - 32 : buf[k];
            write(sv[1], buf, n);
        }
        _exit(0);
    }
    close(sv[1]);
    const char *words[] = {"ping", "hello", "socket"};
    for (int i = 0; i < 3; i++) {
        char buf[64] = {0};
        write(sv[0], words[i], strlen(words[i]));
        ssize_t n = read(sv[0], buf, sizeof buf - 1);
        printf("%s: sent %s got %zd \"%s\"\n", type_name(type), words[i], n, buf);
    }
    int status;
    waitpid(child, &status, 0);
    char c;
    if (type != SOCK_DGRAM) SHOW_RET(read(sv[0], &c, 1)); // the child's end is closed: EOF
    close(sv[0]);
}

static void boundaries(int type) {
    int sv[2];
    socketpair(AF_UNIX, type, 0, sv);
    write(sv[0], "abc", 3);
    write(sv[0], "defgh", 5);
    write(sv[0], "ij", 2);
    char buf[16] = {0};
    int n = -1;
    SHOW_ERR(ioctl(sv[1], FIONREAD, &n));
    printf("%s FIONREAD %d\n", type_name(type), n);
    ssize_t r = recv(sv[1], buf, sizeof buf, MSG_PEEK);
    printf("%s peek %zd \"%.*s\"\n", type_name(type), r, (int) r, buf);
    struct msghdr m = {0};
    struct iovec io = {buf, 2};
    m.msg_iov = &io;
    m.msg_iovlen = 1;
    r = recvmsg(sv[1], &m, 0);
    printf("%s small read %zd \"%.*s\" trunc %d\n", type_name(type), r, (int) r, buf, !!(m.msg_flags & MSG_TRUNC));
    r = recv(sv[1], buf, 1, MSG_TRUNC);
    printf("%s MSG_TRUNC read %zd\n", type_name(type), r);
    r = recv(sv[1], buf, sizeof buf, 0);
    printf("%s rest %zd \"%.*s\"\n", type_name(type), r, (int) r, buf);
    SHOW_ERR(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    close(sv[0]);
    close(sv[1]);
}

static void waitall(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    if (fork() == 0) {
        for (int i = 0; i < 4; i++) {
            usleep(10000);
            write(sv[1], "xy", 2);
        }
        _exit(0);
    }
    char buf[16];
    ssize_t r = recv(sv[0], buf, 8, MSG_WAITALL);
    printf("MSG_WAITALL got %zd \"%.*s\"\n", r, (int) r, buf);
    wait(NULL);
    close(sv[0]);
    close(sv[1]);
}

static void endings(int type) {
    int sv[2];
    char c = 'x', buf[8];
    printf("-- %s endings\n", type_name(type));
    socketpair(AF_UNIX, type, 0, sv);
    write(sv[1], "q", 1);
    SHOW_ERR(shutdown(sv[1], SHUT_WR));
    SHOW_ERR(write(sv[1], &c, 1));
    SHOW_RET(read(sv[0], buf, sizeof buf));
    SHOW_RET(recv(sv[0], buf, sizeof buf, MSG_DONTWAIT));
    SHOW_RET(write(sv[0], &c, 1));
    SHOW_ERR(shutdown(sv[0], 7));
    close(sv[0]);
    close(sv[1]);
    socketpair(AF_UNIX, type, 0, sv);
    close(sv[1]);
    SHOW_ERR(write(sv[0], &c, 1));
    SHOW_ERR(send(sv[0], &c, 1, MSG_NOSIGNAL));
    SHOW_ERR(write(sv[0], &c, 1));
    if (type != SOCK_DGRAM) SHOW_RET(read(sv[0], buf, sizeof buf));
    else SHOW_ERR(recv(sv[0], buf, sizeof buf, MSG_DONTWAIT));
    printf("SIGPIPEs so far: %d\n", sigpipes);
    close(sv[0]);
}

static void identity(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv);
    struct stat st;
    fstat(sv[0], &st);
    CHECK(S_ISSOCK(st.st_mode));
    printf("mode %o nlink %ld size %ld\n", st.st_mode & 07777, (long) st.st_nlink, (long) st.st_size);
    char path[64], link[64] = {0};
    snprintf(path, sizeof path, "/proc/self/fd/%d", sv[0]);
    readlink(path, link, sizeof link - 1);
    CHECK(strncmp(link, "socket:[", 8) == 0);
    struct stat st2;
    fstat(sv[1], &st2);
    CHECK(st.st_ino != st2.st_ino);
    CHECK(fcntl(sv[0], F_GETFD) == FD_CLOEXEC);
    CHECK((fcntl(sv[0], F_GETFL) & (O_NONBLOCK | O_ACCMODE)) == (O_NONBLOCK | O_RDWR));
    int v = -1;
    socklen_t len = sizeof v;
    getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &len);
    printf("SO_TYPE %d len %d\n", v, (int) len);
    getsockopt(sv[0], SOL_SOCKET, SO_DOMAIN, &v, &len);
    printf("SO_DOMAIN %d\n", v);
    getsockopt(sv[0], SOL_SOCKET, SO_PROTOCOL, &v, &len);
    printf("SO_PROTOCOL %d\n", v);
    struct ucred cred;
    len = sizeof cred;
    SHOW_ERR(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len));
    printf("peer pid is me: %d uid %d gid %d len %d\n", cred.pid == getpid(), cred.uid == geteuid(), cred.gid == getegid(), (int) len);
    char c;
    SHOW_ERR(read(sv[0], &c, 1));
    SHOW_ERR(lseek(sv[0], 0, SEEK_SET));
    SHOW_ERR(pread(sv[0], &c, 1, 0));
    close(sv[0]);
    close(sv[1]);
}

int main(void) {
    signal(SIGPIPE, on_sigpipe);
    setvbuf(stdout, NULL, _IONBF, 0);
    ping_pong(SOCK_STREAM);
    ping_pong(SOCK_DGRAM);
    ping_pong(SOCK_SEQPACKET);
    boundaries(SOCK_STREAM);
    boundaries(SOCK_DGRAM);
    boundaries(SOCK_SEQPACKET);
    waitall();
    endings(SOCK_STREAM);
    endings(SOCK_DGRAM);
    endings(SOCK_SEQPACKET);
    identity();
    return 0;
}
