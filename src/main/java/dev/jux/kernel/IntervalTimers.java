package dev.jux.kernel;

import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process's interval timers (setitimer(2), alarm(2)). ITIMER_REAL counts wall time on the
 * kernel's timer thread and sends the process SIGALRM (si_code SI_KERNEL, as Linux's
 * it_real_fn). ITIMER_VIRTUAL and ITIMER_PROF count the process's CPU clocks (user time, and
 * user + system time, of all its threads: {@link ThreadGroup#cpuNanos}) and send SIGVTALRM and
 * SIGPROF. Linux checks them on every tick of a running thread; Jux samples the clocks on the
 * kernel's timer thread every {@link #SAMPLE_NANOS} while one is armed, so a timer fires up to
 * that much (plus the host's user-time granularity, a clock tick, for ITIMER_VIRTUAL) late.
 * As Linux's check_cpu_itimer, one sample sends at most one signal and advances the expiry by
 * one interval, so a late timer catches up over the following samples.
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
    /** Counts ITIMER_REAL's schedulings: each expiry knows which one it belongs to. */
    private long realArmings;
    /** For ITIMER_VIRTUAL and ITIMER_PROF: the CPU clock value at which each fires (0 = disarmed), and its period. */
    private final long[] cpuExpires = new long[3], cpuInterval = new long[3];
    private ScheduledFuture<?> sampler;

    /** How often the CPU clocks are read while a CPU timer is armed. */
    static final long SAMPLE_NANOS = 2_000_000;

    IntervalTimers(ThreadGroup group) {
        this.group = group;
    }

    public synchronized Setting get(int which) {
        if (which != ITIMER_REAL) return getCpu(which);
        if (real == null) return Setting.OFF;
        // An armed timer whose expiry is being handled reports at least 1 us, as Linux does.
        long left = Math.max(1000, realDeadline - System.nanoTime());
        return new Setting(realInterval, left);
    }

    /** Sets timer {@code which}; returns the old setting. {@code waker} is the thread to kick when SIGALRM comes. */
    public synchronized Setting set(int which, Setting next, Task waker) {
        Setting old = get(which);
        if (which != ITIMER_REAL) {
            setCpu(which, next);
            return old;
        }
        cancelReal();
        if (next.valueNanos() > 0) {
            realInterval = next.intervalNanos();
            schedule(System.nanoTime() + next.valueNanos(), waker);
        }
        return old;
    }

    private void schedule(long deadline, Task waker) {
        realDeadline = deadline;
        long delay = Math.max(0, deadline - System.nanoTime());
        long arming = ++realArmings;
        real = group.kernel().timers().schedule(() -> expire(waker, arming), delay, TimeUnit.NANOSECONDS);
    }

    /**
     * ITIMER_REAL's expiry number {@code arming}. An expiry of a setting that was replaced
     * meanwhile does nothing: cancel() cannot stop one that already started and waits for this
     * lock, and it would otherwise send SIGALRM for the new setting and disarm it.
     */
    private synchronized void expire(Task waker, long arming) {
        if (group.isExiting() || real == null || arming != realArmings) return;
        group.post(new SigInfo.Kernel(Signal.SIGALRM));
        waker.wake();
        if (realInterval > 0) {
            schedule(realDeadline + realInterval, waker);
        } else {
            real = null;
        }
    }

    /** Disarms ITIMER_REAL (a new setting). */
    private void cancelReal() {
        if (real != null) real.cancel(false);
        real = null;
        realInterval = 0;
    }

    /** Disarms every timer (process exit). */
    synchronized void cancel() {
        cancelReal();
        cpuExpires[ITIMER_VIRTUAL] = cpuExpires[ITIMER_PROF] = 0;
        updateSampler();
    }

    // --- ITIMER_VIRTUAL and ITIMER_PROF ---

    /** The process's user time (ITIMER_VIRTUAL) or user + system time (ITIMER_PROF) in nanoseconds. */
    private long cpuClock(int which) {
        return which == ITIMER_VIRTUAL ? group.usage().userNanos() : group.cpuNanos();
    }

    /** As get_cpu_itimer: a timer already due reports a minimal time left (Linux: one tick). */
    private Setting getCpu(int which) {
        long expires = cpuExpires[which];
        if (expires == 0) return new Setting(cpuInterval[which], 0);
        long now = cpuClock(which);
        return new Setting(cpuInterval[which], expires > now ? expires - now : 1000);
    }

    /** As set_cpu_itimer: the value counts from the clock's current reading; a zero value disarms. */
    private void setCpu(int which, Setting next) {
        cpuInterval[which] = next.intervalNanos();
        cpuExpires[which] = next.valueNanos() == 0 ? 0 : cpuClock(which) + next.valueNanos();
        updateSampler();
    }

    /** Runs the sampler while a CPU timer is armed and the process lives. */
    private void updateSampler() {
        boolean armed = cpuExpires[ITIMER_VIRTUAL] != 0 || cpuExpires[ITIMER_PROF] != 0;
        if (armed && sampler == null) {
            sampler = group.kernel().timers().scheduleAtFixedRate(this::sample, SAMPLE_NANOS, SAMPLE_NANOS, TimeUnit.NANOSECONDS);
        } else if (!armed && sampler != null) {
            sampler.cancel(false);
            sampler = null;
        }
    }

    /**
     * One sample. The clocks are read and the signals sent without holding this object's lock:
     * both take other locks (the process tree's, the group's), and exit takes this one.
     */
    private void sample() {
        boolean prof, virt;
        synchronized (this) {
            prof = cpuExpires[ITIMER_PROF] != 0;
            virt = cpuExpires[ITIMER_VIRTUAL] != 0;
        }
        long profNow = prof ? cpuClock(ITIMER_PROF) : 0, virtNow = virt ? cpuClock(ITIMER_VIRTUAL) : 0;
        synchronized (this) {
            if (group.isExiting()) cpuExpires[ITIMER_VIRTUAL] = cpuExpires[ITIMER_PROF] = 0;
            prof = prof && expired(ITIMER_PROF, profNow);
            virt = virt && expired(ITIMER_VIRTUAL, virtNow);
            updateSampler();
        }
        if (prof) SignalSender.toProcess(group, new SigInfo.Kernel(Signal.SIGPROF));
        if (virt) SignalSender.toProcess(group, new SigInfo.Kernel(Signal.SIGVTALRM));
    }

    /** Linux's check_cpu_itimer: at the expiry, reload by one interval (or disarm); true if the signal is due. */
    private boolean expired(int which, long now) {
        long expires = cpuExpires[which];
        if (expires == 0 || now < expires) return false;
        cpuExpires[which] = cpuInterval[which] > 0 ? expires + cpuInterval[which] : 0;
        return true;
    }
}
