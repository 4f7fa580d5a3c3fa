package dev.jux.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The figures of struct rusage the kernel keeps for a thread, a process or a process's reaped
 * children: CPU time in user and system mode, the peak resident set (kB), page faults that
 * needed no I/O (minor) and that did (major), and voluntary/involuntary context switches.
 * The other rusage fields are 0 on Linux too.
 */
public record ResourceUsage(long userNanos, long systemNanos, long maxRssKb, long minorFaults, long majorFaults,
        long voluntarySwitches, long involuntarySwitches) {
    public static final ResourceUsage ZERO = new ResourceUsage(0, 0, 0, 0, 0, 0, 0);
    /** sizeof(struct rusage) on x86-64. */
    public static final int SIZE = 144;
    /** USER_HZ: the unit of times(2) and of /proc's tick counts. */
    public static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final long NANOS_PER_TICK = 1_000_000_000L / CLOCK_TICKS_PER_SECOND;

    /** The sum of two usages; the peak resident set is the larger one (Linux's cmaxrss). */
    public ResourceUsage plus(ResourceUsage o) {
        return new ResourceUsage(userNanos + o.userNanos, systemNanos + o.systemNanos, Math.max(maxRssKb, o.maxRssKb),
                minorFaults + o.minorFaults, majorFaults + o.majorFaults,
                voluntarySwitches + o.voluntarySwitches, involuntarySwitches + o.involuntarySwitches);
    }

    public ResourceUsage withMaxRssKb(long kb) {
        return new ResourceUsage(userNanos, systemNanos, Math.max(maxRssKb, kb), minorFaults, majorFaults,
                voluntarySwitches, involuntarySwitches);
    }

    /** Nanoseconds as clock ticks (times(2), /proc/PID/stat), rounded down as Linux's nsec_to_clock_t. */
    public static long ticks(long nanos) {
        return Math.max(0, nanos) / NANOS_PER_TICK;
    }

    public long userTicks() {
        return ticks(userNanos);
    }

    public long systemTicks() {
        return ticks(systemNanos);
    }

    /** struct rusage: ru_utime and ru_stime as timevals, then 14 longs of which Linux fills maxrss, minflt, majflt, nvcsw, nivcsw. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(userNanos / 1_000_000_000L).putLong(userNanos % 1_000_000_000L / 1000);
        b.putLong(systemNanos / 1_000_000_000L).putLong(systemNanos % 1_000_000_000L / 1000);
        b.putLong(maxRssKb);           // ru_maxrss
        b.putLong(0).putLong(0).putLong(0);   // ru_ixrss, ru_idrss, ru_isrss
        b.putLong(minorFaults).putLong(majorFaults);
        b.putLong(0).putLong(0).putLong(0);   // ru_nswap, ru_inblock, ru_oublock
        b.putLong(0).putLong(0).putLong(0);   // ru_msgsnd, ru_msgrcv, ru_nsignals
        b.putLong(voluntarySwitches).putLong(involuntarySwitches);
        return b.array();
    }
}
