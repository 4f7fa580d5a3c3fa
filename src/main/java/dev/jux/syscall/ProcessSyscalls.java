package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.SyscallNumbers;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Limits;
import dev.jux.kernel.Personas;
import dev.jux.kernel.PrctlState;
import dev.jux.kernel.Task;
import dev.jux.kernel.UtsName;
import dev.jux.abi.WaitStatus;
import java.nio.charset.StandardCharsets;
import static dev.jux.abi.ArchPrctl.*;

/** Process and thread identity, exit, limits and the per-thread registrations of libc start-up. */
final class ProcessSyscalls {
    private ProcessSyscalls() {}

    /** Linux's TASK_SIZE_MAX: a segment base at or above it is EPERM. */
    static final long TASK_SIZE_MAX = 0x7ffffffff000L;
    static final int ROBUST_LIST_HEAD_SIZE = 24;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.EXIT, Support.FULL, "ends the calling thread; the process ends with its last thread, with the leader's status", ProcessSyscalls::exit);
        t.add(SyscallNumbers.EXIT_GROUP, Support.FULL, "", ProcessSyscalls::exitGroup);
        t.add(SyscallNumbers.GETPID, Support.FULL, "", (task, a) -> task.group().pid());
        t.add(SyscallNumbers.GETPPID, Support.FULL, "", (task, a) -> task.group().parentPid());   // follows reparenting
        t.add(SyscallNumbers.GETTID, Support.FULL, "", (task, a) -> task.tid());
        t.add(SyscallNumbers.SET_TID_ADDRESS, Support.FULL, "at thread exit the word is zeroed and FUTEX_WAKE'd (pthread_join)", ProcessSyscalls::setTidAddress);
        t.add(SyscallNumbers.SET_ROBUST_LIST, Support.FULL, "walked at thread death: held robust futexes get FUTEX_OWNER_DIED and a wake", ProcessSyscalls::setRobustList);
        t.add(SyscallNumbers.GET_ROBUST_LIST, Support.FULL, "", ProcessSyscalls::getRobustList);
        t.add(SyscallNumbers.RSEQ, Support.ERROR, "ENOSYS: glibc then runs without rseq; real rseq needs per-vCPU ids (issue 5)",
                (task, a) -> { throw new LinuxException(Errno.ENOSYS); });
        t.add(SyscallNumbers.ARCH_PRCTL, Support.FULL, "", ProcessSyscalls::archPrctl);
        t.add(SyscallNumbers.PRLIMIT64, Support.FULL, "", ProcessSyscalls::prlimit64);
        t.add(SyscallNumbers.GETRLIMIT, Support.FULL, "", (task, a) -> getrlimit(task, a.i(0), a.a1()));
        t.add(SyscallNumbers.SETRLIMIT, Support.FULL, "", (task, a) -> setrlimit(task, a.i(0), a.a1()));
        t.add(SyscallNumbers.UNAME, Support.FULL, "PER_LINUX32 and UNAME26 personalities change machine and release", ProcessSyscalls::uname);
        t.add(SyscallNumbers.PERSONALITY, Support.PARTIAL, "per task, inherited; PER_LINUX32, UNAME26, READ_IMPLIES_EXEC, STICKY_TIMEOUTS act; ADDR_NO_RANDOMIZE is moot (no randomization); ADDR_COMPAT_LAYOUT and MMAP_PAGE_ZERO are kept but change no layout", ProcessSyscalls::personality);
        t.add(SyscallNumbers.SCHED_YIELD, Support.FULL, "", (task, a) -> { Thread.yield(); return 0; });
        t.add(SyscallNumbers.PRCTL, Support.PARTIAL,
                "NAME, DUMPABLE, PDEATHSIG, NO_NEW_PRIVS, CHILD_SUBREAPER, TIMERSLACK, SECCOMP (none), CAPBSET_READ; others EINVAL",
                ProcessSyscalls::prctl);
    }

    /** Implements exit(2): ends the calling thread only. */
    static long exit(Task t, Args a) {
        t.exitThread(WaitStatus.exited(a.i(0)));
        return SyscallTable.EXITED;
    }

    /** Implements exit_group(2). */
    static long exitGroup(Task t, Args a) {
        t.group().exit(WaitStatus.exited(a.i(0)));
        return SyscallTable.EXITED;
    }

    /** Implements set_tid_address(2): remembers where to clear and wake at thread exit; returns the tid. */
    static long setTidAddress(Task t, Args a) {
        t.setClearChildTid(a.a0());
        return t.tid();
    }

    /** Implements set_robust_list(2): EINVAL unless the size is that of struct robust_list_head. */
    static long setRobustList(Task t, Args a) {
        if (a.a1() != ROBUST_LIST_HEAD_SIZE) throw new LinuxException(Errno.EINVAL);
        t.setRobustList(a.a0());
        return 0;
    }

    /** Implements get_robust_list(2): the head a thread registered (0: the caller); ESRCH for no such thread. */
    static long getRobustList(Task t, Args a) {
        int tid = a.i(0);
        Task target = tid == 0 ? t : t.kernel().task(tid);
        if (target == null) throw new LinuxException(Errno.ESRCH);
        if (target.group() != t.group() && !t.group().credentials().isRoot()
                && t.group().credentials().uid() != target.group().credentials().uid()) {
            throw new LinuxException(Errno.EPERM);
        }
        t.memory().writeLong(a.a1(), target.robustList());
        t.memory().writeLong(a.a2(), ROBUST_LIST_HEAD_SIZE);
        return 0;
    }

    /** Implements arch_prctl(2). CET and other subcommands are EINVAL, as on a kernel without them. */
    static long archPrctl(Task t, Args a) {
        var r = t.registers();
        switch (a.i(0)) {
            case ARCH_SET_FS -> {
                if (Long.compareUnsigned(a.a1(), TASK_SIZE_MAX) >= 0) throw new LinuxException(Errno.EPERM);
                r.fsBase = a.a1();
            }
            case ARCH_SET_GS -> {
                if (Long.compareUnsigned(a.a1(), TASK_SIZE_MAX) >= 0) throw new LinuxException(Errno.EPERM);
                r.gsBase = a.a1();
            }
            case ARCH_GET_FS -> t.memory().writeLong(a.a1(), r.fsBase);
            case ARCH_GET_GS -> t.memory().writeLong(a.a1(), r.gsBase);
            case ARCH_GET_CPUID -> { return 1; }       // cpuid is not faulting
            case ARCH_SET_CPUID -> throw new LinuxException(Errno.ENODEV); // no CPUID faulting on this CPU
            default -> throw new LinuxException(Errno.EINVAL);
        }
        return 0;
    }

    /** Implements prlimit64(2) on the calling process (pid 0 or its own pid); ESRCH otherwise. */
    static long prlimit64(Task t, Args a) {
        int pid = a.i(0);
        if (pid != 0 && pid != t.group().pid()) throw new LinuxException(Errno.ESRCH);
        int resource = a.i(1);
        Limits limits = t.group().limits();
        long oldSoft = limits.soft(resource), oldHard = limits.hard(resource);
        if (a.a2() != 0) {
            long soft = t.memory().readLong(a.a2()), hard = t.memory().readLong(a.a2() + 8);
            limits.set(resource, soft, hard, t.group().credentials().isRoot());
        }
        if (a.a3() != 0) {
            t.memory().writeLong(a.a3(), oldSoft);
            t.memory().writeLong(a.a3() + 8, oldHard);
        }
        return 0;
    }

    static long getrlimit(Task t, int resource, long addr) {
        Limits limits = t.group().limits();
        long soft = limits.soft(resource), hard = limits.hard(resource);
        t.memory().writeLong(addr, soft);
        t.memory().writeLong(addr + 8, hard);
        return 0;
    }

    static long setrlimit(Task t, int resource, long addr) {
        long soft = t.memory().readLong(addr), hard = t.memory().readLong(addr + 8);
        t.group().limits().set(resource, soft, hard, t.group().credentials().isRoot());
        return 0;
    }

    static final int PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4,
            PR_SET_NAME = 15, PR_GET_NAME = 16, PR_GET_SECCOMP = 21, PR_CAPBSET_READ = 23,
            PR_SET_TIMERSLACK = 29, PR_GET_TIMERSLACK = 30, PR_SET_CHILD_SUBREAPER = 36,
            PR_GET_CHILD_SUBREAPER = 37, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;
    /** CAP_LAST_CAP on Linux 6.x (CAP_CHECKPOINT_RESTORE). */
    static final int CAP_LAST_CAP = 40;
    /** TASK_COMM_LEN: PR_GET_NAME always writes 16 bytes. */
    static final int TASK_COMM_LEN = 16;

    /**
     * Implements prctl(2) for the options libc and common tools use. The parent-death signal
     * and the subreaper bit are acted on at a parent's exit (kernel/ProcessExit); no_new_privs
     * and the timer slack are kept and reported back.
     */
    static long prctl(Task t, Args a) {
        var p = t.group().prctlState();
        switch (a.i(0)) {
            case PR_SET_NAME -> {
                // strncpy_from_user of at most 15 bytes: a longer name is cut, not refused.
                byte[] name = new byte[TASK_COMM_LEN - 1];
                int len = 0;
                while (len < name.length) {
                    byte b = t.memory().read(a.a1() + len, 1)[0];
                    if (b == 0) break;
                    name[len++] = b;
                }
                t.group().setComm(java.util.Arrays.copyOf(name, len));
                return 0;
            }
            case PR_GET_NAME -> {
                byte[] out = new byte[TASK_COMM_LEN];
                byte[] comm = t.group().comm().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                System.arraycopy(comm, 0, out, 0, Math.min(comm.length, TASK_COMM_LEN - 1));
                t.memory().write(a.a1(), out);
                return 0;
            }
            case PR_GET_DUMPABLE -> {
                return p.dumpable;
            }
            case PR_SET_DUMPABLE -> {
                if (a.a1() != 0 && a.a1() != 1) throw new LinuxException(Errno.EINVAL);
                p.dumpable = (int) a.a1();
                return 0;
            }
            case PR_SET_PDEATHSIG -> {
                if (a.a1() < 0 || a.a1() > 64) throw new LinuxException(Errno.EINVAL);
                p.parentDeathSignal = (int) a.a1();
                return 0;
            }
            case PR_GET_PDEATHSIG -> {
                t.memory().writeInt(a.a1(), p.parentDeathSignal);
                return 0;
            }
            case PR_SET_NO_NEW_PRIVS -> {
                // Linux: arg2 must be 1 and the unused arguments 0; the bit can never be cleared.
                if (a.a1() != 1 || a.a2() != 0 || a.a3() != 0 || a.a4() != 0) throw new LinuxException(Errno.EINVAL);
                p.noNewPrivs = true;
                return 0;
            }
            case PR_GET_NO_NEW_PRIVS -> {
                if (a.a1() != 0 || a.a2() != 0 || a.a3() != 0 || a.a4() != 0) throw new LinuxException(Errno.EINVAL);
                return p.noNewPrivs ? 1 : 0;
            }
            case PR_SET_CHILD_SUBREAPER -> {
                p.childSubreaper = a.a1() != 0;
                return 0;
            }
            case PR_GET_CHILD_SUBREAPER -> {
                t.memory().writeInt(a.a1(), p.childSubreaper ? 1 : 0);
                return 0;
            }
            case PR_SET_TIMERSLACK -> {
                p.timerSlackNanos = a.a1() > 0 ? a.a1() : PrctlState.DEFAULT_TIMER_SLACK;
                return 0;
            }
            case PR_GET_TIMERSLACK -> {
                return p.timerSlackNanos;
            }
            case PR_GET_SECCOMP -> {
                return 0;   // no seccomp filter is ever installed
            }
            case PR_CAPBSET_READ -> {
                if (a.a1() < 0 || a.a1() > CAP_LAST_CAP) throw new LinuxException(Errno.EINVAL);
                return 1;   // the bounding set is full, as for init
            }
            default -> throw new LinuxException(Errno.EINVAL);
        }
    }

    /** Implements uname(2): struct utsname is six 65-byte NUL-padded strings. */
    static long uname(Task t, Args a) {
        UtsName u = t.group().uts().names();
        byte[] out = new byte[6 * 65];
        String[] fields = {u.sysname(), u.nodename(), Personas.release(t, u.release()), u.version(),
                Personas.machine(t, u.machine()), u.domainname()};
        for (int i = 0; i < 6; i++) {
            byte[] f = fields[i].getBytes(StandardCharsets.UTF_8);
            System.arraycopy(f, 0, out, 65 * i, Math.min(f.length, 64));
        }
        t.memory().write(a.a0(), out);
        return 0;
    }

    /**
     * personality(2): returns the old value and, unless asked 0xffffffff, sets the new one as
     * given (Linux keeps any value; the argument is an unsigned int).
     */
    static long personality(Task t, Args a) {
        int old = t.personality();
        int requested = a.i(0);
        if (requested != dev.jux.abi.Personality.QUERY) t.setPersonality(requested);
        return Integer.toUnsignedLong(old);
    }
}
