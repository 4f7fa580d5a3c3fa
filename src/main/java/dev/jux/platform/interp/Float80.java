package dev.jux.platform.interp;

import java.math.BigInteger;

/**
 * An x87 80-bit extended-precision value exactly as it sits in a register or in memory: 16 bits
 * of sign and biased exponent, and a 64-bit significand with an explicit integer bit.
 */
record Float80(int se, long m) {
    static final Float80 POS_ZERO = new Float80(0, 0);
    /** The "real indefinite" QNaN that invalid operations produce. */
    static final Float80 INDEFINITE = new Float80(0xffff, 0xc000_0000_0000_0000L);
    static final Float80 ONE = new Float80(0x3fff, Long.MIN_VALUE);

    int exponent() {
        return se & 0x7fff;
    }

    boolean negative() {
        return (se & 0x8000) != 0;
    }

    boolean isNaN() {
        return exponent() == 0x7fff && (m << 1) != 0;
    }

    boolean isSnan() {
        return isNaN() && (m & 0x4000_0000_0000_0000L) == 0;
    }

    boolean isInfinite() {
        return exponent() == 0x7fff && (m << 1) == 0;
    }

    boolean isZero() {
        return exponent() == 0 && m == 0;
    }

    boolean isDenormal() {
        return exponent() == 0 && m != 0;
    }

    Float80 quiet() {
        return new Float80(se, m | 0xc000_0000_0000_0000L);
    }

    Float80 negate() {
        return new Float80(se ^ 0x8000, m);
    }

    Float80 abs() {
        return new Float80(se & 0x7fff, m);
    }

    /** The exact value of a finite number. */
    BigFloat toBig() {
        int e = exponent();
        BigInteger sig = new BigInteger(Long.toUnsignedString(m));
        return new BigFloat(negative(), sig, (e == 0 ? 1 : e) - 16383 - 63);
    }

    static Float80 ofDouble(long bits) {
        int sign = bits < 0 ? 0x8000 : 0;
        int e = (int) (bits >>> 52) & 0x7ff;
        long f = bits & 0x000f_ffff_ffff_ffffL;
        if (e == 0x7ff) return new Float80(sign | 0x7fff, Long.MIN_VALUE | (f << 11));
        if (e == 0) {
            if (f == 0) return new Float80(sign, 0);
            int shift = Long.numberOfLeadingZeros(f);
            return new Float80(sign | (1 - 1023 + 16383 - (shift - 11)), f << shift);
        }
        return new Float80(sign | (e - 1023 + 16383), Long.MIN_VALUE | (f << 11));
    }

    static Float80 ofFloat(int bits) {
        int sign = bits < 0 ? 0x8000 : 0;
        int e = (bits >>> 23) & 0xff;
        long f = bits & 0x7f_ffffL;
        if (e == 0xff) return new Float80(sign | 0x7fff, Long.MIN_VALUE | (f << 40));
        if (e == 0) {
            if (f == 0) return new Float80(sign, 0);
            int shift = Long.numberOfLeadingZeros(f);
            return new Float80(sign | (1 - 127 + 16383 - (shift - 40)), f << shift);
        }
        return new Float80(sign | (e - 127 + 16383), Long.MIN_VALUE | (f << 40));
    }

    static Float80 ofLong(long v) {
        if (v == 0) return POS_ZERO;
        int sign = v < 0 ? 0x8000 : 0;
        long mag = v < 0 ? -v : v; // Long.MIN_VALUE stays 2^63 as an unsigned magnitude
        int shift = Long.numberOfLeadingZeros(mag);
        return new Float80(sign | (16383 + 63 - shift), mag << shift);
    }

    // Written out, not the record's own: see docs/design.md, "Start-up".
    @Override
    public boolean equals(Object o) {
        return o instanceof Float80 f && f.se == se && f.m == m;
    }

    @Override
    public int hashCode() {
        return 31 * se + Long.hashCode(m);
    }
}
