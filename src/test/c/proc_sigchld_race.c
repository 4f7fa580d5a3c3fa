// SIGCHLD racing waitpid: a handler reaps with waitpid(-1, WNOHANG) in a loop while children
// exit in bursts (signals coalesce, so one SIGCHLD may stand for several children); the main
// program waits with sigsuspend until every child is counted, then waitpid says ECHILD. A
// second round blocks SIGCHLD, lets the children finish, and reaps them with waitpid while
// the signal is still pending; the handler that runs on unblocking then finds nothing.
#include "jux_test.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#define CHILDREN 20

static volatile sig_atomic_t reaped, exit_sum, handler_runs, handler_found_none;

static void on_child(int sig) {
    (void)sig;
    int saved = errno, st, found = 0;
    pid_t p;
    handler_runs++;
    while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
        reaped++;
        found++;
        if (WIFEXITED(st)) exit_sum += WEXITSTATUS(st);
    }
    if (!found) handler_found_none = 1;
    errno = saved;
}

int main(void) {
    struct sigaction sa = {.sa_handler = on_child, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);

    sigprocmask(SIG_BLOCK, &block, &old);
    for (int i = 0; i < CHILDREN; i++) {
        pid_t c = fork();
        if (c == 0) _exit(i % 5);
        if (c < 0) return 1;
    }
    while (reaped < CHILDREN) sigsuspend(&old);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("round 1: reaped %d, exit codes sum %d, handler ran: %s\n", (int)reaped, (int)exit_sum,
           handler_runs >= 1 && handler_runs <= CHILDREN ? "1..20 times" : "wrong");
    errno = 0;
    SHOW_ERR(waitpid(-1, NULL, WNOHANG));

    reaped = 0;
    exit_sum = 0;
    handler_found_none = 0;
    sigprocmask(SIG_BLOCK, &block, NULL);
    pid_t kids[5];
    for (int i = 0; i < 5; i++) {
        kids[i] = fork();
        if (kids[i] == 0) _exit(10 + i);
    }
    int direct = 0, st;
    for (int i = 0; i < 5; i++) {
        if (waitpid(kids[i], &st, 0) == kids[i] && WIFEXITED(st)) direct += WEXITSTATUS(st);
    }
    sigset_t pending;
    sigpending(&pending);
    printf("round 2: reaped directly, exit codes sum %d; SIGCHLD pending: %s\n", direct,
           sigismember(&pending, SIGCHLD) ? "yes" : "no");
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("round 2: handler reaped %d, found none: %s\n", (int)reaped, handler_found_none ? "yes" : "no");
    return 0;
}
