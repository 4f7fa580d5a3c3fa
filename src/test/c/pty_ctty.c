// A pseudo-terminal as a controlling terminal: a child that setsid()s and opens the slave
// gets it as its controlling terminal (tcgetsid, /dev/tty, TIOCGPGRP/TIOCGSID through the
// master); ^C written to the master raises SIGINT in the child's foreground group (and echoes
// "^C"); TIOCSWINSZ on the master sends SIGWINCH; TIOCSIG sends SIGQUIT; closing the master
// hangs the slave up: the session leader gets SIGHUP and SIGCONT, its reads return 0, writes
// fail with EIO, and it no longer has a controlling terminal.
#include "jux_test.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>

static volatile sig_atomic_t got[65];

static void handler(int sig) {
    got[sig]++;
}

/* Waits (signals blocked outside) until sig has arrived. */
static void wait_for(int sig, sigset_t *open) {
    while (!got[sig]) sigsuspend(open);
}

static void child(const char *name, int ready) {
    setsid();
    int s = open(name, O_RDWR);
    printf("child: slave opened: %s\n", s >= 0 ? "yes" : errname(errno));
    printf("child: tcgetsid == getpid: %s\n", tcgetsid(s) == getpid() ? "yes" : "no");
    printf("child: tcgetpgrp == getpgrp: %s\n", tcgetpgrp(s) == getpgrp() ? "yes" : "no");
    int t = open("/dev/tty", O_RDWR);
    printf("child: /dev/tty: %s\n", t >= 0 ? "opened" : errname(errno));
    char *tn = ttyname(t);
    printf("child: ttyname(/dev/tty): %s\n", tn ? tn : errname(errno));
    close(t);
    fflush(stdout);
    sigset_t open_mask;
    sigprocmask(SIG_SETMASK, NULL, &open_mask);
    sigdelset(&open_mask, SIGINT);
    sigdelset(&open_mask, SIGWINCH);
    sigdelset(&open_mask, SIGQUIT);
    sigdelset(&open_mask, SIGHUP);
    sigdelset(&open_mask, SIGCONT);
    write(ready, "1", 1);
    wait_for(SIGINT, &open_mask);
    printf("child: SIGINT\n");
    fflush(stdout);
    write(ready, "2", 1);
    wait_for(SIGWINCH, &open_mask);
    struct winsize ws;
    ioctl(s, TIOCGWINSZ, &ws);
    printf("child: SIGWINCH, size %dx%d\n", ws.ws_row, ws.ws_col);
    fflush(stdout);
    write(ready, "3", 1);
    wait_for(SIGQUIT, &open_mask);
    printf("child: SIGQUIT\n");
    fflush(stdout);
    write(ready, "4", 1);
    wait_for(SIGHUP, &open_mask);
    printf("child: SIGHUP, SIGCONT too: %s\n", got[SIGCONT] ? "yes" : "no");
    char b[8];
    SHOW_RET(read(s, b, sizeof b));
    SHOW_ERR(write(s, "x", 1));
    SHOW_ERR(tcgetpgrp(s));
    SHOW_ERR(open("/dev/tty", O_RDWR));
    struct pollfd p = {s, POLLIN | POLLOUT, 0};
    poll(&p, 1, 0);
    printf("child: poll after hang-up: %#x\n", p.revents);
    fflush(stdout);
    _exit(0);
}

static void await_step(int fd, char want) {
    char c = 0;
    read(fd, &c, 1);
    if (c != want) printf("parent: step %c instead of %c\n", c, want);
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_handler = handler;
    int sigs[] = {SIGINT, SIGWINCH, SIGQUIT, SIGHUP, SIGCONT};
    for (int i = 0; i < 5; i++) sigaction(sigs[i], &sa, NULL);
    sigset_t block;
    sigemptyset(&block);
    for (int i = 0; i < 5; i++) sigaddset(&block, sigs[i]);
    sigprocmask(SIG_BLOCK, &block, NULL);

    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    char name[64];
    ptsname_r(m, name, sizeof name);
    int steps[2];
    pipe(steps);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(steps[0]);
        close(m);   // the parent's close must be the master's last
        child(name, steps[1]);
    }
    close(steps[1]);
    await_step(steps[0], '1');
    int v = -1;
    SHOW_ERR(ioctl(m, TIOCGPGRP, &v));
    printf("parent: foreground group is the child: %s\n", v == pid ? "yes" : "no");
    SHOW_ERR(ioctl(m, TIOCGSID, &v));
    printf("parent: session is the child's: %s\n", v == pid ? "yes" : "no");
    SHOW_ERR(write(m, "\x03", 1));
    await_step(steps[0], '2');
    char echo[8];
    struct pollfd p = {m, POLLIN, 0};
    poll(&p, 1, 5000);
    long n = read(m, echo, sizeof echo);
    printf("parent: echo of ^C: %.*s\n", (int) n, echo);
    struct winsize ws = {30, 100, 0, 0};
    SHOW_ERR(ioctl(m, TIOCSWINSZ, &ws));
    await_step(steps[0], '3');
    SHOW_ERR(ioctl(m, TIOCSIG, SIGQUIT));
    await_step(steps[0], '4');
    SHOW_ERR(close(m));
    int status;
    waitpid(pid, &status, 0);
    printf("parent: child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
