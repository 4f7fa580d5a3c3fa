// wait4/waitpid: exit codes and signal deaths, WNOHANG while a child runs, many children
// reaped in any order, zombies visible in /proc until reaped, ECHILD, bad options, EFAULT.
#include "jux_test.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>

int main(void) {
    int status;
    errno = 0;
    SHOW_ERR(waitpid(-1, &status, 0));
    SHOW_ERR(waitpid(-1, &status, WNOHANG));
    SHOW_ERR(waitpid(12345678, &status, 0));
    SHOW_ERR(waitpid(-1, &status, 0x100));

    // A signal death.
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        kill(getpid(), SIGTERM);
        for (;;) pause();
    }
    CHECK(waitpid(c, &status, 0) == c);
    CHECK(WIFSIGNALED(status));
    printf("term signal: %d\n", WTERMSIG(status));

    // SIGKILL from the parent.
    int gate[2];
    pipe(gate);
    fflush(stdout);
    c = fork();
    if (c == 0) {
        char x;
        read(gate[0], &x, 1);
        _exit(0);
    }
    SHOW_RET(waitpid(c, &status, WNOHANG));
    CHECK(kill(c, SIGKILL) == 0);
    CHECK(waitpid(c, &status, 0) == c);
    printf("killed: %d signal %d\n", WIFSIGNALED(status), WTERMSIG(status));

    // WNOHANG loop until the child ends.
    fflush(stdout);
    c = fork();
    if (c == 0) {
        char x;
        read(gate[0], &x, 1);
        _exit(5);
    }
    SHOW_RET(waitpid(c, &status, WNOHANG));
    write(gate[1], "x", 1);
    pid_t w;
    while ((w = waitpid(c, &status, WNOHANG)) == 0) usleep(1000);
    printf("WNOHANG loop: %s, code %d\n", w == c ? "reaped" : "wrong", WEXITSTATUS(status));

    // Many children; reap them all with -1 and add their exit codes.
    enum { N = 40 };
    pid_t kids[N];
    for (int i = 0; i < N; i++) {
        fflush(stdout);
        kids[i] = fork();
        if (kids[i] == 0) _exit(i);
        if (kids[i] < 0) { printf("fork %d failed: %s\n", i, errname(errno)); return 1; }
    }
    int sum = 0, reaped = 0;
    while ((w = wait(&status)) > 0) {
        int known = 0;
        for (int i = 0; i < N; i++) if (kids[i] == w) known = 1;
        if (known && WIFEXITED(status)) sum += WEXITSTATUS(status);
        reaped++;
    }
    printf("reaped %d, sum %d, then %s\n", reaped, sum, errname(errno));

    // A zombie stays until reaped.
    fflush(stdout);
    c = fork();
    if (c == 0) _exit(9);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, c, &si, WEXITED | WNOWAIT) == 0);
    printf("state before reaping: %c\n", proc_state(c));
    CHECK(kill(c, 0) == 0);
    CHECK(getpgid(c) == getpgrp());
    struct rusage ru;
    CHECK(wait4(c, &status, 0, &ru) == c);
    printf("code %d, state after reaping: %c\n", WEXITSTATUS(status), proc_state(c));
    SHOW_ERR(kill(c, 0));

    // EFAULT for a bad status pointer; the child is reaped all the same.
    fflush(stdout);
    c = fork();
    if (c == 0) _exit(1);
    SHOW_ERR(waitpid(c, (int *) 8, 0));
    SHOW_ERR(waitpid(c, &status, 0));
    return 0;
}
