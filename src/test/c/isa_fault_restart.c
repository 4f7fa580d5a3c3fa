// An instruction whose memory write faults and is restarted (a signal handler that makes the
// page writable, copy-on-write after fork, a first write to a fresh page) must see the flags
// it started with: ADC/SBB/RCL/RCR read CF, so flags left behind by the faulting attempt
// would change the result. Faults are precise on x86: nothing changes before the fault.
#include "jux_test.h"
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

static char *page;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
    (void)sig; (void)si; (void)ctx;
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

/* CF=1, then op $imm-or-reg into memory; returns the memory word and the flags after. */
#define RUN_OP(name, insn, init)                                                        \
    static void name(volatile uint64_t *p, const char *how) {                          \
        uint64_t flags, one = 1;                                                       \
        __asm__ volatile("stc\n\t" insn "\n\tpushfq\n\tpopq %0"                         \
                         : "=r"(flags) : "r"(p), "r"(one) : "memory", "cc");            \
        printf("%-28s %-5s -> %016llx CF=%d\n", how, #name, (unsigned long long)*p,    \
               (int)(flags & 1));                                                      \
    }
RUN_OP(adc, "adcq %2, (%1)", 0)
RUN_OP(sbb, "sbbq %2, (%1)", 0)
RUN_OP(rcl, "rclq $1, (%1)", 0)
RUN_OP(rcr, "rcrq $1, (%1)", 0)
RUN_OP(adcb, "adcb $0x7f, (%1)", 0)

typedef void (*op_fn)(volatile uint64_t *, const char *);
static const op_fn ops[] = {adc, sbb, rcl, rcr, adcb};

int main(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        /* A read-only page: the write faults, the handler makes it writable, the instruction runs again. */
        *(volatile uint64_t *)page = 0x8000000000000001ull;
        mprotect(page, 4096, PROT_READ);
        ops[k]((volatile uint64_t *)page, "after SIGSEGV + mprotect");
    }
    for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        /* A fresh page: read first (zero page), then the write faults. */
        char *fresh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        ops[k]((volatile uint64_t *)fresh, "first write to a fresh page");
        munmap(fresh, 4096);
    }
    static uint64_t shared_word;
    for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        /* Copy-on-write after fork, in the child. */
        shared_word = 0xfffffffffffffffeull;
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            ops[k](&shared_word, "copy-on-write in a child");
            fflush(stdout);
            _exit(0);
        }
        waitpid(pid, NULL, 0);
    }
    return 0;
}
