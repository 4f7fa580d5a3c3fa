package dev.jux.platform.interp;

/** SSE4.2's CRC32 instruction: CRC-32C (Castagnoli, reflected 0x82F63B78), no inversion in or out. */
final class Crc32c {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int r = i;
            for (int k = 0; k < 8; k++) r = (r >>> 1) ^ (0x82f6_3b78 & -(r & 1));
            TABLE[i] = r;
        }
    }

    private Crc32c() {}

    /** Folds the low {@code size} bytes of {@code data} (least significant first) into {@code crc}. */
    static int update(int crc, long data, int size) {
        for (int i = 0; i < size; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ (int) (data >>> (8 * i))) & 0xff];
        return crc;
    }
}
