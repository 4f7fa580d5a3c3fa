// Fault signals with handlers: SIGSEGV (si_addr, SEGV_MAPERR/ACCERR, trapno/err/cr2 in the
// ucontext) left with siglongjmp or fixed by mprotect and returned from; SIGFPE for an integer
// division by zero (FPE_INTDIV at the instruction); SIGILL for ud2, skipped by moving rip;
// SIGTRAP for int3 (SI_KERNEL), resumed after it.
#include "jux_test.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>

static sigjmp_buf jump;
static volatile int code, fixes;
static volatile uintptr_t addr, rip, trapno, err, cr2;
static char *page;

static void record(siginfo_t *si, ucontext_t *uc) {
    code = si->si_code;
    addr = (uintptr_t)si->si_addr;
    rip = uc->uc_mcontext.gregs[REG_RIP];
    trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
    err = uc->uc_mcontext.gregs[REG_ERR];
    cr2 = uc->uc_mcontext.gregs[REG_CR2];
}

static void jump_out(int sig, siginfo_t *si, void *uc) {
    record(si, uc);
    siglongjmp(jump, sig);
}

static void fix_page(int sig, siginfo_t *si, void *uc) {
    (void)sig;
    record(si, uc);
    fixes++;
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static void skip_two(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    ucontext_t *uc = ucv;
    record(si, uc);
    uc->uc_mcontext.gregs[REG_RIP] += 2;
}

static void on(int sig, void (*fn)(int, siginfo_t *, void *)) {
    struct sigaction sa = {0};
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    on(SIGSEGV, jump_out);
    printf("-- reading address 0x10\n");
    int sig = sigsetjmp(jump, 1);
    if (sig == 0) {
        printf("%d\n", *(volatile int *)0x10);
        printf("not reached\n");
    }
    CHECK(sig == SIGSEGV);
    CHECK(code == SEGV_MAPERR);
    CHECK(addr == 0x10);
    CHECK(trapno == 14 && cr2 == 0x10);
    CHECK((err & 7) == 4);   /* user-mode read of a page that is not present */

    printf("-- the mask is restored by siglongjmp\n");
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    CHECK(!sigismember(&now, SIGSEGV));

    printf("-- writing a read-only page, fixed by the handler\n");
    page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    on(SIGSEGV, fix_page);
    page[100] = 42;
    CHECK(fixes == 1);
    CHECK(page[100] == 42);
    CHECK(code == SEGV_ACCERR);
    CHECK(addr == (uintptr_t)page + 100);
    CHECK((err & 6) == 6);   /* a user-mode write */

    printf("-- dividing by zero\n");
    on(SIGFPE, jump_out);
    volatile int a = 7, b = 0;
    sig = sigsetjmp(jump, 1);
    if (sig == 0) {
        printf("%d\n", a / b);
        printf("not reached\n");
    }
    CHECK(sig == SIGFPE);
    CHECK(code == FPE_INTDIV);
    CHECK(addr == rip);
    CHECK(trapno == 0);

    printf("-- ud2, skipped\n");
    on(SIGILL, skip_two);
    __asm__ volatile("ud2");
    CHECK(code == ILL_ILLOPN);
    CHECK(addr == rip);
    CHECK(trapno == 6);

    printf("-- int3\n");
    on(SIGTRAP, skip_two);
    code = 0;
    /* int3 traps after itself; the handler's +2 skips the two nops after it. */
    __asm__ volatile("int3\n\tnop\n\tnop");
    CHECK(code == SI_KERNEL);
    CHECK(trapno == 3);
    return 0;
}
