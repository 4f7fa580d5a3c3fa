package dev.jux.platform.interp;

import static dev.jux.platform.interp.Flags.*;

/**
 * Group 2 (ROL ROR RCL RCR SHL SHR SAL SAR, by ModRM.reg) and SHLD/SHRD. The count is masked
 * to 5 bits (6 for 64-bit operands) first; a masked count of 0 changes no flags. OF is
 * defined for a count of 1 and AF never; otherwise each vendor has its rule ({@link
 * HostVendor}; the instruction tests check both on their hosts). AMD: SHL/SHR/SAR set AF;
 * OF comes from the result as for a count of 1 (SHL: MSB(result) ^ CF, SHR and ROR: the top
 * two result bits XORed, ROL: MSB(result) ^ CF). Intel: AF cleared; OF is what a shift by 1
 * of the original operand would give (SHL, ROL: its top two bits XORed; SHR: its top bit;
 * ROR: its top and bottom bits XORed; RCL: its top two bits; RCR: its top bit ^ CF), except
 * that ROL and ROR by an immediate count above 1 keep OF (by CL they do not). SAR's OF is 0
 * on both.
 */
final class Shifts {
    static final int ROL = 0, ROR = 1, RCL = 2, RCR = 3, SHL = 4, SHR = 5, SAL = 6, SAR = 7;
    /** Or'ed into {@link #shift}'s operation when the count is an immediate (C0/C1): Intel's ROL/ROR then keep OF. */
    static final int BY_IMMEDIATE = 8;

    private Shifts() {}

    static int maskCount(long count, int size) {
        return (int) count & (size == 8 ? 63 : 31);
    }

    static long shift(Cpu c, int op, long a, int count, int size) {
        boolean immediate = (op & BY_IMMEDIATE) != 0;
        op &= 7;
        int bits = size * 8;
        long m = mask(size);
        a &= m;
        if (count == 0) return a;
        long f = c.rflags;
        long r, cf, of;
        switch (op) {
            case ROL, ROR -> {
                boolean left = op == ROL;
                int n = count % bits;
                if (n == 0) r = a;
                else r = (left ? (a << n) | (a >>> (bits - n)) : (a >>> n) | (a << (bits - n))) & m;
                cf = left ? r & 1 : sign(r, size);
                if (HostVendor.INTEL && immediate && count > 1) of = (f & OF) != 0 ? 1 : 0;
                else if (HostVendor.INTEL) of = left ? topTwo(a, size) : sign(a, size) ^ (a & 1);
                else of = left ? sign(r, size) ^ cf : topTwo(r, size);
                c.rflags = (f & ~(CF | OF)) | cf | (of != 0 ? OF : 0);
                return r;
            }
            case RCL, RCR -> {
                return rotateThroughCarry(c, op == RCL, a, count, size);
            }
            case SHL, SAL -> {
                r = count < 64 ? (a << count) & m : 0;
                cf = count <= bits ? (a >>> (bits - count)) & 1 : 0;
                of = HostVendor.INTEL ? topTwo(a, size) : sign(r, size) ^ cf;
            }
            case SHR -> {
                r = count < 64 ? a >>> count : 0;
                cf = count <= bits ? (a >>> (count - 1)) & 1 : 0;
                of = HostVendor.INTEL ? sign(a, size) : topTwo(r, size);
            }
            default -> { // SAR
                long s = sext(a, size);
                r = (s >> Math.min(count, 63)) & m;
                cf = (s >> Math.min(count - 1, 63)) & 1;
                of = 0;
            }
        }
        c.rflags = (f & ~STATUS) | szp(r, size) | cf | (of != 0 ? OF : 0) | shiftAf();
        return r;
    }

    /** The top two bits of {@code v} XORed: OF of a shift or rotate left by 1 of {@code v}, or of one right by 1 that gave {@code v}. */
    private static long topTwo(long v, int size) {
        return sign(v, size) ^ ((v >>> (size * 8 - 2)) & 1);
    }

    /** AF after a shift by a count that is not 0 (undefined): AMD sets it, Intel clears it. */
    private static long shiftAf() {
        return HostVendor.INTEL ? 0 : AF;
    }

    /** RCL/RCR rotate size*8+1 bits: the operand and CF. */
    private static long rotateThroughCarry(Cpu c, boolean left, long a, int count, int size) {
        int bits = size * 8;
        int n = count % (bits + 1);
        long cfIn = c.rflags & CF;
        if (n == 0 && HostVendor.INTEL) return a;   // a rotate by a multiple of 9 or 17 bits: flags kept too
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
        long of;
        if (HostVendor.INTEL) of = left ? topTwo(a, size) : sign(a, size) ^ cfIn;
        else of = left ? sign(r, size) ^ cf : topTwo(r, size);
        c.rflags = (c.rflags & ~(CF | OF)) | cf | (of != 0 ? OF : 0);
        return r;
    }

    /**
     * SHLD (left) / SHRD: shifts {@code a}, filling from {@code b}. AF and OF as for SHL and
     * SHR on the host's vendor (Intel: SHRD's OF is a's top bit ^ b's bottom bit, what a shift
     * by 1 would give). A 16-bit operand shifted by more than 16 is undefined; the host shifts
     * a 48-bit value as a whole: AMD a:b:b (SHLD) or b:b:a (SHRD), with no carry past 16 and
     * SHLD's OF from the bits of a alone; Intel a:b:a both ways (found by probing the hosts,
     * not documented).
     */
    static long doubleShift(Cpu c, boolean left, long a, long b, int count, int size) {
        int bits = size * 8;
        long m = mask(size);
        a &= m;
        b &= m;
        if (count == 0) return a;
        long r, cf, of;
        if (size == 2) {
            long wide = HostVendor.INTEL ? (a << 32) | (b << 16) | a
                    : left ? (a << 32) | (b << 16) | b : (b << 32) | (b << 16) | a;
            r = left ? (wide << count >>> 32) & m : (wide >>> count) & m;
            cf = (wide >>> (left ? 48 - count : count - 1)) & 1;
            if (count > 16 && !HostVendor.INTEL) cf = 0; // past 16 AMD reports no carry
            if (left && !HostVendor.INTEL) {
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
        if (HostVendor.INTEL) of = left ? topTwo(a, size) : sign(a, size) ^ (b & 1);
        else of = left ? sign(r, size) ^ cf : topTwo(r, size);
        c.rflags = (c.rflags & ~STATUS) | szp(r, size) | cf | (of != 0 ? OF : 0) | shiftAf();
        return r;
    }
}
