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
     * otherwise the signal number; times are in clock ticks. {@code signal} is the child's
     * exit signal (SIGCHLD unless clone chose another).
     */
    record Child(Signal signal, int code, int pid, int uid, int status, long utime, long stime) implements SigInfo {
        /** The usual case: the exit signal is SIGCHLD. */
        public Child(int code, int pid, int uid, int status, long utime, long stime) {
            this(Signal.SIGCHLD, code, pid, uid, status, utime, stime);
        }

        /**
         * The CLD_* code and si_status for a child that ended with wait status {@code waitStatus}:
         * CLD_EXITED with the exit code, or CLD_KILLED/CLD_DUMPED with the signal.
         */
        public static Child ofExit(Signal signal, int pid, int uid, int waitStatus) {
            if (!WaitStatus.isSignaled(waitStatus)) {
                return new Child(signal, SigCode.CLD_EXITED, pid, uid, WaitStatus.exitCode(waitStatus), 0, 0);
            }
            int code = (waitStatus & 0x80) != 0 ? SigCode.CLD_DUMPED : SigCode.CLD_KILLED;
            return new Child(signal, code, pid, uid, WaitStatus.termSignal(waitStatus), 0, 0);
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
