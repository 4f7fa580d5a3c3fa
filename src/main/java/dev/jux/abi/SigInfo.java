package dev.jux.abi;

/**
 * The information a signal carries (siginfo_t), one record per layout of the kernel's union.
 * The kernel builds these when it sends a signal; strace prints them in its "--- SIG... ---"
 * lines.
 */
public sealed interface SigInfo {
    Signal signal();

    int code();

    /** Sent by kill(2) (SI_USER), tkill/tgkill (SI_TKILL) or raise: sender's pid and uid. */
    record Kill(Signal signal, int code, int pid, int uid) implements SigInfo {}

    /** sigqueue(3) (SI_QUEUE) or a message queue (SI_MESGQ): also the sigval sent. */
    record Queue(Signal signal, int code, int pid, int uid, long value) implements SigInfo {}

    /** A POSIX timer expired (SI_TIMER). */
    record Timer(Signal signal, int timerId, int overrun, long value) implements SigInfo {
        public int code() {
            return SigCode.SI_TIMER;
        }
    }

    /**
     * SIGCHLD: a child changed state (CLD_*). {@code status} is the exit code for CLD_EXITED,
     * otherwise the signal number; times are in clock ticks.
     */
    record Child(int code, int pid, int uid, int status, long utime, long stime) implements SigInfo {
        public Signal signal() {
            return Signal.SIGCHLD;
        }
    }

    /** A hardware fault (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP) at {@code addr}. */
    record Fault(Signal signal, int code, long addr) implements SigInfo {}

    /** SIGIO/SIGPOLL from an fd with F_SETSIG (POLL_*). */
    record Poll(Signal signal, int code, long band, int fd) implements SigInfo {}

    /** Sent by the kernel for its own reasons (SI_KERNEL), with no further fields. */
    record Kernel(Signal signal) implements SigInfo {
        public int code() {
            return SigCode.SI_KERNEL;
        }
    }

    /**
     * SIGSYS from a seccomp filter (SYS_SECCOMP): where, which call, which audit arch; the
     * filter's SECCOMP_RET_TRAP data arrives in si_errno.
     */
    record Seccomp(long callAddr, int syscall, int arch, int errno) implements SigInfo {
        public Signal signal() {
            return Signal.SIGSYS;
        }

        public int code() {
            return SigCode.SYS_SECCOMP;
        }
    }
}
