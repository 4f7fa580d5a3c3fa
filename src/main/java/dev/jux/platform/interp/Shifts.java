package dev.jux.platform.interp;

import static dev.jux.platform.interp.Flags.*;

/**
 * Group 2 (ROL ROR RCL RCR SHL SHR SAL SAR, by ModRM.reg) and SHLD/SHRD. The count is masked
 * to 5 bits (6 for 64-bit operands) first; a masked count of 0 changes no flags. OF is
 * defined for a count of 1; for larger counts this CPU computes it with the same formula,
 * which is what we do too (checked against the host by the instruction tests).
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
                of = sign(a, size);
            }
            default -> { // SAR
                long s = sext(a, size);
                r = (s >> Math.min(count, 63)) & m;
                cf = (s >> Math.min(count - 1, 63)) & 1;
                of = 0;
            }
        }
        c.rflags = (f & ~STATUS) | szp(r, size) | cf | (of != 0 ? OF : 0);
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

    /** SHLD (left) / SHRD: shifts {@code a}, filling from {@code b}. */
    static long doubleShift(Cpu c, boolean left, long a, long b, int count, int size) {
        int bits = size * 8;
        long m = mask(size);
        a &= m;
        b &= m;
        if (count == 0) return a;
        long r, cf;
        if (size == 2 && count > 16) {
            // Undefined on paper; hardware shifts the 48-bit value dst:src:dst (left) as a whole.
            return doubleShift16Wide(c, left, a, b, count);
        }
        if (left) {
            r = count == bits ? b : ((a << count) | (b >>> (bits - count))) & m;
            cf = (a >>> (bits - count)) & 1;
        } else {
            r = count == bits ? b : ((a >>> count) | (b << (bits - count))) & m;
            cf = (a >>> (count - 1)) & 1;
        }
        long of = sign(r ^ a, size);
        c.rflags = (c.rflags & ~STATUS) | szp(r, size) | cf | (of != 0 ? OF : 0);
        return r;
    }

    private static long doubleShift16Wide(Cpu c, boolean left, long a, long b, int count) {
        long r, cf;
        if (left) {
            long wide = (a << 32) | (b << 16) | a;
            r = (wide << count >>> 32) & 0xffff;
            cf = (wide >>> (48 - count)) & 1;
        } else {
            long wide = (a << 32) | (b << 16) | a;
            r = (wide >>> count) & 0xffff;
            cf = (wide >>> (count - 1)) & 1;
        }
        long of = sign(r ^ a, 2);
        c.rflags = (c.rflags & ~STATUS) | szp(r, 2) | cf | (of != 0 ? OF : 0);
        return r;
    }
}
