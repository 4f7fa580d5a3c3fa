package dev.jux.platform.interp;

import java.math.BigInteger;

/**
 * x87 arithmetic on {@link Float80} values, exact then rounded per the control word's precision
 * and rounding fields (through {@link BigFloat}), with the x87's NaN rules and exception flags.
 * C1 reports whether the last rounding went up in magnitude, as the FPU does.
 */
final class X87Math {
    static final int ADD = 0, MUL = 1, SUB = 4, SUBR = 5, DIV = 6, DIVR = 7;

    private final X87 f;

    X87Math(X87 f) {
        this.f = f;
    }

    /** Two NaN operands: the larger significand wins (a QNaN over an SNaN); the result is quiet. */
    Float80 nan(Float80 a, Float80 b) {
        if (a.isSnan() || b.isSnan()) f.raise(X87.IE);
        if (!a.isNaN()) return b.quiet();
        if (!b.isNaN()) return a.quiet();
        if (a.isSnan() != b.isSnan()) return a.isSnan() ? b.quiet() : a.quiet();
        return Long.compareUnsigned(a.m() | 0xc000_0000_0000_0000L, b.m() | 0xc000_0000_0000_0000L) >= 0 ? a.quiet() : b.quiet();
    }

    void denormals(Float80 a, Float80 b) {
        if (a.isDenormal() || b.isDenormal()) f.raise(X87.DE);
    }

    /** Rounds per RC and PC: precision control applies to + - * / and sqrt only. */
    Float80 round(BigFloat v) {
        BigFloat.Rounded r = v.round(BigFloat.EXTENDED, f.precision(), f.roundingMode());
        return rounded(v, r);
    }

    /** Rounds per RC to the full 64 bits (FRNDINT, FSCALE, FXTRACT, FPREM ignore PC). */
    Float80 round64(BigFloat v) {
        return rounded(v, v.round(BigFloat.EXTENDED, 64, f.roundingMode()));
    }

    /** C1 after a rounding: set when the result's magnitude exceeds the exact value's. */
    void roundedUp(boolean up) {
        if (up) f.sw |= X87.C1;
        else f.sw &= ~X87.C1;
    }

    static boolean magnitudeAbove(BigFloat result, BigFloat exact) {
        if (result.isZero() || exact.isZero()) return !result.isZero();
        int e = Math.min(result.exp(), exact.exp());
        return result.sig().shiftLeft(result.exp() - e).compareTo(exact.sig().shiftLeft(exact.exp() - e)) > 0;
    }

    private Float80 rounded(BigFloat v, BigFloat.Rounded r) {
        f.raise(r.flags());
        Float80 out = r.toFloat80();
        if (r.infinite()) roundedUp((r.flags() & Mxcsr.OE) != 0);
        else roundedUp((r.flags() & Mxcsr.PE) != 0 && magnitudeAbove(out.toBig(), v));
        return out;
    }

    Float80 arith(int op, Float80 a, Float80 b) {
        if (op == SUBR || op == DIVR) {
            Float80 t = a;
            a = b;
            b = t;
            op = op == SUBR ? SUB : DIV;
        }
        if (a.isNaN() || b.isNaN()) return nan(a, b);
        boolean ai = a.isInfinite(), bi = b.isInfinite();
        switch (op) {
            case ADD, SUB -> {
                boolean bneg = b.negative() ^ (op == SUB);
                if (ai && bi && a.negative() != bneg) return invalid();
                denormals(a, b);
                if (ai) return a;
                if (bi) return op == SUB ? b.negate() : b;
                BigFloat x = a.toBig(), y = op == SUB ? b.toBig().negate() : b.toBig();
                return round(BigFloat.add(x, y, f.roundingMode()));
            }
            case MUL -> {
                if ((ai && b.isZero()) || (bi && a.isZero())) return invalid();
                denormals(a, b);
                int sign = (a.se() ^ b.se()) & 0x8000;
                if (ai || bi) return new Float80(sign | 0x7fff, Long.MIN_VALUE);
                return round(BigFloat.mul(a.toBig(), b.toBig()));
            }
            default -> {
                if ((ai && bi) || (a.isZero() && b.isZero())) return invalid();
                int sign = (a.se() ^ b.se()) & 0x8000;
                if (ai) return new Float80(sign | 0x7fff, Long.MIN_VALUE);
                if (bi) return new Float80(sign, 0);
                denormals(a, b);
                if (b.isZero()) {
                    f.raise(X87.ZE);
                    return new Float80(sign | 0x7fff, Long.MIN_VALUE);
                }
                return round(BigFloat.div(a.toBig(), b.toBig(), 68));
            }
        }
    }

    Float80 invalid() {
        f.raise(X87.IE);
        return Float80.INDEFINITE;
    }

    Float80 sqrt(Float80 a) {
        if (a.isNaN()) return nan(a, a);
        if (a.isZero()) return a;
        if (a.negative()) return invalid();
        if (a.isInfinite()) return a;
        denormals(a, a);
        return round(BigFloat.sqrt(a.toBig(), 68));
    }

