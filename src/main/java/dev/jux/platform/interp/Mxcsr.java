package dev.jux.platform.interp;

import dev.jux.platform.Trap;

/**
 * MXCSR: the SSE control and status register. Status flags are sticky; an exception whose mask
 * bit is clear raises #XM (SIGFPE) before the destination is written, as on hardware.
 */
final class Mxcsr {
    static final int DEFAULT = 0x1f80;
    static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 0x10, PE = 0x20, DAZ = 0x40, FZ = 0x8000;
    /** The bits LDMXCSR/FXRSTOR may set (FXSAVE's MXCSR_MASK): the others raise #GP. */
    static final int WRITABLE = 0xffff;
    /** Rounding control values, shared with the x87 control word's RC field. */
    static final int NEAREST = 0, DOWN = 1, UP = 2, ZERO = 3;

    private Mxcsr() {}

    static int roundingMode(int mxcsr) {
        return (mxcsr >> 13) & 3;
    }

    /** Records the exception {@code flags} of one instruction; #XM if any of them is unmasked. */
    static void raise(Cpu c, int flags) {
        if (flags == 0) return;
        c.mxcsr |= flags;
        if ((flags & ~(c.mxcsr >> 7) & 0x3f) != 0) throw new CpuFault(Trap.XM, 0, 0);
    }

    /** Like {@link #raise} but only checks: an unmasked exception must fault before any lane is written. */
    static void check(Cpu c, int flags) {
        if ((flags & ~(c.mxcsr >> 7) & 0x3f) != 0) {
            c.mxcsr |= flags;
            throw new CpuFault(Trap.XM, 0, 0);
        }
        c.mxcsr |= flags;
    }
}
