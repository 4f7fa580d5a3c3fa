package dev.jux.platform.interp;

/**
 * Scalar SSE floating point as the CPU does it, one lane at a time: ADD/SUB/MUL/DIV/SQRT/MIN/MAX
 * in single and double precision, with MXCSR's rounding mode, DAZ and FZ, x86's NaN rules (the
 * first NaN operand, quieted; invalid operations give the negative "default NaN") and the
 * exception flags, collected in {@link #flags} so that an unmasked exception faults before the
 * destination changes.
 *
 * <p>Round to nearest uses Java's arithmetic, which is IEEE round-to-nearest-even; inexactness
 * comes from exact residuals (Math.fma, TwoSum). Single precision is computed in double and
 * rounded once more, which is exact for + - * / sqrt because 53 >= 2*24+2. Directed rounding
 * and results near the underflow threshold go through {@link BigFloat}: exact, and slow.
 */
final class SseFloat {
    static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, SQRT = 4, MIN = 5, MAX = 6;
    static final long DEFAULT_NAN_D = 0xfff8_0000_0000_0000L;
    static final int DEFAULT_NAN_F = 0xffc0_0000;

    private final Cpu c;
    /** Exception flags raised by the lanes of the current instruction (Mxcsr bits). */
    int flags;

    SseFloat(Cpu c) {
        this.c = c;
    }

    static boolean isSnanD(long bits) {
        return (bits & 0x7ff0_0000_0000_0000L) == 0x7ff0_0000_0000_0000L && (bits & 0x000f_ffff_ffff_ffffL) != 0
                && (bits & 0x0008_0000_0000_0000L) == 0;
    }

    static boolean isSnanF(int bits) {
        return (bits & 0x7f80_0000) == 0x7f80_0000 && (bits & 0x7f_ffff) != 0 && (bits & 0x40_0000) == 0;
    }

    static boolean isNanD(long bits) {
        return (bits & 0x7fff_ffff_ffff_ffffL) > 0x7ff0_0000_0000_0000L;
    }

    static boolean isNanF(int bits) {
        return (bits & 0x7fff_ffff) > 0x7f80_0000;
    }

    static boolean isDenormalD(long bits) {
        return (bits & 0x7ff0_0000_0000_0000L) == 0 && (bits & 0x000f_ffff_ffff_ffffL) != 0;
    }

    static boolean isDenormalF(int bits) {
        return (bits & 0x7f80_0000) == 0 && (bits & 0x7f_ffff) != 0;
    }

    /** DAZ: a denormal operand reads as a zero of its sign. */
    private long dazD(long bits) {
        return (c.mxcsr & Mxcsr.DAZ) != 0 && isDenormalD(bits) ? bits & Long.MIN_VALUE : bits;
    }

    private int dazF(int bits) {
        return (c.mxcsr & Mxcsr.DAZ) != 0 && isDenormalF(bits) ? bits & Integer.MIN_VALUE : bits;
    }

