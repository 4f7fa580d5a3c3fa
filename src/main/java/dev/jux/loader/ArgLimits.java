package dev.jux.loader;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.util.List;

/**
 * execve's E2BIG rules for the argument and environment strings (Linux's bprm_stack_limits and
 * copy_strings; the boundaries below were measured on the host). Exec should check these
 * before it tears down the old address space, as Linux does, so the caller still gets E2BIG.
 */
public final class ArgLimits {
    /** Longest single string, counting its NUL: 32 pages. */
    public static final int MAX_ARG_STRLEN = 32 * 4096;
    /** Linux's _STK_LIM, the default RLIMIT_STACK. */
    public static final long DEFAULT_RLIMIT_STACK = 8L << 20;
    /** The floor of the total limit, whatever RLIMIT_STACK says (ARG_MAX, 32 pages). */
    static final long ARG_MAX = 32 * 4096;

    private ArgLimits() {}

    /**
     * Throws E2BIG unless every string (with its NUL) is at most MAX_ARG_STRLEN and all of
     * them, execfn included, plus one 8-byte pointer per argv and envp entry, fit in
     * {@link #limit}. An empty argv counts as one empty string, which Linux then adds.
     *
     * @param rlimitStack RLIMIT_STACK's soft limit, unsigned (-1 is RLIM_INFINITY)
     */
    public static void check(List<byte[]> argv, List<byte[]> envp, byte[] execfn, long rlimitStack) {
        long limit = limit(rlimitStack);
        long pointers = 8L * (Math.max(argv.size(), 1) + (long) envp.size());
        if (limit <= pointers) throw tooBig("too many strings");
        long room = limit - pointers;
        long used = size(execfn) + (argv.isEmpty() ? 1 : 0);
        for (byte[] s : envp) used += size(s);
        for (byte[] s : argv) used += size(s);
        if (used > room) throw tooBig("argument list too long");
    }

    /**
     * The bytes available to strings and pointers: a quarter of RLIMIT_STACK, but at most
     * three quarters of _STK_LIM (6 MiB) and at least ARG_MAX (128 KiB).
     */
    public static long limit(long rlimitStack) {
        long limit = Math.min(DEFAULT_RLIMIT_STACK / 4 * 3, Long.divideUnsigned(rlimitStack, 4));
        return Math.max(limit, ARG_MAX);
    }

    private static long size(byte[] s) {
        long n = s.length + 1L;
        if (n > MAX_ARG_STRLEN) throw tooBig("string longer than MAX_ARG_STRLEN");
        return n;
    }

    private static LinuxException tooBig(String why) {
        return new LinuxException(Errno.E2BIG, why);
    }
}
