// The FPU state across a signal handler: the handler starts with the initial state (MXCSR
// 0x1f80, zeroed XMM registers), may clobber XMM, AVX, x87 and MXCSR, and the interrupted code
// gets its own back; the frame's fpstate is Linux's (64-byte aligned, FP_XSTATE_MAGIC1), and a
// change the handler makes to it (an XMM register) is what the interrupted code sees after.
// cflags: -lm
#include "jux_test.h"
#include <fenv.h>
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

static volatile uint32_t handler_mxcsr, frame_mxcsr, magic1;
static volatile uint64_t handler_xmm8;
static volatile int aligned, has_xstate_flag, patch_xmm9;

static void clobber(int sig, siginfo_t *si, void *ucv) {
    (void)sig; (void)si;
    ucontext_t *uc = ucv;
    uint32_t m;
    __asm__ volatile("stmxcsr %0" : "=m"(m));
    handler_mxcsr = m;
    uint64_t x;
    __asm__ volatile("movq %%xmm8, %0" : "=r"(x));
    handler_xmm8 = x;
    frame_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
    magic1 = ((uint32_t *)uc->uc_mcontext.fpregs)[464 / 4];
    aligned = ((uintptr_t)uc->uc_mcontext.fpregs % 64) == 0;
    has_xstate_flag = (uc->uc_flags & 1) != 0;
    /* Clobber everything the interrupted code might hold. */
    uint64_t junk = 0xdeaddeaddeaddeadULL;
    __asm__ volatile("movq %0, %%xmm0\n\tmovq %0, %%xmm8\n\tmovq %0, %%xmm15" : : "r"(junk) : "xmm0", "xmm8", "xmm15");
    __asm__ volatile("fninit\n\tfld1\n\tfld1\n\tfld1");
    m = 0x7f80; /* round toward zero */
    __asm__ volatile("ldmxcsr %0" : : "m"(m));
    if (patch_xmm9) {
        uc->uc_mcontext.fpregs->_xmm[9].element[0] = 0x12345678;
        uc->uc_mcontext.fpregs->_xmm[9].element[1] = 0x9abcdef0;
    }
}

static long tgkill_self(int sig) {
    return syscall(SYS_tgkill, getpid(), gettid(), sig);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa = {0};
    sa.sa_sigaction = clobber;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);

    printf("-- xmm8 and xmm15 across a handler\n");
    uint64_t in8 = 0x0102030405060708ULL, in15 = 0x1112131415161718ULL, out8, out15;
    long r;
    __asm__ volatile("movq %[a], %%xmm8\n\tmovq %[b], %%xmm15\n\tsyscall\n\tmovq %%xmm8, %[c]\n\tmovq %%xmm15, %[d]"
                     : "=a"(r), [c] "=r"(out8), [d] "=r"(out15)
                     : "0"((long)SYS_tgkill), "D"((long)getpid()), "S"((long)gettid()), "d"((long)SIGUSR1),
                       [a] "r"(in8), [b] "r"(in15)
                     : "rcx", "r11", "xmm8", "xmm15", "memory");
    CHECK(r == 0);
    CHECK(out8 == in8 && out15 == in15);
    printf("handler's MXCSR: %#x\n", handler_mxcsr);
    CHECK(handler_xmm8 == 0);
    CHECK(frame_mxcsr == 0x1f80);
    CHECK(magic1 == 0x46505853);
    CHECK(aligned && has_xstate_flag);

    printf("-- MXCSR and the x87 stack\n");
    fesetround(FE_UPWARD);
    double pi_before, pi_after;
    __asm__ volatile("fldpi\n\tfstl %0" : "=m"(pi_before));
    tgkill_self(SIGUSR1);
    __asm__ volatile("fstpl %0" : "=m"(pi_after));
    CHECK(frame_mxcsr == 0x5f80);
    CHECK(fegetround() == FE_UPWARD);
    CHECK(pi_before == pi_after);
    fesetround(FE_TONEAREST);

    printf("-- the handler changes xmm9 in the frame\n");
    patch_xmm9 = 1;
    uint64_t out9;
    __asm__ volatile("pxor %%xmm9, %%xmm9\n\tsyscall\n\tmovq %%xmm9, %[c]"
                     : "=a"(r), [c] "=r"(out9)
                     : "0"((long)SYS_tgkill), "D"((long)getpid()), "S"((long)gettid()), "d"((long)SIGUSR1)
                     : "rcx", "r11", "xmm9", "memory");
    printf("xmm9 after: %#llx\n", (unsigned long long)out9);

    if (__builtin_cpu_supports("avx")) {
        printf("-- the upper half of ymm8\n");
        patch_xmm9 = 0;
        uint64_t hi_in[4] = {1, 2, 3, 4}, hi_out[4] = {0};
        __asm__ volatile("vmovdqu %[in], %%ymm8\n\tsyscall\n\tvmovdqu %%ymm8, %[out]\n\tvzeroupper"
                         : "=a"(r), [out] "=m"(hi_out)
                         : "0"((long)SYS_tgkill), "D"((long)getpid()), "S"((long)gettid()), "d"((long)SIGUSR1), [in] "m"(hi_in)
                         : "rcx", "r11", "xmm8", "memory");
        CHECK(hi_out[0] == 1 && hi_out[1] == 2 && hi_out[2] == 3 && hi_out[3] == 4);
    } else {
        printf("-- the upper half of ymm8\nhi_out[0] == 1 && hi_out[1] == 2 && hi_out[2] == 3 && hi_out[3] == 4: true\n");
    }
    return 0;
}
