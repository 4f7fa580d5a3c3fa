package dev.jux.mm;

import dev.jux.platform.GuestRam;

/**
 * A four-level x86-64 page table in guest RAM, written by Jux. Leaf entries map 4 KiB pages;
 * the intermediate levels always grant user, write and execute, so that only the leaf decides
 * a page's permissions.
 */
public final class PageTable {
    public static final long PRESENT = 1, WRITABLE = 2, USER = 4, ACCESSED = 0x20, DIRTY = 0x40;
    public static final long NO_EXECUTE = 1L << 63;
    public static final long ADDRESS_MASK = 0x000f_ffff_ffff_f000L;
    private static final long TABLE_FLAGS = PRESENT | WRITABLE | USER;

    private final FrameAllocator frames;
    private final GuestRam ram;
    private long root;
    /**
     * While non-null, a change is being made on copies ({@link #startCopying}): the table
     * frames made during it, which may be written in place; any other table on a changed
     * path is copied first and its old frame collected in {@link #replaced}.
     */
    private java.util.Set<Long> fresh;
    private java.util.List<Long> replaced;

    public PageTable(FrameAllocator frames, long[][] kernelEntries) {
        this.frames = frames;
        this.ram = frames.ram();
        this.root = frames.allocate();
        for (long[] e : kernelEntries) ram.putLong(root + 8 * e[0], e[1]);
    }

    /** Guest-physical address of the PML4, for CR3. */
    public long root() {
        return root;
    }

    private static int index(long va, int level) {
        return (int) ((va >>> (12 + 9 * level)) & 511);
    }

    /** The leaf entry for {@code va}, or 0 if any level is absent. */
    public long lookup(long va) {
        long table = root;
        for (int level = 3; level > 0; level--) {
            long e = ram.getLong(table + 8L * index(va, level));
            if ((e & PRESENT) == 0) return 0;
            table = e & ADDRESS_MASK;
        }
        return ram.getLong(table + 8L * index(va, 0));
    }

    /** Sets the leaf entry for {@code va}, creating intermediate tables as needed; returns the old entry. */
    public long set(long va, long entry) {
        if (fresh != null) {
            if (entry == 0 && lookup(va) == 0) return 0;
            if (!fresh.contains(root)) root = copyOf(root);
        }
        long table = root;
        for (int level = 3; level > 0; level--) {
            long at = table + 8L * index(va, level);
            long e = ram.getLong(at);
            if ((e & PRESENT) == 0) {
                if (entry == 0) return 0;
                long created = frames.allocate();
                if (fresh != null) fresh.add(created);
                e = created | TABLE_FLAGS;
                ram.putLong(at, e);
            } else if (fresh != null && !fresh.contains(e & ADDRESS_MASK)) {
                e = copyOf(e & ADDRESS_MASK) | (e & ~ADDRESS_MASK);
                ram.putLong(at, e);
            }
            table = e & ADDRESS_MASK;
        }
        long at = table + 8L * index(va, 0);
        long old = ram.getLong(at);
        ram.putLong(at, entry);
        return old;
    }

    /**
     * From now until {@link #stopCopying}, changes leave every existing table untouched: a
     * table on the path of a changed entry is copied to a new frame first (the root too), so
     * the old tree stays as a CPU may have cached it, and the new one (at {@link #root()}) is
     * one no CPU has seen. On the paravirtual KVM, whose shadow page tables never notice a
     * host-side change to a table, that replaces dropping every shadow page of every process.
     */
    public void startCopying() {
        fresh = new java.util.HashSet<>();
        replaced = new java.util.ArrayList<>();
    }

    /** Ends {@link #startCopying}; returns the frames of the tables that were replaced (none if nothing changed). */
    public long[] stopCopying() {
        long[] old = replaced == null ? new long[0] : replaced.stream().mapToLong(Long::longValue).toArray();
        fresh = null;
        replaced = null;
        return old;
    }

    private long copyOf(long table) {
        long copy = frames.allocate();
        ram.segment().asSlice(copy, 4096).copyFrom(ram.segment().asSlice(table, 4096));
        fresh.add(copy);
        replaced.add(table);
        return copy;
    }

    /** Receives the leaf entries {@link #forEach} finds. */
    public interface LeafVisitor {
        void visit(long va, long entry);
    }

    /**
     * Calls {@code visitor} for every non-zero leaf entry of [start, end), in address order,
     * skipping absent tables: a sparse range costs what its tables hold, not its length.
     */
    public void forEach(long start, long end, LeafVisitor visitor) {
        walk(root, 3, 0, start, end, visitor);
    }

    private void walk(long table, int level, long base, long start, long end, LeafVisitor visitor) {
        long span = 1L << (12 + 9 * level);
        int first = (int) Math.max(0, (start - base) / span);
        int last = (int) Math.min(511, (end - 1 - base) / span);
        for (int i = first; i <= last; i++) {
            long va = base + i * span;
            long e = ram.getLong(table + 8L * i);
            if (level == 0) {
                if (e != 0) visitor.visit(va, e);
            } else if ((e & PRESENT) != 0) {
                walk(e & ADDRESS_MASK, level - 1, va, start, end, visitor);
            }
        }
    }

    /**
     * Takes the user half's table pages and the root out of use and returns their frames, for
     * the caller to release (leaves must already be cleared by the caller). The caller, not
     * this, releases them: on KVM a page-table frame must not serve as a table again until the
     * platform has dropped the translations cached from it (see Platform.retireTables).
     */
    public long[] destroy() {
        java.util.ArrayList<Long> tables = new java.util.ArrayList<>();
        for (int i = 0; i < 256; i++) {
            long e = ram.getLong(root + 8L * i);
            if ((e & PRESENT) != 0) collectTables(e & ADDRESS_MASK, 2, tables);
        }
        tables.add(root);
        return tables.stream().mapToLong(Long::longValue).toArray();
    }

    private void collectTables(long table, int level, java.util.List<Long> tables) {
        if (level > 0) {
            for (int i = 0; i < 512; i++) {
                long e = ram.getLong(table + 8L * i);
                if ((e & PRESENT) != 0) collectTables(e & ADDRESS_MASK, level - 1, tables);
            }
        }
        tables.add(table);
    }
}
