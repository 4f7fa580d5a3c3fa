package dev.jux.platform.interp;

import java.math.BigInteger;

/**
 * The x87's transcendental functions on exact {@link BigFloat} arguments, to about 300 bits:
 * far more than the 64 bits a result is rounded to, so rounding the approximation gives the
 * correctly rounded value (barring a value within 2^-300 of a rounding boundary). Series run in
 * fixed point with {@link #W} fraction bits; where a result can be tiny (log near 1, 2^x - 1
 * near 0, atan and sin of tiny values) it is computed as {@code x * series(x^2)} so its
 * precision is relative, not absolute. Results of irrational values carry a sticky bit
 * ({@link #inexact}), so rounding them always reports PE.
 */
final class Transcendental {
    /** Fraction bits of the fixed-point series. */
    static final int W = 320;
    /** A bound on every series (the arguments keep them far shorter), so no input can hang one. */
    private static final int MAX_TERMS = 2000;
    private static final BigInteger ONE = BigInteger.ONE.shiftLeft(W);
    static final BigInteger LN2 = BigInteger.TWO.multiply(atanhSeries(ONE.divide(BigInteger.valueOf(9)))).divide(BigInteger.valueOf(3));
    static final BigInteger PI = pi();
    /**
     * Pi rounded to 66 bits, the value FSIN/FCOS/FSINCOS/FPTAN reduce their argument with on
     * Intel and AMD CPUs alike (Intel SDM vol. 1, 8.3.10); reproducing it gives the host's
     * results near multiples of pi/2, which differ from the true sine there.
     */
    static final BigFloat PI66 = new BigFloat(false, PI.add(BigInteger.ONE.shiftLeft(W - 65)).shiftRight(W - 64), -64);

    private Transcendental() {}

    private static BigInteger mul(BigInteger a, BigInteger b) {
        return a.multiply(b).shiftRight(W);
    }

    private static BigInteger div(BigInteger a, BigInteger b) {
        return a.shiftLeft(W).divide(b);
    }

    /** sum z2^k / (2k+1): atanh(z) = z * this(z^2). */
    private static BigInteger atanhSeries(BigInteger z2) {
        BigInteger sum = BigInteger.ZERO, p = ONE;
        for (int k = 0; p.signum() != 0 && k < MAX_TERMS; k++) {
            sum = sum.add(p.divide(BigInteger.valueOf(2L * k + 1)));
            p = mul(p, z2);
        }
        return sum;
    }

    /** sum (-1)^k z2^k / (2k+1): atan(z) = z * this(z^2). */
    private static BigInteger atanSeries(BigInteger z2) {
        BigInteger sum = BigInteger.ZERO, p = ONE;
        for (int k = 0; p.signum() != 0 && k < MAX_TERMS; k++) {
            BigInteger t = p.divide(BigInteger.valueOf(2L * k + 1));
            sum = (k & 1) == 0 ? sum.add(t) : sum.subtract(t);
            p = mul(p, z2);
        }
        return sum;
    }

    /** Machin's formula: pi = 16 atan(1/5) - 4 atan(1/239). */
    private static BigInteger pi() {
        BigInteger a = atanSeries(ONE.divide(BigInteger.valueOf(25))).divide(BigInteger.valueOf(5));
        BigInteger b = atanSeries(ONE.divide(BigInteger.valueOf(239 * 239))).divide(BigInteger.valueOf(239));
        return a.shiftLeft(4).subtract(b.shiftLeft(2));
    }

    /** A fixed-point value as an exact BigFloat. */
    static BigFloat fixed(BigInteger v) {
        return new BigFloat(v.signum() < 0, v.abs(), -W);
    }

    /** A BigFloat in fixed point, truncated. */
    private static BigInteger toFixed(BigFloat x) {
        int sh = x.exp() + W;
        BigInteger m = sh >= 0 ? x.sig().shiftLeft(sh) : x.sig().shiftRight(-sh);
        return x.neg() ? m.negate() : m;
    }

    /** Marks an approximation of an irrational value: a sticky bit below its last bit. */
    static BigFloat inexact(BigFloat v) {
        return new BigFloat(v.neg(), v.sig().shiftLeft(1).setBit(0), v.exp() - 1);
    }

