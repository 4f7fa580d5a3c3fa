// ptrace(2): PTRACE_TRACEME with syscall-enter/exit stops (TRACESYSGOOD, GET_SYSCALL_INFO,
// GETREGS/SETREGS: a skipped call returns ENOSYS, a changed result), PEEK/POKE of data and of
// read-only text (FOLL_FORCE), signal-delivery-stops (suppress, replace, GETSIGINFO), fork
// events (the new child traced, GETEVENTMSG), the exec event, ATTACH/SEIZE/INTERRUPT/DETACH,
// PTRACE_KILL, and the errors: ESRCH, EPERM, EIO, EINVAL, EFAULT.
#include "jux_test.h"
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>

#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#ifndef PTRACE_GETSIGMASK
#define PTRACE_GETSIGMASK 0x420a
#define PTRACE_SETSIGMASK 0x420b
#endif
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

struct syscall_info {
    uint8_t op, pad[3];
    uint32_t arch;
    uint64_t ip, sp;
    union {
        struct { uint64_t nr, args[6]; } entry;
        struct { int64_t rval; uint8_t is_error; } exit;
    };
};

static long pt(long req, int pid, long addr, long data) {
    return syscall(SYS_ptrace, req, pid, addr, data);
}

static void check(const char *what, long r) {
    printf("%s: %s\n", what, r < 0 ? errname(errno) : "ok");
}

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

static int child_traceme(void) {
    int pid = fork();
    if (pid == 0) {
        if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) _exit(100);
        raise(SIGSTOP);
    }
    return pid;
}

static const char *name_of(long nr) {
    switch (nr) {
    case SYS_getpid: return "getpid";
    case SYS_getuid: return "getuid";
    case SYS_getppid: return "getppid";
    default: return NULL;
    }
}

static void syscall_stops(void) {
    int pid = child_traceme();
    if (pid == 0) {
        syscall(SYS_getpid);
        errno = 0;
        long u = syscall(SYS_getuid);
        int skipped = u == -1 && errno == ENOSYS;
        long p = syscall(SYS_getppid);
        _exit(skipped | (p == 4242) << 1);
    }
    describe("traceme", waitstop(pid));
    check("setoptions TRACESYSGOOD", pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD));
    errno = 0;
    check("setoptions bad", pt(PTRACE_SETOPTIONS, pid, 0, 0x40000000));
    check("unknown request", pt(0x4299, pid, 0, 0));
    check("peekuser misaligned", pt(PTRACE_PEEKUSER, pid, 3, (long) &(long){0}));
    pt(PTRACE_SYSCALL, pid, 0, 0);
    int entering = 1;
    for (;;) {
        int st = waitstop(pid);
        if (!WIFSTOPPED(st)) {
            describe("end", st);
            break;
        }
        if (WSTOPSIG(st) != (SIGTRAP | 0x80)) {
            printf("unexpected stop %d\n", WSTOPSIG(st));
            pt(PTRACE_SYSCALL, pid, 0, 0);
            continue;
        }
        struct user_regs_struct r;
        pt(PTRACE_GETREGS, pid, 0, (long) &r);
        struct syscall_info info;
        memset(&info, 0, sizeof info);
        long size = pt(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, (long) &info);
        long orig = 0;
        pt(PTRACE_PEEKUSER, pid, offsetof(struct user, regs.orig_rax), (long) &orig);
        const char *name = name_of(r.orig_rax);
        if (name) {
            printf("%s %s: rax %s, info op %d size %ld arch %#x, peekuser orig_rax same %s", entering ? "enter" : "exit", name,
                   entering ? ((long) r.rax == -ENOSYS ? "-ENOSYS" : "other") : "result", info.op, size, info.arch,
                   orig == (long) r.orig_rax ? "yes" : "no");
            if (entering) printf(", info nr same %s\n", info.entry.nr == r.orig_rax ? "yes" : "no");
            else printf(", is_error %d\n", info.exit.is_error);
            if (entering && r.orig_rax == SYS_getuid) {
                r.orig_rax = -1;
                check("setregs skip", pt(PTRACE_SETREGS, pid, 0, (long) &r));
            }
            if (!entering && r.orig_rax == SYS_getppid) {
                r.rax = 4242;
                check("setregs result", pt(PTRACE_SETREGS, pid, 0, (long) &r));
            }
        } else if (r.orig_rax == (unsigned long) -1 && !entering) {
            printf("exit of skipped call: rax -ENOSYS %s\n", (long) r.rax == -ENOSYS ? "yes" : "no");
        }
        entering = !entering;
        pt(PTRACE_SYSCALL, pid, 0, 0);
    }
}

