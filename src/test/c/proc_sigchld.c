// SIGCHLD: with SIG_IGN (or SA_NOCLDWAIT) children are reaped by the kernel and wait ends in
// ECHILD once they are all gone; with the default action a child's exit does not interrupt a
// blocking read; a blocked SIGCHLD becomes pending when a child exits.
#include "jux_test.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

int main(void) {
    int st;
    // Default action: a child's SIGCHLD is discarded and does not interrupt the parent.
    int p[2];
    pipe(p);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) _exit(0);
    fflush(stdout);
    pid_t writer = fork();
    if (writer == 0) {
        usleep(50000);
        write(p[1], "ok", 2);
        _exit(0);
    }
    char buf[3] = {0};
    SHOW_RET(read(p[0], buf, 2));
    waitpid(c, &st, 0);
    waitpid(writer, &st, 0);

    // Blocked SIGCHLD is pending after a child exits.
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, &old);
    fflush(stdout);
    c = fork();
    if (c == 0) _exit(0);
    waitpid(c, &st, 0);
    sigset_t pend;
    sigpending(&pend);
    printf("SIGCHLD pending: %d\n", sigismember(&pend, SIGCHLD));
    sigprocmask(SIG_SETMASK, &old, NULL);

    // SIG_IGN: automatic reaping.
    signal(SIGCHLD, SIG_IGN);
    for (int i = 0; i < 5; i++) {
        fflush(stdout);
        if (fork() == 0) _exit(i);
    }
    SHOW_ERR(wait(&st));
    SHOW_ERR(waitpid(-1, &st, WNOHANG));
    signal(SIGCHLD, SIG_DFL);

    // SA_NOCLDWAIT with the default handler: the same.
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sa.sa_flags = SA_NOCLDWAIT;
    sigaction(SIGCHLD, &sa, NULL);
    fflush(stdout);
    c = fork();
    if (c == 0) _exit(3);
    SHOW_ERR(waitpid(c, &st, 0));
    return 0;
}
