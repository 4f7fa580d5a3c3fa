package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.IntervalTimers;
import dev.jux.kernel.IntervalTimers.Setting;
import dev.jux.kernel.Task;

/** alarm(2), setitimer(2), getitimer(2): the process's interval timers (kernel/IntervalTimers). */
final class TimerSyscalls {
    private TimerSyscalls() {}

    private static final long MICROS = 1000;
    private static final long SECOND = 1_000_000_000L;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.ALARM, Support.FULL, "", TimerSyscalls::alarm);
        t.add(SyscallNumbers.SETITIMER, Support.FULL, "ITIMER_VIRTUAL/ITIMER_PROF: the process CPU clocks are sampled every 2 ms", TimerSyscalls::setitimer);
        t.add(SyscallNumbers.GETITIMER, Support.FULL, "", TimerSyscalls::getitimer);
    }

    private static int which(int which) {
        if (which != IntervalTimers.ITIMER_REAL && which != IntervalTimers.ITIMER_VIRTUAL && which != IntervalTimers.ITIMER_PROF) {
            throw new LinuxException(Errno.EINVAL);
        }
        return which;
    }

    /** A struct timeval as nanoseconds; EINVAL unless 0 <= tv_usec < 1e6 and tv_sec >= 0. */
    private static long readTimeval(Task t, long addr) {
        long sec = t.memory().readLong(addr), usec = t.memory().readLong(addr + 8);
        if (sec < 0 || usec < 0 || usec >= 1_000_000) throw new LinuxException(Errno.EINVAL);
        return sec > Long.MAX_VALUE / SECOND - 1 ? Long.MAX_VALUE / 2 : sec * SECOND + usec * MICROS;
    }

    private static void writeItimerval(Task t, long addr, Setting s) {
        long[] v = {s.intervalNanos() / SECOND, s.intervalNanos() % SECOND / MICROS, s.valueNanos() / SECOND, s.valueNanos() % SECOND / MICROS};
        for (int i = 0; i < 4; i++) t.memory().writeLong(addr + 8L * i, v[i]);
    }

    /** Implements getitimer(2). */
    static long getitimer(Task t, Args a) {
        Setting s = t.group().intervalTimers().get(which(a.i(0)));
        writeItimerval(t, a.a1(), s);
        return 0;
    }

    /** Implements setitimer(2). A null new value disarms, as Linux accepts for old programs. */
    static long setitimer(Task t, Args a) {
        int which = which(a.i(0));
        Setting next = Setting.OFF;
        if (a.a1() != 0) next = new Setting(readTimeval(t, a.a1()), readTimeval(t, a.a1() + 16));
        if (a.a2() != 0) t.memory().checkAccess(a.a2(), 32, true);
        Setting old = t.group().intervalTimers().set(which, next, t);
        if (a.a2() != 0) writeItimerval(t, a.a2(), old);
        return 0;
    }

    /**
     * Implements alarm(2): ITIMER_REAL for {@code seconds}, no interval; returns the seconds the
     * old alarm had left, rounded to the nearest (and at least 1 if it was armed), as Linux.
     */
    static long alarm(Task t, Args a) {
        long seconds = a.a0() & 0xffffffffL;
        Setting old = t.group().intervalTimers().set(IntervalTimers.ITIMER_REAL, new Setting(0, seconds * SECOND), t);
        long left = old.valueNanos();
        if (left == 0) return 0;
        long sec = left / SECOND, usec = left % SECOND / MICROS;
        if ((sec == 0 && usec != 0) || usec >= 500_000) sec++;
        return sec;
    }
}
