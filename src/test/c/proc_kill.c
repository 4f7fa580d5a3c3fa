// Signals by kill: to a child, signal 0 probes (also of -1, "everyone but init and me", which is safe
// only with signal 0), ESRCH, EINVAL; tgkill and tkill to another process.
#include "jux_test.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

static pid_t spawn(int gate) {
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        signal(SIGHUP, SIG_DFL);   // whoever started the test (nohup) may have left it ignored
        char x;
        while (read(gate, &x, 1) < 0 && errno == EINTR) {}
        _exit(0);
    }
    return c;
}

static int died_of(pid_t c) {
    int st;
    if (waitpid(c, &st, 0) != c) return -1;
    return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

int main(void) {
    int gate[2];
    pipe(gate);
    SHOW_ERR(kill(getpid(), 65));
    SHOW_ERR(kill(getpid(), -1));
    SHOW_ERR(kill(99999999, 0));
    SHOW_ERR(kill(-99999999, SIGTERM));
    SHOW_ERR(kill(getpid(), 0));
    SHOW_ERR(syscall(SYS_tgkill, getpid(), 0, 0));
    SHOW_ERR(syscall(SYS_tkill, -3, 0));

    pid_t c = spawn(gate[0]);
    SHOW_ERR(kill(c, 0));
    SHOW_ERR(kill(-1, 0));
    CHECK(kill(c, SIGUSR1) == 0);
    printf("died of %d\n", died_of(c));

    c = spawn(gate[0]);
    CHECK(syscall(SYS_tgkill, c, c, SIGUSR2) == 0);
    printf("tgkill: died of %d\n", died_of(c));
    c = spawn(gate[0]);
    SHOW_ERR(syscall(SYS_tgkill, getpid(), c, SIGUSR2));
    CHECK(syscall(SYS_tkill, c, SIGHUP) == 0);
    printf("tkill: died of %d\n", died_of(c));
    return 0;
}
