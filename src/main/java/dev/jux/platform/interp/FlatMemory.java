package dev.jux.platform.interp;

/**
 * Memory made of a few flat byte arrays at fixed linear addresses, with no permissions: for
 * instruction tests and tools. An access outside every region is a page fault (error code:
 * user, write bit as appropriate), as an unmapped page would be.
 */
public final class FlatMemory implements Memory {
    private long[] bases = new long[0];
    private byte[][] regions = new byte[0][];

    /** Adds a zero-filled region of {@code size} bytes at {@code base} and returns its bytes. */
    public byte[] map(long base, int size) {
        int n = bases.length;
        bases = java.util.Arrays.copyOf(bases, n + 1);
        regions = java.util.Arrays.copyOf(regions, n + 1);
        bases[n] = base;
        regions[n] = new byte[size];
        return regions[n];
    }

    private byte[] last;
    private long lastBase;

    /** The region holding all of [addr, addr+len), with lastBase set; else a page fault. */
    private byte[] region(long addr, int len, boolean write) {
        if (last != null && addr - lastBase >= 0 && addr - lastBase + len <= last.length) return last;
        for (int i = 0; i < bases.length; i++) {
            long off = addr - bases[i];
            if (off >= 0 && off + len <= regions[i].length) {
                last = regions[i];
                lastBase = bases[i];
                return last;
            }
        }
        throw CpuFault.pageFault(4 | (write ? 2 : 0), addr);
    }

    private long get(long addr, int len) {
        byte[] r = region(addr, len, false);
        int off = (int) (addr - lastBase);
        long v = 0;
        for (int i = len - 1; i >= 0; i--) v = (v << 8) | (r[off + i] & 0xff);
        return v;
    }

    private void put(long addr, int len, long v) {
        byte[] r = region(addr, len, true);
        int off = (int) (addr - lastBase);
        for (int i = 0; i < len; i++, v >>>= 8) r[off + i] = (byte) v;
    }

    @Override
    public boolean fetchWindow(long a, long[] out) {
        if ((a & 0xfff) > 0x1000 - 16) return false;
        out[0] = get(a, 8); // a fault here is the fetch's fault
        try {
            out[1] = get(a + 8, 8);
        } catch (CpuFault f) {
            return false; // the region ends inside the window: decode byte by byte
        }
        return true;
    }

    @Override public int read8(long a) { return (int) get(a, 1); }
    @Override public int read16(long a) { return (int) get(a, 2); }
    @Override public int read32(long a) { return (int) get(a, 4); }
    @Override public long read64(long a) { return get(a, 8); }
    @Override public void write8(long a, int v) { put(a, 1, v); }
    @Override public void write16(long a, int v) { put(a, 2, v); }
    @Override public void write32(long a, int v) { put(a, 4, v); }
    @Override public void write64(long a, long v) { put(a, 8, v); }

    /**
     * Words for locked instructions, so the instruction tests run them through
     * {@link LockedAccess} as on guest RAM. Atomic only against other locked instructions
     * (a monitor, not a hardware compare-and-set): this memory is for single-threaded tests.
     */
    @Override
    public boolean hasAtomicWords() {
        return true;
    }

    /** The key is the word's linear address. */
    @Override
    public long lockWord(long a) {
        region(a, 1, true);
        long word = a & ~7L;
        try {
            region(word, 8, true);
        } catch (CpuFault f) {
            throw LockedAccess.SPLIT;   // the word is not all in one region: the global lock
        }
        return word;
    }

    @Override
    public synchronized long word(long key) {
        return get(key, 8);
    }

    @Override
    public synchronized boolean compareAndSetWord(long key, long expected, long value) {
        if (get(key, 8) != expected) return false;
        put(key, 8, value);
        return true;
    }

    @Override
    public int fetch8(long a) {
        byte[] r = region(a, 1, false);
        return r[(int) (a - lastBase)] & 0xff;
    }
}
