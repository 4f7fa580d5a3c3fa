package dev.jux.platform;

/**
 * Why guest code stopped running and control came back to the kernel.
 *
 * @param kind         what happened
 * @param vector       the CPU exception vector, for {@link Kind#EXCEPTION}
 * @param errorCode    the exception's error code (0 if it pushes none)
 * @param faultAddress CR2 for a page fault
 * @param detail       for {@link Kind#PLATFORM_ERROR}: what went wrong, for the kernel log
 */
public record Trap(Kind kind, int vector, long errorCode, long faultAddress, String detail) {
    public enum Kind {
        /** The guest executed {@code syscall}; registers hold the call. */
        SYSCALL,
        /** A CPU exception in user mode (page fault, #GP, #UD, #DE, int3...). */
        EXCEPTION,
        /** Another thread kicked this context, or a host signal interrupted it. */
        INTERRUPTED,
        /** The platform itself failed (a triple fault, a failed VM entry): a kernel bug. */
        PLATFORM_ERROR
    }

    public static final int DE = 0, DB = 1, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8,
            TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17, XM = 19;

    public static final Trap SYSCALL_TRAP = new Trap(Kind.SYSCALL, -1, 0, 0, null);
    public static final Trap INTERRUPTED_TRAP = new Trap(Kind.INTERRUPTED, -1, 0, 0, null);

    public static Trap exception(int vector, long errorCode, long faultAddress) {
        return new Trap(Kind.EXCEPTION, vector, errorCode, faultAddress, null);
    }

    public static Trap platformError(String detail) {
        return new Trap(Kind.PLATFORM_ERROR, -1, 0, 0, detail);
    }
}
