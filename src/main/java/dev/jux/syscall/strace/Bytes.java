package dev.jux.syscall.strace;

/** Little-endian field access in structs copied out of guest memory. */
final class Bytes {
    private Bytes() {}

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    static short s16(byte[] b, int off) {
        return (short) u16(b, off);
    }

    static int s32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16
                | (b[off + 3] & 0xff) << 24;
    }

    static long s64(byte[] b, int off) {
        return (s32(b, off) & 0xffffffffL) | (long) s32(b, off + 4) << 32;
    }
}
