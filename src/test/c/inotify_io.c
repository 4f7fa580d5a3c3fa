// The inotify file descriptor: inotify_init1 flags, inotify_add_watch and inotify_rm_watch errors,
// read buffer sizes, FIONREAD, write and lseek on it, poll/select/epoll readiness, a blocking read
// woken by a child and interrupted by a signal, queue overflow at max_queued_events (16384), fstat.
#include "fs_scratch.h"
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

static char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));

static void section(const char *title) {
    printf("\n== %s\n", title);
}

/* Prints the events in buf[0..n) as mask and name (wd is the only watch of the instance). */
static void show_events(const char *what, ssize_t n) {
    printf("%s: %zd", what, n);
    if (n < 0) printf(" %s", errname(errno));
    for (char *p = buf; n > 0 && p < buf + n;) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf(" [%#x \"%s\" len %u]", e->mask, e->len ? e->name : "", e->len);
        p += sizeof *e + e->len;
    }
    printf("\n");
}

static int queued(int fd) {
    int n = -1;
    if (ioctl(fd, FIONREAD, &n) < 0) printf("FIONREAD: %s\n", errname(errno));
    return n;
}

static void init_flags(void) {
    section("inotify_init1 flags");
    SHOW_ERR(inotify_init1(1));
    SHOW_ERR(inotify_init1(O_RDWR));
    int a = inotify_init1(IN_CLOEXEC), b = inotify_init1(IN_NONBLOCK), c = inotify_init();
    printf("IN_CLOEXEC: FD_CLOEXEC %d O_NONBLOCK %d\n", fcntl(a, F_GETFD) & FD_CLOEXEC,
           !!(fcntl(a, F_GETFL) & O_NONBLOCK));
    printf("IN_NONBLOCK: FD_CLOEXEC %d O_NONBLOCK %d\n", fcntl(b, F_GETFD) & FD_CLOEXEC,
           !!(fcntl(b, F_GETFL) & O_NONBLOCK));
    printf("inotify_init(): FD_CLOEXEC %d O_NONBLOCK %d\n", fcntl(c, F_GETFD) & FD_CLOEXEC,
           !!(fcntl(c, F_GETFL) & O_NONBLOCK));
    CHECK((fcntl(c, F_GETFL) & O_ACCMODE) == O_RDONLY);
    SHOW_ERR(fcntl(c, F_SETFL, O_NONBLOCK));
    printf("after F_SETFL O_NONBLOCK: %d\n", !!(fcntl(c, F_GETFL) & O_NONBLOCK));
    SHOW_ERR(read(c, buf, sizeof buf));

    struct stat st;
    SHOW_ERR(fstat(a, &st));
    CHECK((st.st_mode & S_IFMT) == 0);
    printf("mode %o\n", st.st_mode & 07777);
    char path[64], link[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", a);
    ssize_t n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    printf("readlink /proc/self/fd/N: \"%s\"\n", link);
    close(a);
    close(b);
    close(c);
}

static void watch_errors(void) {
    section("inotify_add_watch and inotify_rm_watch errors");
    int fd = inotify_init1(IN_NONBLOCK);
    int p[2];
    pipe(p);
    int reg = open("file", O_CREAT | O_RDWR, 0644);
    mkdir("d", 0755);
    SHOW_ERR(inotify_add_watch(-1, "file", IN_MODIFY));
    SHOW_ERR(inotify_add_watch(999, "file", IN_MODIFY));
    SHOW_ERR(inotify_add_watch(999, "file", 0));
    SHOW_ERR(inotify_add_watch(p[0], "file", IN_MODIFY));
    SHOW_ERR(inotify_add_watch(reg, "file", IN_MODIFY));
    SHOW_ERR(inotify_add_watch(fd, "file", 0));
    SHOW_ERR(inotify_add_watch(fd, "missing", IN_MODIFY));
    SHOW_ERR(inotify_add_watch(fd, "missing/x", IN_MODIFY));
    SHOW_ERR(inotify_add_watch(fd, "file/x", IN_MODIFY));
    SHOW_ERR(inotify_add_watch(fd, "", IN_MODIFY));
    SHOW_ERR(inotify_add_watch(fd, (char *)1, IN_MODIFY));
    SHOW_ERR(inotify_add_watch(fd, "file", IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE));
    SHOW_ERR(inotify_add_watch(fd, "file", IN_MODIFY | IN_ONLYDIR));
    symlink("missing", "dangling");
    SHOW_ERR(inotify_add_watch(fd, "dangling", IN_MODIFY));
    int w1 = inotify_add_watch(fd, "dangling", IN_MODIFY | IN_DONT_FOLLOW);
    int w2 = inotify_add_watch(fd, "d", IN_MODIFY | IN_ONLYDIR);
    int w3 = inotify_add_watch(fd, "file", IN_MODIFY);
    printf("wds: first %s, then +%d +%d\n", w1 > 0 ? "positive" : "not positive", w2 - w1, w3 - w1);

    close(open("secret", O_CREAT | O_WRONLY, 0));
    errno = 0;
    int w = inotify_add_watch(fd, "secret", IN_MODIFY), err = errno;
    int privileged = has_capability(1) || has_capability(2);   /* CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH */
    /* The line is the same for root and for other users. */
    printf("watch of a mode-000 file (ok with CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH, else EACCES): %s\n",
           (privileged ? w > 0 : (w == -1 && err == EACCES)) ? "as expected" : "unexpected");

    SHOW_ERR(inotify_rm_watch(-1, w3));
    SHOW_ERR(inotify_rm_watch(999, w3));
    SHOW_ERR(inotify_rm_watch(p[0], w3));
    SHOW_ERR(inotify_rm_watch(reg, w3));
    SHOW_ERR(inotify_rm_watch(fd, 12345));
    SHOW_ERR(inotify_rm_watch(fd, -1));
    SHOW_ERR(inotify_rm_watch(fd, 0));
    SHOW_ERR(inotify_rm_watch(fd, w3));
    SHOW_ERR(inotify_rm_watch(fd, w3));
    show_events("read after rm_watch", read(fd, buf, sizeof buf));
    SHOW_ERR(inotify_rm_watch(fd, w1));
    SHOW_ERR(inotify_rm_watch(fd, w2));
    close(fd);
    close(p[0]);
    close(p[1]);
    close(reg);
    unlink("secret");
    unlink("dangling");
    unlink("file");
    rmdir("d");
}

static void reading(void) {
    section("read sizes, FIONREAD, write, lseek");
    int fd = inotify_init1(IN_NONBLOCK);
    mkdir("d", 0755);
    inotify_add_watch(fd, "d", IN_CREATE);
    show_events("read, nothing queued", read(fd, buf, sizeof buf));
    printf("FIONREAD: %d\n", queued(fd));
    close(open("d/a", O_CREAT | O_WRONLY, 0644));
    close(open("d/abcdefghijklmnopq", O_CREAT | O_WRONLY, 0644));
    close(open("d/c", O_CREAT | O_WRONLY, 0644));
    printf("FIONREAD: %d\n", queued(fd));
    show_events("read 0 bytes", read(fd, buf, 0));
    show_events("read 16 bytes", read(fd, buf, 16));
    show_events("read 31 bytes", read(fd, buf, 31));
    show_events("read 48 bytes", read(fd, buf, 48));
    printf("FIONREAD: %d\n", queued(fd));
    show_events("read 47 bytes (the next event is 48)", read(fd, buf, 47));
    show_events("read 48+31 bytes", read(fd, buf, 48 + 31));
    show_events("read 32 bytes", read(fd, buf, 32));
    show_events("read, drained", read(fd, buf, sizeof buf));
    printf("FIONREAD: %d\n", queued(fd));
    SHOW_ERR(write(fd, "x", 1));
    SHOW_ERR(write(fd, buf, 64));
    SHOW_RET(lseek(fd, 0, SEEK_CUR));
    SHOW_RET(lseek(fd, 100, SEEK_SET));
    SHOW_RET(lseek(fd, 0, SEEK_END));
    SHOW_ERR(pread(fd, buf, sizeof buf, 0));
    close(open("d/e", O_CREAT | O_WRONLY, 0644));
    char *volatile bad = (char *)1;
    SHOW_ERR(read(fd, bad, sizeof buf));
    show_events("read after the EFAULT (the event is lost)", read(fd, buf, sizeof buf));
    close(fd);
    remove_tree(AT_FDCWD, "d");
}

static const char *poll_bits(short r) {
    static char s[64];
    snprintf(s, sizeof s, "%s%s%s%s%s", r & POLLIN ? "POLLIN " : "", r & POLLRDNORM ? "POLLRDNORM " : "",
             r & POLLOUT ? "POLLOUT " : "", r & POLLERR ? "POLLERR " : "", r & POLLHUP ? "POLLHUP " : "");
    if (!*s) return "none";
    s[strlen(s) - 1] = 0;
    return s;
}

static void readiness(void) {
    section("poll, select, epoll");
    int fd = inotify_init1(IN_NONBLOCK);
    mkdir("d", 0755);
    inotify_add_watch(fd, "d", IN_CREATE);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 7};
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
    for (int round = 0; round < 2; round++) {
        if (round) {
            close(open("d/a", O_CREAT | O_WRONLY, 0644));
            printf("-- one event queued\n");
        } else {
            printf("-- nothing queued\n");
        }
        struct pollfd pf = {fd, POLLIN | POLLOUT | POLLRDNORM, 0};
        int n = poll(&pf, 1, 0);
        printf("poll: %d revents %s\n", n, poll_bits(pf.revents));
        fd_set r, w;
        FD_ZERO(&r);
        FD_ZERO(&w);
        FD_SET(fd, &r);
        FD_SET(fd, &w);
        struct timeval tv = {0, 0};
        n = select(fd + 1, &r, &w, NULL, &tv);
        printf("select: %d readable %d writable %d\n", n, !!FD_ISSET(fd, &r), !!FD_ISSET(fd, &w));
        struct epoll_event out[2];
        n = epoll_wait(ep, out, 2, 0);
        printf("epoll_wait: %d", n);
        if (n > 0) printf(" data %llu events %#x", (unsigned long long)out[0].data.u64, out[0].events);
        printf("\n");
    }
    read(fd, buf, sizeof buf);
    struct pollfd pf = {fd, POLLIN, 0};
    printf("after reading: poll %d\n", poll(&pf, 1, 0));
    close(ep);
    close(fd);
    remove_tree(AT_FDCWD, "d");
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) {
    (void)sig;
    alarms++;
}

