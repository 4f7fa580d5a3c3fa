package dev.jux.abi;

/** POSIX clock ids ({@code <linux/time.h>}) and clock_nanosleep's TIMER_ABSTIME. */
public final class ClockId {
    private ClockId() {}

    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_MONOTONIC = 1;
    public static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    public static final int CLOCK_THREAD_CPUTIME_ID = 3;
    public static final int CLOCK_MONOTONIC_RAW = 4;
    public static final int CLOCK_REALTIME_COARSE = 5;
    public static final int CLOCK_MONOTONIC_COARSE = 6;
    public static final int CLOCK_BOOTTIME = 7;
    public static final int CLOCK_REALTIME_ALARM = 8;
    public static final int CLOCK_BOOTTIME_ALARM = 9;
    public static final int CLOCK_SGI_CYCLE = 10;
    public static final int CLOCK_TAI = 11;

    public static final int TIMER_ABSTIME = 1;

    private static final ValueTable NAMES = ValueTable.builder("CLOCK_???")
            .add("CLOCK_REALTIME", CLOCK_REALTIME)
            .add("CLOCK_MONOTONIC", CLOCK_MONOTONIC)
            .add("CLOCK_PROCESS_CPUTIME_ID", CLOCK_PROCESS_CPUTIME_ID)
            .add("CLOCK_THREAD_CPUTIME_ID", CLOCK_THREAD_CPUTIME_ID)
            .add("CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW)
            .add("CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE)
            .add("CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE)
            .add("CLOCK_BOOTTIME", CLOCK_BOOTTIME)
            .add("CLOCK_REALTIME_ALARM", CLOCK_REALTIME_ALARM)
            .add("CLOCK_BOOTTIME_ALARM", CLOCK_BOOTTIME_ALARM)
            .add("CLOCK_SGI_CYCLE", CLOCK_SGI_CYCLE)
            .add("CLOCK_TAI", CLOCK_TAI)
            .build();

    private static final FlagTable TIMER_FLAGS = FlagTable.builder("TIMER_???")
            .add("TIMER_ABSTIME", TIMER_ABSTIME)
            .build();

    /**
     * {@code CLOCK_MONOTONIC}, or {@code 0xfffffffe /* CLOCK_??? *}{@code /}: strace 6.1 does
     * not decode the negative per-process CPU clock ids, it prints them as unsigned 32-bit.
     */
    public static String render(int clockId) {
        return NAMES.render(Integer.toUnsignedLong(clockId));
    }

    /** clock_nanosleep's flags: TIMER_ABSTIME or "0". */
    public static String renderTimerFlags(int flags) {
        return TIMER_FLAGS.render(Integer.toUnsignedLong(flags));
    }
}
