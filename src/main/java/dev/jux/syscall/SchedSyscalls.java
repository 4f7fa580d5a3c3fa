package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Rlimit;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.Priorities;
import dev.jux.kernel.SchedState;
import dev.jux.kernel.Task;

import static dev.jux.kernel.SchedState.*;

/**
 * Scheduling interfaces (kernel/sched/core.c and syscalls.c): affinity over the CPUs the guest
 * sees ({@code Kernel.cpuCount()}), policies and priorities (kept and reported; the host
 * schedules), nice values, getcpu. A pid argument is a thread id; 0 is the caller.
 */
final class SchedSyscalls {
    private SchedSyscalls() {}

    /** cpumask_size(): one 64-bit word, Jux offers at most 64 CPUs. */
    static final int CPUMASK_BYTES = 8;
    /** sched_rr_get_interval for SCHED_RR: RR_TIMESLICE, 100 ms. */
    static final long RR_INTERVAL_NANOS = 100_000_000L;
    /** What a fair-class thread reports: a typical CFS slice at HZ=250 (one jiffy). */
    static final long FAIR_INTERVAL_NANOS = 4_000_000L;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.SCHED_GETAFFINITY, Support.FULL, "CPUs 0..N-1 of --cpus N (default: the host's)", SchedSyscalls::getAffinity);
        t.add(SyscallNumbers.SCHED_SETAFFINITY, Support.FULL, "the mask is kept per thread (intersected with the online CPUs); the host schedules", SchedSyscalls::setAffinity);
        t.add(SyscallNumbers.SCHED_GETSCHEDULER, Support.FULL, "", SchedSyscalls::getScheduler);
        t.add(SyscallNumbers.SCHED_SETSCHEDULER, Support.FULL, "OTHER/BATCH/IDLE, FIFO/RR 1..99 (root or RLIMIT_RTPRIO); kept and reported, priorities are nominal", SchedSyscalls::setScheduler);
        t.add(SyscallNumbers.SCHED_GETPARAM, Support.FULL, "", SchedSyscalls::getParam);
        t.add(SyscallNumbers.SCHED_SETPARAM, Support.FULL, "", SchedSyscalls::setParam);
        t.add(SyscallNumbers.SCHED_GET_PRIORITY_MAX, Support.FULL, "", (task, a) -> priorityLimit(a.i(0), true));
        t.add(SyscallNumbers.SCHED_GET_PRIORITY_MIN, Support.FULL, "", (task, a) -> priorityLimit(a.i(0), false));
        t.add(SyscallNumbers.SCHED_RR_GET_INTERVAL, Support.FULL, "RR 100 ms, FIFO 0, fair classes 4 ms", SchedSyscalls::rrInterval);
        t.add(SyscallNumbers.GETPRIORITY, Support.FULL, "per-thread nice; returns 20 - nice as the raw syscall does", (task, a) -> Priorities.get(task, a.i(0), a.i(1)));
        t.add(SyscallNumbers.SETPRIORITY, Support.FULL, "nominal: kept, reported, inherited", (task, a) -> {
            Priorities.set(task, a.i(0), a.i(1), a.i(2));
            return 0;
        });
        t.add(SyscallNumbers.IOPRIO_GET, Support.FULL, "per thread; kept and reported, no I/O scheduler uses it", (task, a) -> dev.jux.kernel.IoPriorities.get(task, a.i(0), a.i(1)));
        t.add(SyscallNumbers.IOPRIO_SET, Support.FULL, "per thread, copied by fork and clone; RT needs root", (task, a) -> {
            dev.jux.kernel.IoPriorities.set(task, a.i(0), a.i(1), a.i(2));
            return 0;
        });
        t.add(SyscallNumbers.GETCPU, Support.FULL, "a CPU of the thread's affinity mask, fixed per thread; node 0", SchedSyscalls::getCpu);
    }

    /** The thread {@code pid} names (0: the caller); ESRCH if none. */
    static Task target(Task caller, int pid) {
        Task t = pid == 0 ? caller : caller.kernel().task(pid);
        if (t == null) throw new LinuxException(Errno.ESRCH);
        return t;
    }

    /** The CPUs {@code t} may run on now: its mask and the online CPUs. */
    static long effectiveMask(Task t) {
        return t.sched().affinity() & t.kernel().onlineCpuMask();
    }

    static long getAffinity(Task t, Args a) {
        long len = a.a1() & 0xffffffffL;
        if (len * 8 < t.kernel().cpuCount()) throw new LinuxException(Errno.EINVAL);
        if ((len & 7) != 0) throw new LinuxException(Errno.EINVAL);
        long mask = effectiveMask(target(t, a.i(0)));
        int out = (int) Math.min(len, CPUMASK_BYTES);
        byte[] bytes = new byte[out];
        for (int i = 0; i < out; i++) bytes[i] = (byte) (mask >>> (8 * i));
        t.memory().write(a.a2(), bytes);
        return out;
    }

    static long setAffinity(Task t, Args a) {
        long len = a.a1() & 0xffffffffL;
        // get_user_cpu_mask: a short mask is zero-extended, a long one truncated.
        int in = (int) Math.min(len, CPUMASK_BYTES);
        long mask = 0;
        if (in > 0) {
            byte[] bytes = t.memory().read(a.a2(), in);
            for (int i = 0; i < in; i++) mask |= (bytes[i] & 0xffL) << (8 * i);
        }
        Task target = target(t, a.i(0));
        if (!Priorities.sameOwner(t, target)) throw new LinuxException(Errno.EPERM);
        long effective = mask & t.kernel().onlineCpuMask();
        if (effective == 0) throw new LinuxException(Errno.EINVAL);
        target.sched().setAffinity(effective);
        return 0;
    }

    static long getScheduler(Task t, Args a) {
        if (a.i(0) < 0) throw new LinuxException(Errno.EINVAL);
        SchedState s = target(t, a.i(0)).sched();
        return s.policy() | (s.resetOnFork() ? SCHED_RESET_ON_FORK : 0);
    }

    static long getParam(Task t, Args a) {
        if (a.a1() == 0 || a.i(0) < 0) throw new LinuxException(Errno.EINVAL);
        SchedState s = target(t, a.i(0)).sched();
        t.memory().writeInt(a.a1(), isRealTime(s.policy()) ? s.rtPriority() : 0);
        return 0;
    }

    static long setScheduler(Task t, Args a) {
        int policy = a.i(1);
        if (policy < 0) throw new LinuxException(Errno.EINVAL);
        return change(t, a.i(0), a.a2(), policy);
    }

    static long setParam(Task t, Args a) {
        return change(t, a.i(0), a.a1(), -1);
    }

    /** do_sched_setscheduler then __sched_setscheduler's checks, in Linux's order; policy -1 keeps the current one. */
    private static long change(Task t, int pid, long paramAddr, int requested) {
        if (paramAddr == 0 || pid < 0) throw new LinuxException(Errno.EINVAL);
        long priority = t.memory().readInt(paramAddr) & 0xffffffffL;   // attr.sched_priority is a u32
        Task target = target(t, pid);
        SchedState s = target.sched();
        int policy;
        boolean reset;
        if (requested < 0) {
            policy = s.policy();
            reset = s.resetOnFork();
        } else {
            reset = (requested & SCHED_RESET_ON_FORK) != 0;
            policy = requested & ~SCHED_RESET_ON_FORK;
            if (!isValidPolicy(policy)) throw new LinuxException(Errno.EINVAL);
        }
        if (priority > MAX_RT_PRIORITY) throw new LinuxException(Errno.EINVAL);
        // SCHED_DEADLINE needs runtime/deadline/period, which only sched_setattr carries.
        if (policy == SCHED_DEADLINE || isRealTime(policy) != (priority != 0)) throw new LinuxException(Errno.EINVAL);
        if (!t.group().credentials().isRoot()) {
            if (isRealTime(policy)) {
                long limit = target.group().limits().soft(Rlimit.RLIMIT_RTPRIO);
                if (limit == 0 && policy != s.policy()) throw new LinuxException(Errno.EPERM);
                if (priority > s.rtPriority() && Long.compareUnsigned(priority, limit) > 0) throw new LinuxException(Errno.EPERM);
            }
            // Leaving SCHED_IDLE is a priority raise: RLIMIT_NICE must allow the current nice.
            if (s.policy() == SCHED_IDLE && policy != SCHED_IDLE && !Priorities.canNice(t, target, s.nice())) {
                throw new LinuxException(Errno.EPERM);
            }
            if (!Priorities.sameOwner(t, target)) throw new LinuxException(Errno.EPERM);
            if (s.resetOnFork() && !reset) throw new LinuxException(Errno.EPERM);
        }
        s.setPolicy(policy, (int) priority, reset);
        return 0;
    }

    static long priorityLimit(int policy, boolean max) {
        if (isRealTime(policy)) return max ? MAX_RT_PRIORITY : 1;
        // 7 is SCHED_EXT (Linux 6.12's sched_ext class), known to the limits calls only.
        if (policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE || policy == SCHED_DEADLINE || policy == 7) return 0;
        throw new LinuxException(Errno.EINVAL);
    }

    static long rrInterval(Task t, Args a) {
        if (a.i(0) < 0) throw new LinuxException(Errno.EINVAL);
        int policy = target(t, a.i(0)).sched().policy();
        long nanos = policy == SCHED_RR ? RR_INTERVAL_NANOS : policy == SCHED_FIFO ? 0 : FAIR_INTERVAL_NANOS;
        TimeSyscalls.writeTimespec(t, a.a1(), nanos);
        return 0;
    }

    /** getcpu: the CPU this thread "runs on", see SchedState.cpuFor. */
    static long getCpu(Task t, Args a) {
        if (a.a0() != 0) t.memory().writeInt(a.a0(), currentCpu(t));
        if (a.a1() != 0) t.memory().writeInt(a.a1(), 0);
        return 0;
    }

    static int currentCpu(Task t) {
        return t.sched().cpuFor(t.tid(), t.kernel().onlineCpuMask());
    }
}