    /** The value rounded to an integer per {@code rc} (exact), or null for NaN/infinity. */
    static BigInteger toInteger(Float80 a, int rc, boolean[] inexact) {
        if (a.isNaN() || a.isInfinite()) return null;
        BigFloat v = a.toBig();
        BigInteger mag;
        if (v.exp() >= 0) {
            mag = v.sig().shiftLeft(v.exp());
        } else {
            int sh = -v.exp();
            mag = v.sig().shiftRight(sh);
            boolean half = sh <= v.sig().bitLength() && v.sig().testBit(sh - 1);
            boolean sticky = v.sig().signum() != 0 && v.sig().getLowestSetBit() < sh - 1;
            inexact[0] = half || sticky;
            boolean up = switch (rc) {
                case Mxcsr.NEAREST -> half && (sticky || mag.testBit(0));
                case Mxcsr.DOWN -> v.neg() && inexact[0];
                case Mxcsr.UP -> !v.neg() && inexact[0];
                default -> false;
            };
            if (up) mag = mag.add(BigInteger.ONE);
        }
        return v.neg() ? mag.negate() : mag;
    }

    /** FRNDINT. */
    Float80 roundToInteger(Float80 a) {
        if (a.isNaN()) return nan(a, a);
        if (a.isInfinite() || a.isZero()) return a;
        denormals(a, a);
        boolean[] inexact = {false};
        BigInteger i = toInteger(a, f.roundingMode(), inexact);
        Float80 out = i.signum() == 0 ? new Float80(a.se() & 0x8000, 0) : round64(new BigFloat(i.signum() < 0, i.abs(), 0));
        if (inexact[0]) f.raise(X87.PE);
        roundedUp(inexact[0] && magnitudeAbove(new BigFloat(false, i.abs(), 0), a.toBig()));
        return out;
    }

    /** FSCALE: ST0 * 2^trunc(ST1). */
    Float80 scale(Float80 a, Float80 b) {
        if (a.isNaN() || b.isNaN()) return nan(a, b);
        if (b.isInfinite()) {
            if (b.negative() ? a.isInfinite() : a.isZero()) return invalid();
            if (a.isZero() || a.isInfinite()) return a;
            return b.negative() ? new Float80(a.se() & 0x8000, 0) : new Float80((a.se() & 0x8000) | 0x7fff, Long.MIN_VALUE);
        }
        if (a.isZero() || a.isInfinite()) return a;
        denormals(a, b);
        BigInteger n = toInteger(b, Mxcsr.ZERO, new boolean[1]);
        int k = n.bitLength() > 20 ? (n.signum() < 0 ? -70000 : 70000) : n.intValue();
        BigFloat v = a.toBig();
        return round64(new BigFloat(v.neg(), v.sig(), v.exp() + k));
    }

    /**
     * FPREM (truncating quotient) and FPREM1 (nearest). With an exponent difference of 64 or
     * more the reduction is partial: C2 set, the caller loops (the amount, 32 bits at a time less
     * than the difference, is this CPU's choice; the final remainder is the same).
     */
    Float80 remainder(Float80 a, Float80 b, boolean ieee) {
        f.sw &= ~(X87.C0 | X87.C1 | X87.C2 | X87.C3);
        if (a.isNaN() || b.isNaN()) return nan(a, b);
        if (a.isInfinite() || b.isZero()) return invalid();
        if (b.isInfinite() || a.isZero()) return a;
        denormals(a, b);
        BigFloat x = a.toBig(), y = b.toBig();
        int ex = x.exp() + x.sig().bitLength(), ey = y.exp() + y.sig().bitLength();
        int lowExp = Math.min(x.exp(), y.exp());
        BigInteger xs = x.sig().shiftLeft(x.exp() - lowExp), ys = y.sig().shiftLeft(y.exp() - lowExp);
        if (ex - ey >= 64) {
            // Partial: reduce by ST1 * 2^drop with drop the largest multiple of 32 below D - 31
            // (this CPU's choice, as the host's AMD does it).
            int drop = (ex - ey - 32) / 32 * 32;
            BigInteger q = xs.divide(ys.shiftLeft(drop));
            BigInteger r = xs.subtract(q.multiply(ys).shiftLeft(drop));
            f.sw |= X87.C2;
            return exactResult(x.neg(), r, lowExp, a);
        }
        BigInteger[] qr = xs.divideAndRemainder(ys);
        BigInteger q = qr[0], r = qr[1];
        if (ieee) {
            int c = r.shiftLeft(1).compareTo(ys);
            if (c > 0 || (c == 0 && q.testBit(0))) {
                q = q.add(BigInteger.ONE);
                r = r.subtract(ys);
            }
        }
        int ql = q.intValue();
        if ((ql & 1) != 0) f.sw |= X87.C1;
        if ((ql & 2) != 0) f.sw |= X87.C3;
        if ((ql & 4) != 0) f.sw |= X87.C0;
        boolean neg = x.neg() ^ (r.signum() < 0);
        return exactResult(neg, r.abs(), lowExp, a);
    }

