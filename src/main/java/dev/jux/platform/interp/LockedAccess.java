package dev.jux.platform.interp;

import static dev.jux.platform.interp.Flags.mask;

/**
 * The memory a locked read-modify-write (a LOCK prefix, or XCHG with memory) runs against, so
 * that it is atomic against every other guest thread, plain stores included. The instruction's
 * first access translates its operand for writing (faulting as the locked write would) and
 * reads the naturally aligned 8-byte word that holds it, once; its reads see that value and
 * its write changes only a private copy. {@link #commit} then stores the new word with a
 * compare-and-set on guest RAM. If another CPU, or the kernel (Futexes), changed the word in
 * between, the compare-and-set fails; {@link #restore} puts the registers and RFLAGS back as
 * they were before the attempt and the executor runs the instruction again. The instruction
 * thus takes effect in one indivisible step, at the compare-and-set, as a locked instruction
 * on hardware does. The word is written even when the value is unchanged (a failed CMPXCHG
 * writes back what it read, as on hardware), which also makes every locked instruction a full
 * fence, as x86 requires.
 *
 * <p>Only one word may be touched: an operand that crosses an aligned 8-byte word (a split
 * lock, which also covers every page-crossing operand) or an access to a second word throws
 * {@link #SPLIT}, and the executor runs the instruction under its global lock instead.
 */
final class LockedAccess implements Memory {
    /** The instruction touches more than one aligned word; nothing has been written. */
    static final class Split extends RuntimeException {
        private Split() {
            super("locked access is not within one aligned 8-byte word", null, false, false);
        }
    }

    static final Split SPLIT = new Split();

    private final Memory mem;
    private final Cpu c;
    private final long[] savedRegs = new long[16];
    private long savedFlags;

    /** Whether this attempt has read its word; the word's key and linear address. */
    private boolean open;
    private long key, wordAddr;
    /** The word as read, and as the instruction left it. */
    private long before, after;

    LockedAccess(Memory mem, Cpu c) {
        this.mem = mem;
        this.c = c;
    }

    /** Whether the memory underneath supports compare-and-set on its words. */
    boolean available() {
        return mem.hasAtomicWords();
    }

    /** Starts the first attempt: remembers what an attempt may change in the CPU. */
    void save() {
        System.arraycopy(c.r, 0, savedRegs, 0, 16);
        savedFlags = c.rflags;
        open = false;
    }

    /** Undoes an attempt that did not commit (or stopped at a split lock). */
    void restore() {
        System.arraycopy(savedRegs, 0, c.r, 0, 16);
        c.rflags = savedFlags;
        open = false;
    }

    /** Stores the attempt's word if nobody changed it since it was read; true if done. */
    boolean commit() {
        return !open || mem.compareAndSetWord(key, before, after);
    }

    /** Opens the word holding [addr, addr+size) on the first access; the operand's bit offset in it. */
    private int shift(long addr, int size) {
        if ((addr & 7) + size > 8) throw SPLIT;
        long w = addr & ~7L;
        if (!open) {
            key = mem.lockWord(addr);
            wordAddr = w;
            before = after = mem.word(key);
            open = true;
        } else if (w != wordAddr) {
            throw SPLIT;
        }
        return (int) (addr & 7) * 8;
    }

    @Override
    public long read(long addr, int size) {
        int sh = shift(addr, size);
        return (after >>> sh) & mask(size);
    }

    @Override
    public void write(long addr, int size, long value) {
        int sh = shift(addr, size);
        long m = mask(size) << sh;
        after = (after & ~m) | ((value << sh) & m);
    }

    @Override
    public int read8(long addr) {
        return (int) read(addr, 1);
    }

    @Override
    public int read16(long addr) {
        return (int) read(addr, 2);
    }

    @Override
    public int read32(long addr) {
        return (int) read(addr, 4);
    }

    @Override
    public long read64(long addr) {
        return read(addr, 8);
    }

    @Override
    public void write8(long addr, int value) {
        write(addr, 1, value);
    }

    @Override
    public void write16(long addr, int value) {
        write(addr, 2, value);
    }

    @Override
    public void write32(long addr, int value) {
        write(addr, 4, value);
    }

    @Override
    public void write64(long addr, long value) {
        write(addr, 8, value);
    }

    @Override
    public int fetch8(long addr) {
        return mem.fetch8(addr);
    }
}
