package dev.jux.abi;

/** Resource limits for getrlimit/setrlimit/prlimit64 ({@code <asm-generic/resource.h>}). */
public final class Rlimit {
    private Rlimit() {}

    public static final int RLIMIT_CPU = 0;
    public static final int RLIMIT_FSIZE = 1;
    public static final int RLIMIT_DATA = 2;
    public static final int RLIMIT_STACK = 3;
    public static final int RLIMIT_CORE = 4;
    public static final int RLIMIT_RSS = 5;
    public static final int RLIMIT_NPROC = 6;
    public static final int RLIMIT_NOFILE = 7;
    public static final int RLIMIT_MEMLOCK = 8;
    public static final int RLIMIT_AS = 9;
    public static final int RLIMIT_LOCKS = 10;
    public static final int RLIMIT_SIGPENDING = 11;
    public static final int RLIMIT_MSGQUEUE = 12;
    public static final int RLIMIT_NICE = 13;
    public static final int RLIMIT_RTPRIO = 14;
    public static final int RLIMIT_RTTIME = 15;
    public static final int RLIM_NLIMITS = 16;

    /** "No limit" in struct rlimit64 (all ones). */
    public static final long RLIM64_INFINITY = -1L;

    private static final String[] NAMES = {
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
        "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
        "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    };

    /** {@code RLIMIT_STACK}, or {@code 0x63 /* RLIMIT_??? *}{@code /}. */
    public static String renderResource(int resource) {
        return resource >= 0 && resource < RLIM_NLIMITS
                ? NAMES[resource]
                : Hex.of(Integer.toUnsignedLong(resource)) + " /* RLIMIT_??? */";
    }

    /**
     * A limit value as strace prints it: RLIM64_INFINITY, a multiple of 1024 above 1024 as
     * {@code 8192*1024}, anything else in unsigned decimal (1024 itself stays "1024").
     */
    public static String renderValue(long value) {
        if (value == RLIM64_INFINITY) return "RLIM64_INFINITY";
        if (Long.compareUnsigned(value, 1024) > 0 && value % 1024 == 0) {
            return Long.toUnsignedString(value / 1024) + "*1024";
        }
        return Long.toUnsignedString(value);
    }
}
