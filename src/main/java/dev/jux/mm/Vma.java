package dev.jux.mm;

/**
 * One virtual memory area: a page-aligned range [start, end) with one protection. Protection
 * bits are the mmap PROT_* values.
 *
 * @param name how /proc/self/maps labels it ("[heap]", "[stack]", a path, or "")
 */
public record Vma(long start, long end, int prot, int flags, String name) {
    public static final int READ = 1, WRITE = 2, EXEC = 4;
    /** Flags: MAP_SHARED semantics, and the growable-stack marker. */
    public static final int SHARED = 1, GROWS_DOWN = 2;

    public Vma {
        if (start >= end || (start & 4095) != 0 || (end & 4095) != 0) {
            throw new IllegalArgumentException("bad VMA " + Long.toHexString(start) + "-" + Long.toHexString(end));
        }
    }

    public long length() {
        return end - start;
    }

    public boolean contains(long address) {
        return address >= start && address < end;
    }

    public Vma withRange(long newStart, long newEnd) {
        return new Vma(newStart, newEnd, prot, flags, name);
    }

    public Vma withProt(int newProt) {
        return new Vma(start, end, newProt, flags, name);
    }

    /** The leaf page-table flags for a page of this area (without the frame address). */
    public long pageFlags() {
        long f = PageTable.PRESENT | PageTable.USER | PageTable.ACCESSED;
        if ((prot & WRITE) != 0) f |= PageTable.WRITABLE | PageTable.DIRTY;
        if ((prot & EXEC) == 0) f |= PageTable.NO_EXECUTE;
        return f;
    }
}
