package dev.jux.platform.interp;

/**
 * The interpreter's view of memory: every access goes to the memory underneath, and writes
 * are watched for the few pages whose decoded blocks the interpreter trusts. Each watched page
 * has a watch period (a number never used before); a write that touches the page starts a new
 * one, so a block checked against memory in an earlier period is checked again before it runs
 * (and the block being run stops after the write). On x86 a store to the next instructions
 * takes effect for them ("self-modifying code", isa_selfmod.c); this is how decoded blocks see
 * it. Whole-page granularity: a store to data that shares the page costs only a re-check.
 */
final class WatchedMemory implements Memory {
    /** Pages watched at once, direct-mapped by page number. */
    static final int WAYS = 256;

    private final Memory inner;
    /** Linear page numbers watched; an impossible one (non-canonical) in an empty slot. */
    private final long[] pages = new long[WAYS];
    /** The current watch period of each slot's page. */
    final int[] periods = new int[WAYS];
    private int lastPeriod;

    WatchedMemory(Memory inner) {
        this.inner = inner;
        forgetAll();
    }

    /** Watches the page of {@code addr} (keeping its period if it is watched already); returns its slot. */
    int watch(long addr) {
        long p = addr >>> 12;
        int k = (int) p & (WAYS - 1);
        if (pages[k] != p) {
            pages[k] = p;
            periods[k] = ++lastPeriod;
        }
        return k;
    }

    /** Ends every watch: nothing checked before is trusted any more. */
    void forgetAll() {
        for (int k = 0; k < WAYS; k++) {
            pages[k] = -1L >>> 1;
            periods[k] = ++lastPeriod;
        }
    }

    private void wrote(long addr, int size) {
        long p = addr >>> 12;
        int k = (int) p & (WAYS - 1);
        if (pages[k] == p) periods[k] = ++lastPeriod;
        long q = (addr + size - 1) >>> 12;
        if (q != p) {
            k = (int) q & (WAYS - 1);
            if (pages[k] == q) periods[k] = ++lastPeriod;
        }
    }

    @Override public int read8(long a) { return inner.read8(a); }
    @Override public int read16(long a) { return inner.read16(a); }
    @Override public int read32(long a) { return inner.read32(a); }
    @Override public long read64(long a) { return inner.read64(a); }
    @Override public long read(long a, int size) { return inner.read(a, size); }

    @Override public void write8(long a, int v) { wrote(a, 1); inner.write8(a, v); }
    @Override public void write16(long a, int v) { wrote(a, 2); inner.write16(a, v); }
    @Override public void write32(long a, int v) { wrote(a, 4); inner.write32(a, v); }
    @Override public void write64(long a, long v) { wrote(a, 8); inner.write64(a, v); }
    @Override public void write(long a, int size, long v) { wrote(a, size); inner.write(a, size, v); }

    @Override public int fetch8(long a) { return inner.fetch8(a); }
    @Override public boolean fetchWindow(long a, long[] out) { return inner.fetchWindow(a, out); }
    @Override public int fetchBytes(long a, byte[] dst, int len) { return inner.fetchBytes(a, dst, len); }
    @Override public boolean codeMatches(long a, long[] words, int length) { return inner.codeMatches(a, words, length); }

    @Override public boolean hasAtomicWords() { return inner.hasAtomicWords(); }
    /** A locked instruction's word is translated for writing here: it is the write's address. */
    @Override public long lockWord(long a) { wrote(a, 8); return inner.lockWord(a); }
    @Override public long word(long key) { return inner.word(key); }
    @Override public boolean compareAndSetWord(long key, long expected, long value) {
        return inner.compareAndSetWord(key, expected, value);
    }
}