static volatile long value = 1234;
static const volatile long readonly = 5678;

/* /proc/PID/status of a stopped tracee: its state and who traces it. */
static void proc_status(int pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "State:", 6) == 0) printf("%s", line);
        if (strncmp(line, "TracerPid:", 10) == 0) printf("TracerPid is the tracer: %s\n", atoi(line + 10) == getpid() ? "yes" : "no");
    }
    fclose(f);
}

static void peek_poke(void) {
    int pid = child_traceme();
    if (pid == 0) _exit((value == 99) | (readonly == 77) << 1);
    waitstop(pid);
    proc_status(pid);
    long word = 0;
    check("peekdata", pt(PTRACE_PEEKDATA, pid, (long) &value, (long) &word));
    printf("peeked %ld\n", word);
    check("pokedata", pt(PTRACE_POKEDATA, pid, (long) &value, 99));
    check("poketext read-only", pt(PTRACE_POKETEXT, pid, (long) &readonly, 77));
    check("peektext", pt(PTRACE_PEEKTEXT, pid, (long) &readonly, (long) &word));
    printf("peeked %ld\n", word);
    check("peekdata at 0", pt(PTRACE_PEEKDATA, pid, 0, (long) &word));
    check("pokedata at 0", pt(PTRACE_POKEDATA, pid, 0, 1));
    check("peekdata bad out", pt(PTRACE_PEEKDATA, pid, (long) &value, 8));
    check("getregs bad out", pt(PTRACE_GETREGS, pid, 0, 8));
    check("peekuser past struct user", pt(PTRACE_PEEKUSER, pid, sizeof(struct user), (long) &word));
    unsigned long mask = 0;
    check("getsigmask", pt(PTRACE_GETSIGMASK, pid, 8, (long) &mask));
    printf("mask has SIGUSR1: %s\n", mask & (1UL << (SIGUSR1 - 1)) ? "yes" : "no");
    mask = ~0UL;
    check("setsigmask", pt(PTRACE_SETSIGMASK, pid, 8, (long) &mask));
    check("getsigmask", pt(PTRACE_GETSIGMASK, pid, 8, (long) &mask));
    printf("mask all but SIGKILL and SIGSTOP: %s\n", mask == ~((1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1))) ? "yes" : "no");
    check("getsigmask size 4", pt(PTRACE_GETSIGMASK, pid, 4, (long) &mask));
    pt(PTRACE_CONT, pid, 0, 0);
    describe("peek/poke child", waitstop(pid));
}

static void vm_rw(void) {
    int pid = child_traceme();
    if (pid == 0) _exit(value == 4321 ? 5 : 6);
    waitstop(pid);
    long got = 0, put = 4321;
    struct iovec l = {&got, sizeof got}, r = {(void *) &value, sizeof value};
    long n = process_vm_readv(pid, &l, 1, &r, 1, 0);
    printf("process_vm_readv: %ld value %ld\n", n, got);
    struct iovec lw = {&put, sizeof put};
    printf("process_vm_writev: %ld\n", (long) process_vm_writev(pid, &lw, 1, &r, 1, 0));
    check("process_vm_readv flags", process_vm_readv(pid, &l, 1, &r, 1, 1));
    check("process_vm_readv nobody", process_vm_readv(999999, &l, 1, &r, 1, 0));
    struct iovec bad = {(void *) 8, 8};
    check("process_vm_readv bad remote", process_vm_readv(pid, &l, 1, &bad, 1, 0));
    check("process_vm_readv bad local", process_vm_readv(pid, &bad, 1, &r, 1, 0));
    struct iovec two[2] = {r, bad};
    long both[2];
    struct iovec l2 = {both, sizeof both};
    printf("process_vm_readv partial: %ld\n", (long) process_vm_readv(pid, &l2, 1, two, 2, 0));
    pt(PTRACE_CONT, pid, 0, 0);
    describe("vm_rw child", waitstop(pid));
}

