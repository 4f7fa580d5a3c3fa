package dev.jux.platform.interp;

import java.math.BigInteger;

/**
 * The x87's 80-bit packed BCD integers (FBLD/FBSTP): 18 decimal digits, two per byte in bytes
 * 0-8 (the low nibble the less significant digit), the sign in bit 7 of byte 9.
 */
final class PackedBcd {
    /** 10^18: the first magnitude FBSTP cannot store. */
    static final BigInteger LIMIT = BigInteger.TEN.pow(18);
    /** The packed BCD indefinite FBSTP stores for an invalid operand: FFFF C000 0000 0000 0000. */
    static final long INDEFINITE_LOW = 0xc000_0000_0000_0000L;
    static final int INDEFINITE_HIGH = 0xffff;

    private PackedBcd() {}

    /**
     * The value of a packed BCD number (low 8 bytes, then bytes 8-9). A nibble above 9 is
     * undefined on hardware; here it simply counts with its binary value.
     */
    static Float80 load(long low, int high) {
        long v = 0;
        for (int i = 8; i >= 0; i--) {
            int b = i == 8 ? high & 0xff : (int) (low >>> (8 * i)) & 0xff;
            v = v * 100 + (b >>> 4) * 10 + (b & 15);
        }
        boolean negative = (high & 0x8000) != 0;
        if (v == 0) return new Float80(negative ? 0x8000 : 0, 0);
        Float80 r = Float80.ofLong(v);
        return negative ? r.negate() : r;
    }

    /** {low 8 bytes, bytes 8-9} for a magnitude below 10^18. */
    static long[] store(long magnitude, boolean negative) {
        long low = 0;
        int high = negative ? 0x8000 : 0;
        for (int i = 0; i < 9; i++) {
            int b = (int) (magnitude % 10) | (int) (magnitude / 10 % 10) << 4;
            magnitude /= 100;
            if (i == 8) high |= b;
            else low |= (long) b << (8 * i);
        }
        return new long[] {low, high};
    }
}
