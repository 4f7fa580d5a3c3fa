// Signal handlers: siginfo for raise/kill/tgkill/sigqueue, the ucontext a handler sees (rip,
// saved mask, registers it may change before sigreturn), masks during a handler, SA_RESETHAND,
// SA_NODEFER nesting, SA_SIGINFO-less handlers, rt_sigaction's errors and flag filtering, a
// handler without SA_RESTORER (the frame is refused: SIGSEGV), SIG_IGN discarding a pending signal.
#include "jux_test.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <ucontext.h>

static volatile int last_sig, last_code, last_pid_ok, last_uid_ok, last_value, depth, max_depth, count;
static volatile long saved_rip, expected_rip;
static volatile int saved_mask_has_usr2, saved_mask_has_usr1, cur_mask_has_usr1, cur_mask_has_hup;
static volatile int rbx_change, rax_change;

static void info_handler(int sig, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    last_sig = sig;
    last_code = si->si_code;
    last_pid_ok = si->si_pid == getpid();
    last_uid_ok = si->si_uid == getuid();
    last_value = si->si_value.sival_int;
    saved_rip = uc->uc_mcontext.gregs[REG_RIP];
    saved_mask_has_usr2 = sigismember(&uc->uc_sigmask, SIGUSR2);
    saved_mask_has_usr1 = sigismember(&uc->uc_sigmask, SIGUSR1);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    cur_mask_has_usr1 = sigismember(&now, SIGUSR1);
    cur_mask_has_hup = sigismember(&now, SIGHUP);
    if (rbx_change) uc->uc_mcontext.gregs[REG_RBX] = 0x5eed;
    if (rax_change) uc->uc_mcontext.gregs[REG_RAX] = 77;
}

static void nesting_handler(int sig) {
    depth++;
    count++;
    if (depth > max_depth) max_depth = depth;
    if (count == 1) raise(sig);
    depth--;
}

static int plain_sig;
static long plain_rsi_nonzero, plain_rdx_nonzero;
static void plain_handler(int sig, long rsi, long rdx) {
    plain_sig = sig;
    plain_rsi_nonzero = rsi != 0;
    plain_rdx_nonzero = rdx != 0;
}

static sigjmp_buf segv_jump;
static volatile int segv_code;
static void segv_handler(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    segv_code = si->si_code;
    siglongjmp(segv_jump, sig);
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags, int mask_sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (mask_sig) sigaddset(&sa.sa_mask, mask_sig);
    sigaction(sig, &sa, NULL);
}

