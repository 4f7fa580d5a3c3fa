// ptrace(2) for debuggers: an INT3 breakpoint poked into read-only text (SIGTRAP SI_KERNEL, rip
// after it), PTRACE_SINGLESTEP (SIGTRAP TRAP_TRACE, one instruction), the FPU registers
// (GETFPREGS, SETFPREGS changing the rounding mode, GETREGSET NT_PRFPREG and NT_X86_XSTATE with
// XCR0 in its software bytes), and the tracer's death: PTRACE_O_EXITKILL kills the tracee,
// otherwise a pending SIGSTOP reaches the untraced process.
// cflags: -lm
#include "jux_test.h"
#include <fenv.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <elf.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>

#ifndef NT_X86_XSTATE
#define NT_X86_XSTATE 0x202
#endif
#ifndef TRAP_TRACE
#define TRAP_TRACE 2
#endif

static int waitstop(int pid) {
    int st = 0;
    if (waitpid(pid, &st, __WALL) != pid) printf("waitpid failed: %s\n", errname(errno));
    return st;
}

static void describe(const char *what, int st) {
    if (WIFSTOPPED(st)) printf("%s: stopped sig %d event %d\n", what, WSTOPSIG(st), st >> 16);
    else if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s: killed by %d\n", what, WTERMSIG(st));
}

__attribute__((noinline)) static int target(int x) {
    __asm__ volatile("" ::: "memory");
    return x * 3 + 1;
}

static void breakpoint_and_step(void) {
    int pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        _exit(target(4));
    }
    waitstop(pid);
    long addr = (long) &target;
    errno = 0;
    long orig = ptrace(PTRACE_PEEKTEXT, pid, addr, 0);
    printf("peektext: %s\n", errname(errno));
    long patched = (orig & ~0xffL) | 0xcc;
    printf("poke int3: %ld\n", ptrace(PTRACE_POKETEXT, pid, addr, patched));
    ptrace(PTRACE_CONT, pid, 0, 0);
    describe("breakpoint", waitstop(pid));
    siginfo_t si;
    ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
    printf("siginfo signo %d code SI_KERNEL %s\n", si.si_signo, si.si_code == SI_KERNEL ? "yes" : "no");
    struct user_regs_struct r;
    ptrace(PTRACE_GETREGS, pid, 0, &r);
    printf("rip after int3: %s\n", (long) r.rip == addr + 1 ? "yes" : "no");
    ptrace(PTRACE_POKETEXT, pid, addr, orig);
    r.rip = addr;
    ptrace(PTRACE_SETREGS, pid, 0, &r);
    printf("singlestep: %ld\n", ptrace(PTRACE_SINGLESTEP, pid, 0, 0));
    describe("step", waitstop(pid));
    ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
    printf("siginfo signo %d code TRAP_TRACE %s\n", si.si_signo, si.si_code == TRAP_TRACE ? "yes" : "no");
    struct user_regs_struct r2;
    ptrace(PTRACE_GETREGS, pid, 0, &r2);
    printf("one instruction on: %s, TF hidden: %s\n", r2.rip > (unsigned long) addr && r2.rip < (unsigned long) addr + 16 ? "yes" : "no",
           (r2.eflags & 0x100) == 0 ? "yes" : "no");
    ptrace(PTRACE_CONT, pid, 0, 0);
    describe("after breakpoint", waitstop(pid));
}

/* XCR0 without the AMX components (17, 18): Jux enables state up to AVX-512 only (KVM_GET_XSAVE
 * holds 4 KiB), but on an AMX host our nested KVM leaves the host's AMX bits in the guest's
 * XCR0 whatever Jux asks for (seen on an Intel Xeon host: XGETBV 0x600e7 in the guest after
 * KVM_SET_XCRS 0xe7), so only the rest can be compared. */
#define XCR0_AMX 0x60000UL

static unsigned long xgetbv0(void) {
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long) hi << 32 | lo) & ~XCR0_AMX;
}

static void fp_registers(void) {
    int pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        _exit(fegetround() == FE_TOWARDZERO ? 7 : 8);
    }
    waitstop(pid);
    struct user_fpregs_struct fp;
    printf("getfpregs: %ld\n", ptrace(PTRACE_GETFPREGS, pid, 0, &fp));
    printf("mxcsr %#x fcw %#x\n", fp.mxcsr, fp.cwd);
    fp.mxcsr |= 0x6000;   // round toward zero
    fp.cwd |= 0xc00;
    long rc = ptrace(PTRACE_SETFPREGS, pid, 0, &fp);
    printf("setfpregs: %ld\n", rc);
    struct user_fpregs_struct again;
    struct iovec iov = {&again, sizeof again};
    rc = ptrace(PTRACE_GETREGSET, pid, NT_PRFPREG, &iov);
    printf("getregset NT_PRFPREG: %ld size %zu mxcsr %#x fcw %#x\n", rc, iov.iov_len, again.mxcsr, again.cwd);
    static uint64_t xs[2048];
    struct iovec xiov = {xs, sizeof xs};
    rc = ptrace(PTRACE_GETREGSET, pid, NT_X86_XSTATE, &xiov);
    printf("getregset NT_X86_XSTATE: %ld, xcr0 matches xgetbv: %s, mxcsr %#lx\n", rc, (xs[464 / 8] & ~XCR0_AMX) == xgetbv0() ? "yes" : "no",
           (unsigned long) (xs[3] & 0xffffffff));
    errno = 0;
    rc = ptrace(PTRACE_GETREGSET, pid, 0x999, &xiov);
    printf("getregset unknown: %ld %s\n", rc, errname(errno));
    ptrace(PTRACE_CONT, pid, 0, 0);
    describe("fp child", waitstop(pid));
}

/* A helper process seizes (or attaches) target and exits at once. */
static void trace_and_die(int target, long request, long options) {
    int m = fork();
    if (m == 0) {
        if (ptrace(request, target, 0, options) != 0) _exit(1);
        _exit(0);
    }
    describe("tracer", waitstop(m));
}

static void tracer_death(void) {
    int t = fork();
    if (t == 0) for (;;) pause();
    trace_and_die(t, PTRACE_SEIZE, PTRACE_O_EXITKILL);
    describe("EXITKILL tracee", waitstop(t));

    t = fork();
    if (t == 0) for (;;) pause();
    trace_and_die(t, PTRACE_ATTACH, 0);
    int st = 0;
    waitpid(t, &st, WUNTRACED);
    describe("tracee of a dead tracer", st);
    kill(t, SIGKILL);
    describe("end", waitstop(t));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    breakpoint_and_step();
    fp_registers();
    tracer_death();
    return 0;
}