    private static BigFloat add(BigFloat a, BigFloat b) {
        return BigFloat.add(a, b, Mxcsr.NEAREST);
    }

    /** Keeps about W significant bits, so products of products stay small. */
    private static BigFloat trim(BigFloat v) {
        int extra = v.sig().bitLength() - (W + 8);
        if (extra <= 0) return v;
        return new BigFloat(v.neg(), v.sig().shiftRight(extra), v.exp() + extra);
    }

    /** The natural logarithm of a positive value; exact zero for 1. */
    static BigFloat ln(BigFloat x) {
        int e = x.exp() + x.sig().bitLength() - 1;
        BigFloat m = new BigFloat(false, x.sig(), x.exp() - e); // in [1, 2)
        // sqrt(2) < m: use m/2 and e+1, so |ln m| <= ln(2)/2 and e*ln2 + ln m never cancels.
        if (m.sig().multiply(m.sig()).compareTo(BigInteger.ONE.shiftLeft(2 * (m.sig().bitLength() - 1) + 1)) > 0) {
            e++;
            m = new BigFloat(false, m.sig(), m.exp() - 1);
        }
        BigFloat lnm = ln1p(add(m, BigFloat.ofLong(-1, false)));
        return add(fixed(LN2.multiply(BigInteger.valueOf(e))), lnm);
    }

    /** ln(1 + x) for x > -1 with relative precision: 2 atanh(x / (2 + x)). */
    static BigFloat ln1p(BigFloat x) {
        if (x.isZero()) return x;
        BigFloat z = BigFloat.div(x, add(x, BigFloat.ofLong(2, false)), W + 8);
        BigInteger z2 = toFixed(BigFloat.mul(z, z));
        BigFloat s = fixed(atanhSeries(z2).shiftLeft(1));
        return trim(BigFloat.mul(z, s));
    }

    static BigFloat log2(BigFloat x) {
        return BigFloat.div(ln(x), fixed(LN2), W);
    }

    /** log2(1 + x); the series of {@link #ln1p} only for |x| < 1/2 (it converges slowly beyond). */
    static BigFloat log2p1(BigFloat x) {
        boolean small = x.exp() + x.sig().bitLength() < 0;
        BigFloat ln = small ? ln1p(x) : ln(add(x, BigFloat.ofLong(1, false)));
        return BigFloat.div(ln, fixed(LN2), W);
    }

    /** 2^x - 1 with relative precision, for |x| <= 1: t * sum t^k / (k+1)! with t = x ln 2. */
    static BigFloat exp2m1(BigFloat x) {
        BigFloat t = trim(BigFloat.mul(x, fixed(LN2)));
        BigInteger tf = toFixed(t).abs();
        BigInteger sum = BigInteger.ZERO, p = ONE;
        for (int k = 1; p.signum() != 0 && k < MAX_TERMS; k++) {
            sum = t.neg() && (k & 1) == 0 ? sum.subtract(p) : sum.add(p); // p = |t|^(k-1) / k!
            p = mul(p, tf).divide(BigInteger.valueOf(k + 1));
        }
        return trim(BigFloat.mul(t, fixed(sum)));
    }

    /** atan(u) for 0 <= u <= 1. */
    private static BigFloat atan01(BigFloat u) {
        BigInteger uf = toFixed(u);
        if (uf.compareTo(ONE.shiftRight(3)) < 0) {
            // u + u^3 * V(u^2), V = -1/3 + u^2/5 - ...: exact in the correction (see sinSmall).
            BigFloat uu = BigFloat.mul(u, u);
            BigInteger u2 = toFixed(uu), v = BigInteger.ZERO, p = ONE;
            for (int k = 0; p.signum() != 0 && k < MAX_TERMS; k++) {
                BigInteger t = p.divide(BigInteger.valueOf(2L * k + 3));
                v = (k & 1) == 0 ? v.subtract(t) : v.add(t);
                p = mul(p, u2);
            }
            return add(u, trim(BigFloat.mul(trim(BigFloat.mul(uu, u)), fixed(v))));
        }
        // atan(u) = 2 atan(u / (1 + sqrt(1 + u^2))), three times: u <= tan(pi/32) < 0.1.
        for (int i = 0; i < 3; i++) {
            BigInteger root = ONE.shiftLeft(W).add(uf.multiply(uf)).sqrt();
            uf = div(uf, ONE.add(root));
        }
        return fixed(mul(uf, atanSeries(mul(uf, uf))).shiftLeft(3));
    }

