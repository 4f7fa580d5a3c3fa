// Process file descriptors. pidfd_open's errors (bad flags, pid 0 and -1, a reaped child, a
// thread that is not a leader), FD_CLOEXEC and PIDFD_NONBLOCK; poll on a pidfd (live, zombie,
// reaped), pidfd_send_signal and its errors (bad fds, flags, signal numbers, siginfo checks, a
// queued signal to yourself, a /proc/PID directory fd as the target), waitid(P_PIDFD) with and
// without a nonblocking pidfd, pidfd_getfd (a shared offset, errors, an exited child), clone's
// CLONE_PIDFD and clone3's pidfd field, epoll on a pidfd, and fdinfo's Pid: line.
// cflags: -pthread
#include "jux_test.h"
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/wait.h>

/* musl's (and older glibc's) headers may lack these: the x86-64 ABI's numbers. */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_memfd_create
#define SYS_memfd_create 319
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif
#ifndef CLONE_PARENT_SETTID
#define CLONE_PARENT_SETTID 0x00100000
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif

struct clone_args_v0 {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static long sys_pidfd_open(pid_t pid, unsigned flags) { return syscall(SYS_pidfd_open, pid, flags); }
static long sys_pidfd_send_signal(int fd, int sig, siginfo_t *info, unsigned flags) {
    return syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}
static long sys_pidfd_getfd(int pidfd, int fd, unsigned flags) { return syscall(SYS_pidfd_getfd, pidfd, fd, flags); }
static long waitid_pidfd(int fd, siginfo_t *si, int options) { return syscall(SYS_waitid, P_PIDFD, fd, si, options, NULL); }

static const char *yesno(int b) { return b ? "yes" : "no"; }
static int cloexec(int fd) { return (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

/* A child that waits for a byte on the pipe (or its closing), then exits with status 0. */
static pid_t waiting_child(int cmd[2]) {
    if (pipe(cmd) != 0) { perror("pipe"); exit(1); }
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(cmd[1]);
        while (read(cmd[0], &c, 1) < 0 && errno == EINTR) {}
        _exit(0);
    }
    close(cmd[0]);
    return pid;
}

/* Reaps through the pidfd and prints what waitid reported. */
/* The "Pid:" line of /proc/self/fdinfo/FD (what glibc's pidfd_getpid reads); -2 if there is none. */
static int fdinfo_pid(int fd) {
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    FILE *f = fopen(path, "r");
    int pid = -2;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "Pid:", 4) == 0) pid = atoi(line + 4);
    }
    if (f) fclose(f);
    return pid;
}

static void reap(const char *what, int pidfd, pid_t pid) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    long r = waitid_pidfd(pidfd, &si, WEXITED);
    int e = errno;
    if (r != 0) { printf("%s: waitid = -1 %s\n", what, errname(e)); return; }
    printf("%s: waitid = 0, si_pid is the child: %s, si_code %s, si_status %d\n", what, yesno(si.si_pid == pid),
           si.si_code == CLD_EXITED ? "CLD_EXITED" : si.si_code == CLD_KILLED ? "CLD_KILLED" : "other", si.si_status);
}

static int thread_up[2], thread_down[2];
static volatile pid_t thread_tid;
static void *thread_main(void *arg) {
    (void)arg;
    char c;
    thread_tid = syscall(SYS_gettid);
    write(thread_up[1], "t", 1);         /* tid is known */
    read(thread_down[0], &c, 1);         /* wait until main has tried pidfd_open */
    return NULL;
}