static volatile int usr1, usr2;
static void on_usr1(int s) { (void) s; usr1++; }
static void on_usr2(int s) { (void) s; usr2++; }

static void signal_stops(void) {
    int pid = child_traceme();
    if (pid == 0) {
        signal(SIGUSR1, on_usr1);
        signal(SIGUSR2, on_usr2);
        raise(SIGUSR1);
        raise(SIGUSR1);
        raise(SIGUSR1);
        _exit(usr1 * 10 + usr2);
    }
    waitstop(pid);
    pt(PTRACE_CONT, pid, 0, 0);
    int resume[] = {0, SIGUSR2, SIGUSR1};
    for (int i = 0; i < 3; i++) {
        int st = waitstop(pid);
        describe("signal stop", st);
        siginfo_t si;
        check("getsiginfo", pt(PTRACE_GETSIGINFO, pid, 0, (long) &si));
        printf("siginfo signo %d code is SI_TKILL %s\n", si.si_signo, si.si_code == SI_TKILL ? "yes" : "no");
        pt(PTRACE_CONT, pid, 0, resume[i]);
    }
    describe("signal child", waitstop(pid));
}

static void fork_event(void) {
    int pid = child_traceme();
    if (pid == 0) {
        int g = fork();
        if (g == 0) _exit(7);
        int st;
        waitpid(g, &st, 0);
        _exit(WEXITSTATUS(st) + 10);
    }
    waitstop(pid);
    pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEFORK);
    pt(PTRACE_CONT, pid, 0, 0);
    int st = waitstop(pid);
    printf("fork event: %s\n", WIFSTOPPED(st) && st >> 8 == (SIGTRAP | PTRACE_EVENT_FORK << 8) ? "yes" : "no");
    unsigned long g = 0;
    check("geteventmsg", pt(PTRACE_GETEVENTMSG, pid, 0, (long) &g));
    describe("new child", waitstop((int) g));
    check("cont new child", pt(PTRACE_CONT, (int) g, 0, 0));
    check("cont parent", pt(PTRACE_CONT, pid, 0, 0));
    describe("new child end", waitstop((int) g));
    // The new child's exit sends SIGCHLD to the traced parent: a signal-delivery-stop first.
    int st2 = waitstop(pid);
    describe("traced parent", st2);
    pt(PTRACE_CONT, pid, 0, WSTOPSIG(st2));
    describe("traced parent end", waitstop(pid));
}

static void vfork_events(void) {
    int pid = child_traceme();
    if (pid == 0) {
        int g = vfork();
        if (g == 0) _exit(4);
        int st;
        waitpid(g, &st, 0);
        _exit(WEXITSTATUS(st) + 20);
    }
    waitstop(pid);
    pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEVFORK | PTRACE_O_TRACEVFORKDONE);
    pt(PTRACE_CONT, pid, 0, 0);
    int st = waitstop(pid);
    printf("vfork event: %s\n", WIFSTOPPED(st) && st >> 8 == (SIGTRAP | PTRACE_EVENT_VFORK << 8) ? "yes" : "no");
    unsigned long g = 0;
    pt(PTRACE_GETEVENTMSG, pid, 0, (long) &g);
    describe("vfork child", waitstop((int) g));
    pt(PTRACE_CONT, (int) g, 0, 0);
    describe("vfork child end", waitstop((int) g));
    pt(PTRACE_CONT, pid, 0, 0);
    st = waitstop(pid);
    printf("vfork-done event: %s\n", WIFSTOPPED(st) && st >> 8 == (SIGTRAP | PTRACE_EVENT_VFORK_DONE << 8) ? "yes" : "no");
    unsigned long done = 0;
    pt(PTRACE_GETEVENTMSG, pid, 0, (long) &done);
    printf("vfork-done message is the child: %s\n", done == g ? "yes" : "no");
    pt(PTRACE_CONT, pid, 0, 0);
    st = waitstop(pid);
    describe("traced parent", st);
    pt(PTRACE_CONT, pid, 0, WSTOPSIG(st));
    describe("traced parent end", waitstop(pid));
}

