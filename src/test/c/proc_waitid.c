// The waitid call: siginfo fields for exits and signal deaths, WNOHANG with nothing to report (zeroed
// siginfo), WNOWAIT leaves the child waitable, P_PGID, and EINVAL for bad id types and options.
#include "jux_test.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

static void show(const char *what, siginfo_t *si) {
    printf("%s: signo=%d code=%d status=%d uid_ok=%d\n", what, si->si_signo, si->si_code, si->si_status,
           si->si_uid == getuid());
}

int main(void) {
    siginfo_t si;
    SHOW_ERR(waitid(P_ALL, 0, &si, WEXITED));
    SHOW_ERR(waitid(P_ALL, 0, &si, 0));
    SHOW_ERR(waitid(P_ALL, 0, &si, WEXITED | 0x100));
    SHOW_ERR(waitid(7, 0, &si, WEXITED));
    SHOW_ERR(waitid(P_PID, 0, &si, WEXITED));
    SHOW_ERR(waitid(P_PGID, -1, &si, WEXITED));

    int gate[2];
    pipe(gate);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        char x;
        read(gate[0], &x, 1);
        _exit(3);
    }
    memset(&si, 0x7f, sizeof si);
    CHECK(waitid(P_PID, c, &si, WEXITED | WNOHANG) == 0);
    printf("nothing yet: signo=%d code=%d pid=%d status=%d\n", si.si_signo, si.si_code, si.si_pid, si.si_status);
    write(gate[1], "x", 1);
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, c, &si, WEXITED | WNOWAIT) == 0);
    show("WNOWAIT", &si);
    CHECK(si.si_pid == c);
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_ALL, 0, &si, WEXITED) == 0);
    show("exited", &si);
    CHECK(si.si_pid == c);
    SHOW_ERR(waitid(P_PID, c, &si, WEXITED));

    fflush(stdout);
    c = fork();
    if (c == 0) {
        raise(SIGKILL);
        _exit(0);
    }
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PGID, 0, &si, WEXITED) == 0);
    show("killed", &si);
    CHECK(si.si_code == CLD_KILLED);

    // Only stopped children wanted: a zombie is neither reported nor counted, so ECHILD
    // (Linux's wait_task_zombie returns before notask_error is cleared). WEXITED|WNOWAIT
    // first makes sure the child has exited, without reaping it.
    fflush(stdout);
    c = fork();
    if (c == 0) _exit(0);
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, c, &si, WEXITED | WNOWAIT) == 0);
    memset(&si, 0, sizeof si);
    SHOW_ERR(waitid(P_PID, c, &si, WSTOPPED | WNOHANG));
    printf("stopped-only: pid=%d\n", si.si_pid);
    CHECK(waitid(P_PID, c, &si, WEXITED) == 0);
    SHOW_ERR(waitid(P_PID, c, (siginfo_t *) 16, WEXITED));
    return 0;
}
