package dev.jux.platform.interp;

import java.math.BigInteger;

/**
 * Exact binary arithmetic for the cases where Java's round-to-nearest float and double
 * operations are not enough: directed rounding modes, the x87's 64-bit significand and its
 * precision control. A value is {@code (-1)^neg * sig * 2^exp}, exact; {@link #round} rounds it
 * into a binary format under a rounding mode and reports IEEE's inexact, overflow and underflow
 * (tininess detected after rounding, as x86 does).
 */
record BigFloat(boolean neg, BigInteger sig, int exp) {
    /** A binary format: significand bits (with the integer bit) and the normal exponent range. */
    record Format(int precision, int emin, int emax) {
        int minLsb() {
            return emin - (precision - 1);
        }
    }

    static final Format SINGLE = new Format(24, -126, 127);
    static final Format DOUBLE = new Format(53, -1022, 1023);
    static final Format EXTENDED = new Format(64, -16382, 16383);

    /** A rounded value {@code sig * 2^lsb} (sig fits the format), or infinity; flags as Mxcsr bits. */
    record Rounded(boolean neg, long sig, int lsb, boolean infinite, int flags) {
        boolean isZero() {
            return !infinite && sig == 0;
        }

        double toDouble() {
            long s = neg ? Long.MIN_VALUE : 0;
            if (infinite) return Double.longBitsToDouble(s | 0x7ff0_0000_0000_0000L);
            if (sig == 0) return Double.longBitsToDouble(s);
            int top = lsb + 63 - Long.numberOfLeadingZeros(sig);
            if (top < -1022) return Double.longBitsToDouble(s | (sig << (lsb + 1074)));
            long mant = (sig << (52 - (top - lsb))) & 0x000f_ffff_ffff_ffffL;
            return Double.longBitsToDouble(s | ((long) (top + 1023) << 52) | mant);
        }

        float toFloat() {
            int s = neg ? Integer.MIN_VALUE : 0;
            if (infinite) return Float.intBitsToFloat(s | 0x7f80_0000);
            if (sig == 0) return Float.intBitsToFloat(s);
            int top = lsb + 63 - Long.numberOfLeadingZeros(sig);
            if (top < -126) return Float.intBitsToFloat(s | (int) (sig << (lsb + 149)));
            int mant = (int) (sig << (23 - (top - lsb))) & 0x7f_ffff;
            return Float.intBitsToFloat(s | ((top + 127) << 23) | mant);
        }

        Float80 toFloat80() {
            int s = neg ? 0x8000 : 0;
            if (infinite) return new Float80(s | 0x7fff, Long.MIN_VALUE);
            if (sig == 0) return new Float80(s, 0);
            int top = lsb + 63 - Long.numberOfLeadingZeros(sig);
            if (top < -16382) return new Float80(s, sig << (lsb + 16445));
            return new Float80(s | (top + 16383), sig << (63 - (top - lsb)));
        }
    }

    static final BigFloat ZERO = new BigFloat(false, BigInteger.ZERO, 0);

    static BigFloat of(double d) {
        long bits = Double.doubleToRawLongBits(d);
        int e = (int) (bits >>> 52) & 0x7ff;
        long m = bits & 0x000f_ffff_ffff_ffffL;
        if (e != 0) m |= 1L << 52;
        else e = 1;
        return new BigFloat(bits < 0, BigInteger.valueOf(m), e - 1075);
    }

    static BigFloat of(float f) {
        return of((double) f);  // exact, finite values only
    }

    /** A signed 64-bit integer, or an unsigned one when {@code unsigned}. */
    static BigFloat ofLong(long v, boolean unsigned) {
        if (unsigned || v >= 0) {
            BigInteger b = unsigned ? new BigInteger(Long.toUnsignedString(v)) : BigInteger.valueOf(v);
            return new BigFloat(false, b, 0);
        }
        return new BigFloat(true, BigInteger.valueOf(v).negate(), 0);
    }

    boolean isZero() {
        return sig.signum() == 0;
    }

    BigFloat negate() {
        return new BigFloat(!neg, sig, exp);
    }

    /**
     * The exact sum. A zero sum of opposite signs is +0, or -0 when rounding down (IEEE 754);
     * an addend far below the other's last bit is kept only as a sticky bit.
     */
    static BigFloat add(BigFloat a, BigFloat b, int rc) {
        if (a.isZero() && b.isZero()) return new BigFloat(a.neg == b.neg ? a.neg : rc == Mxcsr.DOWN, BigInteger.ZERO, 0);
        if (a.isZero()) return b;
        if (b.isZero()) return a;
        if (a.exp < b.exp) {
            BigFloat t = a;
            a = b;
            b = t;
        }
        BigInteger bs = b.sig;
        int bexp = b.exp;
        int aTop = a.exp + a.sig.bitLength(), bTop = b.exp + b.sig.bitLength();
        if (aTop - bTop > 200 && a.exp - b.exp > 200) {
            // b is far below a's last bit: only its sign matters for rounding (a sticky bit).
            bs = BigInteger.ONE;
            bexp = a.exp - 200;
        }
        BigInteger as = a.sig.shiftLeft(a.exp - bexp);
        BigInteger x = a.neg ? as.negate() : as;
        BigInteger y = b.neg ? bs.negate() : bs;
        BigInteger s = x.add(y);
        if (s.signum() == 0) return new BigFloat(rc == Mxcsr.DOWN, BigInteger.ZERO, 0);
        return new BigFloat(s.signum() < 0, s.abs(), bexp);
    }

