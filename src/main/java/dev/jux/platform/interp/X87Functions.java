package dev.jux.platform.interp;

import static dev.jux.platform.interp.Transcendental.inexact;

/**
 * The x87 transcendental instructions (F2XM1, FYL2X, FYL2XP1, FPATAN, FSIN, FCOS, FSINCOS,
 * FPTAN): special operands (NaNs, zeros, infinities, out-of-range arguments) as the host AMD
 * CPU handles them, other values computed by {@link Transcendental} and rounded once to 64 bits
 * per RC (precision control does not apply), C1 reporting a rounding up.
 */
final class X87Functions {
    static final int SIN = 0, COS = 1, SINCOS = 2, TAN = 3;

    private final X87 f;
    private final X87Math math;

    X87Functions(X87 f, X87Math math) {
        this.f = f;
        this.math = math;
    }

    private static Float80 infinity(boolean negative) {
        return new Float80((negative ? 0x8000 : 0) | 0x7fff, Long.MIN_VALUE);
    }

    private static Float80 zero(boolean negative) {
        return new Float80(negative ? 0x8000 : 0, 0);
    }

    /** |a| < 1 for a finite value (a < 1 in magnitude). */
    private static boolean belowOne(Float80 a) {
        return a.exponent() < 0x3fff;
    }

    private static boolean isOne(Float80 a) {
        return a.exponent() == 0x3fff && a.m() == Long.MIN_VALUE;
    }

    /**
     * An unnormal, pseudo-infinity or pseudo-NaN (integer bit clear with a non-zero exponent):
     * an invalid operand since the 387, and one the series must never see (an unnormal zero).
     */
    private static boolean unsupported(Float80 a) {
        return a.exponent() != 0 && a.m() >= 0;
    }

    private Float80 round(BigFloat approximation) {
        return math.round64(inexact(approximation));
    }

    /** F2XM1: 2^x - 1. Outside [-1, 1] the host leaves a finite operand unchanged; -inf gives -1. */
    Float80 exp2m1(Float80 a) {
        f.sw &= ~X87.C1;
        if (unsupported(a)) return math.invalid();
        if (a.isNaN()) return math.nan(a, a);
        if (a.isZero()) return a;
        if (a.isInfinite()) return a.negative() ? Float80.ONE.negate() : a;
        math.denormals(a, a);
        if (!belowOne(a)) {
            // +-1 and the out-of-range values (left unchanged) all report PE on the host; +1 sets C1.
            f.raise(X87.PE);
            if (isOne(a) && !a.negative()) f.sw |= X87.C1;
            return isOne(a) && a.negative() ? new Float80(0xbffe, Long.MIN_VALUE) : a;
        }
        return round(Transcendental.exp2m1(a.toBig()));
    }

    /** FYL2X: y * log2(x), the result for ST1 (x = ST0). */
    Float80 ylog2x(Float80 x, Float80 y) {
        f.sw &= ~X87.C1;
        if (unsupported(x) || unsupported(y)) return math.invalid();
        if (x.isNaN() || y.isNaN()) return math.nan(x, y);
        if (x.negative() && !x.isZero()) return math.invalid();
        if (x.isZero()) {
            if (y.isZero()) return math.invalid();
            math.denormals(y, y);
            if (!y.isInfinite()) f.raise(X87.ZE);
            return infinity(!y.negative());
        }
        if (x.isInfinite()) {
            if (y.isZero()) return math.invalid();
            math.denormals(y, y);
            return infinity(y.negative());
        }
        math.denormals(x, y);
        boolean below = belowOne(x);
        if (y.isInfinite()) return isOne(x) ? math.invalid() : infinity(y.negative() ^ below);
        if (y.isZero() || isOne(x)) return zero(y.negative() ^ below);
        BigFloat xb = x.toBig();
        if (xb.sig().bitCount() == 1) {
            // A power of two: log2 is an integer and the product exact, yet the host reports PE.
            int e = xb.exp() + xb.sig().bitLength() - 1;
            Float80 r = math.round64(BigFloat.mul(BigFloat.ofLong(e, false), y.toBig()));
            f.raise(X87.PE);
            return r;
        }
        return round(BigFloat.mul(Transcendental.log2(xb), y.toBig()));
    }

