// rt_sigsuspend: waits with a temporary mask, runs the handler with that mask plus the signal,
// saves the caller's own mask in the frame, fails with EINTR, and leaves the old mask in place
// afterwards; a signal already pending is taken at once; bad sigsetsize and pointers fail.
#include "jux_test.h"
#include <signal.h>
#include <sys/time.h>
#include <ucontext.h>

static volatile int got, handler_blocks_usr1, handler_blocks_usr2, frame_blocks_usr1, frame_blocks_usr2;

static void handler(int sig, siginfo_t *si, void *ucv) {
    (void)si;
    ucontext_t *uc = ucv;
    got = sig;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    handler_blocks_usr1 = sigismember(&now, SIGUSR1);
    handler_blocks_usr2 = sigismember(&now, SIGUSR2);
    frame_blocks_usr1 = sigismember(&uc->uc_sigmask, SIGUSR1);
    frame_blocks_usr2 = sigismember(&uc->uc_sigmask, SIGUSR2);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa = {0};
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);

    printf("-- a pending signal, unblocked by the suspend mask\n");
    sigset_t usr1, wait_mask;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    raise(SIGUSR1);
    sigemptyset(&wait_mask);
    sigaddset(&wait_mask, SIGUSR2);
    SHOW_ERR(sigsuspend(&wait_mask));
    CHECK(got == SIGUSR1);
    CHECK(handler_blocks_usr1 && handler_blocks_usr2);
    CHECK(frame_blocks_usr1 && !frame_blocks_usr2);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    CHECK(sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2));

    printf("-- a timer while suspended\n");
    got = 0;
    sigset_t alrm;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    sigprocmask(SIG_BLOCK, &alrm, NULL);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    sigemptyset(&wait_mask);
    SHOW_ERR(sigsuspend(&wait_mask));
    CHECK(got == SIGALRM);
    sigprocmask(SIG_BLOCK, NULL, &now);
    CHECK(sigismember(&now, SIGALRM) && sigismember(&now, SIGUSR1));

    printf("-- errors\n");
    SHOW_ERR(syscall(SYS_rt_sigsuspend, &wait_mask, 4));
    SHOW_ERR(syscall(SYS_rt_sigsuspend, (void *)8, 8));
    return 0;
}
