package dev.jux.platform.interp;

/**
 * SSE2 integer SIMD on one 64-bit half of an XMM register at a time (every operation here acts
 * lane by lane and never crosses the halves): add and subtract (wrapping and saturating),
 * compares, min/max, averages, multiplies, logic, PSADBW, PMADDWD, and shifts by a count.
 */
final class SseInteger {
    static final int PADDB = 0, PADDW = 1, PADDD = 2, PADDQ = 3, PSUBB = 4, PSUBW = 5, PSUBD = 6, PSUBQ = 7,
            PADDSB = 8, PADDSW = 9, PADDUSB = 10, PADDUSW = 11, PSUBSB = 12, PSUBSW = 13, PSUBUSB = 14, PSUBUSW = 15,
            PCMPEQB = 16, PCMPEQW = 17, PCMPEQD = 18, PCMPGTB = 19, PCMPGTW = 20, PCMPGTD = 21,
            PMINUB = 22, PMAXUB = 23, PMINSW = 24, PMAXSW = 25, PAVGB = 26, PAVGW = 27,
            PMULLW = 28, PMULHW = 29, PMULHUW = 30, PMULUDQ = 31, PMADDWD = 32, PSADBW = 33,
            PAND = 34, POR = 35, PXOR = 36, PANDN = 37;

    private SseInteger() {}

    private static long lane(long v, int i, int bits) {
        return (v >>> (i * bits)) & ((1L << bits) - 1);
    }

    private static long slane(long v, int i, int bits) {
        return (v << (64 - (i + 1) * bits)) >> (64 - bits);
    }

    private static long clamp(long v, long lo, long hi) {
        return v < lo ? lo : v > hi ? hi : v;
    }

    static long op(int op, long a, long b) {
        switch (op) {
            case PAND: return a & b;
            case POR: return a | b;
            case PXOR: return a ^ b;
            case PANDN: return ~a & b;
            case PADDQ: return a + b;
            case PSUBQ: return a - b;
            case PMULUDQ: return (a & 0xffff_ffffL) * (b & 0xffff_ffffL);
            case PADDD: return ((a + b) & 0xffff_ffffL) | (((a >>> 32) + (b >>> 32)) << 32);
            case PSUBD: return ((a - b) & 0xffff_ffffL) | (((a >>> 32) - (b >>> 32)) << 32);
            case PSADBW: {
                long sum = 0;
                for (int i = 0; i < 8; i++) sum += Math.abs(lane(a, i, 8) - lane(b, i, 8));
                return sum;
            }
            case PMADDWD: {
                long r = 0;
                for (int i = 0; i < 2; i++) {
                    long s = slane(a, 2 * i, 16) * slane(b, 2 * i, 16) + slane(a, 2 * i + 1, 16) * slane(b, 2 * i + 1, 16);
                    r |= (s & 0xffff_ffffL) << (32 * i);
                }
                return r;
            }
            default: break;
        }
        int bits = switch (op) {
            case PADDB, PSUBB, PADDSB, PADDUSB, PSUBSB, PSUBUSB, PCMPEQB, PCMPGTB, PMINUB, PMAXUB, PAVGB -> 8;
            case PCMPEQD, PCMPGTD -> 32;
            default -> 16;
        };
        long r = 0;
        long m = (1L << bits) - 1;
        for (int i = 0; i < 64 / bits; i++) {
            long x = lane(a, i, bits), y = lane(b, i, bits);
            long sx = slane(a, i, bits), sy = slane(b, i, bits);
            long smax = m >>> 1, smin = -smax - 1;
            long v = switch (op) {
                case PADDB, PADDW -> x + y;
                case PSUBB, PSUBW -> x - y;
                case PADDSB, PADDSW -> clamp(sx + sy, smin, smax);
                case PSUBSB, PSUBSW -> clamp(sx - sy, smin, smax);
                case PADDUSB, PADDUSW -> Math.min(x + y, m);
                case PSUBUSB, PSUBUSW -> Math.max(x - y, 0);
                case PCMPEQB, PCMPEQW, PCMPEQD -> x == y ? m : 0;
                case PCMPGTB, PCMPGTW, PCMPGTD -> sx > sy ? m : 0;
                case PMINUB -> Math.min(x, y);
                case PMAXUB -> Math.max(x, y);
                case PMINSW -> Math.min(sx, sy);
                case PMAXSW -> Math.max(sx, sy);
                case PAVGB, PAVGW -> (x + y + 1) >> 1;
                case PMULLW -> sx * sy;
                case PMULHW -> (sx * sy) >> 16;
                case PMULHUW -> (x * y) >> 16;
                default -> throw new IllegalStateException("SSE integer op " + op);
            };
            r |= (v & m) << (i * bits);
        }
        return r;
    }

    /** PSLL/PSRL/PSRA with lanes of {@code bits}; a count >= the width clears (or, for PSRA, fills with the sign). */
    static long shift(long v, int bits, long count, int kind) {
        if (Long.compareUnsigned(count, bits) >= 0) {
            if (kind != 2) return 0;
            count = bits - 1;
        }
        int n = (int) count;
        if (bits == 64) return kind == 0 ? v << n : kind == 1 ? v >>> n : v >> n;
        long r = 0;
        long m = (1L << bits) - 1;
        for (int i = 0; i < 64 / bits; i++) {
            long x = kind == 2 ? slane(v, i, bits) : lane(v, i, bits);
            long y = kind == 0 ? x << n : x >> n;
            r |= (y & m) << (i * bits);
        }
        return r;
    }

    /** Interleaves the low (or high, by caller's choice of halves) lanes of a and b: a0 b0 a1 b1... */
    static long[] unpack(long a, long b, int bits) {
        long lo = 0, hi = 0;
        int n = 64 / bits;
        long m = bits == 64 ? -1L : (1L << bits) - 1;
        for (int i = 0; i < n; i++) {
            int k = 2 * i; // output lane index
            long x = bits == 64 ? a : lane(a, i, bits), y = bits == 64 ? b : lane(b, i, bits);
            for (int j = 0; j < 2; j++) {
                long v = j == 0 ? x : y;
                int out = k + j;
                if (out < n) lo |= (v & m) << (out * bits);
                else hi |= (v & m) << ((out - n) * bits);
            }
        }
        return new long[] {lo, hi};
    }

    /** Packs the signed lanes of {@code bits} from a (low result half) saturated to half width. */
    static long pack(long lo, long hi, int bits, boolean unsignedSat) {
        int half = bits / 2;
        long hm = (1L << half) - 1;
        long smax = hm >>> 1, smin = -smax - 1;
        long r = 0;
        int n = 64 / bits;
        for (int i = 0; i < 2 * n; i++) {
            long src = i < n ? lo : hi;
            long v = slane(src, i % n, bits);
            v = unsignedSat ? clamp(v, 0, hm) : clamp(v, smin, smax);
            r |= (v & hm) << (i * half);
        }
        return r;
    }
}
