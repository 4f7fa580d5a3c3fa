package dev.jux.platform.interp;

/** Out-of-line helpers that translated blocks call. */
public final class JitSupport {
    private JitSupport() {}

    /**
     * The store of a read-modify-write whose flags are already in RFLAGS: if it faults (a
     * read-only or copy-on-write page), RFLAGS goes back to what it was before the
     * instruction, so the instruction can be restarted after the kernel handles the fault.
     */
    public static void storeRestoringFlags(Memory m, Cpu c, long addr, int size, long v, long flagsBefore) {
        try {
            m.write(addr, size, v);
        } catch (CpuFault f) {
            c.rflags = flagsBefore;
            throw f;
        }
    }

    /** Flags.condition(cc) of the flags a SUB/CMP of {@code a} and {@code b} would set (cc not O/NO/P/NP). */
    public static boolean subCondition(long a, long b, int size, int cc) {
        long m = Flags.mask(size);
        a &= m;
        b &= m;
        int sh = 64 - 8 * size;
        boolean t = switch (cc >> 1) {
            case 1 -> Long.compareUnsigned(a, b) < 0;
            case 2 -> a == b;
            case 3 -> Long.compareUnsigned(a, b) <= 0;
            case 4 -> ((a - b) << sh) < 0;
            case 6 -> (a << sh) < (b << sh);
            case 7 -> (a << sh) <= (b << sh);
            default -> throw new IllegalArgumentException("condition " + cc);
        };
        return t ^ ((cc & 1) != 0);
    }

    /** Flags.condition(cc) of the flags an AND/TEST of {@code a} and {@code b} would set (CF = OF = 0). */
    public static boolean andCondition(long a, long b, int size, int cc) {
        long r = a & b & Flags.mask(size);
        boolean sign = (r << (64 - 8 * size)) < 0;
        boolean t = switch (cc >> 1) {
            case 1 -> false;
            case 2, 3 -> r == 0;
            case 4, 6 -> sign;
            case 7 -> r == 0 || sign;
            default -> throw new IllegalArgumentException("condition " + cc);
        };
        return t ^ ((cc & 1) != 0);
    }
}