    /** {@code a op b} in double precision (for SQRT, the root of b), as raw bits. */
    long opD(int op, long a, long b) {
        a = dazD(a);
        b = dazD(b);
        boolean unary = op == SQRT;
        if (unary) a = b; // SQRT reads only its source
        if (op == MIN || op == MAX) {
            if (isNanD(a) || isNanD(b)) {
                flags |= Mxcsr.IE;
                return b;
            }
            if (isDenormalD(a) || isDenormalD(b)) flags |= Mxcsr.DE;
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
            return (op == MIN ? x < y : x > y) ? a : b; // equal (also +0/-0): the source
        }
        if (isNanD(b) || (!unary && isNanD(a))) {
            if ((!unary && isSnanD(a)) || isSnanD(b)) flags |= Mxcsr.IE;
            return (!unary && isNanD(a) ? a : b) | 0x0008_0000_0000_0000L;
        }
        double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
        if (invalid(op, x, y)) {
            flags |= Mxcsr.IE;
            return DEFAULT_NAN_D;
        }
        if (op == DIV && y == 0 && !Double.isInfinite(x)) {
            flags |= Mxcsr.ZE; // x is not 0 here (0/0 is invalid); a denormal dividend raises no DE
            return Double.doubleToRawLongBits(x / y);
        }
        if ((!unary && isDenormalD(a)) || isDenormalD(b)) flags |= Mxcsr.DE;
        if (Double.isInfinite(x) || Double.isInfinite(y) || (op == MUL && (x == 0 || y == 0))
                || (op == DIV && x == 0) || (unary && y == 0)) {
            return Double.doubleToRawLongBits(nearest(op, x, y)); // exact in every rounding mode
        }
        int rc = Mxcsr.roundingMode(c.mxcsr);
        if (rc == Mxcsr.NEAREST) {
            double r = nearest(op, x, y);
            if (Math.abs(r) >= Double.MIN_NORMAL && !Double.isInfinite(r) && residualExact(op, x, y, r)) {
                if (inexact(op, x, y, r)) flags |= Mxcsr.PE;
                return Double.doubleToRawLongBits(r);
            }
            if (r == 0 && (op == ADD || op == SUB) && !inexact(op, x, y, r)) return Double.doubleToRawLongBits(r);
        }
        BigFloat.Rounded rr = exact(op, BigFloat.of(x), BigFloat.of(y), rc).round(BigFloat.DOUBLE, rc);
        return Double.doubleToRawLongBits(flushed(rr).toDouble());
    }

    /** {@code a op b} in single precision, as raw bits. */
    int opF(int op, int a, int b) {
        a = dazF(a);
        b = dazF(b);
        boolean unary = op == SQRT;
        if (unary) a = b; // SQRT reads only its source
        if (op == MIN || op == MAX) {
            if (isNanF(a) || isNanF(b)) {
                flags |= Mxcsr.IE;
                return b;
            }
            if (isDenormalF(a) || isDenormalF(b)) flags |= Mxcsr.DE;
            float x = Float.intBitsToFloat(a), y = Float.intBitsToFloat(b);
            return (op == MIN ? x < y : x > y) ? a : b;
        }
        if (isNanF(b) || (!unary && isNanF(a))) {
            if ((!unary && isSnanF(a)) || isSnanF(b)) flags |= Mxcsr.IE;
            return (!unary && isNanF(a) ? a : b) | 0x40_0000;
        }
        double x = Float.intBitsToFloat(a), y = Float.intBitsToFloat(b);
        if (invalid(op, x, y)) {
            flags |= Mxcsr.IE;
            return DEFAULT_NAN_F;
        }
        if (op == DIV && y == 0 && !Double.isInfinite(x)) {
            flags |= Mxcsr.ZE;
            return Float.floatToRawIntBits((float) (x / y));
        }
        if ((!unary && isDenormalF(a)) || isDenormalF(b)) flags |= Mxcsr.DE;
        if (Double.isInfinite(x) || Double.isInfinite(y) || (op == MUL && (x == 0 || y == 0))
                || (op == DIV && x == 0) || (unary && y == 0)) {
            return Float.floatToRawIntBits((float) nearest(op, x, y));
        }
        int rc = Mxcsr.roundingMode(c.mxcsr);
        if (rc == Mxcsr.NEAREST) {
            double r = nearest(op, x, y);
            float f = (float) r;
            if (Math.abs(f) >= Float.MIN_NORMAL && !Float.isInfinite(f)) {
                if (f != r || inexact(op, x, y, r)) flags |= Mxcsr.PE;
                return Float.floatToRawIntBits(f);
            }
            if (f == 0 && (op == ADD || op == SUB) && r == 0 && !inexact(op, x, y, r)) return Float.floatToRawIntBits(f);
        }
        BigFloat.Rounded rr = exact(op, BigFloat.of(x), BigFloat.of(y), rc).round(BigFloat.SINGLE, rc);
        return Float.floatToRawIntBits(flushed(rr).toFloat());
    }

    /** FZ: a tiny result (underflow, masked) becomes a zero of its sign. */
    private BigFloat.Rounded flushed(BigFloat.Rounded r) {
        flags |= r.flags();
        if ((r.flags() & Mxcsr.UE) != 0 && (c.mxcsr & Mxcsr.FZ) != 0 && (c.mxcsr & (Mxcsr.UE << 7)) != 0) {
            flags |= Mxcsr.PE;
            return new BigFloat.Rounded(r.neg(), 0, 0, false, r.flags());
        }
        return r;
    }

