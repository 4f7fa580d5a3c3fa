// AF_UNIX stream and seqpacket servers: bind to a path (a socket inode) and to abstract names,
// autobind, listen/accept/connect with several clients, names on each end, the backlog,
// SO_PEERCRED/SO_ACCEPTCONN, unlink while listening, a listener closed with pending
// connections, and the errors of each step.
#include "fs_scratch.h"
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

static socklen_t path_addr(struct sockaddr_un *a, const char *path) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, path);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    memcpy(a->sun_path + 1, name, strlen(name));
    return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static void show_name(const char *what, int fd, int peer) {
    struct sockaddr_un a;
    memset(&a, 0x55, sizeof a);
    socklen_t len = sizeof a;
    int r = peer ? getpeername(fd, (struct sockaddr *) &a, &len) : getsockname(fd, (struct sockaddr *) &a, &len);
    if (r != 0) {
        printf("%s: -1 %s\n", what, errname(errno));
        return;
    }
    if (len <= 2) printf("%s: len %d family %d (unnamed)\n", what, (int) len, a.sun_family);
    else if (a.sun_path[0]) printf("%s: len %d path \"%s\"\n", what, (int) len, a.sun_path);
    else printf("%s: len %d abstract, %d bytes\n", what, (int) len, (int) len - 3);
}