static void exit_event(void) {
    int pid = child_traceme();
    if (pid == 0) _exit(5);
    waitstop(pid);
    pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXIT);
    pt(PTRACE_CONT, pid, 0, 0);
    int st = waitstop(pid);
    printf("exit event: %s\n", WIFSTOPPED(st) && st >> 8 == (SIGTRAP | PTRACE_EVENT_EXIT << 8) ? "yes" : "no");
    unsigned long msg = 0;
    pt(PTRACE_GETEVENTMSG, pid, 0, (long) &msg);
    printf("exit event message %#lx\n", msg);
    struct user_regs_struct r;
    check("getregs at exit", pt(PTRACE_GETREGS, pid, 0, (long) &r));
    pt(PTRACE_CONT, pid, 0, 0);
    describe("exit child", waitstop(pid));

    // Killed by a signal: the message is the signal's wait status.
    pid = child_traceme();
    if (pid == 0) {
        raise(SIGTERM);
        _exit(1);
    }
    waitstop(pid);
    pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXIT);
    pt(PTRACE_CONT, pid, 0, 0);
    describe("SIGTERM stop", waitstop(pid));
    pt(PTRACE_CONT, pid, 0, SIGTERM);
    st = waitstop(pid);
    printf("exit event: %s\n", WIFSTOPPED(st) && st >> 8 == (SIGTRAP | PTRACE_EVENT_EXIT << 8) ? "yes" : "no");
    pt(PTRACE_GETEVENTMSG, pid, 0, (long) &msg);
    printf("exit event message %#lx\n", msg);
    pt(PTRACE_CONT, pid, 0, 0);
    describe("exit child", waitstop(pid));
}

static void exec_event(void) {
    int pid = child_traceme();
    if (pid == 0) {
        execl("/bin/true", "true", (char *) 0);
        _exit(99);
    }
    waitstop(pid);
    pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXEC);
    pt(PTRACE_CONT, pid, 0, 0);
    int st = waitstop(pid);
    printf("exec event: %s\n", WIFSTOPPED(st) && st >> 8 == (SIGTRAP | PTRACE_EVENT_EXEC << 8) ? "yes" : "no");
    unsigned long former = 0;
    pt(PTRACE_GETEVENTMSG, pid, 0, (long) &former);
    printf("former tid is pid: %s\n", former == (unsigned long) pid ? "yes" : "no");
    pt(PTRACE_CONT, pid, 0, 0);
    describe("exec child", waitstop(pid));

    // Without the option, a tracee attached by TRACEME gets a SIGTRAP after exec.
    pid = child_traceme();
    if (pid == 0) {
        execl("/bin/true", "true", (char *) 0);
        _exit(99);
    }
    waitstop(pid);
    pt(PTRACE_CONT, pid, 0, 0);
    describe("after exec", waitstop(pid));
    pt(PTRACE_CONT, pid, 0, 0);
    describe("exec child", waitstop(pid));
}

static void attach_seize(void) {
    int pid = fork();
    if (pid == 0) {
        for (;;) pause();
    }
    check("attach", pt(PTRACE_ATTACH, pid, 0, 0));
    describe("attached", waitstop(pid));
    check("attach again", pt(PTRACE_ATTACH, pid, 0, 0));
    check("detach", pt(PTRACE_DETACH, pid, 0, 0));
    check("cont after detach", pt(PTRACE_CONT, pid, 0, 0));
    check("interrupt not seized", pt(PTRACE_INTERRUPT, pid, 0, 0));
    check("seize with addr", pt(PTRACE_SEIZE, pid, 1, 0));
    check("seize bad options", pt(PTRACE_SEIZE, pid, 0, 0x40000000));
    check("seize", pt(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESYSGOOD));
    check("cont while running", pt(PTRACE_CONT, pid, 0, 0));
    int st;
    printf("wnohang finds nothing: %s\n", waitpid(pid, &st, WNOHANG) == 0 ? "yes" : "no");
    check("interrupt", pt(PTRACE_INTERRUPT, pid, 0, 0));
    describe("interrupted", waitstop(pid));
    siginfo_t si;
    check("getsiginfo", pt(PTRACE_GETSIGINFO, pid, 0, (long) &si));
    printf("siginfo signo %d code %#x\n", si.si_signo, si.si_code);
    check("kill", pt(PTRACE_KILL, pid, 0, 0));
    describe("killed", waitstop(pid));
}

