package dev.jux.platform.interp;

/**
 * A memory whose every write is reported to a {@link CodeWatch}: how the interpreter sees its
 * own stores to code on memories without a software TLB to do it (the tests' {@link
 * FlatMemory}; {@link PagedMemory} reports only the stores to watched pages, from its TLB).
 */
final class WatchedMemory implements Memory {
    private final Memory inner;
    private final CodeWatch watch = new CodeWatch(null);

    WatchedMemory(Memory inner) {
        this.inner = inner;
    }

    CodeWatch codeWatch() {
        return watch;
    }

    private void wrote(long addr, int size) {
        long first = addr >>> 12, last = (addr + size - 1) >>> 12;
        watch.wrote(first);
        if (last != first) watch.wrote(last);   // the write crosses into the next page
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