    private Float80 exactResult(boolean neg, BigInteger mag, int exp, Float80 a) {
        if (mag.signum() == 0) return new Float80(a.se() & 0x8000, 0);
        int save = f.sw & (X87.C0 | X87.C1 | X87.C3 | X87.C2);
        BigFloat.Rounded r = new BigFloat(neg, mag, exp).round(BigFloat.EXTENDED, 64, f.roundingMode());
        f.raise(r.flags() & Mxcsr.UE);
        f.sw = (f.sw & ~(X87.C0 | X87.C1 | X87.C3 | X87.C2)) | save;
        return r.toFloat80();
    }

    /** FXTRACT: the unbiased exponent (as a value) and the significand scaled to [1, 2). */
    Float80[] extract(Float80 a) {
        if (a.isNaN()) {
            Float80 q = nan(a, a);
            return new Float80[] {q, q};
        }
        if (a.isZero()) {
            f.raise(X87.ZE);
            return new Float80[] {new Float80(0xffff, Long.MIN_VALUE), a};
        }
        if (a.isInfinite()) return new Float80[] {new Float80(0x7fff, Long.MIN_VALUE), a};
        denormals(a, a);
        BigFloat v = a.toBig();
        int e = v.exp() + v.sig().bitLength() - 1;
        Float80 sig = new BigFloat(v.neg(), v.sig(), -(v.sig().bitLength() - 1)).round(BigFloat.EXTENDED, 64, 0).toFloat80();
        return new Float80[] {Float80.ofLong(e), sig};
    }

    /** Compare: -1 less, 0 equal, 1 greater, 2 unordered. SNaN always raises IE; QNaN too unless unordered-quiet. */
    int compare(Float80 a, Float80 b, boolean quiet) {
        if (a.isNaN() || b.isNaN()) {
            if (!quiet || a.isSnan() || b.isSnan()) f.raise(X87.IE);
            return 2;
        }
        denormals(a, b);
        if (a.isZero() && b.isZero()) return 0;
        if (a.isInfinite() || b.isInfinite()) {
            int av = a.isInfinite() ? (a.negative() ? -1 : 1) : 0, bv = b.isInfinite() ? (b.negative() ? -1 : 1) : 0;
            if (av != bv) return Integer.compare(av, bv);
            if (a.isInfinite() && b.isInfinite()) return 0;
        }
        BigFloat d = BigFloat.add(a.toBig(), b.toBig().negate(), 0);
        return d.isZero() ? 0 : d.neg() ? -1 : 1;
    }

    /** Rounds to a float or double for FST m32/m64. */
    long toDoubleBits(Float80 a) {
        if (a.isNaN()) {
            if (a.isSnan()) f.raise(X87.IE);
            long sign = a.negative() ? Long.MIN_VALUE : 0;
            return sign | 0x7ff8_0000_0000_0000L | ((a.m() >>> 11) & 0x000f_ffff_ffff_ffffL);
        }
        if (a.isInfinite()) return a.negative() ? 0xfff0_0000_0000_0000L : 0x7ff0_0000_0000_0000L;
        if (a.isZero()) return a.negative() ? Long.MIN_VALUE : 0;
        denormals(a, a);
        BigFloat v = a.toBig();
        BigFloat.Rounded r = v.round(BigFloat.DOUBLE, f.roundingMode());
        f.raise(r.flags());
        double out = r.toDouble();
        roundedUp(Double.isInfinite(out) ? (r.flags() & Mxcsr.OE) != 0
                : (r.flags() & Mxcsr.PE) != 0 && out != 0 && magnitudeAbove(BigFloat.of(out), v));
        return Double.doubleToRawLongBits(out);
    }

    int toFloatBits(Float80 a) {
        if (a.isNaN()) {
            if (a.isSnan()) f.raise(X87.IE);
            int sign = a.negative() ? Integer.MIN_VALUE : 0;
            return sign | 0x7fc0_0000 | (int) ((a.m() >>> 40) & 0x7f_ffff);
        }
        if (a.isInfinite()) return a.negative() ? 0xff80_0000 : 0x7f80_0000;
        if (a.isZero()) return a.negative() ? Integer.MIN_VALUE : 0;
        denormals(a, a);
        BigFloat v = a.toBig();
        BigFloat.Rounded r = v.round(BigFloat.SINGLE, f.roundingMode());
        f.raise(r.flags());
        float out = r.toFloat();
        roundedUp(Float.isInfinite(out) ? (r.flags() & Mxcsr.OE) != 0
                : (r.flags() & Mxcsr.PE) != 0 && out != 0 && magnitudeAbove(BigFloat.of(out), v));
        return Float.floatToRawIntBits(out);
    }
}
