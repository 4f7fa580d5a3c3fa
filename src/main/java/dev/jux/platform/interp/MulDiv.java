package dev.jux.platform.interp;

import static dev.jux.platform.interp.Flags.*;

import java.math.BigInteger;

/**
 * MUL, IMUL (one, two and three operands), DIV and IDIV. The one-operand forms use the
 * accumulator pair (AX, DX:AX, EDX:EAX, RDX:RAX). CF = OF = "the high half is significant";
 * SF, ZF, AF and PF are undefined: AMD leaves them unchanged, Intel sets SF and PF from the
 * low half and clears ZF and AF ({@link HostVendor}; checked by the tests on each). DIV/IDIV
 * leave all six undefined; see {@link #divFlags}.
 */
final class MulDiv {
    private MulDiv() {}

    private static void mulFlags(Cpu c, long low, int size, boolean overflow) {
        long f = HostVendor.INTEL ? (c.rflags & ~STATUS) | (szp(low, size) & (SF | PF)) : c.rflags & ~(CF | OF);
        c.rflags = overflow ? f | CF | OF : f;
    }

    /** One-operand MUL: acc * src into the accumulator pair. */
    static void mul(Cpu c, long src, int size) {
        long m = mask(size);
        long a = c.r[Cpu.RAX] & m;
        src &= m;
        long lo, hi;
        if (size == 8) {
            lo = a * src;
            hi = Math.unsignedMultiplyHigh(a, src);
        } else {
            long p = a * src;
            lo = p & m;
            hi = (p >>> (size * 8)) & m;
        }
        storePair(c, size, lo, hi);
        mulFlags(c, lo, size, hi != 0);
    }

    /** One-operand IMUL. */
    static void imul1(Cpu c, long src, int size) {
        long a = sext(c.r[Cpu.RAX], size);
        long s = sext(src, size);
        long lo, hi;
        boolean overflow;
        if (size == 8) {
            lo = a * s;
            hi = Math.multiplyHigh(a, s);
            overflow = hi != (lo >> 63);
        } else {
            long p = a * s;
            lo = p & mask(size);
            hi = (p >> (size * 8)) & mask(size);
            overflow = p != sext(p, size);
        }
        storePair(c, size, lo, hi);
        mulFlags(c, lo, size, overflow);
    }

    /** Two- and three-operand IMUL: the truncated product. */
    static long imul(Cpu c, long a, long b, int size) {
        long x = sext(a, size), y = sext(b, size);
        long p = x * y;
        boolean overflow = size == 8 ? Math.multiplyHigh(x, y) != (p >> 63) : p != sext(p, size);
        long lo = p & mask(size);
        mulFlags(c, lo, size, overflow);
        return lo;
    }

    private static void storePair(Cpu c, int size, long lo, long hi) {
        if (size == 1) {
            c.set(Cpu.RAX, 2, false, (hi << 8) | lo);
        } else {
            c.set(Cpu.RAX, size, false, lo);
            c.set(Cpu.RDX, size, false, hi);
        }
    }

    private static long dividendHigh(Cpu c, int size) {
        return size == 1 ? (c.r[Cpu.RAX] >>> 8) & 0xff : c.r[Cpu.RDX] & mask(size);
    }

    /** DIV: #DE for a zero divisor or a quotient too wide for the operand size (flags unchanged then). */
    static void div(Cpu c, long src, int size) {
        long m = mask(size);
        src &= m;
        if (src == 0) throw CpuFault.de();
        long lo = c.r[Cpu.RAX] & m, hi = dividendHigh(c, size);
        long q, r;
        if (size == 8) {
            if (hi == 0) {
                q = Long.divideUnsigned(lo, src);
                r = Long.remainderUnsigned(lo, src);
            } else {
                if (Long.compareUnsigned(hi, src) >= 0) throw CpuFault.de();
                BigInteger[] qr = wide(hi, lo, false).divideAndRemainder(unsigned(src));
                q = qr[0].longValue();
                r = qr[1].longValue();
            }
        } else {
            long n = (hi << (size * 8)) | lo;
            q = Long.divideUnsigned(n, src);
            r = Long.remainderUnsigned(n, src);
            if ((q & ~m) != 0) throw CpuFault.de();
        }
        storeQuotient(c, size, q, r);
        c.rflags = divFlags(c.rflags);
    }

    static void idiv(Cpu c, long src, int size) {
        long s = sext(src, size);
        if (s == 0) throw CpuFault.de();
        long lo = c.r[Cpu.RAX] & mask(size), hi = dividendHigh(c, size);
        long q, r;
        if (size == 8) {
            if (hi == (lo >> 63)) { // the dividend fits in 64 bits
                if (lo == Long.MIN_VALUE && s == -1) throw CpuFault.de();
                q = lo / s;
                r = lo % s;
            } else {
                BigInteger[] qr = wide(hi, lo, true).divideAndRemainder(BigInteger.valueOf(s));
                if (qr[0].bitLength() > 63) throw CpuFault.de();
                q = qr[0].longValue();
                r = qr[1].longValue();
            }
        } else {
            long n = sext((hi << (size * 8)) | lo, size * 2);
            q = n / s; // n fits in 64 bits, s != 0, and n / -1 cannot overflow here
            r = n % s;
            if (q != sext(q, size)) throw CpuFault.de();
        }
        storeQuotient(c, size, q & mask(size), r & mask(size));
        c.rflags = divFlags(c.rflags);
    }

    /**
     * The flags DIV/IDIV leave undefined, as the host's vendor sets them whatever the
     * operands: AMD keeps CF and OF, sets AF and clears SF ZF PF; Intel keeps all six.
     */
    static long divFlags(long f) {
        return HostVendor.INTEL ? f : (f & ~STATUS) | (f & (CF | OF)) | AF;
    }

    private static void storeQuotient(Cpu c, int size, long q, long r) {
        if (size == 1) {
            c.set(Cpu.RAX, 2, false, ((r & 0xff) << 8) | (q & 0xff));
        } else {
            c.set(Cpu.RAX, size, false, q);
            c.set(Cpu.RDX, size, false, r);
        }
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    private static BigInteger wide(long hi, long lo, boolean signed) {
        BigInteger h = signed ? BigInteger.valueOf(hi) : unsigned(hi);
        return h.shiftLeft(64).or(unsigned(lo));
    }
}
