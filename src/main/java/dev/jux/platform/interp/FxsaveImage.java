package dev.jux.platform.interp;

/**
 * The 512-byte FXSAVE/FXRSTOR image (64-bit layout): FCW, FSW, abridged tag byte, FOP, FIP,
 * FDP (zero here: the interpreter keeps no last-instruction pointers), MXCSR, MXCSR_MASK,
 * ST0-ST7 in stack order (16 bytes each), XMM0-XMM15. Bytes 416-511 are not touched.
 * Shared by FXSAVE/FXRSTOR and, later, the signal frame's extended state.
 */
final class FxsaveImage {
    static final int SIZE = 512;

    private FxsaveImage() {}

    static void save(Cpu c, byte[] d, int off) {
        X87 f = c.fpu;
        for (int i = 0; i < 32; i++) d[off + i] = 0;
        putShort(d, off, f.cw);
        putShort(d, off + 2, f.statusWord());
        d[off + 4] = (byte) f.valid;
        putInt(d, off + 24, c.mxcsr);
        putInt(d, off + 28, Mxcsr.WRITABLE);
        for (int i = 0; i < 8; i++) {
            Float80 v = f.regs[f.phys(i)];
            int at = off + 32 + 16 * i;
            putLong(d, at, v.m());
            putShort(d, at + 8, v.se());
            for (int k = 10; k < 16; k++) d[at + k] = 0;
        }
        for (int i = 0; i < 32; i++) putLong(d, off + 160 + 8 * i, c.xmm[i]);
    }

    static void restore(Cpu c, byte[] s, int off) {
        int mxcsr = getInt(s, off + 24);
        if ((mxcsr & ~Mxcsr.WRITABLE) != 0) throw CpuFault.gp();
        X87 f = c.fpu;
        f.cw = getShort(s, off);
        f.setStatusWord(getShort(s, off + 2));
        f.valid = s[off + 4] & 0xff;
        c.mxcsr = mxcsr;
        for (int i = 0; i < 8; i++) {
            int at = off + 32 + 16 * i;
            f.regs[f.phys(i)] = new Float80(getShort(s, at + 8), getLong(s, at));
        }
        for (int i = 0; i < 32; i++) c.xmm[i] = getLong(s, off + 160 + 8 * i);
    }

    static void putShort(byte[] d, int at, int v) {
        d[at] = (byte) v;
        d[at + 1] = (byte) (v >> 8);
    }

    static void putInt(byte[] d, int at, int v) {
        for (int k = 0; k < 4; k++) d[at + k] = (byte) (v >> (8 * k));
    }

    static void putLong(byte[] d, int at, long v) {
        for (int k = 0; k < 8; k++) d[at + k] = (byte) (v >> (8 * k));
    }

    static int getShort(byte[] s, int at) {
        return (s[at] & 0xff) | ((s[at + 1] & 0xff) << 8);
    }

    static int getInt(byte[] s, int at) {
        return getShort(s, at) | (getShort(s, at + 2) << 16);
    }

    static long getLong(byte[] s, int at) {
        return (getInt(s, at) & 0xffff_ffffL) | ((long) getInt(s, at + 4) << 32);
    }
}
