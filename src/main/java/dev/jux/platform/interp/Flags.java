package dev.jux.platform.interp;

/**
 * RFLAGS bits and the helpers every arithmetic family shares: operand-size masks, parity and
 * the condition codes of Jcc/SETcc/CMOVcc.
 */
public final class Flags {
    public static final long CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100,
            IF = 0x200, DF = 0x400, OF = 0x800, AC = 0x40000, ID = 0x200000;
    /** The six arithmetic status flags. */
    public static final long STATUS = CF | PF | AF | ZF | SF | OF;
    /** What POPF and the kernel may change at CPL 3 (IOPL, IF, VM, RF... stay as they are). */
    public static final long USER_MASK = STATUS | TF | DF | AC | ID;

    private Flags() {}

    public static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    /** The sign bit of a {@code size}-byte value, moved to bit 0. */
    public static long sign(long v, int size) {
        return (v >>> (size * 8 - 1)) & 1;
    }

    /** Sign-extends the low {@code size} bytes. */
    public static long sext(long v, int size) {
        int s = 64 - size * 8;
        return (v << s) >> s;
    }

    /** PF is set when the low byte of the result has an even number of ones. */
    public static long parity(long result) {
        return (Long.bitCount(result & 0xff) & 1) == 0 ? PF : 0;
    }

    /** ZF, SF and PF of a {@code size}-byte result: the three flags almost every ALU op sets alike. */
    public static long szp(long result, int size) {
        long m = result & mask(size);
        return (m == 0 ? ZF : 0) | (sign(m, size) != 0 ? SF : 0) | parity(m);
    }

    /** Evaluates condition code {@code cc} (the low nibble of Jcc/SETcc/CMOVcc). */
    public static boolean condition(long f, int cc) {
        boolean t = switch (cc >> 1) {
            case 0 -> (f & OF) != 0;
            case 1 -> (f & CF) != 0;
            case 2 -> (f & ZF) != 0;
            case 3 -> (f & (CF | ZF)) != 0;
            case 4 -> (f & SF) != 0;
            case 5 -> (f & PF) != 0;
            case 6 -> ((f & SF) != 0) != ((f & OF) != 0);
            default -> (f & ZF) != 0 || ((f & SF) != 0) != ((f & OF) != 0);
        };
        return t ^ ((cc & 1) != 0);
    }
}