static void blocking(void) {
    section("blocking read");
    int fd = inotify_init();
    mkdir("d", 0755);
    inotify_add_watch(fd, "d", IN_CREATE);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(100000);
        close(open("d/late", O_CREAT | O_WRONLY, 0644));
        _exit(0);
    }
    show_events("blocking read, a child creates d/late after 100 ms", read(fd, buf, sizeof buf));
    int status;
    waitpid(pid, &status, 0);
    printf("child exit status %d\n", WEXITSTATUS(status));

    pid = fork();
    if (pid == 0) {
        usleep(100000);
        close(open("d/later", O_CREAT | O_WRONLY, 0644));
        _exit(0);
    }
    struct pollfd pf = {fd, POLLIN, 0};
    int n = poll(&pf, 1, 10000);
    printf("poll with a timeout: %d revents %s\n", n, poll_bits(pf.revents));
    show_events("read", read(fd, buf, sizeof buf));
    waitpid(pid, &status, 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    // Every 100 ms, so that an alarm that came before the read began (a slow machine) is not the only one.
    struct itimerval it = {{0, 100000}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);
    show_events("blocking read, SIGALRM after 100 ms (no SA_RESTART)", read(fd, buf, sizeof buf));
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("alarms: %s\n", alarms >= 1 ? "at least one" : "none");
    close(fd);
    remove_tree(AT_FDCWD, "d");
}

