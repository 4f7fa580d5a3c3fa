package dev.jux.platform.interp;

import dev.jux.platform.GuestRam;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The guest's linear memory as user-mode code on an x86-64 CPU sees it: every address goes
 * through the four-level page table at CR3 in {@link GuestRam}, with the hardware's checks
 * (present, user, writable, no-execute; W and U must be granted at every level, NX at any
 * level forbids fetches), and a fault is a {@link CpuFault} #PF with Linux's error code bits:
 * P (the page was present), W (a write), U (always: there is no ring 0 here) and I/D (an
 * instruction fetch). A non-canonical address is #GP(0).
 *
 * <p>Translations are cached in a direct-mapped software TLB (keyed by virtual page, holding
 * the physical page and what the walk allowed; see {@link #tlb} for its size). Only successful walks
 * are cached, and a cached entry that does not allow an access is walked again, so a page the
 * kernel makes more permissive (demand paging, copy-on-write breaks) is seen without a flush;
 * removing or narrowing a mapping needs {@link #flush}, which the context does when the
 * platform's generation changes ({@code Platform.invalidateTranslations()}). The write tag of a
 * page whose code the interpreter trusts stays empty ({@link CodeWatch}), so stores to it walk
 * and are reported.
 *
 * <p>This walks the page-table format, not mm/'s classes: platform/ sits below mm/.
 */
public final class PagedMemory implements Memory {
    static final long PRESENT = 1, WRITABLE = 2, USER = 4, LARGE = 0x80;
    static final long ADDRESS_MASK = 0x000f_ffff_ffff_f000L;
    /** Page-fault error code bits. */
    public static final long PF_P = 1, PF_W = 2, PF_U = 4, PF_ID = 0x10;

    /** The kinds of access, which are also the slots of an entry's tags in {@link #tlb}. */
    static final int READ = 0, WRITE = 1, EXEC = 2;
    /** Slot of an entry's physical-minus-virtual delta; longs per entry. */
    static final int DELTA = 3, ENTRY = 4;
    /**
     * The TLB's entries: {@code 1 << MIN_TLB_BITS} at first, up to {@code 1 << MAX_TLB_BITS}
     * (1 MiB, mapping 128 MiB) for a CPU whose pages keep evicting each other ({@link #walk}).
     */
    static final int MIN_TLB_BITS = 8, MAX_TLB_BITS = 15;
    /** How many filled entries a flush clears one by one; more and it clears the whole TLB. */
    private static final int FILL_LOG = 2048;
    /** A tag that matches no page address (tags are page-aligned). */
    static final long NO_TAG = -1;
    private static final long PAGE_MASK = 0xfff;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    /** Aligned 8-byte words of guest RAM, for the locked instructions' compare-and-set. */
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    private final GuestRam ram;
    private final MemorySegment seg;
    /** {@link GuestRam#jitView()}: what translated blocks access guest RAM through. */
    private final MemorySegment jitView;
    private final long ramSize;
    private long cr3 = -1;

    /**
     * The software TLB, {@link #ENTRY} longs per entry: the virtual page address as the read,
     * write and execute tags (each {@link #NO_TAG} if the walk did not allow that access), and
     * the guest-physical minus the virtual page address. Translated blocks look up the read
     * and write tags inline ({@link JitMemory}): one compare of the access's last byte's page
     * with the tag checks the entry, the permission and that the access stays in the page.
     * Its length is a power of two, and the entry of a page is its number masked by the
     * length, so it can grow: it starts small (most processes are short and touch few
     * pages) and grows fourfold once walks have evicted twice as many valid entries as it
     * has since it last grew, up to {@link #MAX_TLB_BITS}: a loop over an array larger than
     * the TLB maps (a sieve over 100 MB) would otherwise miss on every page it enters. The
     * memory is bounded by what the guest touches: 32 bytes an entry, an entry per 4 KiB page.
     * A block that holds the old array (fetched once per entry) keeps using it until it
     * returns to the dispatcher; nothing flushes before that (flushes happen between blocks).
     */
    private long[] tlb = new long[ENTRY << MIN_TLB_BITS];
    /** Valid entries replaced by walks since the TLB last grew. */
    private int evictions;
    /** The first slots of the entries filled since the last flush, while there are at most {@link #FILL_LOG}. */
    private final int[] filled = new int[FILL_LOG];
    private int filledCount;
    /** The pages of code the interpreter trusts: their write tags stay empty, so stores to them walk and are seen. */
    private final CodeWatch watch = new CodeWatch(this);

    public PagedMemory(GuestRam ram) {
        this.ram = ram;
        this.seg = ram.segment();
        this.jitView = ram.jitView();
        this.ramSize = ram.size();
        java.util.Arrays.fill(tlb, NO_TAG);
    }

    /** Guest RAM, which the physical addresses of {@link #tlb()} index. */
    MemorySegment segment() {
        return seg;
    }

    /** Guest RAM as translated blocks see it ({@link GuestRam#jitView()}; {@link JitMemory}). */
    MemorySegment jitView() {
        return jitView;
    }

    /** This CPU's watch over the pages of code it runs (see {@link CodeWatch}). */
    CodeWatch codeWatch() {
        return watch;
    }

    /** The software TLB itself, for translated blocks' inline lookups (see {@link #tlb}). */
    long[] tlb() {
        return tlb;
    }

    /** The first slot of {@code va}'s entry in a TLB of {@code length} longs. */
    static int entryOf(long va, int length) {
        return (int) (va >>> 12) * ENTRY & (length - ENTRY);
    }

    /** Page number {@code page} is watched code: empties its write tag, so its next store walks and is seen. */
    void forbidWrites(long page) {
        int i = entryOf(page << 12, tlb.length) + WRITE;
        if (tlb[i] == page << 12) tlb[i] = NO_TAG;
    }

    /** Loads CR3: the guest-physical address of the PML4. Drops every cached translation. */
    public void setRoot(long pml4) {
        if (pml4 < 0 || pml4 + GuestRam.PAGE > ramSize || (pml4 & PAGE_MASK) != 0) {
            throw new IllegalArgumentException("page-table root 0x" + Long.toHexString(pml4) + " is not a page of guest RAM");
        }
        cr3 = pml4;
        flush();
    }

    public long root() {
        return cr3;
    }

    /**
     * Drops every cached translation (a TLB flush): the entries filled since the last one, or
     * all of them if there were more than {@link #FILL_LOG} (every munmap or mprotect in any
     * process flushes every CPU, so a large TLB must not cost its size each time).
     */
    public void flush() {
        if (filledCount > FILL_LOG) {
            java.util.Arrays.fill(tlb, NO_TAG);
        } else {
            for (int k = 0; k < filledCount; k++) {
                int i = filled[k];
                tlb[i + READ] = NO_TAG;
                tlb[i + WRITE] = NO_TAG;
                tlb[i + EXEC] = NO_TAG;
            }
        }
        filledCount = 0;
    }

    /** The guest-physical address of {@code va} for an access of {@code size} bytes within one page. */
    private long translate(long va, int access) {
        int i = entryOf(va, tlb.length);
        if (tlb[i + access] == (va & ~PAGE_MASK)) return va + tlb[i + DELTA];
        return walk(va, access) | (va & PAGE_MASK);
    }

    /** Walks the tables for {@code va}, checks {@code access}, caches and returns the physical page. */
    private long walk(long va, int access) {
        if (cr3 < 0) throw new IllegalStateException("no page-table root set");
        if (!Cpu.canonical(va)) throw CpuFault.gp();
        long table = cr3;
        long allowed = WRITABLE | USER;
        boolean noExec = false;
        long frame = -1;
        for (int level = 3; level >= 0; level--) {
            long e = ram.getLong(table + 8 * ((va >>> (12 + 9 * level)) & 511));
            if ((e & PRESENT) == 0) throw fault(false, access, va);
            allowed &= e;
            noExec |= e < 0;
            long base = e & ADDRESS_MASK;
            if (level == 0) {
                frame = base;
            } else if ((level == 1 || level == 2) && (e & LARGE) != 0) {
                long size = 1L << (12 + 9 * level);   // a 2 MiB or 1 GiB page
                frame = (base & ~(size - 1)) | (va & (size - 1) & ~PAGE_MASK);
                break;
            } else {
                table = base;
                if (table + GuestRam.PAGE > ramSize) throw outsideRam(va, table);
            }
        }
        if ((allowed & USER) == 0
                || (access == WRITE && (allowed & WRITABLE) == 0)
                || (access == EXEC && noExec)) {
            throw fault(true, access, va);
        }
        if (frame + GuestRam.PAGE > ramSize) throw outsideRam(va, frame);
        long page = va & ~PAGE_MASK;
        int i = entryOf(va, tlb.length);
        long old = tlb[i + READ];
        if (old != page) {
            if (old != NO_TAG && ++evictions > 2 * (tlb.length / ENTRY) && tlb.length < ENTRY << MAX_TLB_BITS) {
                grow();
                i = entryOf(va, tlb.length);
            }
            if (filledCount < FILL_LOG) filled[filledCount++] = i;
            else filledCount = FILL_LOG + 1;   // too many to clear one by one
        }
        if (access == WRITE) watch.wrote(va >>> 12);   // a store to watched code: the watch ends (CodeWatch)
        tlb[i + DELTA] = frame - page;
        tlb[i + READ] = page;
        tlb[i + WRITE] = (allowed & WRITABLE) != 0 && !watch.watches(va >>> 12) ? page : NO_TAG;
        tlb[i + EXEC] = noExec ? NO_TAG : page;
        return frame;
    }

    /** A TLB four times the size, empty (see {@link #tlb}). */
    private void grow() {
        tlb = new long[Math.min(tlb.length * 4, ENTRY << MAX_TLB_BITS)];
        java.util.Arrays.fill(tlb, NO_TAG);
        filledCount = 0;
        evictions = 0;
    }

    private static CpuFault fault(boolean present, int access, long va) {
        long code = PF_U | (present ? PF_P : 0) | (access == WRITE ? PF_W : 0) | (access == EXEC ? PF_ID : 0);
        return CpuFault.pageFault(code, va);
    }

    private static IllegalStateException outsideRam(long va, long phys) {
        return new IllegalStateException("page table maps 0x" + Long.toHexString(va)
                + " to guest-physical 0x" + Long.toHexString(phys) + ", outside guest RAM");
    }

    private static boolean crosses(long va, int size) {
        return (va & PAGE_MASK) + size > GuestRam.PAGE;
    }

    /** A read that spans two pages: both are checked before any byte is used. */
    private long readCrossing(long va, int size) {
        long first = translate(va, READ);
        long second = translate((va | PAGE_MASK) + 1, READ);
        int inFirst = (int) (GuestRam.PAGE - (va & PAGE_MASK));
        long v = 0;
        for (int k = size - 1; k >= 0; k--) {
            long pa = k < inFirst ? first + k : second + (k - inFirst);
            v = (v << 8) | (seg.get(ValueLayout.JAVA_BYTE, pa) & 0xff);
        }
        return v;
    }

    /** A write that spans two pages: both must be writable before either is changed, as on hardware. */
    private void writeCrossing(long va, int size, long v) {
        long first = translate(va, WRITE);
        long second = translate((va | PAGE_MASK) + 1, WRITE);
        int inFirst = (int) (GuestRam.PAGE - (va & PAGE_MASK));
        for (int k = 0; k < size; k++, v >>>= 8) {
            long pa = k < inFirst ? first + k : second + (k - inFirst);
            seg.set(ValueLayout.JAVA_BYTE, pa, (byte) v);
        }
    }

    // Guest loads and stores keep x86-TSO's order between guest threads: an acquire fence
    // after every load (no later load or store is moved above it) and a release fence before
    // every store (no earlier load or store is moved below it). On x86 hosts these emit no
    // instruction; they only stop the JIT compiler from reordering or merging the accesses.
    // See platform-interp.md, "Atomics and memory ordering".

    @Override
    public int read8(long a) {
        int v = seg.get(ValueLayout.JAVA_BYTE, translate(a, READ)) & 0xff;
        VarHandle.acquireFence();
        return v;
    }

    @Override
    public int read16(long a) {
        int v = crosses(a, 2) ? (int) readCrossing(a, 2) : seg.get(U16, translate(a, READ)) & 0xffff;
        VarHandle.acquireFence();
        return v;
    }

    @Override
    public int read32(long a) {
        int v = crosses(a, 4) ? (int) readCrossing(a, 4) : seg.get(U32, translate(a, READ));
        VarHandle.acquireFence();
        return v;
    }

    @Override
    public long read64(long a) {
        long v = crosses(a, 8) ? readCrossing(a, 8) : seg.get(U64, translate(a, READ));
        VarHandle.acquireFence();
        return v;
    }

    @Override
    public void write8(long a, int v) {
        VarHandle.releaseFence();
        seg.set(ValueLayout.JAVA_BYTE, translate(a, WRITE), (byte) v);
    }

    @Override
    public void write16(long a, int v) {
        VarHandle.releaseFence();
        if (crosses(a, 2)) writeCrossing(a, 2, v);
        else seg.set(U16, translate(a, WRITE), (short) v);
    }

    @Override
    public void write32(long a, int v) {
        VarHandle.releaseFence();
        if (crosses(a, 4)) writeCrossing(a, 4, v);
        else seg.set(U32, translate(a, WRITE), v);
    }

    @Override
    public void write64(long a, long v) {
        VarHandle.releaseFence();
        if (crosses(a, 8)) writeCrossing(a, 8, v);
        else seg.set(U64, translate(a, WRITE), v);
    }

    @Override
    public boolean hasAtomicWords() {
        return true;
    }

    @Override
    public long lockWord(long a) {
        return translate(a, WRITE) & ~7L;
    }

    @Override
    public long word(long pa) {
        return (long) WORD.getVolatile(seg, pa);
    }

    @Override
    public boolean compareAndSetWord(long pa, long expected, long value) {
        return WORD.compareAndSet(seg, pa, expected, value);
    }

    @Override
    public boolean fetchWindow(long a, long[] out) {
        if ((a & PAGE_MASK) > GuestRam.PAGE - 16) return false;
        long pa = translate(a, EXEC);
        out[0] = seg.get(U64, pa);
        out[1] = seg.get(U64, pa + 8);
        return true;
    }

    @Override
    public int fetchBytes(long a, byte[] dst, int len) {
        int n = (int) Math.min(len, GuestRam.PAGE - (a & PAGE_MASK));
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, translate(a, EXEC), dst, 0, n);
        return n;
    }

    /** One translation, then a long compare per 8 bytes (cheaper than a bulk mismatch for a block's few words). */
    @Override
    public boolean codeMatches(long a, long[] words, int length) {
        long pa = translate(a, EXEC);
        int full = length >>> 3;
        for (int i = 0; i < full; i++) {
            if (seg.get(U64, pa + 8L * i) != words[i]) return false;
        }
        int rest = length & 7;
        if (rest == 0) return true;
        long at = pa + 8L * full, tail = 0;
        if (((a + 8L * full) & PAGE_MASK) <= GuestRam.PAGE - 8) {
            tail = seg.get(U64, at) & ((1L << (8 * rest)) - 1);   // the bytes after the block are in the same page
        } else {
            for (int k = 0; k < rest; k++) tail |= (seg.get(ValueLayout.JAVA_BYTE, at + k) & 0xffL) << (8 * k);
        }
        return tail == words[full];
    }

    @Override
    public int fetch8(long a) {
        return seg.get(ValueLayout.JAVA_BYTE, translate(a, EXEC)) & 0xff;
    }
}
