package dev.jux.platform.interp;

/**
 * The guest's linear (virtual) memory as the interpreter sees it. Addresses are full 64-bit
 * linear addresses (segment base already added). Implementations throw {@link CpuFault} for a
 * page fault; a flat array for unit tests, and later guest RAM through the kernel's page
 * tables with a software TLB. Values are little-endian; reads return them zero-extended.
 */
public interface Memory {
    int read8(long addr);

    int read16(long addr);

    int read32(long addr);

    long read64(long addr);

    void write8(long addr, int value);

    void write16(long addr, int value);

    void write32(long addr, int value);

    void write64(long addr, long value);

    /** An instruction byte: like {@link #read8} but checks execute rather than read permission. */
    int fetch8(long addr);

    /**
     * The 16 bytes at {@code addr} as an instruction fetch sees them (execute permission
     * checked, faulting as {@link #fetch8} would on the first byte), as two little-endian
     * longs in {@code out}, if they lie in one page; false (and nothing read) otherwise. The
     * decoded-instruction cache compares them with the bytes it decoded.
     */
    default boolean fetchWindow(long addr, long[] out) {
        return false;
    }

    /**
     * Whether this memory offers the three methods below, with which a locked instruction
     * commits its write by a compare-and-set on the naturally aligned 8-byte word holding its
     * operand (see {@link LockedAccess}). Without them locked instructions take a global lock.
     */
    default boolean hasAtomicWords() {
        return false;
    }

    /**
     * Translates {@code addr} as a write would (faulting as the locked instruction's write
     * would) and returns a key for the aligned 8-byte word that contains it: on guest RAM its
     * guest-physical address, so a retry works on the same word even if the mapping changes.
     */
    default long lockWord(long addr) {
        throw new UnsupportedOperationException();
    }

    /** The word's current value (a volatile read). */
    default long word(long key) {
        throw new UnsupportedOperationException();
    }

    /** Sets the word to {@code value} if it still holds {@code expected}, atomically. */
    default boolean compareAndSetWord(long key, long expected, long value) {
        throw new UnsupportedOperationException();
    }

    /**
     * Copies up to {@code len} instruction bytes from {@code addr} into {@code dst}, as fetches
     * see them, stopping at the first byte that cannot be fetched; returns how many were
     * copied. Faults only if the first byte cannot be fetched. The JIT snapshots a block with it.
     */
    default int fetchBytes(long addr, byte[] dst, int len) {
        for (int i = 0; i < len; i++) {
            try {
                dst[i] = (byte) fetch8(addr + i);
            } catch (CpuFault f) {
                if (i == 0) throw f;
                return i;
            }
        }
        return len;
    }

    /**
     * True if the {@code length} bytes at {@code addr} (within one page) are those packed
     * little-endian in {@code words} (the last word zero-padded), read as instruction
     * fetches (faulting as a fetch of {@code addr} would). The JIT checks a translated block
     * against memory with it on every entry.
     */
    default boolean codeMatches(long addr, long[] words, int length) {
        return PackedBytes.fetched(this, addr, words, 0, length);
    }

    /** A read of {@code size} bytes (1, 2, 4, 8), zero-extended. */
    default long read(long addr, int size) {
        return switch (size) {
            case 1 -> read8(addr);
            case 2 -> read16(addr);
            case 4 -> read32(addr) & 0xffff_ffffL;
            default -> read64(addr);
        };
    }

    default void write(long addr, int size, long value) {
        switch (size) {
            case 1 -> write8(addr, (int) value);
            case 2 -> write16(addr, (int) value);
            case 4 -> write32(addr, (int) value);
            default -> write64(addr, value);
        }
    }
}
