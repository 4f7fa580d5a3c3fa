package dev.jux.platform.interp;

import static dev.jux.platform.interp.Flags.*;

/**
 * Group 2 (ROL ROR RCL RCR SHL SHR SAL SAR, by ModRM.reg) and SHLD/SHRD. The count is masked
 * to 5 bits (6 for 64-bit operands) first; a masked count of 0 changes no flags. OF is
 * defined for a count of 1 and AF never; what the host CPU (AMD) does otherwise, and what we
 * do (the instruction tests check it): SHL/SHR/SAR set AF; SHL's OF is MSB(result) ^ CF and
 * SHR's is the top two result bits XORed, for every count.
 */
final class Shifts {
    static final int ROL = 0, ROR = 1, RCL = 2, RCR = 3, SHL = 4, SHR = 5, SAL = 6, SAR = 7;

    private Shifts() {}

    static int maskCount(long count, int size) {
        return (int) count & (size == 8 ? 63 : 31);
    }

    static long shift(Cpu c, int op, long a, int count, int size) {
        int bits = size * 8;
        long m = mask(size);
        a &= m;
        if (count == 0) return a;
        long f = c.rflags;
        long r, cf, of;
        switch (op) {
            case ROL -> {
                int n = count % bits;
                r = n == 0 ? a : ((a << n) | (a >>> (bits - n))) & m;
                cf = r & 1;
                of = sign(r, size) ^ cf;
                c.rflags = (f & ~(CF | OF)) | cf | (of != 0 ? OF : 0);
                return r;
            }
            case ROR -> {
                int n = count % bits;
                r = n == 0 ? a : ((a >>> n) | (a << (bits - n))) & m;
                cf = sign(r, size);
                of = cf ^ ((r >>> (bits - 2)) & 1);
                c.rflags = (f & ~(CF | OF)) | cf | (of != 0 ? OF : 0);
                return r;
            }
            case RCL, RCR -> {
                return rotateThroughCarry(c, op == RCL, a, count, size);
            }
            case SHL, SAL -> {
                r = count < 64 ? (a << count) & m : 0;
                cf = count <= bits ? (a >>> (bits - count)) & 1 : 0;
                of = sign(r, size) ^ cf;
            }
            case SHR -> {
                r = count < 64 ? a >>> count : 0;
                cf = count <= bits ? (a >>> (count - 1)) & 1 : 0;
                of = sign(r, size) ^ ((r >>> (bits - 2)) & 1);
            }
            default -> { // SAR
                long s = sext(a, size);
                r = (s >> Math.min(count, 63)) & m;
                cf = (s >> Math.min(count - 1, 63)) & 1;
                of = 0;
            }
        }
        c.rflags = (f & ~STATUS) | szp(r, size) | cf | (of != 0 ? OF : 0) | AF;
        return r;
    }

    /** RCL/RCR rotate size*8+1 bits: the operand and CF. */
    private static long rotateThroughCarry(Cpu c, boolean left, long a, int count, int size) {
        int bits = size * 8;
        int n = count % (bits + 1);
        long cfIn = c.rflags & CF;
        long r = a, cf = cfIn;
        // A bit at a time is plenty: RCL/RCR are rare and the count is small.
        for (int i = 0; i < n; i++) {
            if (left) {
                long out = sign(r, size);
                r = ((r << 1) | cf) & mask(size);
                cf = out;
            } else {
                long out = r & 1;
                r = (r >>> 1) | (cf << (bits - 1));
                cf = out;
            }
        }
        long of = left ? sign(r, size) ^ cf : sign(r, size) ^ ((r >>> (bits - 2)) & 1);
        c.rflags = (c.rflags & ~(CF | OF)) | cf | (of != 0 ? OF : 0);
        return r;
    }

    /**
     * SHLD (left) / SHRD: shifts {@code a}, filling from {@code b}. AF is set and OF follows
     * SHL's and SHR's rules, as on the host CPU. A 16-bit operand shifted by more than 16 is
     * undefined; the host shifts the 48-bit value a:b:b (SHLD) or b:b:a (SHRD) as a whole,
     * and SHLD's flags follow the rules below (found by probing the host, not documented).
     */
    static long doubleShift(Cpu c, boolean left, long a, long b, int count, int size) {
        int bits = size * 8;
        long m = mask(size);
        a &= m;
        b &= m;
        if (count == 0) return a;
        long r, cf, of;
        if (size == 2) {
            long wide = left ? (a << 32) | (b << 16) | b : (b << 32) | (b << 16) | a;
            r = left ? (wide << count >>> 32) & m : (wide >>> count) & m;
            cf = (wide >>> (left ? 48 - count : count - 1)) & 1;
            if (count > 16) cf = 0; // past 16 the host reports no carry
            if (left) {
                // and SHLD's OF comes from the bits of a alone.
                c.rflags = (c.rflags & ~STATUS) | szp(r, size) | cf | AF
                        | ((cf ^ sign(count < 64 ? a << count : 0, size)) != 0 ? OF : 0);
                return r;
            }
        } else if (left) {
            r = ((a << count) | (b >>> (bits - count))) & m;
            cf = (a >>> (bits - count)) & 1;
        } else {
            r = ((a >>> count) | (b << (bits - count))) & m;
            cf = (a >>> (count - 1)) & 1;
        }
        of = left ? sign(r, size) ^ cf : sign(r, size) ^ ((r >>> (bits - 2)) & 1);
        c.rflags = (c.rflags & ~STATUS) | szp(r, size) | cf | (of != 0 ? OF : 0) | AF;
        return r;
    }
}