/* tgkill to ourselves with a raw syscall; expected_rip is the address right after it. */
static long raw_tgkill(int sig, long rbx_in, long *rbx_out) {
    long r, rbx = rbx_in;
    __asm__ volatile("lea 1f(%%rip), %%rcx\n\tmov %%rcx, %[after]\n\tsyscall\n1:"
                     : "=a"(r), "+b"(rbx), [after] "=m"(expected_rip)
                     : "0"((long)SYS_tgkill), "D"((long)getpid()), "S"((long)gettid()), "d"((long)sig)
                     : "rcx", "r11", "memory");
    if (rbx_out) *rbx_out = rbx;
    return r;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    install(SIGUSR1, info_handler, 0, SIGHUP);

    printf("-- raise\n");
    raise(SIGUSR1);
    CHECK(last_sig == SIGUSR1);
    CHECK(last_code == SI_TKILL);
    CHECK(last_pid_ok && last_uid_ok);

    printf("-- kill\n");
    last_sig = 0;
    kill(getpid(), SIGUSR1);
    CHECK(last_sig == SIGUSR1);
    CHECK(last_code == SI_USER);
    CHECK(last_pid_ok && last_uid_ok);

    printf("-- sigqueue\n");
    sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 42});
    CHECK(last_code == SI_QUEUE);
    CHECK(last_value == 42);
    CHECK(last_pid_ok);

    printf("-- tgkill: rip, masks, registers\n");
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr2, NULL);
    rbx_change = 1;
    long rbx;
    long r = raw_tgkill(SIGUSR1, 1, &rbx);
    CHECK(last_code == SI_TKILL);
    CHECK(saved_rip == expected_rip);
    CHECK(saved_mask_has_usr2 && !saved_mask_has_usr1);
    CHECK(cur_mask_has_usr1 && cur_mask_has_hup);
    CHECK(rbx == 0x5eed);
    CHECK(r == 0);
    rbx_change = 0;
    rax_change = 1;
    CHECK(raw_tgkill(SIGUSR1, 1, NULL) == 77);
    rax_change = 0;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    CHECK(sigismember(&now, SIGUSR2) && !sigismember(&now, SIGUSR1) && !sigismember(&now, SIGHUP));
    sigprocmask(SIG_UNBLOCK, &usr2, NULL);

    printf("-- blocked until unblocked\n");
    last_sig = 0;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    raise(SIGUSR1);
    CHECK(last_sig == 0);
    sigset_t pend;
    sigpending(&pend);
    CHECK(sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    CHECK(last_sig == SIGUSR1);

    printf("-- SA_NODEFER\n");
    signal(SIGUSR2, SIG_DFL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = nesting_handler;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("without: count %d, max depth %d\n", count, max_depth);
    count = max_depth = 0;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("with: count %d, max depth %d\n", count, max_depth);

    printf("-- SA_RESETHAND\n");
    count = 10;   /* no nested raise */
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    struct sigaction old;
    sigaction(SIGUSR2, NULL, &old);
    CHECK(old.sa_handler == SIG_DFL);
    CHECK((old.sa_flags & SA_RESETHAND) != 0);
    CHECK(count == 11);

    printf("-- a handler without SA_SIGINFO still gets rsi and rdx\n");
    signal(SIGWINCH, (void (*)(int))plain_handler);
    raise(SIGWINCH);
    CHECK(plain_sig == SIGWINCH && plain_rsi_nonzero && plain_rdx_nonzero);

    printf("-- SIG_IGN discards a pending signal\n");
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    raise(SIGUSR1);
    signal(SIGUSR1, SIG_IGN);
    sigpending(&pend);
    CHECK(!sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);

    printf("-- rt_sigaction\n");
    struct { void *handler; unsigned long flags; void *restorer; uint64_t mask; } ka = {0}, ko;
    SHOW_ERR(syscall(SYS_rt_sigaction, 0, NULL, &ko, 8));
    SHOW_ERR(syscall(SYS_rt_sigaction, 65, NULL, &ko, 8));
    SHOW_ERR(syscall(SYS_rt_sigaction, SIGKILL, &ka, NULL, 8));
    SHOW_ERR(syscall(SYS_rt_sigaction, SIGSTOP, &ka, NULL, 8));
    SHOW_ERR(syscall(SYS_rt_sigaction, SIGKILL, NULL, &ko, 8));
    SHOW_ERR(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &ko, 4));
    SHOW_ERR(syscall(SYS_rt_sigaction, SIGUSR1, (void *)8, NULL, 8));
    ka.handler = (void *)plain_handler;
    ka.flags = SA_RESTART | 0x400 /* SA_UNSUPPORTED */ | 0x20000000 /* SA_INTERRUPT */;
    ka.mask = ~0ULL;
    SHOW_ERR(syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 8));
    SHOW_ERR(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &ko, 8));
    printf("flags kept: %#lx\n", ko.flags);
    CHECK(ko.mask == (~0ULL & ~((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)))));

    printf("-- a handler without SA_RESTORER: the frame is refused, SIGSEGV\n");
    install(SIGSEGV, segv_handler, 0, 0);
    ka.flags = 0;
    ka.mask = 0;
    syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 8);
    int got = sigsetjmp(segv_jump, 1);
    if (got == 0) {
        raise(SIGUSR1);
        printf("not reached\n");
    }
    CHECK(got == SIGSEGV);
    CHECK(segv_code == SI_KERNEL);
    return 0;
}
