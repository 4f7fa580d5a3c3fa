package dev.jux.kernel;

import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process's interval timers (setitimer(2), alarm(2)). ITIMER_REAL counts wall time on the
 * kernel's timer thread and sends the process SIGALRM (si_code SI_KERNEL, as Linux's
 * it_real_fn). ITIMER_VIRTUAL and ITIMER_PROF are kept and reported as set but never fire:
 * Jux does not account a process's CPU time per tick yet.
 */
public final class IntervalTimers {
    public static final int ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;

    /** A timer's setting in nanoseconds: the period after each expiry and the time to the next (0 = disarmed). */
    public record Setting(long intervalNanos, long valueNanos) {
        public static final Setting OFF = new Setting(0, 0);
    }

    private final ThreadGroup group;
    private ScheduledFuture<?> real;
    private long realDeadline, realInterval;
    private final Setting[] cpuTimers = {Setting.OFF, Setting.OFF, Setting.OFF};

    IntervalTimers(ThreadGroup group) {
        this.group = group;
    }

    public synchronized Setting get(int which) {
        if (which != ITIMER_REAL) return cpuTimers[which];
        if (real == null) return Setting.OFF;
        // An armed timer whose expiry is being handled reports at least 1 us, as Linux does.
        long left = Math.max(1000, realDeadline - System.nanoTime());
        return new Setting(realInterval, left);
    }

    /** Sets timer {@code which}; returns the old setting. {@code waker} is the thread to kick when SIGALRM comes. */
    public synchronized Setting set(int which, Setting next, Task waker) {
        Setting old = get(which);
        if (which != ITIMER_REAL) {
            cpuTimers[which] = next.valueNanos() == 0 ? Setting.OFF : next;
            return old;
        }
        cancel();
        if (next.valueNanos() > 0) {
            realInterval = next.intervalNanos();
            schedule(System.nanoTime() + next.valueNanos(), waker);
        }
        return old;
    }

    private void schedule(long deadline, Task waker) {
        realDeadline = deadline;
        long delay = Math.max(0, deadline - System.nanoTime());
        real = group.kernel().timers().schedule(() -> expire(waker), delay, TimeUnit.NANOSECONDS);
    }

    private synchronized void expire(Task waker) {
        if (group.isExiting() || real == null) return;
        group.post(new SigInfo.Kernel(Signal.SIGALRM));
        waker.wake();
        if (realInterval > 0) {
            schedule(realDeadline + realInterval, waker);
        } else {
            real = null;
        }
    }

    /** Disarms ITIMER_REAL (process exit, or a new setting). */
    synchronized void cancel() {
        if (real != null) real.cancel(false);
        real = null;
        realInterval = 0;
    }
}
