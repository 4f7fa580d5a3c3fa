package dev.jux.platform.interp;

/**
 * SSE4.1's ROUNDPS/PD/SS/SD: each lane to an integral value in the mode of imm8[1:0], or MXCSR's
 * when imm8[2] is set; imm8[3] suppresses the precision exception. An SNaN raises IE and comes
 * back quiet, a QNaN passes through; DAZ reads denormals as zeros (no DE is raised).
 */
final class SseRounding {
    private final Cpu c;
    private final SseFloat fp;

    SseRounding(Cpu c, SseFloat fp) {
        this.c = c;
        this.fp = fp;
    }

    private int mode(int imm) {
        return (imm & 4) != 0 ? Mxcsr.roundingMode(c.mxcsr) : imm & 3;
    }

    long roundD(long bits, int imm) {
        if (SseFloat.isNanD(bits)) {
            if (SseFloat.isSnanD(bits)) fp.flags |= Mxcsr.IE;
            return bits | 0x0008_0000_0000_0000L;
        }
        if ((c.mxcsr & Mxcsr.DAZ) != 0 && SseFloat.isDenormalD(bits)) bits &= Long.MIN_VALUE;
        double v = Double.longBitsToDouble(bits);
        double r = round(v, mode(imm));
        if (r != v && (imm & 8) == 0) fp.flags |= Mxcsr.PE;
        return Double.doubleToRawLongBits(r);
    }

    int roundF(int bits, int imm) {
        if (SseFloat.isNanF(bits)) {
            if (SseFloat.isSnanF(bits)) fp.flags |= Mxcsr.IE;
            return bits | 0x40_0000;
        }
        if ((c.mxcsr & Mxcsr.DAZ) != 0 && SseFloat.isDenormalF(bits)) bits &= Integer.MIN_VALUE;
        double v = Float.intBitsToFloat(bits); // exact; rounding to an integer in double is exact too
        double r = round(v, mode(imm));
        if (r != v && (imm & 8) == 0) fp.flags |= Mxcsr.PE;
        return Float.floatToRawIntBits((float) r);
    }

    /** Keeps the sign of zero results, as IEEE roundToIntegral does (-0.5 rounds to -0.0). */
    private static double round(double v, int mode) {
        double r = switch (mode) {
            case Mxcsr.NEAREST -> Math.rint(v);
            case Mxcsr.DOWN -> Math.floor(v);
            case Mxcsr.UP -> Math.ceil(v);
            default -> v < 0 ? Math.ceil(v) : Math.floor(v);
        };
        return r == 0 ? Math.copySign(0.0, v) : r;
    }
}
