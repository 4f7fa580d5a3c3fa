// Signals sent to a process while it dies: the sender keeps sending SIGCONT and SIGUSR1
// (blocked in the child) to a child that a SIGTERM is ending on its own thread, until it is
// reaped. On Linux kill(2) keeps succeeding until the zombie is reaped and the child dies of
// SIGTERM every time; the sender must never see the child half gone (CI once caught Jux
// looking at the dying process's thread list twice and finding it empty the second time).
#include "jux_test.h"
#include <signal.h>
#include <sys/wait.h>

int main(void) {
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);   // inherited: the child never acts on SIGUSR1
    int by_term = 0, kill_failed = 0;
    for (int i = 0; i < 150; i++) {
        pid_t c = fork();
        if (c == 0) {
            for (;;) pause();
        }
        kill(c, SIGTERM);
        int st;
        while (waitpid(c, &st, WNOHANG) == 0) {
            if (kill(c, i % 2 ? SIGCONT : SIGUSR1) != 0) kill_failed++;
        }
        by_term += WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM;
    }
    printf("died of SIGTERM: %d of 150\n", by_term);
    printf("kill failed before the reap: %d\n", kill_failed);
    pid_t c = fork();
    if (c == 0) _exit(3);
    int st;
    CHECK(waitpid(c, &st, 0) == c);
    SHOW_ERR(kill(c, SIGCONT));   // reaped: gone
    return 0;
}
