package dev.jux.platform;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Offsets and checks of the standard-format XSAVE image (Intel SDM vol. 1, 13.4) that
 * {@link Context#extendedState()} uses; shared by the platforms and the kernel's signal frames.
 */
public final class ExtendedState {
    private ExtendedState() {}

    /** The legacy region as FXSAVE writes it. */
    public static final int LEGACY_SIZE = 512;
    /** Legacy region plus the XSAVE header: the smallest XSAVE image. */
    public static final int MIN_SIZE = 576;
    public static final int FCW = 0, FSW = 2, FTW = 4, MXCSR = 24, MXCSR_MASK = 28, ST0 = 32, XMM0 = 160;
    /** Bytes 464..511 of the legacy region are free for software: Linux's fx_sw_bytes go there. */
    public static final int SW_RESERVED = 464;
    public static final int XSTATE_BV = 512, XCOMP_BV = 520, HEADER_RESERVED = 528;
    /** x87 and SSE: the components of the legacy region. */
    public static final long FP_SSE = 0x3;
    public static final int DEFAULT_FCW = 0x37f, DEFAULT_MXCSR = 0x1f80;
    /** MXCSR bits the CPUs Jux runs on accept (the FXSAVE MXCSR_MASK of every SSE2 CPU with DAZ). */
    public static final int MXCSR_VALID = 0xffff;

    /** The initial state (Linux's init_fpstate as a user sees it): FCW 0x37f, MXCSR 0x1f80, all else 0. */
    public static byte[] initial(int size) {
        byte[] image = new byte[Math.max(size, MIN_SIZE)];
        ByteBuffer b = le(image);
        b.putShort(FCW, (short) DEFAULT_FCW);
        b.putInt(MXCSR, DEFAULT_MXCSR);
        b.putInt(MXCSR_MASK, MXCSR_VALID);
        return image;
    }

    /** Why {@code image} would make XRSTOR fault under {@code features}, or null if it would not. */
    public static String invalidReason(byte[] image, long features) {
        if (image.length < MIN_SIZE) return "shorter than " + MIN_SIZE + " bytes";
        ByteBuffer b = le(image);
        if ((b.getInt(MXCSR) & ~MXCSR_VALID) != 0) return "MXCSR reserved bits";
        if ((b.getLong(XSTATE_BV) & ~features) != 0) return "XSTATE_BV names a disabled component";
        if (b.getLong(XCOMP_BV) != 0) return "XCOMP_BV set (compacted format)";
        for (int i = HEADER_RESERVED; i < MIN_SIZE; i++) if (image[i] != 0) return "reserved header bytes";
        return null;
    }

    public static ByteBuffer le(byte[] image) {
        return ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    }
}
