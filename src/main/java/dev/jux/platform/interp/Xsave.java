package dev.jux.platform.interp;

/**
 * XGETBV, XSAVE, XSAVEOPT, XSAVEC and XRSTOR for the two components this CPU has: x87 (0) and
 * SSE (1), so XCR0 = 3 and every image is the 512-byte legacy region plus the 64-byte header
 * (576 bytes, in the standard and the compacted format alike, as components 0 and 1 sit at the
 * same place in both). Rules from Intel SDM vol. 1, 13.7-13.11: the image must be 64-byte
 * aligned (#GP); XRSTOR faults (#GP) on a header naming components outside XCR0 or with
 * reserved bytes set, and loads a component whose XSTATE_BV bit is clear with its initial
 * state. XSTATE_BV reports a component "in use" (XINUSE) unless it equals its initial state,
 * which is what the host shows after XRSTOR of the initial state (hardware tracks XINUSE
 * itself and may report a component in use that was merely modified back).
 */
final class Xsave {
    static final long XCR0 = 3;
    static final int SIZE = 576;
    private static final int HEADER = 512;
    private static final long COMPACTED = Long.MIN_VALUE;

    private Xsave() {}

    /** XGETBV: XCR0 for ECX = 0; any other register is #GP (XGETBV with ECX = 1 is not claimed). */
    static void xgetbv(Cpu c) {
        if ((int) c.r[Cpu.RCX] != 0) throw CpuFault.gp();
        c.r[Cpu.RAX] = XCR0;
        c.r[Cpu.RDX] = 0;
    }

    /** The requested-feature bitmap: EDX:EAX and XCR0. */
    private static long rfbm(Cpu c) {
        return ((c.r[Cpu.RDX] << 32) | (c.r[Cpu.RAX] & 0xffff_ffffL)) & XCR0;
    }

    private static byte[] read(Memory mem, long ea) {
        if ((ea & 63) != 0) throw CpuFault.gp();
        byte[] img = new byte[SIZE];
        for (int i = 0; i < SIZE; i += 8) FxsaveImage.putLong(img, i, mem.read64(ea + i));
        return img;
    }

    /**
     * XSAVE/XSAVEOPT (standard format: only XSTATE_BV's requested bits change in the header) or
     * XSAVEC (compacted: XSTATE_BV and XCOMP_BV = bit 63 | RFBM written, the rest of the header
     * zeroed). The x87 component is bytes 0-23 and 32-159, SSE the XMM registers; MXCSR and
     * MXCSR_MASK go with SSE.
     */
    static void save(Cpu c, Memory mem, long ea, boolean compacted) {
        long rfbm = rfbm(c);
        byte[] img = read(mem, ea); // faults before anything is written
        byte[] fx = new byte[FxsaveImage.SIZE];
        c.fxsave(fx, 0);
        if ((rfbm & 1) != 0) {
            System.arraycopy(fx, 0, img, 0, 24);
            System.arraycopy(fx, 32, img, 32, 128);
        }
        if ((rfbm & 2) != 0) {
            System.arraycopy(fx, 24, img, 24, 8);
            System.arraycopy(fx, 160, img, 160, 256);
        }
        long bv = FxsaveImage.getLong(img, HEADER), used = rfbm & inUse(c);
        if (compacted) {
            for (int i = HEADER; i < SIZE; i++) img[i] = 0;
            FxsaveImage.putLong(img, HEADER, used);
            FxsaveImage.putLong(img, HEADER + 8, COMPACTED | rfbm);
        } else {
            FxsaveImage.putLong(img, HEADER, (bv & ~rfbm) | used);
        }
        for (int i = 0; i < SIZE; i += 8) mem.write64(ea + i, FxsaveImage.getLong(img, i));
    }

    /** XINUSE: x87 (bit 0) unless FCW is 0x37f and all else zero/empty; SSE (bit 1) unless every XMM register is zero (MXCSR aside). */
    static long inUse(Cpu c) {
        X87 f = c.fpu;
        boolean x87 = f.cw != X87.DEFAULT_CW || f.statusWord() != 0 || f.valid != 0;
        for (int i = 0; i < 8 && !x87; i++) x87 = !f.regs[i].equals(Float80.POS_ZERO);
        boolean sse = false;
        for (int i = 0; i < 32 && !sse; i++) sse = c.xmm[i] != 0;
        return (x87 ? 1 : 0) | (sse ? 2 : 0);
    }

    /** XRSTOR, either format: requested components from the image, or their initial state. */
    static void restore(Cpu c, Memory mem, long ea) {
        long rfbm = rfbm(c);
        byte[] img = read(mem, ea);
        long bv = FxsaveImage.getLong(img, HEADER), comp = FxsaveImage.getLong(img, HEADER + 8);
        boolean compacted = comp < 0;
        if (compacted) {
            if ((comp & ~COMPACTED & ~XCR0) != 0 || (bv & ~comp) != 0) throw CpuFault.gp();
            for (int i = HEADER + 16; i < SIZE; i++) if (img[i] != 0) throw CpuFault.gp();
        } else {
            if ((bv & ~XCR0) != 0) throw CpuFault.gp();
            for (int i = HEADER + 8; i < HEADER + 24; i++) if (img[i] != 0) throw CpuFault.gp();
        }
        // MXCSR: from the image when SSE is requested (standard format), or when it is also in
        // XSTATE_BV (compacted); reserved bits are #GP before anything changes.
        boolean loadMxcsr = (rfbm & 2) != 0 && (!compacted || (bv & 2) != 0);
        int mxcsr = FxsaveImage.getInt(img, 24);
        if (loadMxcsr && (mxcsr & ~Mxcsr.WRITABLE) != 0) throw CpuFault.gp();
        byte[] fx = new byte[FxsaveImage.SIZE];
        c.fxsave(fx, 0);
        if ((rfbm & 1) != 0) {
            if ((bv & 1) != 0) {
                System.arraycopy(img, 0, fx, 0, 24);
                System.arraycopy(img, 32, fx, 32, 128);
            } else { // initial x87 state: FCW 0x37f, all else zero, every register empty
                for (int i = 0; i < 24; i++) fx[i] = 0;
                for (int i = 32; i < 160; i++) fx[i] = 0;
                FxsaveImage.putShort(fx, 0, X87.DEFAULT_CW);
            }
        }
        if ((rfbm & 2) != 0) {
            if ((bv & 2) != 0) System.arraycopy(img, 160, fx, 160, 256);
            else for (int i = 160; i < 416; i++) fx[i] = 0;
            FxsaveImage.putInt(fx, 24, loadMxcsr ? mxcsr : Mxcsr.DEFAULT);
        }
        c.fxrstor(fx, 0);
    }
}
