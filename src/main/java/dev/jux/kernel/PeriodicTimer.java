package dev.jux.kernel;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One armed-or-not countdown with an optional period on the kernel's timer thread (Linux's
 * hrtimer under a POSIX timer or a timerfd). Deadlines are System.nanoTime() values. Each
 * expiry calls the callback, outside this object's lock, with how many periods ended (more
 * than 1 when the timer thread ran late: the missed ones count, as hrtimer_forward's overruns)
 * and the generation of the setting that expired.
 *
 * <p>An expiry may be on its way to the callback when the owner sets or cancels the timer
 * again. Linux's timerfd_settime and timer_settime wait for a running hrtimer callback
 * (hrtimer_cancel, or the it_lock retry in posix-timers.c), so nothing of the old setting
 * shows after they return. Here the owner gets the same by taking its own lock around
 * {@link #set} and, in the callback, checking {@link #isCurrent} under that lock before it
 * acts: the lock order is always owner, then this timer.
 */
final class PeriodicTimer {
    /** A setting in nanoseconds: the period and the time to the next expiry (0 = disarmed). */
    record Setting(long intervalNanos, long valueNanos) {
        static final Setting OFF = new Setting(0, 0);
    }

    /** The owner's side of an expiry. */
    interface Expiry {
        void expired(long count, long generation);
    }

    private final ScheduledExecutorService executor;
    private final Expiry expired;
    private ScheduledFuture<?> future;
    private long deadline, interval;
    private boolean armed;
    private long generation;

    PeriodicTimer(ScheduledExecutorService executor, Expiry expired) {
        this.executor = executor;
        this.expired = expired;
    }

    /** The period and the time left (0 when disarmed; at least 1 ns while an expiry is due, as Linux never reports an armed timer as 0). */
    synchronized Setting get() {
        if (!armed) return new Setting(interval, 0);
        return new Setting(interval, Math.max(1, deadline - System.nanoTime()));
    }

    /** Arms for {@code deadline} (a nanoTime; 0 disarms) with period {@code intervalNanos}; returns the old setting. */
    synchronized Setting set(long deadlineNanos, long intervalNanos, boolean disarm) {
        Setting old = get();
        cancel();
        interval = disarm ? 0 : intervalNanos;
        if (!disarm) {
            armed = true;
            schedule(deadlineNanos);
        }
        return old;
    }

    /** Whether an expiry of {@code generation} still belongs to the current setting (no set or cancel since). */
    synchronized boolean isCurrent(long generation) {
        return generation == this.generation;
    }

    synchronized void cancel() {
        generation++;
        if (future != null) future.cancel(false);
        future = null;
        armed = false;
    }

    private void schedule(long at) {
        deadline = at;
        long gen = generation;
        future = executor.schedule(() -> fire(gen), Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void fire(long gen) {
        long count = 1;
        synchronized (this) {
            if (gen != generation || !armed) return;
            if (interval > 0) {
                long next = deadline + interval;
                long now = System.nanoTime();
                if (next <= now) {
                    long missed = (now - next) / interval + 1;
                    count += missed;
                    next += missed * interval;
                }
                schedule(next);
            } else {
                armed = false;
                future = null;
            }
        }
        expired.expired(count, gen);
    }
}