    /** Below this the residual of a product, quotient or root may itself underflow and read as 0. */
    private static final double RESIDUAL_SAFE = 0x1p-960;

    /** Whether {@link #inexact}'s residual is exact for these operands (TwoSum always is). */
    private static boolean residualExact(int op, double x, double y, double r) {
        if (op == ADD || op == SUB) return true;
        if (Math.abs(r) < RESIDUAL_SAFE || Math.abs(y) < RESIDUAL_SAFE) return false;
        return op == SQRT || Math.abs(x) >= RESIDUAL_SAFE;
    }

    private static boolean invalid(int op, double x, double y) {
        return switch (op) {
            case ADD -> Double.isInfinite(x) && Double.isInfinite(y) && (x > 0) != (y > 0);
            case SUB -> Double.isInfinite(x) && Double.isInfinite(y) && (x > 0) == (y > 0);
            case MUL -> (x == 0 && Double.isInfinite(y)) || (y == 0 && Double.isInfinite(x));
            case DIV -> (x == 0 && y == 0) || (Double.isInfinite(x) && Double.isInfinite(y));
            default -> y < 0; // SQRT of a negative number (not -0)
        };
    }

    private static double nearest(int op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            default -> Math.sqrt(y);
        };
    }

    /** Whether the finite, normal, round-to-nearest result r of x op y differs from the exact value. */
    private static boolean inexact(int op, double x, double y, double r) {
        return switch (op) {
            case ADD, SUB -> {
                double yy = op == ADD ? y : -y;
                double bb = r - x;
                yield (x - (r - bb)) + (yy - bb) != 0;
            }
            case MUL -> Math.fma(x, y, -r) != 0;
            case DIV -> Math.fma(r, y, -x) != 0;
            default -> Math.fma(r, r, -y) != 0;
        };
    }

    static BigFloat exact(int op, BigFloat x, BigFloat y, int rc) {
        return switch (op) {
            case ADD -> BigFloat.add(x, y, rc);
            case SUB -> BigFloat.add(x, y.negate(), rc);
            case MUL -> BigFloat.mul(x, y);
            case DIV -> BigFloat.div(x, y, 66);
            default -> BigFloat.sqrt(y, 66);
        };
    }

    /** CMPPS/CMPSS predicate (imm8 & 7): EQ LT LE UNORD NEQ NLT NLE ORD. LT/LE/NLT/NLE signal on any NaN. */
    boolean compare(int pred, double x, double y, boolean anySnan, boolean anyDenormal) {
        boolean unordered = Double.isNaN(x) || Double.isNaN(y);
        boolean signalsQuiet = pred == 1 || pred == 2 || pred == 5 || pred == 6;
        if (anySnan || (unordered && signalsQuiet)) flags |= Mxcsr.IE;
        if (anyDenormal && !unordered) flags |= Mxcsr.DE; // a NaN operand suppresses DE (host CPU)
        return switch (pred & 7) {
            case 0 -> x == y;
            case 1 -> x < y;
            case 2 -> x <= y;
            case 3 -> unordered;
            case 4 -> !(x == y);
            case 5 -> !(x < y);
            case 6 -> !(x <= y);
            default -> !unordered;
        };
    }

    /** COMISS/UCOMISS/COMISD/UCOMISD: ZF PF CF = 111 unordered, 000 greater, 001 less, 100 equal; OF SF AF cleared. */
    void comis(double x, double y, boolean ordered, boolean anySnan, boolean anyDenormal) {
        boolean unordered = Double.isNaN(x) || Double.isNaN(y);
        if (anySnan || (ordered && unordered)) flags |= Mxcsr.IE;
        if (anyDenormal && !unordered) flags |= Mxcsr.DE;
        Mxcsr.check(c, flags);
        flags = 0;
        long f = unordered ? Flags.ZF | Flags.PF | Flags.CF : x > y ? 0 : x < y ? Flags.CF : Flags.ZF;
        c.rflags = (c.rflags & ~Flags.STATUS) | f;
    }
}
