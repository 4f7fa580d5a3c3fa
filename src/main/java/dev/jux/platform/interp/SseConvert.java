package dev.jux.platform.interp;

/**
 * SSE conversions between integers, single and double precision, rounding per MXCSR (or
 * truncating, for the CVTT forms). A NaN or out-of-range value converts to the "integer
 * indefinite" (only the sign bit set) and raises IE; flags go to the shared {@link SseFloat#flags}.
 */
final class SseConvert {
    private final Cpu c;
    private final SseFloat f;

    SseConvert(Cpu c, SseFloat f) {
        this.c = c;
        this.f = f;
    }

    /** A double (raw bits) to a signed integer of {@code size} bytes (4 or 8). */
    long doubleToInt(long bits, int size, boolean truncate) {
        // Conversions to integers raise no DE for a denormal source (host CPU), only PE.
        if ((c.mxcsr & Mxcsr.DAZ) != 0 && SseFloat.isDenormalD(bits)) bits &= Long.MIN_VALUE;
        return toInt(Double.longBitsToDouble(bits), size, truncate);
    }

    long floatToInt(int bits, int size, boolean truncate) {
        if ((c.mxcsr & Mxcsr.DAZ) != 0 && SseFloat.isDenormalF(bits)) bits &= Integer.MIN_VALUE;
        return toInt(Float.intBitsToFloat(bits), size, truncate);
    }

    private long toInt(double x, int size, boolean truncate) {
        long indefinite = size == 4 ? 0x8000_0000L : Long.MIN_VALUE;
        if (Double.isNaN(x)) {
            f.flags |= Mxcsr.IE;
            return indefinite;
        }
        double r = truncate ? (x < 0 ? Math.ceil(x) : Math.floor(x)) : switch (Mxcsr.roundingMode(c.mxcsr)) {
            case Mxcsr.NEAREST -> Math.rint(x);
            case Mxcsr.DOWN -> Math.floor(x);
            case Mxcsr.UP -> Math.ceil(x);
            default -> x < 0 ? Math.ceil(x) : Math.floor(x);
        };
        double limit = size == 4 ? 0x1p31 : 0x1p63;
        if (r >= limit || r < -limit) {
            f.flags |= Mxcsr.IE;
            return indefinite;
        }
        if (r != x) f.flags |= Mxcsr.PE;
        long v = (long) r;
        return size == 4 ? v & 0xffff_ffffL : v;
    }

    /** A signed integer ({@code size} 4 or 8 bytes, already sign-extended) to double bits. */
    long intToDouble(long v) {
        double d = v;
        if ((long) d == v && d != 0x1p63) return Double.doubleToRawLongBits(d);
        f.flags |= Mxcsr.PE;
        int rc = Mxcsr.roundingMode(c.mxcsr);
        if (rc == Mxcsr.NEAREST) return Double.doubleToRawLongBits(d);
        return Double.doubleToRawLongBits(BigFloat.ofLong(v, false).round(BigFloat.DOUBLE, rc).toDouble());
    }

    int intToFloat(long v) {
        float x = v;
        if ((long) x == v && x != 0x1p63f) return Float.floatToRawIntBits(x);
        f.flags |= Mxcsr.PE;
        int rc = Mxcsr.roundingMode(c.mxcsr);
        if (rc == Mxcsr.NEAREST) return Float.floatToRawIntBits(x);
        return Float.floatToRawIntBits(BigFloat.ofLong(v, false).round(BigFloat.SINGLE, rc).toFloat());
    }

    /** CVTSS2SD/CVTPS2PD: exact; an SNaN is quieted (IE), a NaN keeps its payload. */
    long floatToDouble(int bits) {
        if (SseFloat.isNanF(bits)) {
            if (SseFloat.isSnanF(bits)) f.flags |= Mxcsr.IE;
            long sign = bits < 0 ? Long.MIN_VALUE : 0;
            return sign | 0x7ff8_0000_0000_0000L | ((long) (bits & 0x3f_ffff) << 29);
        }
        if ((c.mxcsr & Mxcsr.DAZ) != 0 && SseFloat.isDenormalF(bits)) return bits < 0 ? Long.MIN_VALUE : 0;
        if (SseFloat.isDenormalF(bits)) f.flags |= Mxcsr.DE;
        return Double.doubleToRawLongBits(Float.intBitsToFloat(bits));
    }

    /** CVTSD2SS/CVTPD2PS: rounds per MXCSR; overflow, underflow and FZ as for arithmetic. */
    int doubleToFloat(long bits) {
        if (SseFloat.isNanD(bits)) {
            if (SseFloat.isSnanD(bits)) f.flags |= Mxcsr.IE;
            int sign = bits < 0 ? Integer.MIN_VALUE : 0;
            return sign | 0x7fc0_0000 | (int) ((bits >>> 29) & 0x3f_ffff);
        }
        if ((c.mxcsr & Mxcsr.DAZ) != 0 && SseFloat.isDenormalD(bits)) bits &= Long.MIN_VALUE;
        else if (SseFloat.isDenormalD(bits)) f.flags |= Mxcsr.DE;
        double d = Double.longBitsToDouble(bits);
        float x = (float) d;
        if (x == d || Double.isInfinite(d)) return Float.floatToRawIntBits(x);
        int rc = Mxcsr.roundingMode(c.mxcsr);
        if (rc == Mxcsr.NEAREST && Math.abs(x) >= Float.MIN_NORMAL && !Float.isInfinite(x)) {
            f.flags |= Mxcsr.PE;
            return Float.floatToRawIntBits(x);
        }
        BigFloat.Rounded r = BigFloat.of(d).round(BigFloat.SINGLE, rc);
        f.flags |= r.flags();
        if ((r.flags() & Mxcsr.UE) != 0 && (c.mxcsr & Mxcsr.FZ) != 0 && (c.mxcsr & (Mxcsr.UE << 7)) != 0) {
            return d < 0 ? Integer.MIN_VALUE : 0;
        }
        return Float.floatToRawIntBits(r.toFloat());
    }
}