static void server(int type) {
    const char *tn = type == SOCK_STREAM ? "stream" : "seqpacket";
    printf("== %s server\n", tn);
    struct sockaddr_un a;
    socklen_t alen = path_addr(&a, "srv");
    int s = socket(AF_UNIX, type, 0);
    show_name("unbound name", s, 0);
    SHOW_ERR(listen(s, 5));
    SHOW_ERR(bind(s, (struct sockaddr *) &a, alen));
    struct stat st;
    SHOW_ERR(stat("srv", &st));
    CHECK(S_ISSOCK(st.st_mode));
    SHOW_ERR(open("srv", O_RDWR));
    show_name("bound name", s, 0);
    struct sockaddr_un b;
    socklen_t blen = path_addr(&b, "other");
    SHOW_ERR(bind(s, (struct sockaddr *) &b, blen));
    SHOW_ERR(access("other", F_OK));
    int s2 = socket(AF_UNIX, type, 0);
    SHOW_ERR(bind(s2, (struct sockaddr *) &a, alen));
    int c0 = socket(AF_UNIX, type, 0);
    SHOW_ERR(connect(c0, (struct sockaddr *) &a, alen));
    SHOW_ERR(listen(s, 5));
    int v;
    socklen_t vl = sizeof v;
    getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
    printf("SO_ACCEPTCONN listener %d\n", v);
    struct pollfd p = {s, POLLIN | POLLOUT, 0};
    SHOW_RET(poll(&p, 1, 0));
    int fl = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, fl | O_NONBLOCK);
    SHOW_ERR(accept(s, NULL, NULL));
    fcntl(s, F_SETFL, fl);

    int clients[3];
    for (int i = 0; i < 3; i++) {
        clients[i] = socket(AF_UNIX, type, 0);
        SHOW_ERR(connect(clients[i], (struct sockaddr *) &a, alen));
        char msg[32];
        int n = snprintf(msg, sizeof msg, "hello from client %d", i);
        write(clients[i], msg, n); // before the server accepts: queued on the new connection
    }
    SHOW_ERR(connect(clients[0], (struct sockaddr *) &a, alen));
    SHOW_ERR(listen(clients[0], 5));
    p.revents = 0;
    SHOW_RET(poll(&p, 1, 0));
    printf("revents %#x\n", p.revents);
    show_name("client name", clients[0], 0);
    show_name("client peer", clients[0], 1);
    for (int i = 0; i < 3; i++) {
        struct sockaddr_un peer;
        socklen_t plen = sizeof peer;
        int c = accept4(s, (struct sockaddr *) &peer, &plen, SOCK_CLOEXEC);
        printf("accepted: %d, peer len %d, cloexec %d\n", c >= 0, (int) plen, fcntl(c, F_GETFD) == FD_CLOEXEC);
        show_name("accepted name", c, 0);
        char buf[64] = {0};
        ssize_t n = read(c, buf, sizeof buf - 1);
        printf("server got %zd \"%s\"\n", n, buf);
        write(c, "bye", 3);
        struct ucred cr;
        socklen_t cl = sizeof cr;
        getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &cl);
        printf("accepted peer cred pid is me: %d\n", cr.pid == getpid());
        close(c);
        n = read(clients[i], buf, sizeof buf - 1);
        printf("client %d got %zd, then %zd\n", i, n, read(clients[i], buf, 1));
        close(clients[i]);
    }

    // A client in another process, its SO_PEERCRED naming the listener's process.
    pid_t child = fork();
    if (child == 0) {
        int c = socket(AF_UNIX, type, 0);
        if (connect(c, (struct sockaddr *) &a, alen) != 0) _exit(1);
        struct ucred cr;
        socklen_t cl = sizeof cr;
        getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &cl);
        write(c, cr.pid == getppid() ? "cred ok" : "cred bad", cr.pid == getppid() ? 7 : 8);
        char buf[8];
        read(c, buf, sizeof buf);
        _exit(0);
    }
    int c = accept(s, NULL, NULL);
    struct ucred cr;
    socklen_t cl = sizeof cr;
    getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &cl);
    printf("child's cred pid is child: %d\n", cr.pid == child);
    char buf[16] = {0};
    read(c, buf, sizeof buf - 1);
    printf("child says %s\n", buf);
    close(c);
    int status;
    waitpid(child, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));

    // Unlinking the name leaves the socket: queued connections still come, new ones cannot.
    int late = socket(AF_UNIX, type, 0);
    connect(late, (struct sockaddr *) &a, alen);
    SHOW_ERR(unlink("srv"));
    int c2 = socket(AF_UNIX, type, 0);
    SHOW_ERR(connect(c2, (struct sockaddr *) &a, alen));
    c = accept(s, NULL, NULL);
    CHECK(c >= 0);
    show_name("name after unlink", s, 0);
    SHOW_ERR(bind(s2, (struct sockaddr *) &a, alen));
    SHOW_ERR(connect(c2, (struct sockaddr *) &a, alen));
    close(c);
    close(late);
    close(c2);
    close(s2);
    close(c0);
    unlink("srv");

    // A listener closed with connections pending: their clients see ECONNRESET once, then EOF.
    SHOW_ERR(listen(s, 0));
    int q1 = socket(AF_UNIX, type, 0), q2 = socket(AF_UNIX, type | SOCK_NONBLOCK, 0);
    int q3 = socket(AF_UNIX, type | SOCK_NONBLOCK, 0);
    s2 = socket(AF_UNIX, type, 0);
    socklen_t a2len = path_addr(&a, "srv2");
    bind(s2, (struct sockaddr *) &a, a2len);
    listen(s2, 0);
    SHOW_ERR(connect(q1, (struct sockaddr *) &a, a2len));
    SHOW_ERR(connect(q2, (struct sockaddr *) &a, a2len));
    close(s2);
    SHOW_ERR(connect(q3, (struct sockaddr *) &a, a2len));
    SHOW_ERR(recv(q1, buf, sizeof buf, 0));
    SHOW_RET(recv(q1, buf, sizeof buf, 0));
    SHOW_ERR(write(q1, "x", 1));
    close(q1);
    close(q2);
    close(q3);
    close(s);
}