static volatile int got_code, got_value, got_count;
static void on_usr1(int sig, siginfo_t *si, void *uc) {
    (void)sig; (void)uc;
    got_code = si->si_code;
    got_value = si->si_value.sival_int;
    got_count++;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGCHLD, SIG_DFL);
    int cmd[2], p[2];
    siginfo_t si;
    long r;
    int e;

    printf("== 1. pidfd_open\n");
    SHOW_ERR(sys_pidfd_open(getpid(), 1));
    SHOW_ERR(sys_pidfd_open(0, 0));
    SHOW_ERR(sys_pidfd_open(-1, 0));
    pid_t gone = fork();
    if (gone == 0) _exit(0);
    waitpid(gone, NULL, 0);
    SHOW_ERR(sys_pidfd_open(gone, 0));
    pipe(thread_up);
    pipe(thread_down);
    pthread_t th;
    pthread_create(&th, NULL, thread_main, NULL);
    char c;
    read(thread_up[0], &c, 1);
    printf("thread tid differs from pid: %s\n", yesno(thread_tid != getpid()));
    /* EINVAL on older kernels; ENOENT ("not a thread-group leader") on newer ones (6.15 or so). */
    r = sys_pidfd_open(thread_tid, 0);
    e = errno;
    printf("pidfd_open(thread's tid, 0) fails with EINVAL or ENOENT: %s\n", yesno(r == -1 && (e == EINVAL || e == ENOENT)));
    write(thread_down[1], "g", 1);
    pthread_join(th, NULL);
    close(thread_up[0]); close(thread_up[1]);
    close(thread_down[0]); close(thread_down[1]);
    int self = sys_pidfd_open(getpid(), 0);
    printf("pidfd_open(getpid(), 0) works: %s, FD_CLOEXEC: %s, O_NONBLOCK: %s\n", yesno(self >= 0), yesno(cloexec(self)),
           yesno((fcntl(self, F_GETFL) & O_NONBLOCK) != 0));
    int selfnb = sys_pidfd_open(getpid(), PIDFD_NONBLOCK);
    printf("pidfd_open(getpid(), PIDFD_NONBLOCK) works: %s, FD_CLOEXEC: %s, O_NONBLOCK: %s\n", yesno(selfnb >= 0),
           yesno(cloexec(selfnb)), yesno((fcntl(selfnb, F_GETFL) & O_NONBLOCK) != 0));

    printf("== 2. poll, pidfd_send_signal and waitid on a pausing child\n");
    pid_t child = fork();
    if (child == 0) { for (;;) pause(); }
    int pfd = sys_pidfd_open(child, 0);
    struct pollfd pl = {.fd = pfd, .events = POLLIN};
    SHOW_RET(poll(&pl, 1, 0));
    SHOW_ERR(sys_pidfd_send_signal(pfd, SIGTERM, NULL, 0));
    pl.revents = 0;
    SHOW_RET(poll(&pl, 1, 10000));
    printf("zombie: POLLIN %s, POLLHUP %s\n", yesno(pl.revents & POLLIN), yesno(pl.revents & POLLHUP));
    printf("zombie: fdinfo's Pid is the child: %s\n", yesno(fdinfo_pid(pfd) == child));
    reap("after SIGTERM", pfd, child);
    pl.revents = 0;
    SHOW_RET(poll(&pl, 1, 0));
    printf("reaped: POLLIN %s, POLLHUP %s\n", yesno(pl.revents & POLLIN), yesno(pl.revents & POLLHUP));
    printf("reaped: fdinfo's Pid: %d\n", fdinfo_pid(pfd));
    SHOW_ERR(sys_pidfd_send_signal(pfd, SIGTERM, NULL, 0));
    SHOW_ERR(waitid_pidfd(pfd, &si, WEXITED));
    close(pfd);

    printf("== 3. pidfd_send_signal errors\n");
    child = fork();
    if (child == 0) { for (;;) pause(); }
    pfd = sys_pidfd_open(child, 0);
    pipe(p);
    int closed = dup(p[0]);
    close(closed);
    SHOW_ERR(sys_pidfd_send_signal(-1, SIGTERM, NULL, 0));
    SHOW_ERR(sys_pidfd_send_signal(closed, SIGTERM, NULL, 0));
    SHOW_ERR(sys_pidfd_send_signal(p[0], SIGTERM, NULL, 0));
    SHOW_ERR(sys_pidfd_send_signal(pfd, SIGTERM, NULL, 8));
    SHOW_ERR(sys_pidfd_send_signal(pfd, SIGTERM, NULL, 1 | 2));
    SHOW_ERR(sys_pidfd_send_signal(pfd, 0, NULL, 0));
    SHOW_ERR(sys_pidfd_send_signal(pfd, 65, NULL, 0));
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR2;
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    SHOW_ERR(sys_pidfd_send_signal(pfd, SIGTERM, &si, 0));     /* si_signo differs from sig */
    si.si_signo = SIGTERM;
    si.si_code = SI_USER;
    SHOW_ERR(sys_pidfd_send_signal(pfd, SIGTERM, &si, 0));     /* si_code >= 0 to another process */
    si.si_code = SI_QUEUE;
    printf("child still alive: %s\n", yesno(kill(child, 0) == 0));
    /* A /proc/PID directory's fd names the process for pidfd_send_signal only. */
    char path[64];
    snprintf(path, sizeof path, "/proc/%d", (int)child);
    int procdir = open(path, O_RDONLY | O_DIRECTORY);
    snprintf(path, sizeof path, "/proc/%d/fd", (int)child);
    int fddir = open(path, O_RDONLY | O_DIRECTORY);
    SHOW_ERR(sys_pidfd_send_signal(fddir, 0, NULL, 0));
    SHOW_ERR(sys_pidfd_getfd(procdir, 0, 0));
    SHOW_ERR(waitid_pidfd(procdir, &si, WEXITED | WNOHANG));
    SHOW_ERR(sys_pidfd_send_signal(procdir, 0, NULL, 0));
    SHOW_ERR(sys_pidfd_send_signal(procdir, SIGKILL, NULL, 0));
    reap("after SIGKILL through /proc/PID", pfd, child);
    SHOW_ERR(sys_pidfd_send_signal(procdir, SIGKILL, NULL, 0));
    close(fddir);
    close(procdir);
    close(pfd);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t usr1, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR1;
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = 4242;
    SHOW_ERR(sys_pidfd_send_signal(self, SIGUSR1, &si, 0));
    printf("handler ran while blocked: %s\n", yesno(got_count != 0));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("handler ran once: %s, si_code SI_QUEUE: %s, si_value %d\n", yesno(got_count == 1), yesno(got_code == SI_QUEUE),
           got_value);

    printf("== 4. waitid(P_PIDFD) with a nonblocking pidfd, a pipe, not a child\n");
    child = waiting_child(cmd);
    int nb = sys_pidfd_open(child, PIDFD_NONBLOCK);
    SHOW_ERR(waitid_pidfd(nb, &si, WEXITED));
    memset(&si, 0, sizeof si);
    si.si_pid = 12345;
    SHOW_ERR(waitid_pidfd(nb, &si, WEXITED | WNOHANG));
    printf("si_pid is 0: %s\n", yesno(si.si_pid == 0));
    SHOW_ERR(waitid_pidfd(p[0], &si, WEXITED));
    SHOW_ERR(waitid_pidfd(self, &si, WEXITED | WNOHANG));
    SHOW_ERR(waitid_pidfd(selfnb, &si, WEXITED));
    close(cmd[1]);
    struct pollfd pn = {.fd = nb, .events = POLLIN};
    poll(&pn, 1, 10000);
    reap("nonblocking pidfd after exit", nb, child);
    close(nb);

    printf("== 5. pidfd_getfd\n");
    int rep[2];
    pipe(rep);
    pipe(cmd);
    child = fork();
    if (child == 0) {
        int m = syscall(SYS_memfd_create, "pidfd_test", 0);
        if (m < 0) m = open("/dev/null", O_RDONLY);
        write(m, "hello", 5);
        lseek(m, 0, SEEK_SET);
        dup2(m, 50);
        close(m);
        close(77);
        write(rep[1], "r", 1);
        read(cmd[0], &c, 1);
        long long off = lseek(50, 0, SEEK_CUR);
        write(rep[1], &off, sizeof off);
        read(cmd[0], &c, 1);
        _exit(0);
    }
    pfd = sys_pidfd_open(child, 0);
    read(rep[0], &c, 1);
    int got = sys_pidfd_getfd(pfd, 50, 0);
    e = errno;
    printf("pidfd_getfd(pidfd, 50, 0) works: %s%s%s\n", yesno(got >= 0), got < 0 ? " " : "", got < 0 ? errname(e) : "");
    printf("FD_CLOEXEC: %s\n", yesno(got >= 0 && cloexec(got)));
    char buf[16] = {0};
    SHOW_RET(read(got, buf, 2));
    printf("read: \"%s\"\n", buf);
    write(cmd[1], "o", 1);
    long long off = -1;
    read(rep[0], &off, sizeof off);
    printf("child's offset after the parent read 2 bytes: %lld\n", off);
    memset(buf, 0, sizeof buf);
    SHOW_RET(read(got, buf, sizeof buf - 1));
    printf("rest: \"%s\"\n", buf);
    close(got);
    SHOW_ERR(sys_pidfd_getfd(pfd, 50, 1));
    SHOW_ERR(sys_pidfd_getfd(pfd, 77, 0));
    SHOW_ERR(sys_pidfd_getfd(p[0], 50, 0));
    SHOW_ERR(sys_pidfd_getfd(-1, 50, 0));
    write(cmd[1], "x", 1);
    memset(&si, 0, sizeof si);
    r = waitid_pidfd(pfd, &si, WEXITED | WNOWAIT);
    printf("waitid WNOWAIT = %ld, exited: %s\n", r, yesno(si.si_code == CLD_EXITED));
    /* ESRCH on newer kernels (6.9 or so: the task is exiting); EBADF before (its files are gone). */
    r = sys_pidfd_getfd(pfd, 50, 0);
    e = errno;
    printf("pidfd_getfd on the unreaped exited child fails with ESRCH or EBADF: %s\n",
           yesno(r == -1 && (e == ESRCH || e == EBADF)));
    reap("getfd child", pfd, child);
    SHOW_ERR(sys_pidfd_getfd(pfd, 50, 0));
    close(pfd);
    close(cmd[0]); close(cmd[1]); close(rep[0]); close(rep[1]);

    printf("== 6. clone(CLONE_PIDFD) and clone3\n");
    int cfd = -1;
    r = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &cfd, 0, 0);
    if (r == 0) _exit(7);
    e = errno;
    printf("clone(CLONE_PIDFD) works: %s%s%s, pidfd set: %s, FD_CLOEXEC: %s\n", yesno(r > 0), r < 0 ? " " : "",
           r < 0 ? errname(e) : "", yesno(cfd >= 0), yesno(cfd >= 0 && cloexec(cfd)));
    reap("clone child", cfd, (pid_t)r);
    close(cfd);
    cfd = -1;
    SHOW_ERR(syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &cfd, 0, 0));
    r = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, (int *)8, 0, 0);
    if (r == 0) _exit(0);
    e = errno;
    printf("clone(CLONE_PIDFD) with pidfd at 8 = %ld %s\n", r < 0 ? -1L : 1L, r < 0 ? errname(e) : "");
    SHOW_ERR(wait(NULL));
    struct clone_args_v0 ca;
    memset(&ca, 0, sizeof ca);
    cfd = -1;
    ca.flags = CLONE_PIDFD;
    ca.pidfd = (uintptr_t)&cfd;
    ca.exit_signal = SIGCHLD;
    r = syscall(SYS_clone3, &ca, sizeof ca);
    if (r == 0) _exit(9);
    e = errno;
    printf("clone3(CLONE_PIDFD) works: %s%s%s, pidfd set: %s, FD_CLOEXEC: %s\n", yesno(r > 0), r < 0 ? " " : "",
           r < 0 ? errname(e) : "", yesno(cfd >= 0), yesno(cfd >= 0 && cloexec(cfd)));
    reap("clone3 child", cfd, (pid_t)r);
    close(cfd);

    printf("== 7. epoll on a pidfd\n");
    child = waiting_child(cmd);
    pfd = sys_pidfd_open(child, 0);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 99};
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, pfd, &ev));
    struct epoll_event out[2];
    SHOW_RET(epoll_wait(ep, out, 2, 0));
    close(cmd[1]);
    memset(out, 0, sizeof out);
    SHOW_RET(epoll_wait(ep, out, 2, 10000));
    printf("data %llu, EPOLLIN %s\n", (unsigned long long)out[0].data.u64, yesno(out[0].events & EPOLLIN));
    reap("epoll child", pfd, child);
    close(ep);
    close(pfd);
    close(p[0]); close(p[1]);
    SHOW_ERR(wait(NULL));
    printf("done\n");
    return 0;
}
