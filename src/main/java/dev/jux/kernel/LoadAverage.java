package dev.jux.kernel;

import java.util.function.IntSupplier;

/**
 * The 1, 5 and 15 minute load averages, as Linux's kernel/sched/loadavg.c computes them: every
 * 5 seconds each average decays toward the number of runnable tasks, in fixed point with
 * FSHIFT 11. Instead of a timer, the averages catch up when read, applying the missed 5-second
 * steps with the count seen now (Linux's calc_load_n does the same after an idle stretch).
 */
final class LoadAverage {
    static final int FSHIFT = 11;
    static final long FIXED_1 = 1L << FSHIFT;
    private static final long EXP_1 = 1884, EXP_5 = 2014, EXP_15 = 2037;
    private static final long INTERVAL_NANOS = 5_000_000_000L;

    private final long[] averages = new long[3];
    private long nextUpdate;

    LoadAverage(long nowNanos) {
        nextUpdate = nowNanos + INTERVAL_NANOS;
    }

    /** The three averages in FSHIFT fixed point, brought up to {@code nowNanos} (the kernel's uptime clock). */
    synchronized long[] read(long nowNanos, IntSupplier runnable) {
        if (nowNanos >= nextUpdate) {
            long steps = (nowNanos - nextUpdate) / INTERVAL_NANOS + 1;
            long active = runnable.getAsInt() * FIXED_1;
            for (long k = 0; k < Math.min(steps, 2000); k++) {
                averages[0] = calc(averages[0], EXP_1, active);
                averages[1] = calc(averages[1], EXP_5, active);
                averages[2] = calc(averages[2], EXP_15, active);
            }
            nextUpdate += steps * INTERVAL_NANOS;
        }
        return averages.clone();
    }

    /** Linux's calc_load: load * exp + active * (1 - exp), rounded up while rising. */
    private static long calc(long load, long exp, long active) {
        long next = load * exp + active * (FIXED_1 - exp);
        if (active >= load) next += FIXED_1 - 1;
        return next / FIXED_1;
    }
}
