package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Rlimit;
import dev.jux.abi.Signal;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.File;
import dev.jux.kernel.PosixTimers;
import dev.jux.kernel.Task;
import dev.jux.kernel.TimerFd;

import static dev.jux.abi.ClockId.*;

/** POSIX timers (timer_create and friends: kernel/PosixTimers) and timerfd (kernel/TimerFd). */
final class PosixTimerSyscalls {
    private PosixTimerSyscalls() {}

    private static final long NANOS = 1_000_000_000L;
    static final int TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.TIMER_CREATE, Support.PARTIAL, "CPU-time clocks count wall time", PosixTimerSyscalls::timerCreate);
        t.add(SyscallNumbers.TIMER_SETTIME, Support.FULL, "", PosixTimerSyscalls::timerSettime);
        t.add(SyscallNumbers.TIMER_GETTIME, Support.FULL, "", (task, a) -> {
            long[] s = task.group().posixTimers().get(a.i(0));
            writeItimerspec(task, a.a1(), s);
            return 0;
        });
        t.add(SyscallNumbers.TIMER_GETOVERRUN, Support.FULL, "", (task, a) -> task.group().posixTimers().overrun(a.i(0)));
        t.add(SyscallNumbers.TIMER_DELETE, Support.FULL, "", (task, a) -> {
            task.group().posixTimers().delete(a.i(0));
            return 0;
        });
        t.add(SyscallNumbers.TIMERFD_CREATE, Support.PARTIAL, "the *_ALARM clocks need no CAP_WAKE_ALARM", PosixTimerSyscalls::timerfdCreate);
        t.add(SyscallNumbers.TIMERFD_SETTIME, Support.PARTIAL, "TFD_TIMER_CANCEL_ON_SET is accepted (the realtime clock is never set)",
                PosixTimerSyscalls::timerfdSettime);
        t.add(SyscallNumbers.TIMERFD_GETTIME, Support.FULL, "", (task, a) -> {
            writeItimerspec(task, a.a1(), timerFd(task, a.i(0)).get());
            return 0;
        });
    }

    private static void writeItimerspec(Task t, long addr, long[] s) {
        TimeSyscalls.writeTimespec(t, addr, s[0]);
        TimeSyscalls.writeTimespec(t, addr + 16, s[1]);
    }

    /** A timer clock: the wall, monotonic and boot clocks (and the CPU clocks, by wall time for now); EINVAL otherwise. */
    private static void checkTimerClock(int clock) {
        switch (clock) {
            case CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_TAI, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM,
                    CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID -> { }
            default -> throw new LinuxException(Errno.EINVAL);
        }
    }

    /** timer_create(2): sigevent {sigev_value, sigev_signo, sigev_notify, _tid} checked as good_sigevent; NULL is SIGALRM with the id as value. */
    static long timerCreate(Task t, Args a) {
        int clock = a.i(0);
        checkTimerClock(clock);
        int notify = PosixTimers.SIGEV_SIGNAL, signal = Signal.SIGALRM.number();
        long value = 0;
        boolean valueIsId = a.a1() == 0;
        Task thread = null;
        if (a.a1() != 0) {
            byte[] ev = t.memory().read(a.a1(), 20);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(ev).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            value = b.getLong(0);
            signal = b.getInt(8);
            notify = b.getInt(12);
            int tid = b.getInt(16);
            switch (notify) {
                case PosixTimers.SIGEV_THREAD_ID -> {
                    thread = t.kernel().task(tid);
                    if (thread == null || thread.group() != t.group()) throw new LinuxException(Errno.EINVAL);
                    checkSignal(signal);
                }
                case PosixTimers.SIGEV_SIGNAL, PosixTimers.SIGEV_THREAD -> checkSignal(signal);
                case PosixTimers.SIGEV_NONE -> { }
                default -> throw new LinuxException(Errno.EINVAL);
            }
        }
        t.memory().checkAccess(a.a2(), 4, true);
        int id = t.group().posixTimers().create(clock, notify == PosixTimers.SIGEV_THREAD ? PosixTimers.SIGEV_SIGNAL : notify,
                signal, value, thread, valueIsId);
        try {
            t.memory().writeInt(a.a2(), id);
        } catch (LinuxException e) {
            t.group().posixTimers().delete(id);
            throw e;
        }
        return 0;
    }

    private static void checkSignal(int signal) {
        if (signal <= 0 || signal > 64) throw new LinuxException(Errno.EINVAL);
    }

    /**
     * An itimerspec's {interval, value} (EINVAL for a bad timespec), and the deadline it asks
     * for as a System.nanoTime() value: relative, or absolute on {@code clock}.
     */
    private static long[] readSetting(Task t, long addr, int clock, boolean absolute) {
        long interval = TimeSyscalls.readTimespec(t, addr);
        long value = TimeSyscalls.readTimespec(t, addr + 16);
        long now = System.nanoTime();
        long deadline;
        if (absolute) {
            long delta = value - TimeSyscalls.now(clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID ? CLOCK_MONOTONIC : clock);
            deadline = saturatingAdd(now, delta);
        } else {
            deadline = saturatingAdd(now, value);
        }
        return new long[] {interval, value, deadline};
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        return r;
    }

    /** timer_settime(2): TIMER_ABSTIME is the only flag; a zero value disarms. */
    static long timerSettime(Task t, Args a) {
        int id = a.i(0);
        int flags = a.i(1);
        if (a.a2() == 0) throw new LinuxException(Errno.EINVAL);
        t.group().posixTimers().get(id); // EINVAL for a bad id first
        // Linux reads the new value before looking at the clock; the clock is the timer's.
        long[] s = readSetting(t, a.a2(), t.group().posixTimers().clock(id), (flags & TIMER_ABSTIME) != 0);
        if (a.a3() != 0) t.memory().checkAccess(a.a3(), 32, true);
        long[] old = t.group().posixTimers().set(id, s[2], s[0], s[1] == 0);
        if (a.a3() != 0) writeItimerspec(t, a.a3(), old);
        return 0;
    }

    // ---- timerfd ----

    /** timerfd_create(2): TFD_CLOEXEC and TFD_NONBLOCK (= O_CLOEXEC, O_NONBLOCK); the wall, monotonic and boot clocks. */
    static long timerfdCreate(Task t, Args a) {
        int clock = a.i(0), flags = a.i(1);
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK)) != 0) throw new LinuxException(Errno.EINVAL);
        if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME
                && clock != CLOCK_REALTIME_ALARM && clock != CLOCK_BOOTTIME_ALARM) {
            throw new LinuxException(Errno.EINVAL);
        }
        File f = new TimerFd(t.kernel(), clock, flags);
        try {
            return t.group().files().install(f, 0, (flags & OpenFlags.O_CLOEXEC) != 0, t.group().limits().soft(Rlimit.RLIMIT_NOFILE));
        } catch (LinuxException e) {
            f.release();
            throw e;
        }
    }

    private static TimerFd timerFd(Task t, int fd) {
        File f = t.group().files().get(fd);
        if (f == null) throw new LinuxException(Errno.EBADF);
        if (!(f instanceof TimerFd tfd)) throw new LinuxException(Errno.EINVAL);
        return tfd;
    }

    /** timerfd_settime(2): EINVAL for unknown flags or a bad itimerspec. */
    static long timerfdSettime(Task t, Args a) {
        int flags = a.i(1);
        if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) != 0) throw new LinuxException(Errno.EINVAL);
        TimerFd tfd = timerFd(t, a.i(0));
        if (a.a2() == 0) throw new LinuxException(Errno.EFAULT);
        long[] s = readSetting(t, a.a2(), tfd.clock(), (flags & TFD_TIMER_ABSTIME) != 0);
        if (a.a3() != 0) t.memory().checkAccess(a.a3(), 32, true);
        long[] old = tfd.set(s[2], s[0], s[1] == 0);
        if (a.a3() != 0) writeItimerspec(t, a.a3(), old);
        return 0;
    }
}