    /** atan2(y, x) for finite non-zero y and x: in (-pi, pi], the sign of y. */
    static BigFloat atan2(BigFloat y, BigFloat x) {
        BigFloat ay = new BigFloat(false, y.sig(), y.exp()), ax = new BigFloat(false, x.sig(), x.exp());
        BigFloat a;
        BigFloat d = add(ay, ax.negate());
        if (d.isZero() || d.neg()) {
            a = atan01(BigFloat.div(ay, ax, W + 8));
        } else {
            a = add(fixed(PI.shiftRight(1)), atan01(BigFloat.div(ax, ay, W + 8)).negate());
        }
        if (x.neg()) a = add(fixed(PI), a.negate());
        return y.neg() ? a.negate() : a;
    }

    /**
     * sin(r) for |r| <= pi/4 (about) as r + r^3 * T(r^2): the correction is kept exactly even
     * when it is far below r's last bit, so directed rounding of sin(tiny) goes the right way.
     */
    private static BigFloat sinSmall(BigFloat r) {
        BigFloat rr = BigFloat.mul(r, r);
        BigInteger r2 = toFixed(rr);
        BigInteger sum = BigInteger.ZERO, p = ONE.divide(BigInteger.valueOf(6));
        for (int k = 0; p.signum() != 0 && k < MAX_TERMS; k++) {
            sum = (k & 1) == 0 ? sum.subtract(p) : sum.add(p);
            p = mul(p, r2).divide(BigInteger.valueOf((2L * k + 4) * (2L * k + 5)));
        }
        return add(r, trim(BigFloat.mul(trim(BigFloat.mul(rr, r)), fixed(sum))));
    }

    /** cos(r) as 1 + r^2 * U(r^2), exact in its tiny correction like {@link #sinSmall}. */
    private static BigFloat cosSmall(BigFloat r) {
        BigFloat rr = BigFloat.mul(r, r);
        BigInteger r2 = toFixed(rr);
        BigInteger sum = BigInteger.ZERO, p = ONE.shiftRight(1);
        for (int k = 0; p.signum() != 0 && k < MAX_TERMS; k++) {
            sum = (k & 1) == 0 ? sum.subtract(p) : sum.add(p);
            p = mul(p, r2).divide(BigInteger.valueOf((2L * k + 3) * (2L * k + 4)));
        }
        return add(BigFloat.ofLong(1, false), trim(BigFloat.mul(trim(rr), fixed(sum))));
    }

    /**
     * sin(x) and cos(x) for finite |x| < 2^63, the argument reduced by multiples of pi/2 taken
     * from {@link #PI66} as the hardware does: x = k * PI66/2 + r exactly, |r| <= PI66/4.
     */
    static BigFloat[] sinCos(BigFloat x) {
        BigFloat halfPi = new BigFloat(false, PI66.sig(), PI66.exp() - 1);
        int low = Math.min(x.exp(), halfPi.exp());
        BigInteger xs = x.sig().shiftLeft(x.exp() - low), ps = halfPi.sig().shiftLeft(halfPi.exp() - low);
        BigInteger[] qr = xs.divideAndRemainder(ps);
        BigInteger k = qr[0], r = qr[1];
        if (r.shiftLeft(1).compareTo(ps) > 0) {
            k = k.add(BigInteger.ONE);
            r = r.subtract(ps);
        }
        BigFloat red = r.signum() == 0 ? BigFloat.ZERO : new BigFloat(r.signum() < 0, r.abs(), low);
        if (x.neg()) {
            red = red.negate();
            k = k.negate();
        }
        BigFloat s = sinSmall(red), c = cosSmall(red);
        int q = k.intValue() & 3;
        BigFloat sin = switch (q) {
            case 0 -> s;
            case 1 -> c;
            case 2 -> s.negate();
            default -> c.negate();
        };
        BigFloat cos = switch (q) {
            case 0 -> c;
            case 1 -> s.negate();
            case 2 -> c.negate();
            default -> s;
        };
        return new BigFloat[] {sin, cos};
    }
}
