package dev.jux.platform.interp;

/**
 * Instruction bytes packed little-endian into longs (the last one zero-padded), as decoded
 * and translated blocks keep the code they were made from, so that {@link Memory#codeMatches}
 * compares eight bytes at a time where memory allows.
 */
final class PackedBytes {
    private PackedBytes() {}

    /** {@code bytes[0..length)} packed. */
    static long[] pack(byte[] bytes, int length) {
        long[] words = new long[(length + 7) / 8];
        for (int i = 0; i < length; i++) words[i >> 3] |= (bytes[i] & 0xffL) << (8 * (i & 7));
        return words;
    }

    /** Byte {@code i} of {@code words}, 0-255. */
    static int at(long[] words, int i) {
        return (int) (words[i >> 3] >>> (8 * (i & 7))) & 0xff;
    }

    /**
     * True if bytes {@code from} to {@code to} (exclusive) of {@code words} are those at {@code
     * base + from...} in {@code memory}, fetched one by one as instructions (across pages too;
     * a fetch that cannot be made faults as it would).
     */
    static boolean fetched(Memory memory, long base, long[] words, int from, int to) {
        for (int i = from; i < to; i++) {
            if (memory.fetch8(base + i) != at(words, i)) return false;
        }
        return true;
    }
}
