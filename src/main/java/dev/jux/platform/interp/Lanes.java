package dev.jux.platform.interp;

/**
 * A 64- or 128-bit vector as little-endian bytes, for the instructions whose lanes cross the
 * 64-bit halves (shuffles, horizontal adds, PALIGNR, string compares): lane {@code i} of
 * {@code size} bytes, signed or unsigned, read and written.
 */
final class Lanes {
    private Lanes() {}

    static byte[] of(long lo, long hi) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (lo >>> (8 * i));
            b[i + 8] = (byte) (hi >>> (8 * i));
        }
        return b;
    }

    static byte[] of(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (8 * i));
        return b;
    }

    /** The quadword at byte {@code off}. */
    static long quad(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }

    static long get(byte[] b, int i, int size) {
        long v = 0;
        for (int k = size - 1; k >= 0; k--) v = (v << 8) | (b[i * size + k] & 0xff);
        return v;
    }

    static long sget(byte[] b, int i, int size) {
        long v = get(b, i, size);
        return (v << (64 - 8 * size)) >> (64 - 8 * size);
    }

    static void put(byte[] b, int i, int size, long v) {
        for (int k = 0; k < size; k++) b[i * size + k] = (byte) (v >>> (8 * k));
    }

    static long saturate(long v, int size) {
        long max = (1L << (8 * size - 1)) - 1;
        return v > max ? max : Math.max(v, -max - 1);
    }

    static long saturateUnsigned(long v, int size) {
        long max = (1L << (8 * size)) - 1;
        return v > max ? max : Math.max(v, 0);
    }
}
