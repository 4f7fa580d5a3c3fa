package dev.jux.abi;

/**
 * rt_sigaction(2) and rt_sigprocmask(2) constants for x86-64 ({@code <asm/signal.h>},
 * {@code <asm-generic/signal-defs.h>}). The kernel's struct sigaction on x86-64 is
 * {handler, flags, restorer, mask}: 8 bytes each, 32 in all.
 */
public final class SignalAction {
    private SignalAction() {}

    public static final long SIG_DFL = 0;
    public static final long SIG_IGN = 1;
    public static final long SIG_ERR = -1;

    public static final long SA_NOCLDSTOP = 0x00000001;
    public static final long SA_NOCLDWAIT = 0x00000002;
    public static final long SA_SIGINFO = 0x00000004;
    public static final long SA_UNSUPPORTED = 0x00000400;
    public static final long SA_EXPOSE_TAGBITS = 0x00000800;
    public static final long SA_RESTORER = 0x04000000;
    public static final long SA_ONSTACK = 0x08000000;
    public static final long SA_RESTART = 0x10000000;
    /** Historical, never implemented; strace still names it. */
    public static final long SA_INTERRUPT = 0x20000000;
    public static final long SA_NODEFER = 0x40000000;
    public static final long SA_RESETHAND = 0x80000000L;

    public static final int SIG_BLOCK = 0;
    public static final int SIG_UNBLOCK = 1;
    public static final int SIG_SETMASK = 2;

    /** Byte offsets in the kernel's struct sigaction. */
    public static final int OFFSET_HANDLER = 0;
    public static final int OFFSET_FLAGS = 8;
    public static final int OFFSET_RESTORER = 16;
    public static final int OFFSET_MASK = 24;
    public static final int SIZE = 32;

    /** strace 6.1's order for x86-64 (measured with every bit set). */
    private static final FlagTable FLAGS = FlagTable.builder("SA_???")
            .add("SA_RESTORER", SA_RESTORER).add("SA_ONSTACK", SA_ONSTACK)
            .add("SA_RESTART", SA_RESTART).add("SA_INTERRUPT", SA_INTERRUPT)
            .add("SA_NODEFER", SA_NODEFER).add("SA_RESETHAND", SA_RESETHAND)
            .add("SA_SIGINFO", SA_SIGINFO).add("SA_NOCLDSTOP", SA_NOCLDSTOP)
            .add("SA_NOCLDWAIT", SA_NOCLDWAIT)
            .build();

    private static final ValueTable HOW = ValueTable.builder("SIG_???")
            .add("SIG_BLOCK", SIG_BLOCK).add("SIG_UNBLOCK", SIG_UNBLOCK)
            .add("SIG_SETMASK", SIG_SETMASK)
            .build();

    /** sa_flags: {@code SA_RESTORER|SA_RESTART}, "0" for none. */
    public static String renderFlags(long flags) {
        return FLAGS.render(flags);
    }

    /** sa_handler: SIG_DFL, SIG_IGN, SIG_ERR or the address in hex. */
    public static String renderHandler(long handler) {
        if (handler == SIG_DFL) return "SIG_DFL";
        if (handler == SIG_IGN) return "SIG_IGN";
        if (handler == SIG_ERR) return "SIG_ERR";
        return Hex.of(handler);
    }

    /** rt_sigprocmask's how: {@code SIG_BLOCK}, or {@code 0x7 /* SIG_??? *}{@code /}. */
    public static String renderHow(int how) {
        return HOW.render(Integer.toUnsignedLong(how));
    }
}