/* A seized tracee's group-stop: PTRACE_EVENT_STOP with a siginfo; PTRACE_LISTEN keeps it
   stopped until SIGCONT, which brings a new PTRACE_EVENT_STOP trap, then SIGCONT's own stop. */
static void group_stop_listen(void) {
    int pid = fork();
    if (pid == 0) {
        for (;;) pause();
    }
    check("seize", pt(PTRACE_SEIZE, pid, 0, 0));
    kill(pid, SIGSTOP);
    describe("SIGSTOP", waitstop(pid));
    check("listen at a signal stop", pt(PTRACE_LISTEN, pid, 0, 0));
    pt(PTRACE_CONT, pid, 0, SIGSTOP);
    describe("group-stop", waitstop(pid));
    siginfo_t si;
    check("getsiginfo", pt(PTRACE_GETSIGINFO, pid, 0, (long) &si));
    printf("siginfo signo %d code %#x\n", si.si_signo, si.si_code);
    check("listen", pt(PTRACE_LISTEN, pid, 0, 0));
    int st;
    printf("wnohang finds nothing: %s\n", waitpid(pid, &st, WNOHANG) == 0 ? "yes" : "no");
    kill(pid, SIGCONT);
    describe("after SIGCONT", waitstop(pid));
    pt(PTRACE_CONT, pid, 0, 0);
    st = waitstop(pid);
    describe("next", st);
    pt(PTRACE_CONT, pid, 0, WSTOPSIG(st));
    printf("running: %s\n", waitpid(pid, &st, WNOHANG) == 0 ? "yes" : "no");
    kill(pid, SIGKILL);
    describe("killed", waitstop(pid));

    // Without PTRACE_SEIZE a group-stop has no siginfo.
    pid = fork();
    if (pid == 0) {
        for (;;) pause();
    }
    pt(PTRACE_ATTACH, pid, 0, 0);
    waitstop(pid);
    pt(PTRACE_CONT, pid, 0, SIGSTOP);
    describe("attached group-stop", waitstop(pid));
    check("getsiginfo", pt(PTRACE_GETSIGINFO, pid, 0, (long) &si));
    check("listen not seized", pt(PTRACE_LISTEN, pid, 0, 0));
    kill(pid, SIGKILL);
    describe("killed", waitstop(pid));
}

static void errors(void) {
    check("cont untraced self", pt(PTRACE_CONT, getpid(), 0, 0));
    check("attach self", pt(PTRACE_ATTACH, getpid(), 0, 0));
    check("attach nobody", pt(PTRACE_ATTACH, 999999, 0, 0));
    check("peekdata nobody", pt(PTRACE_PEEKDATA, 999999, 0, 0));
    check("attach pid 0", pt(PTRACE_ATTACH, 0, 0, 0));
    // Not root and not the target's user: EPERM.
    int target = fork();
    if (target == 0) {
        for (;;) pause();
    }
    int pid = fork();
    if (pid == 0) {
        if (setuid(65534) != 0) _exit(1);
        errno = 0;
        long r = pt(PTRACE_ATTACH, target, 0, 0);
        _exit(r < 0 && errno == EPERM ? 0 : 2);
    }
    describe("attach as another user", waitstop(pid));
    kill(target, SIGKILL);
    waitstop(target);
    // TRACEME twice: EPERM.
    pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        errno = 0;
        long r = ptrace(PTRACE_TRACEME, 0, 0, 0);
        _exit(r < 0 && errno == EPERM ? 0 : 3);
    }
    describe("traceme twice", waitstop(pid));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    errors();
    syscall_stops();
    peek_poke();
    vm_rw();
    signal_stops();
    fork_event();
    vfork_events();
    exit_event();
    exec_event();
    attach_seize();
    group_stop_listen();
    return 0;
}
