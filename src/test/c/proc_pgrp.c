// Process groups and sessions: a child starts in its parent's group and session; setpgid
// moves it (into a new group, back, ESRCH for non-children, EPERM across sessions and for a
// session leader); setsid makes a new session (EPERM for a group leader); getsid and getpgid;
// kill(0) and kill(-pgrp) reach a whole group.
#include "jux_test.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

static pid_t spawn_waiter(int gate) {
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        char x;
        while (read(gate, &x, 1) < 0 && errno == EINTR) {}
        _exit(0);
    }
    return c;
}

int main(void) {
    // Run the test in a session of its own, so that native and Jux start alike.
    fflush(stdout);
    pid_t top = fork();
    if (top != 0) {
        int st;
        waitpid(top, &st, 0);
        return WIFEXITED(st) ? WEXITSTATUS(st) : 99;
    }
    CHECK(setsid() == getpid());
    CHECK(getsid(0) == getpid());
    CHECK(getpgrp() == getpid());
    SHOW_ERR(setsid());
    SHOW_ERR(setpgid(0, 0));        // a session leader cannot move (EPERM) ...
    SHOW_ERR(setpgid(-1, 0));
    SHOW_ERR(setpgid(0, -1));
    SHOW_ERR(getpgid(-5));
    SHOW_ERR(getsid(99999999));
    SHOW_ERR(setpgid(1, 1));        // not a child

    int gate[2];
    pipe(gate);
    pid_t a = spawn_waiter(gate[0]);
    CHECK(getpgid(a) == getpid());
    CHECK(getsid(a) == getpid());
    CHECK(setpgid(a, a) == 0);
    CHECK(getpgid(a) == a);
    CHECK(setpgid(a, getpgrp()) == 0);
    CHECK(getpgid(a) == getpid());
    SHOW_ERR(setpgid(a, 424242));   // no such group in the session
    CHECK(setpgid(a, 0) == 0);
    CHECK(getpgid(a) == a);
    pid_t b = spawn_waiter(gate[0]);
    CHECK(setpgid(b, a) == 0);      // join a's group
    CHECK(getpgid(b) == a);

    // A child in its own session: setpgid on it is EPERM.
    int ready[2];
    pipe(ready);
    fflush(stdout);
    pid_t s = fork();
    if (s == 0) {
        setsid();
        write(ready[1], "r", 1);
        char x;
        while (read(gate[0], &x, 1) < 0 && errno == EINTR) {}
        _exit(0);
    }
    char r;
    read(ready[0], &r, 1);
    CHECK(getsid(s) == s);
    SHOW_ERR(setpgid(s, s));
    SHOW_ERR(setpgid(s, getpgrp()));

    // kill(-pgrp) reaches a and b, not the others.
    CHECK(kill(-a, SIGTERM) == 0);
    int st;
    CHECK(waitpid(a, &st, 0) == a && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    CHECK(waitpid(b, &st, 0) == b && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    SHOW_ERR(kill(-a, SIGTERM));
    SHOW_ERR(kill(-a, 0));
    write(gate[1], "x", 1);
    CHECK(waitpid(s, &st, 0) == s && WIFEXITED(st));

    // kill(0) reaches the caller's group, including the caller (which ignores SIGUSR1).
    pid_t c = spawn_waiter(gate[0]);
    signal(SIGUSR1, SIG_IGN);
    CHECK(kill(0, SIGUSR1) == 0);
    CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1);
    printf("still here\n");
    return 0;
}