    static BigFloat mul(BigFloat a, BigFloat b) {
        return new BigFloat(a.neg != b.neg, a.sig.multiply(b.sig), a.exp + b.exp);
    }

    /** The quotient to {@code bits} significant bits plus a sticky bit (enough to round to fewer). */
    static BigFloat div(BigFloat a, BigFloat b, int bits) {
        int k = Math.max(0, bits + 2 + b.sig.bitLength() - a.sig.bitLength());
        BigInteger[] qr = a.sig.shiftLeft(k).divideAndRemainder(b.sig);
        BigInteger q = qr[0].shiftLeft(1);
        if (qr[1].signum() != 0) q = q.setBit(0);
        return new BigFloat(a.neg != b.neg, q, a.exp - b.exp - k - 1);
    }

    /** The square root of a non-negative value to {@code bits} bits plus a sticky bit. */
    static BigFloat sqrt(BigFloat a, int bits) {
        if (a.isZero()) return a;
        int k = Math.max(0, 2 * (bits + 2) - a.sig.bitLength());
        if (((a.exp - k) & 1) != 0) k++;
        BigInteger v = a.sig.shiftLeft(k);
        BigInteger r = v.sqrt();
        BigInteger q = r.shiftLeft(1);
        if (!r.multiply(r).equals(v)) q = q.setBit(0);
        return new BigFloat(a.neg, q, (a.exp - k) / 2 - 1);
    }

    /** Rounds to {@code f} with only {@code precision} significand bits (x87 precision control). */
    Rounded round(Format f, int precision, int rc) {
        if (isZero()) return new Rounded(neg, 0, 0, false, 0);
        int n = sig.bitLength();
        int top = exp + n - 1;
        int lsb = Math.max(top - (precision - 1), f.emin() - (precision - 1));
        int shift = lsb - exp;
        BigInteger q;
        boolean inexact = false;
        if (shift > 0) {
            q = sig.shiftRight(shift);
            boolean half = sig.testBit(shift - 1);
            boolean sticky = sig.getLowestSetBit() < shift - 1;
            inexact = half || sticky;
            boolean up = switch (rc) {
                case Mxcsr.NEAREST -> half && (sticky || q.testBit(0));
                case Mxcsr.DOWN -> neg && inexact;
                case Mxcsr.UP -> !neg && inexact;
                default -> false;
            };
            if (up) q = q.add(BigInteger.ONE);
            if (q.bitLength() > precision) {
                q = q.shiftRight(1);
                lsb++;
            }
        } else {
            q = sig.shiftLeft(-shift);
        }
        int flags = inexact ? Mxcsr.PE : 0;
        if (q.signum() != 0 && lsb + q.bitLength() - 1 > f.emax()) {
            boolean toInfinity = rc == Mxcsr.NEAREST || (rc == Mxcsr.DOWN && neg) || (rc == Mxcsr.UP && !neg);
            flags = Mxcsr.OE | Mxcsr.PE;
            if (toInfinity) return new Rounded(neg, 0, 0, true, flags);
            return new Rounded(neg, (precision == 64 ? -1L : (1L << precision) - 1), f.emax() - (precision - 1), false, flags);
        }
        // Tiny after rounding: the result rounded with an unbounded exponent would be below emin.
        if (inexact && top < f.emin()) {
            boolean stillTiny = true;
            if (top == f.emin() - 1) {
                // Rounded to the format's precision without the exponent floor: does it reach emin?
                int s2 = top - (precision - 1) - exp;
                if (s2 > 0) {
                    BigInteger q2 = sig.shiftRight(s2);
                    boolean h2 = sig.testBit(s2 - 1), st2 = sig.getLowestSetBit() < s2 - 1;
                    boolean up2 = switch (rc) {
                        case Mxcsr.NEAREST -> h2 && (st2 || q2.testBit(0));
                        case Mxcsr.DOWN -> neg;
                        case Mxcsr.UP -> !neg;
                        default -> false;
                    };
                    if (up2 && q2.add(BigInteger.ONE).bitLength() > precision) stillTiny = false;
                }
            }
            if (stillTiny) flags |= Mxcsr.UE;
        }
        return new Rounded(neg, q.longValue(), lsb, false, flags);
    }

    Rounded round(Format f, int rc) {
        return round(f, f.precision(), rc);
    }
}
