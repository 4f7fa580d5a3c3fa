package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.SyscallNumbers;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Task;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.time.Instant;
import static dev.jux.abi.ClockId.*;

/**
 * Clocks and sleeps. CLOCK_MONOTONIC is the host's own (System.nanoTime reads it on Linux), so
 * guest and host timestamps agree; CPU-time clocks are the host CPU time of the threads that run
 * the tasks (which includes guest code): CLOCK_THREAD_CPUTIME_ID the caller's,
 * CLOCK_PROCESS_CPUTIME_ID every thread of its process, live and ended, and the clock ids
 * clock_getcpuclockid/pthread_getcpuclockid make for other processes and threads.
 *
 * <p>The clock cannot be set: CLOCK_REALTIME is the host's, which is not the guest's to change,
 * so no task holds CAP_SYS_TIME, as in a container without it (and as in gVisor).
 * clock_settime and settimeofday check their arguments in Linux's order and then fail with
 * EPERM where Linux would check that capability; a clock Linux never lets anyone set fails
 * as it does there.
 */
final class TimeSyscalls {
    private TimeSyscalls() {}

    static final long NANOS = 1_000_000_000L;
    /** Resolution of the coarse clocks: one jiffy at HZ=250, Debian's default. */
    static final long COARSE_RESOLUTION = 4_000_000L;
    /** Resolution of the CPUCLOCK_PROF/VIRT clocks: a jiffy (Linux's posix_cpu_clock_getres). */
    static final long TICK_RESOLUTION = COARSE_RESOLUTION;
    /** Linux's CPU clock id encoding: ~pid << 3 | per-thread bit 4 | PROF 0, VIRT 1, SCHED 2. */
    static final int CPUCLOCK_PERTHREAD = 4, CPUCLOCK_WHICH_MASK = 3, CPUCLOCK_PROF = 0, CPUCLOCK_VIRT = 1, CPUCLOCK_MAX = 3;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.CLOCK_GETTIME, Support.FULL, "", TimeSyscalls::clockGettime);
        t.add(SyscallNumbers.CLOCK_GETRES, Support.FULL, "", TimeSyscalls::clockGetres);
        t.add(SyscallNumbers.GETTIMEOFDAY, Support.FULL, "", TimeSyscalls::gettimeofday);
        t.add(SyscallNumbers.TIME, Support.FULL, "", TimeSyscalls::time);
        t.add(SyscallNumbers.NANOSLEEP, Support.FULL, "", TimeSyscalls::nanosleep);
        t.add(SyscallNumbers.CLOCK_NANOSLEEP, Support.PARTIAL, "CPU-time clocks sleep by wall time", TimeSyscalls::clockNanosleep);
        t.add(SyscallNumbers.CLOCK_SETTIME, Support.PARTIAL,
                "arguments checked as Linux does, then EPERM: no task may set the clock (no CAP_SYS_TIME, as in a container)",
                TimeSyscalls::clockSettime);
        t.add(SyscallNumbers.SETTIMEOFDAY, Support.PARTIAL,
                "arguments checked as Linux does, then EPERM: no task may set the clock or the kernel's timezone (no CAP_SYS_TIME)",
                TimeSyscalls::settimeofday);
    }

    /** The clock's current value in nanoseconds; EINVAL for an unknown clock. */
    static long now(int clock) {
        return switch (clock) {
            case CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_REALTIME_ALARM, CLOCK_TAI -> {
                Instant i = Instant.now();
                yield i.getEpochSecond() * NANOS + i.getNano();
            }
            case CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM -> System.nanoTime();
            default -> throw new LinuxException(Errno.EINVAL);
        };
    }

    /** The clock's value for the caller: the system clocks above, or a CPU-time clock. */
    static long now(Task t, int clock) {
        if (clock == CLOCK_THREAD_CPUTIME_ID) return t.cpuNanos();
        if (clock == CLOCK_PROCESS_CPUTIME_ID) return t.group().cpuNanos();
        if (clock < 0) return cpuClock(t, clock);
        return now(clock);
    }

    /**
     * A clock id from clock_getcpuclockid (a process's, pid 0 the caller's) or
     * pthread_getcpuclockid (a thread of the caller's own process): EINVAL for a bad encoding,
     * no such process, or another process's thread (posix_cpu_clock_get's lookup_task).
     */
    private static long cpuClock(Task t, int clock) {
        int which = clock & CPUCLOCK_WHICH_MASK;
        if (which >= CPUCLOCK_MAX) throw new LinuxException(Errno.EINVAL);
        int pid = ~(clock >> 3);
        dev.jux.abi.ResourceUsage used;
        if ((clock & CPUCLOCK_PERTHREAD) != 0) {
            Task thread = pid == 0 ? t : t.kernel().task(pid);
            if (thread == null || thread.group() != t.group()) throw new LinuxException(Errno.EINVAL);
            if (which == 2) return thread.cpuNanos();
            used = thread.usage();
        } else {
            dev.jux.kernel.ThreadGroup g = pid == 0 ? t.group() : t.kernel().process(pid);
            if (g == null || g.isZombie()) throw new LinuxException(Errno.EINVAL);
            if (which == 2) return g.cpuNanos();
            used = g.usage();
        }
        return which == CPUCLOCK_VIRT ? used.userNanos() : used.userNanos() + used.systemNanos();
    }

    static void writeTimespec(Task t, long addr, long nanos) {
        t.memory().writeLong(addr, Math.floorDiv(nanos, NANOS));
        t.memory().writeLong(addr + 8, Math.floorMod(nanos, NANOS));
    }

    /** Reads a struct timespec; EINVAL unless 0 <= tv_nsec < 1e9 and tv_sec >= 0 (nanosleep's rule). */
    static long readTimespec(Task t, long addr) {
        long sec = t.memory().readLong(addr), nsec = t.memory().readLong(addr + 8);
        if (sec < 0 || nsec < 0 || nsec >= NANOS) throw new LinuxException(Errno.EINVAL);
        return sec > Long.MAX_VALUE / NANOS - 1 ? Long.MAX_VALUE : sec * NANOS + nsec;
    }

    /** Implements clock_gettime(2). */
    static long clockGettime(Task t, Args a) {
        writeTimespec(t, a.a1(), now(t, a.i(0)));
        return 0;
    }

    /** Implements clock_getres(2). */
    static long clockGetres(Task t, Args a) {
        int clock = a.i(0);
        now(t, clock); // EINVAL for unknown clocks
        long res = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE ? COARSE_RESOLUTION : 1;
        if (clock < 0 && (clock & CPUCLOCK_WHICH_MASK) != 2) res = TICK_RESOLUTION;
        if (a.a1() != 0) writeTimespec(t, a.a1(), res);
        return 0;
    }

    /**
     * Implements clock_settime(2) as Linux's syscall and clock_set hooks order their checks
     * (kernel/time/posix-timers.c, posix-cpu-timers.c, time.c): EINVAL for a clock without a
     * set hook (every clock id but CLOCK_REALTIME and the CPU-time clocks of
     * clock_getcpuclockid/pthread_getcpuclockid, which are negative), then EFAULT copying the
     * time in; a CPU-time clock is never settable (EINVAL if it names no process or thread,
     * else EPERM); for CLOCK_REALTIME, EINVAL for a time settimeofday refuses, then EPERM
     * where the capability is checked.
     */
    static long clockSettime(Task t, Args a) {
        int clock = a.i(0);
        if (clock != CLOCK_REALTIME && clock >= 0) throw new LinuxException(Errno.EINVAL);
        long sec = t.memory().readLong(a.a1()), nsec = t.memory().readLong(a.a1() + 8);
        if (clock < 0) {
            cpuClock(t, clock);   // EINVAL for a clock of no process or thread, or a CLOCKFD one: no posix clock devices here
            throw new LinuxException(Errno.EPERM);
        }
        if (!settableTime(sec, nsec)) throw new LinuxException(Errno.EINVAL);
        throw new LinuxException(Errno.EPERM);
    }

    /**
     * Implements settimeofday(2) as Linux does (kernel/time/time.c): EFAULT reading the
     * timeval or the timezone, EINVAL for tv_usec outside [0, 1e6] or a time
     * timespec64_valid_settod refuses, then EPERM where CAP_SYS_TIME is checked, which comes
     * before the timezone's range check and also refuses a call with neither argument.
     */
    static long settimeofday(Task t, Args a) {
        long sec = 0, usec = 0;
        if (a.a0() != 0) {
            sec = t.memory().readLong(a.a0());
            usec = t.memory().readLong(a.a0() + 8);
            if (usec > 1_000_000 || usec < 0) throw new LinuxException(Errno.EINVAL);
        }
        if (a.a1() != 0) t.memory().readLong(a.a1());   // struct timezone: two ints
        if (a.a0() != 0 && !settableTime(sec, usec * 1000)) throw new LinuxException(Errno.EINVAL);
        throw new LinuxException(Errno.EPERM);
    }

    /**
     * timespec64_valid_settod: a valid timespec whose seconds stay 30 years (of uptime) below
     * the 64-bit nanosecond clock's end, KTIME_SEC_MAX.
     */
    private static boolean settableTime(long sec, long nsec) {
        final long ktimeSecMax = Long.MAX_VALUE / NANOS, uptimeSecMax = 30L * 365 * 24 * 3600;
        return sec >= 0 && nsec >= 0 && nsec < NANOS && sec < ktimeSecMax - uptimeSecMax;
    }

    /** Implements gettimeofday(2); the obsolete timezone is reported as zeros. */
    static long gettimeofday(Task t, Args a) {
        long ns = now(CLOCK_REALTIME);
        if (a.a0() != 0) {
            t.memory().writeLong(a.a0(), ns / NANOS);
            t.memory().writeLong(a.a0() + 8, ns % NANOS / 1000);
        }
        if (a.a1() != 0) t.memory().writeLong(a.a1(), 0);
        return 0;
    }

    /** Implements time(2). */
    static long time(Task t, Args a) {
        long s = now(CLOCK_REALTIME) / NANOS;
        if (a.a0() != 0) t.memory().writeLong(a.a0(), s);
        return s;
    }

    /** Implements nanosleep(2): on a signal, EINTR and the remaining time in *rem. */
    static long nanosleep(Task t, Args a) {
        long duration = readTimespec(t, a.a0());
        return sleep(t, System.nanoTime(), saturatingAdd(System.nanoTime(), duration), a.a1());
    }

    /** Implements clock_nanosleep(2); errors are returned, like the raw syscall does. */
    static long clockNanosleep(Task t, Args a) {
        int clock = a.i(0), flags = a.i(1);
        if (clock == CLOCK_THREAD_CPUTIME_ID) throw new LinuxException(Errno.EINVAL);
        if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME && clock != CLOCK_TAI
                && clock != CLOCK_PROCESS_CPUTIME_ID && clock != CLOCK_REALTIME_ALARM && clock != CLOCK_BOOTTIME_ALARM) {
            throw new LinuxException(Errno.EINVAL);
        }
        long request = readTimespec(t, a.a2());
        long start = System.nanoTime();
        long deadline;
        if ((flags & TIMER_ABSTIME) != 0) {
            // An absolute time on the given clock, turned into a monotonic deadline. Interrupted,
            // it neither reports a remainder nor needs one to restart: ERESTARTNOHAND.
            deadline = saturatingAdd(start, request - now(t, clock));
            if (t.block(() -> false, deadline) == Wakeup.INTERRUPTED) throw new LinuxException(Errno.ERESTARTNOHAND);
            return 0;
        }
        deadline = saturatingAdd(start, request);
        return sleep(t, start, deadline, a.a3());
    }

    /**
     * do_nanosleep: interrupted, a relative sleep writes the time left to *rem (if given) and
     * returns ERESTART_RESTARTBLOCK; restart_syscall then sleeps to the same deadline and
     * writes *rem again if interrupted again (hrtimer_nanosleep_restart).
     */
    private static long sleep(Task t, long start, long deadline, long remainAddr) {
        Wakeup w = t.block(() -> false, deadline);
        if (w != Wakeup.INTERRUPTED) return 0;
        long left = deadline - System.nanoTime();
        if (left <= 0) return 0;
        if (remainAddr != 0) writeTimespec(t, remainAddr, left);
        t.signals().setRestartBlock(task -> sleep(task, start, deadline, remainAddr));
        throw new LinuxException(Errno.ERESTART_RESTARTBLOCK);
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Waiter.FOREVER - 1 : r;
    }
}
