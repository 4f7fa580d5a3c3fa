// sigaltstack(2) and SA_ONSTACK: the errors (ENOMEM, EINVAL, EFAULT, EPERM while on the
// stack), handlers running on the alternate stack or not, uc_stack in the frame, a nested
// signal below the first frame, SS_AUTODISARM, and a stack too small for the frame (SIGSEGV).
#include "jux_test.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <ucontext.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif
#define SIZE 65536
static char *alt;
static volatile int on_alt, report_flags, change_errno, uc_flags_v, uc_sp_ok, nested_below, depth;
static volatile uintptr_t outer_local;

static int in_alt(uintptr_t p) {
    return p >= (uintptr_t)alt && p < (uintptr_t)alt + SIZE;
}

static void handler(int sig, siginfo_t *si, void *ucv) {
    (void)si;
    ucontext_t *uc = ucv;
    volatile char local;
    on_alt = in_alt((uintptr_t)&local);
    stack_t now;
    sigaltstack(NULL, &now);
    report_flags = now.ss_flags;
    stack_t again = {.ss_sp = alt, .ss_size = SIZE, .ss_flags = 0};
    errno = 0;
    change_errno = sigaltstack(&again, NULL) == -1 ? errno : 0;
    uc_flags_v = uc->uc_stack.ss_flags;
    uc_sp_ok = uc->uc_stack.ss_sp == alt && uc->uc_stack.ss_size == SIZE;
    if (sig == SIGUSR1 && depth == 0) {
        depth = 1;
        outer_local = (uintptr_t)&local;
        raise(SIGUSR2);
        depth = 0;
    } else if (sig == SIGUSR2) {
        nested_below = in_alt((uintptr_t)&local) && (uintptr_t)&local < outer_local;
    }
}

static sigjmp_buf jump;
static void segv(int sig) {
    siglongjmp(jump, sig);
}

static void on(int sig, int flags) {
    struct sigaction sa = {0};
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(sig, &sa, NULL);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    stack_t ss, old;
    SHOW_ERR(sigaltstack(NULL, &old));
    CHECK(old.ss_flags == SS_DISABLE && old.ss_size == 0);

    printf("-- errors\n");
    alt = malloc(SIZE);
    ss = (stack_t){.ss_sp = alt, .ss_size = 1024, .ss_flags = 0};
    SHOW_ERR(sigaltstack(&ss, NULL));
    ss.ss_size = SIZE;
    ss.ss_flags = 5;
    SHOW_ERR(sigaltstack(&ss, NULL));
    SHOW_ERR(syscall(SYS_sigaltstack, (void *)8, NULL));
    SHOW_ERR(syscall(SYS_sigaltstack, NULL, (void *)8));
    SHOW_ERR(sigaltstack(NULL, &old));
    CHECK(old.ss_flags == SS_DISABLE);

    printf("-- a handler with SA_ONSTACK\n");
    ss.ss_flags = 0;
    SHOW_ERR(sigaltstack(&ss, NULL));
    SHOW_ERR(sigaltstack(NULL, &old));
    CHECK(old.ss_sp == alt && old.ss_size == SIZE && old.ss_flags == 0);
    on(SIGUSR1, SA_ONSTACK);
    on(SIGUSR2, SA_ONSTACK);
    raise(SIGUSR1);
    CHECK(on_alt);
    printf("inside: ss_flags %d, changing it: %s\n", report_flags, errname(change_errno));
    CHECK(uc_sp_ok);
    printf("uc_stack.ss_flags %d\n", uc_flags_v);
    CHECK(nested_below);

    printf("-- a handler without SA_ONSTACK\n");
    depth = 1;   /* no nested raise */
    on(SIGUSR1, 0);
    raise(SIGUSR1);
    CHECK(!on_alt);
    printf("inside: ss_flags %d, changing it: %s\n", report_flags, errname(change_errno));

    printf("-- SS_AUTODISARM\n");
    on(SIGUSR1, SA_ONSTACK);
    ss.ss_flags = SS_AUTODISARM;
    SHOW_ERR(sigaltstack(&ss, NULL));
    SHOW_ERR(sigaltstack(NULL, &old));
    CHECK(old.ss_flags == SS_AUTODISARM);
    depth = 1;   /* no nested raise */
    raise(SIGUSR1);
    CHECK(on_alt);
    /* The handler re-enabled the stack without SS_AUTODISARM, so sigreturn cannot restore it. */
    printf("inside: ss_flags %#x, changing it: %s\n", (unsigned)report_flags, errname(change_errno));
    printf("uc_stack.ss_flags %#x\n", (unsigned)uc_flags_v);
    SHOW_ERR(sigaltstack(NULL, &old));
    printf("after: ss_flags %#x\n", (unsigned)old.ss_flags);

    printf("-- SS_DISABLE\n");
    ss.ss_flags = SS_DISABLE;
    SHOW_ERR(sigaltstack(&ss, NULL));
    SHOW_ERR(sigaltstack(NULL, &old));
    CHECK(old.ss_flags == SS_DISABLE && old.ss_sp == NULL && old.ss_size == 0);

    printf("-- an alternate stack too small for the frame\n");
    ss = (stack_t){.ss_sp = alt, .ss_size = 2048, .ss_flags = 0};   /* the kernel MINSIGSTKSZ */
    SHOW_ERR(sigaltstack(&ss, NULL));
    signal(SIGSEGV, segv);
    int got = sigsetjmp(jump, 1);
    if (got == 0) {
        raise(SIGUSR1);
        printf("not reached\n");
    }
    CHECK(got == SIGSEGV);
    return 0;
}