static void overflow(void) {
    section("queue overflow");
    int fd = inotify_init1(IN_NONBLOCK);
    mkdir("d", 0755);
    int wd = inotify_add_watch(fd, "d", IN_CREATE | IN_DELETE);
    char name[32];
    for (int i = 0; i < 8300; i++) {
        snprintf(name, sizeof name, "d/n%04d", i);
        symlink("x", name);
        unlink(name);
    }
    printf("FIONREAD: %d\n", queued(fd));
    long events = 0, creates = 0, deletes = 0, overflows = 0, after = 0, wrong = 0;
    ssize_t r;
    while ((r = read(fd, buf, 4096)) > 0) {
        for (char *p = buf; p < buf + r;) {
            struct inotify_event *e = (struct inotify_event *)p;
            if (e->mask == IN_Q_OVERFLOW) {
                overflows++;
                printf("overflow event: wd %d cookie %u len %u\n", e->wd, e->cookie, e->len);
            } else if (overflows) {
                after++;
            } else {
                events++;
                /* Events alternate CREATE n0000, DELETE n0000, CREATE n0001... */
                snprintf(name, sizeof name, "n%04ld", (events - 1) / 2);
                uint32_t want = events % 2 ? IN_CREATE : IN_DELETE;
                if (e->wd != wd || e->mask != want || strcmp(e->name, name) || e->len != 16) wrong++;
                if (e->mask == IN_CREATE) creates++;
                if (e->mask == IN_DELETE) deletes++;
            }
            p += sizeof *e + e->len;
        }
    }
    printf("last read: %zd %s\n", r, errname(errno));
    printf("events before the overflow: %ld (%ld IN_CREATE, %ld IN_DELETE, %ld unexpected)\n", events, creates,
           deletes, wrong);
    printf("overflow events: %ld, events after it: %ld\n", overflows, after);
    close(open("d/again", O_CREAT | O_WRONLY, 0644));
    show_events("after draining, a new event", read(fd, buf, sizeof buf));
    close(fd);
    remove_tree(AT_FDCWD, "d");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    scratch_enter();
    init_flags();
    watch_errors();
    reading();
    readiness();
    blocking();
    overflow();
    scratch_leave();
    return 0;
}
