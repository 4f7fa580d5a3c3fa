package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import java.util.HashMap;
import java.util.Map;

/**
 * A process's POSIX timers (timer_create(2) and friends, kernel/time/posix-timers.c). Each
 * expiry of a SIGEV_SIGNAL timer queues one SI_TIMER signal (to the process, or to one thread
 * with SIGEV_THREAD_ID); while that signal is still pending, further expiries only count as
 * overruns, and the count reaches the handler's si_overrun and timer_getoverrun(2) when the
 * signal is taken ({@link #collect}). SIGEV_NONE timers only count down. Ids are the lowest
 * free from 0, as Linux's per-process ids.
 */
public final class PosixTimers {
    public static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2, SIGEV_THREAD_ID = 4;
    /** DELAYTIMER_MAX: overruns saturate at INT_MAX. */
    private static final long OVERRUN_MAX = Integer.MAX_VALUE;

    private final ThreadGroup group;
    private final Map<Integer, Timer> timers = new HashMap<>();

    PosixTimers(ThreadGroup group) {
        this.group = group;
    }

    /** One timer: how it notifies, its countdown, and its overrun bookkeeping. */
    private final class Timer {
        final int id, clock;
        final int notify, signal;
        final long value;
        final Task thread;
        final PeriodicTimer countdown;
        boolean queued;
        long overrun, overrunLast;

        Timer(int id, int clock, int notify, int signal, long value, Task thread) {
            this.id = id;
            this.clock = clock;
            this.notify = notify;
            this.signal = signal;
            this.value = value;
            this.thread = thread;
            this.countdown = new PeriodicTimer(group.kernel().timers(), this::expired);
        }

        /**
         * Queues the signal, or counts an overrun while it is still pending. All under this
         * process's timer lock, which timer_settime and timer_delete hold too: an expiry of a
         * setting they replaced sends nothing once they have returned.
         */
        private void expired(long count, long generation) {
            if (notify == SIGEV_NONE || group.isExiting()) return;
            synchronized (PosixTimers.this) {
                if (timers.get(id) != this || !countdown.isCurrent(generation)) return;
                if (queued) {
                    overrun = Math.min(OVERRUN_MAX, overrun + count);
                    return;
                }
                overrun = Math.min(OVERRUN_MAX, count - 1);
                SigInfo info = new SigInfo.Timer(Signal.of(signal), id, 0, value);
                // An ignored signal is never queued: the next expiry tries again.
                queued = thread != null ? SignalSender.toTask(thread, info) : SignalSender.toProcess(group, info);
            }
        }
    }

    /** timer_create: returns the new id. {@code thread} is SIGEV_THREAD_ID's target, else null. */
    public synchronized int create(int clock, int notify, int signal, long value, Task thread, boolean valueIsId) {
        int id = 0;
        while (timers.containsKey(id)) id++;
        Timer t = new Timer(id, clock, notify, signal, valueIsId ? id : value, thread);
        timers.put(id, t);
        return id;
    }

    private synchronized Timer timer(int id) {
        Timer t = timers.get(id);
        if (t == null) throw new LinuxException(Errno.EINVAL);
        return t;
    }

    /** timer_settime: arms at {@code deadline} (a nanoTime) or disarms; returns the old {interval, value}. */
    public synchronized long[] set(int id, long deadline, long interval, boolean disarm) {
        Timer t = timer(id);
        PeriodicTimer.Setting old = t.countdown.set(deadline, interval, disarm);
        return new long[] {old.intervalNanos(), old.valueNanos()};
    }

    /** timer_gettime: {interval, time left}. */
    public long[] get(int id) {
        PeriodicTimer.Setting s = timer(id).countdown.get();
        return new long[] {s.intervalNanos(), s.valueNanos()};
    }

    /** The clock timer {@code id} was made on (EINVAL for a bad id). */
    public int clock(int id) {
        return timer(id).clock;
    }

    /** timer_getoverrun: the overruns of the last signal taken. */
    public synchronized int overrun(int id) {
        Timer t = timers.get(id);
        if (t == null) throw new LinuxException(Errno.EINVAL);
        return (int) t.overrunLast;
    }

    public void delete(int id) {
        Timer t;
        synchronized (this) {
            t = timers.remove(id);
        }
        if (t == null) throw new LinuxException(Errno.EINVAL);
        t.countdown.cancel();
    }

    /**
     * The signal {@code info} of timer {@code info.timerId()} is being taken: it carries the
     * overruns counted since it was queued, which timer_getoverrun reports from now on.
     */
    public synchronized SigInfo collect(SigInfo.Timer info) {
        Timer t = timers.get(info.timerId());
        if (t == null || !t.queued) return info;
        t.queued = false;
        t.overrunLast = t.overrun;
        t.overrun = 0;
        return new SigInfo.Timer(info.signal(), info.timerId(), (int) t.overrunLast, info.value());
    }

    /** exit and exec: every timer goes (exit_itimers). */
    void deleteAll() {
        java.util.List<Timer> all;
        synchronized (this) {
            all = java.util.List.copyOf(timers.values());
            timers.clear();
        }
        for (Timer t : all) t.countdown.cancel();
    }
}