static void abstract_names(void) {
    printf("== abstract names\n");
    struct sockaddr_un a;
    socklen_t alen = abstract_addr(&a, "jux-sock-stream-test");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW_ERR(bind(s, (struct sockaddr *) &a, alen));
    show_name("abstract", s, 0);
    int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW_ERR(bind(s2, (struct sockaddr *) &a, alen));
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW_ERR(connect(c, (struct sockaddr *) &a, alen));
    listen(s, 1);
    SHOW_ERR(connect(c, (struct sockaddr *) &a, alen));
    show_name("client's peer", c, 1);
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW_ERR(connect(d, (struct sockaddr *) &a, alen));
    SHOW_ERR(bind(d, (struct sockaddr *) &a, alen)); // each type has its own abstract names
    close(s);
    SHOW_ERR(bind(s2, (struct sockaddr *) &a, alen));
    close(s2);
    close(c);
    close(d);
    // autobind: the family alone, and connect/send with SO_PASSCRED
    int x = socket(AF_UNIX, SOCK_STREAM, 0);
    sa_family_t fam = AF_UNIX;
    SHOW_ERR(bind(x, (struct sockaddr *) &fam, sizeof fam));
    show_name("autobound", x, 0);
    SHOW_ERR(bind(x, (struct sockaddr *) &fam, sizeof fam));
    close(x);
}

static void errors(void) {
    printf("== errors\n");
    struct sockaddr_un a;
    socklen_t alen = path_addr(&a, "missing");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW_ERR(connect(s, (struct sockaddr *) &a, alen));
    int f = open("plain", O_CREAT | O_RDWR, 0644);
    close(f);
    alen = path_addr(&a, "plain");
    SHOW_ERR(connect(s, (struct sockaddr *) &a, alen));
    SHOW_ERR(bind(s, (struct sockaddr *) &a, alen));
    alen = path_addr(&a, "nodir/x");
    SHOW_ERR(bind(s, (struct sockaddr *) &a, alen));
    SHOW_ERR(connect(s, (struct sockaddr *) &a, 2));
    SHOW_ERR(connect(s, (struct sockaddr *) &a, 200));
    SHOW_ERR(connect(s, (struct sockaddr *) &a, -1));
    SHOW_ERR(connect(s, (struct sockaddr *) 8, alen));
    SHOW_ERR(bind(s, (struct sockaddr *) 8, alen));
    a.sun_family = AF_INET;
    SHOW_ERR(connect(s, (struct sockaddr *) &a, alen));
    SHOW_ERR(bind(s, (struct sockaddr *) &a, alen));
    // a bound socket that does not listen, and one of another type
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    alen = path_addr(&a, "dg");
    SHOW_ERR(bind(d, (struct sockaddr *) &a, alen));
    SHOW_ERR(connect(s, (struct sockaddr *) &a, alen));
    int n = socket(AF_UNIX, SOCK_STREAM, 0);
    alen = path_addr(&a, "nl");
    bind(n, (struct sockaddr *) &a, alen);
    SHOW_ERR(connect(s, (struct sockaddr *) &a, alen));
    SHOW_ERR(accept(n, NULL, NULL));
    SHOW_ERR(accept(d, NULL, NULL));
    SHOW_ERR(listen(d, 1));
    SHOW_ERR(accept4(n, NULL, NULL, 1));
    SHOW_ERR(accept(0 + 100, NULL, NULL));
    SHOW_ERR(accept(f = open("plain", O_RDONLY), NULL, NULL));
    SHOW_ERR(listen(f, 1));
    SHOW_ERR(getsockname(f, (struct sockaddr *) &a, &alen));
    SHOW_ERR(getpeername(s, (struct sockaddr *) &a, &alen));
    alen = -1;
    SHOW_ERR(getsockname(s, (struct sockaddr *) &a, &alen));
    SHOW_ERR(getsockname(s, (struct sockaddr *) &a, (socklen_t *) 8));
    close(f);
    close(s);
    close(d);
    close(n);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    scratch_enter();
    server(SOCK_STREAM);
    server(SOCK_SEQPACKET);
    abstract_names();
    errors();
    scratch_leave();
    return 0;
}