    /** FYL2XP1: y * log2(x + 1), the result for ST1 (x = ST0). */
    Float80 ylog2xp1(Float80 x, Float80 y) {
        f.sw &= ~X87.C1;
        if (unsupported(x) || unsupported(y)) return math.invalid();
        if (x.isNaN() || y.isNaN()) return math.nan(x, y);
        if (x.isInfinite()) {
            if (x.negative() || y.isZero()) return math.invalid();
            return infinity(y.negative());
        }
        if (y.isZero()) {
            // Even for x <= -1 (outside the instruction's range) the host gives a signed zero.
            math.denormals(x, x);
            return zero(y.negative() ^ x.negative());
        }
        BigFloat sum = BigFloat.add(x.toBig(), BigFloat.ofLong(1, false), Mxcsr.NEAREST);
        if (sum.neg() || sum.isZero()) {
            // x <= -1, outside the instruction's range: the host returns x itself, with PE (or
            // an infinite y with the product's sign).
            if (y.isInfinite()) return infinity(y.negative() ^ x.negative());
            math.denormals(y, y);
            f.raise(X87.PE);
            return x;
        }
        if (x.isZero()) {
            if (y.isInfinite()) return math.invalid();
            math.denormals(y, y);
            return zero(x.negative() ^ y.negative());
        }
        math.denormals(x, y);
        if (y.isInfinite()) return infinity(y.negative() ^ x.negative());
        if (y.isZero()) return zero(y.negative() ^ x.negative());
        if (sum.sig().bitCount() == 1) {
            int e = sum.exp() + sum.sig().bitLength() - 1;
            Float80 r = math.round64(BigFloat.mul(BigFloat.ofLong(e, false), y.toBig()));
            f.raise(X87.PE);
            return r;
        }
        return round(BigFloat.mul(Transcendental.log2p1(x.toBig()), y.toBig()));
    }

    /** pi * num / den (den a power of two), rounded, with the given sign. */
    private Float80 piFraction(int num, int shift, boolean negative) {
        BigFloat v = BigFloat.mul(Transcendental.fixed(Transcendental.PI), BigFloat.ofLong(num, false));
        v = new BigFloat(negative, v.sig(), v.exp() - shift);
        return round(v);
    }

    /** FPATAN: atan2(y, x), the result for ST1 (y = ST1, x = ST0), IEEE's atan2 for zeros and infinities. */
    Float80 atan2(Float80 y, Float80 x) {
        f.sw &= ~X87.C1;
        if (unsupported(x) || unsupported(y)) return math.invalid();
        if (x.isNaN() || y.isNaN()) return math.nan(x, y);
        boolean sy = y.negative(), sx = x.negative();
        math.denormals(x, y);
        if (y.isInfinite()) {
            if (x.isInfinite()) return sx ? piFraction(3, 2, sy) : piFraction(1, 2, sy);
            return piFraction(1, 1, sy);
        }
        if (x.isInfinite()) return sx ? piFraction(1, 0, sy) : zero(sy);
        if (y.isZero()) return sx ? piFraction(1, 0, sy) : zero(sy);
        if (x.isZero()) return piFraction(1, 1, sy);
        return round(Transcendental.atan2(y.toBig(), x.toBig()));
    }

    /**
     * FSIN, FCOS, FSINCOS, FPTAN on ST0. |x| >= 2^63: C2 set, nothing changes. FSINCOS pushes
     * the cosine, FPTAN pushes 1.0; infinities are invalid (the indefinite, also pushed).
     */
    void trig(int op) {
        f.sw &= ~(X87.C1 | X87.C2);
        boolean pushes = op == SINCOS || op == TAN;
        if (f.isEmpty(0)) {
            Float80 r = f.st(0);
            f.set(0, r);
            if (pushes) f.push(r);
            return;
        }
        if (pushes && !f.isEmpty(7)) {
            // Stack overflow: IE|SF|C1, both registers get the indefinite.
            f.raise(X87.IE | X87.SF);
            f.set(0, Float80.INDEFINITE);
            f.top = (f.top - 1) & 7;
            f.set(0, Float80.INDEFINITE);
            f.sw |= X87.C1;
            return;
        }
        Float80 a = f.st(0);
        Float80 first, second = Float80.ONE;
        if (unsupported(a)) {
            first = math.invalid();
            second = first;
        } else if (a.isNaN() || a.isInfinite()) {
            first = a.isNaN() ? math.nan(a, a) : math.invalid();
            second = first;
        } else if (a.exponent() >= 0x3fff + 63) {
            f.sw |= X87.C2;
            return;
        } else if (a.isZero()) {
            first = op == COS ? Float80.ONE : a;
        } else {
            math.denormals(a, a);
            BigFloat[] sc = Transcendental.sinCos(a.toBig());
            switch (op) {
                case SIN -> first = round(sc[0]);
                case COS -> first = round(sc[1]);
                case TAN -> first = round(BigFloat.div(sc[0], sc[1], Transcendental.W));
                default -> {
                    first = round(sc[0]);
                    second = round(sc[1]);
                }
            }
        }
        f.set(0, first);
        if (pushes) f.push(second);
    }
}
