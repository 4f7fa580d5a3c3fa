package dev.jux.platform.interp;

/**
 * Decoded instructions by linear RIP, so that a loop is decoded once rather than on every
 * pass. Direct-mapped; each entry keeps the instruction bytes it was decoded from, and a hit
 * needs those bytes to be what memory holds now ({@link Memory#fetchWindow}). So code that is
 * written (a JIT, self-modifying code, the kernel loading a new image at the same address, a
 * remapped page) is decoded again the next time it runs: nothing has to be invalidated, and
 * the check costs one page translation and two loads instead of a byte-by-byte decode.
 * Instructions whose 16-byte window crosses a page are not cached.
 */
final class DecodedCache {
    /**
     * 65536 entries (arrays of 1.8 MB per CPU; the Instructions are made as entries are first
     * used): cc1 -O2 on 300 lines missed 21% of 514 million lookups with 4096 entries, 8% with
     * 16384, 2.3% with 65536.
     */
    private static final int BITS = 16, SIZE = 1 << BITS;
    /** A tag no RIP can have (non-canonical): the entry is empty. */
    private static final long EMPTY = 1L << 62;

    private final long[] tags = new long[SIZE];
    private final long[] lo = new long[SIZE], hi = new long[SIZE];
    private final Instruction[] insns = new Instruction[SIZE];
    private final long[] window = new long[2];
    private final Decoder decoder;

    DecodedCache(Decoder decoder) {
        this.decoder = decoder;
        java.util.Arrays.fill(tags, EMPTY);   // entries get their Instruction when first used
    }

    /**
     * The instruction at {@code rip}, from the cache or decoded now; null if its bytes cross a
     * page (the caller decodes it the slow way). Faults as decoding would.
     */
    Instruction lookup(Memory memory, long rip) {
        if (!memory.fetchWindow(rip, window)) return null;
        int i = (int) (rip ^ (rip >>> BITS)) & (SIZE - 1);
        Instruction in = insns[i];
        long w0 = window[0], w1 = window[1];
        if (tags[i] == rip && sameBytes(in.length, w0 ^ lo[i], w1 ^ hi[i])) return in;
        if (in == null) in = insns[i] = new Instruction();
        tags[i] = EMPTY; // a decode that faults leaves the entry empty
        decoder.decode(memory, rip, in);
        tags[i] = rip;
        lo[i] = w0;
        hi[i] = w1;
        return in;
    }

    /** True if the first {@code length} bytes agree, given the XOR of the old and new windows. */
    private static boolean sameBytes(int length, long d0, long d1) {
        if (length <= 8) return length == 8 ? d0 == 0 : (d0 & ((1L << (8 * length)) - 1)) == 0;
        int rest = length - 8;
        return d0 == 0 && (d1 & ((1L << (8 * rest)) - 1)) == 0;
    }
}
