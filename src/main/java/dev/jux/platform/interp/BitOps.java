package dev.jux.platform.interp;

import static dev.jux.platform.interp.Flags.*;

/**
 * Bit scans and counts: BSF, BSR, TZCNT, LZCNT, POPCNT, and the flag side of BT/BTS/BTR/BTC.
 * Where flags are undefined the choices mirror this host's CPU (see the instruction tests).
 */
final class BitOps {
    static final int BT = 0, BTS = 1, BTR = 2, BTC = 3;

    private BitOps() {}

    /** Applies BT/BTS/BTR/BTC to {@code value}; sets CF from the old bit and returns the new value. */
    static long bitTest(Cpu c, int op, long value, int bit) {
        long cf = (value >>> bit) & 1;
        c.rflags = (c.rflags & ~CF) | cf;
        return switch (op) {
            case BTS -> value | (1L << bit);
            case BTR -> value & ~(1L << bit);
            case BTC -> value ^ (1L << bit);
            default -> value;
        };
    }

    /**
     * BSF/BSR: ZF says the source was zero, and then the destination keeps its old value
     * ({@code old}), as AMD documents and Intel does. Returns the value to write back.
     */
    static long bsf(Cpu c, long src, long old, int size, boolean reverse) {
        src &= mask(size);
        if (src == 0) {
            c.rflags = (c.rflags & ~STATUS) | ZF | bitScanZeroFlags(c.rflags);
            return old;
        }
        long r = reverse ? 63 - Long.numberOfLeadingZeros(src) : Long.numberOfTrailingZeros(src);
        c.rflags = (c.rflags & ~STATUS) | bitScanFlags(r, size);
        return r;
    }

    /** Undefined flags of BSF/BSR with a zero source. */
    static long bitScanZeroFlags(long before) {
        return PF;
    }

    /** Undefined flags of BSF/BSR with a nonzero source: computed from the result. */
    static long bitScanFlags(long r, int size) {
        return szp(r, size) & ~ZF;
    }

    /** TZCNT/LZCNT: CF = source was zero, ZF = result is zero; SF, AF, PF cleared, OF kept (AMD) or cleared (Intel). */
    static long count(Cpu c, long src, int size, boolean leading) {
        src &= mask(size);
        int bits = size * 8;
        long r;
        if (src == 0) r = bits;
        else if (leading) r = Long.numberOfLeadingZeros(src) - (64 - bits);
        else r = Long.numberOfTrailingZeros(src);
        long f = c.rflags & ~(HostVendor.INTEL ? STATUS : STATUS & ~OF);
        if (src == 0) f |= CF;
        if (r == 0) f |= ZF;
        c.rflags = f;
        return r;
    }

    /** POPCNT: ZF = source was zero; every other status flag cleared. */
    static long popcnt(Cpu c, long src, int size) {
        src &= mask(size);
        c.rflags = (c.rflags & ~STATUS) | (src == 0 ? ZF : 0);
        return Long.bitCount(src);
    }
}
