package dev.jux.mm;

/**
 * One virtual memory area: a page-aligned range [start, end) with one protection. Protection
 * bits are the mmap PROT_* values.
 *
 * @param name how /proc/self/maps labels it ("[heap]", "[stack]", a path, or ""); a file
 *     mapping shows its file's path instead
 * @param file the file a file mapping reads its pages from, or null for anonymous memory
 * @param offset where {@code start} lies in the file (or in {@code shared}'s object), in bytes
 * @param shared the frames a MAP_SHARED mapping shares (file or anonymous), or null if private
 */
public record Vma(long start, long end, int prot, int flags, String name,
                  FileBacking file, long offset, SharedPages shared) {
    public static final int READ = 1, WRITE = 2, EXEC = 4;
    /**
     * Flags: MAP_SHARED semantics, the growable-stack marker, and NO_WRITE for a shared mapping
     * of a file not open for writing, which mprotect may not make writable (Linux's missing
     * VM_MAYWRITE).
     */
    public static final int SHARED = 1, GROWS_DOWN = 2, NO_WRITE = 4;
    /** madvise(MADV_DONTFORK): a fork child does not get this area; MADV_WIPEONFORK: it gets it empty. */
    public static final int DONT_FORK = 8, WIPE_ON_FORK = 16;
    /** mlock: the pages stay resident (LOCKED), filled in now or, with LOCK_ON_FAULT, when touched. */
    public static final int LOCKED = 32, LOCK_ON_FAULT = 64;
    /** MAP_NORESERVE: not charged against the overcommit limit. */
    public static final int NORESERVE = 128;
    /** Hints that only show in /proc/PID/smaps's VmFlags (MADV_SEQUENTIAL, RANDOM, HUGEPAGE, NOHUGEPAGE, DONTDUMP). */
    public static final int SEQ_READ = 256, RAND_READ = 512, HUGEPAGE = 1024, NOHUGEPAGE = 2048, DONT_DUMP = 4096;

    public Vma {
        if (start >= end || (start & 4095) != 0 || (end & 4095) != 0) {
            throw new IllegalArgumentException("bad VMA " + Long.toHexString(start) + "-" + Long.toHexString(end));
        }
    }

    /** An anonymous private (or, without a shared object yet, unshared) area. */
    public Vma(long start, long end, int prot, int flags, String name) {
        this(start, end, prot, flags, name, null, 0, null);
    }

    public long length() {
        return end - start;
    }

    public boolean contains(long address) {
        return address >= start && address < end;
    }

    /**
     * The same area cut to [newStart, newEnd): the offset in a file or shared object moves
     * with the start (private anonymous memory has none: it stays 0).
     */
    public Vma withRange(long newStart, long newEnd) {
        long newOffset = file != null || shared != null ? offset + (newStart - start) : offset;
        return new Vma(newStart, newEnd, prot, flags, name, file, newOffset, shared);
    }

    /** The same pages at another address (mremap): the offset stays. */
    public Vma movedTo(long newStart, long newEnd) {
        return new Vma(newStart, newEnd, prot, flags, name, file, offset, shared);
    }

    public Vma withFlags(int newFlags) {
        return new Vma(start, end, prot, newFlags, name, file, offset, shared);
    }

    public Vma withProt(int newProt) {
        return new Vma(start, end, newProt, flags, name, file, offset, shared);
    }

    /** Where {@code address} lies in the file or shared object, in pages. */
    public long pageIndex(long address) {
        return (offset + (address - start)) >>> 12;
    }

    /** What /proc/PID/maps shows as the name: the file's path for a file mapping. */
    public String label() {
        return file != null ? file.path() : name;
    }

    /** The leaf page-table flags for a page of this area (without the frame address). */
    public long pageFlags() {
        long f = PageTable.PRESENT | PageTable.USER | PageTable.ACCESSED;
        if ((prot & WRITE) != 0) f |= PageTable.WRITABLE | PageTable.DIRTY;
        if ((prot & EXEC) == 0) f |= PageTable.NO_EXECUTE;
        return f;
    }
}
