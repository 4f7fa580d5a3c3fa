// Orphans: when a parent dies, its children are reparented to the nearest child subreaper
// (PR_SET_CHILD_SUBREAPER, used here so that native and Jux agree), which can then reap
// them; PR_SET_PDEATHSIG delivers a signal to the orphan; pdeathsig is not inherited by fork.
#include "jux_test.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>

int main(void) {
    CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
    pid_t me = getpid();
    int report[2], gate[2];
    pipe(report);
    pipe(gate);
    fflush(stdout);
    pid_t middle = fork();
    if (middle == 0) {
        int sub = -1;
        prctl(PR_GET_CHILD_SUBREAPER, &sub);
        printf("subreaper inherited: %d\n", sub);
        prctl(PR_SET_PDEATHSIG, SIGUSR1);
        fflush(stdout);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            int pds = -1;
            prctl(PR_GET_PDEATHSIG, &pds);
            char x;
            // Wait until the middle process is gone, then report the new parent.
            while (read(gate[0], &x, 1) < 0 && errno == EINTR) {}
            char msg[64];
            int n = snprintf(msg, sizeof msg, "pdeathsig in child %d, new parent is the subreaper: %d", pds, getppid() == me);
            write(report[1], msg, n);
            _exit(17);
        }
        write(report[1], &grandchild, sizeof grandchild);
        _exit(0);
    }
    pid_t grandchild;
    read(report[0], &grandchild, sizeof grandchild);
    int st;
    CHECK(waitpid(middle, &st, 0) == middle);
    write(gate[1], "x", 1);
    char buf[128] = {0};
    read(report[0], buf, sizeof buf - 1);   // one write, so one read
    printf("%s\n", buf);
    CHECK(waitpid(grandchild, &st, 0) == grandchild);
    printf("grandchild exit code: %d\n", WEXITSTATUS(st));
    SHOW_ERR(wait(&st));

    // PR_SET_PDEATHSIG: the orphan gets the signal when its parent dies.
    int ready[2];
    pipe(ready);
    fflush(stdout);
    middle = fork();
    if (middle == 0) {
        fflush(stdout);
        pid_t g = fork();
        if (g == 0) {
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            write(ready[1], "r", 1);
            char x;
            for (;;) if (read(gate[0], &x, 1) >= 0) break;
            _exit(0);
        }
        char r;
        read(ready[0], &r, 1);
        write(report[1], &g, sizeof g);
        _exit(0);
    }
    close(ready[1]);
    read(report[0], &grandchild, sizeof grandchild);
    CHECK(waitpid(middle, &st, 0) == middle);
    CHECK(waitpid(grandchild, &st, 0) == grandchild);
    printf("orphan died of signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return 0;
}
