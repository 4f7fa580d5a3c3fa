package dev.jux.platform.interp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The loads and stores of translated blocks: the software TLB's hit path inline, everything
 * else through {@link Memory}. A block passes the CPU's TLB array ({@link #tlbOf}, once per
 * block entry) and guest RAM as a constant of its class, so after HotSpot inlines these small
 * methods an access is a mask, an array load, a compare and one access to guest RAM whose
 * segment checks fold. The compare is of the page of the access's LAST byte with the tag of
 * the entry its FIRST byte indexes: equal only if the entry maps that page for this kind of
 * access and the access does not cross into the next page (which has another entry). A miss,
 * a page crossing or a permission the entry lacks take {@link Memory}'s path (walk, fault,
 * byte by byte across pages) exactly as before. The fences are {@link PagedMemory}'s: acquire
 * after a load, release before a store (x86-TSO; "Atomics and memory ordering").
 */
public final class JitMemory {
    private JitMemory() {}

    private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final long PAGE = ~0xfffL;
    private static final int SHIFT = 2;   // ENTRY == 1 << SHIFT

    /** A TLB that never hits: for memory that is not {@link PagedMemory} over this RAM (tests' FlatMemory). */
    private static final long[] NO_TLB = new long[PagedMemory.ENTRY];

    static {
        java.util.Arrays.fill(NO_TLB, PagedMemory.NO_TAG);
    }

    /** The TLB a block uses with {@code m}: its own if it is paged memory over {@code ram}, else one that never hits. */
    public static long[] tlbOf(Memory m, MemorySegment ram) {
        return m instanceof PagedMemory p && p.jitView() == ram ? p.tlb() : NO_TLB;
    }

    /** Guest RAM of paged memory, else null (the translator then emits plain {@link Memory} calls). */
    static MemorySegment ramOf(Memory m) {
        return m instanceof PagedMemory p ? p.jitView() : null;
    }

    /**
     * The first slot of {@code va}'s entry: the page number's low bits times {@link
     * PagedMemory#ENTRY}, as one shift and one mask by the TLB's length (which can grow:
     * {@link PagedMemory#entryOf}).
     */
    private static int entry(long[] tlb, long va) {
        return (int) (va >>> (12 - SHIFT)) & (tlb.length - PagedMemory.ENTRY);
    }

    /**
     * Slot {@code kind} of the entry at {@code i} of {@code tlb}, masked with the array's length
     * minus one (a power of two: the same index): HotSpot turns the range check of {@code
     * a[x & (a.length - 1)]} into {@code a.length > 0}, which a loop hoists, where it cannot
     * know that a plain {@code i + kind} is below a length it does not know.
     */
    private static long slot(long[] tlb, int i, int kind) {
        return tlb[(i + kind) & (tlb.length - 1)];
    }

    /**
     * The offset in {@code ram} (a {@link dev.jux.platform.GuestRam#jitView()}) of a TLB hit,
     * masked so HotSpot can prove the access within the view's constant size: no bounds check.
     * A hit's offset is real RAM, below the mask, so the mask never changes it.
     */
    public static long offset(MemorySegment ram, long va, long delta) {
        return (va + delta) & (ram.byteSize() - 4097);
    }

    public static int read8(long[] tlb, MemorySegment ram, Memory m, long va) {
        int i = entry(tlb, va);
        if (slot(tlb, i, PagedMemory.READ) != (va & PAGE)) return m.read8(va);
        int v = ram.get(U8, offset(ram, va, slot(tlb, i, PagedMemory.DELTA))) & 0xff;
        VarHandle.acquireFence();
        return v;
    }

    public static int read16(long[] tlb, MemorySegment ram, Memory m, long va) {
        int i = entry(tlb, va);
        if (slot(tlb, i, PagedMemory.READ) != ((va + 1) & PAGE)) return m.read16(va);
        int v = ram.get(U16, offset(ram, va, slot(tlb, i, PagedMemory.DELTA))) & 0xffff;
        VarHandle.acquireFence();
        return v;
    }

    public static int read32(long[] tlb, MemorySegment ram, Memory m, long va) {
        int i = entry(tlb, va);
        if (slot(tlb, i, PagedMemory.READ) != ((va + 3) & PAGE)) return m.read32(va);
        int v = ram.get(U32, offset(ram, va, slot(tlb, i, PagedMemory.DELTA)));
        VarHandle.acquireFence();
        return v;
    }

    public static long read64(long[] tlb, MemorySegment ram, Memory m, long va) {
        int i = entry(tlb, va);
        if (slot(tlb, i, PagedMemory.READ) != ((va + 7) & PAGE)) return m.read64(va);
        long v = ram.get(U64, offset(ram, va, slot(tlb, i, PagedMemory.DELTA)));
        VarHandle.acquireFence();
        return v;
    }

    public static void write8(long[] tlb, MemorySegment ram, Memory m, long va, int v) {
        int i = entry(tlb, va);
        if (slot(tlb, i, PagedMemory.WRITE) != (va & PAGE)) {
            m.write8(va, v);
            return;
        }
        VarHandle.releaseFence();
        ram.set(U8, offset(ram, va, slot(tlb, i, PagedMemory.DELTA)), (byte) v);
    }

    public static void write16(long[] tlb, MemorySegment ram, Memory m, long va, int v) {
        int i = entry(tlb, va);
        if (slot(tlb, i, PagedMemory.WRITE) != ((va + 1) & PAGE)) {
            m.write16(va, v);
            return;
        }
        VarHandle.releaseFence();
        ram.set(U16, offset(ram, va, slot(tlb, i, PagedMemory.DELTA)), (short) v);
    }

    public static void write32(long[] tlb, MemorySegment ram, Memory m, long va, int v) {
        int i = entry(tlb, va);
        if (slot(tlb, i, PagedMemory.WRITE) != ((va + 3) & PAGE)) {
            m.write32(va, v);
            return;
        }
        VarHandle.releaseFence();
        ram.set(U32, offset(ram, va, slot(tlb, i, PagedMemory.DELTA)), v);
    }

    public static void write64(long[] tlb, MemorySegment ram, Memory m, long va, long v) {
        int i = entry(tlb, va);
        if (slot(tlb, i, PagedMemory.WRITE) != ((va + 7) & PAGE)) {
            m.write64(va, v);
            return;
        }
        VarHandle.releaseFence();
        ram.set(U64, offset(ram, va, slot(tlb, i, PagedMemory.DELTA)), v);
    }

    /**
     * The offset in {@code ram} of a {@code size}-byte access at {@code va} of {@code kind}
     * ({@link PagedMemory#READ} or {@link PagedMemory#WRITE}) if the TLB maps it within one
     * page, else -1 (a loop's access that leaves its block on a miss: {@code InlineEmitter}).
     */
    public static long hit(long[] tlb, MemorySegment ram, long va, int size, int kind) {
        int i = entry(tlb, va);
        if (slot(tlb, i, kind) != ((va + size - 1) & PAGE)) return -1;
        return offset(ram, va, slot(tlb, i, PagedMemory.DELTA));
    }

    public static int hostRead8(MemorySegment ram, long pa) {
        int v = ram.get(U8, pa) & 0xff;
        VarHandle.acquireFence();
        return v;
    }

    public static int hostRead16(MemorySegment ram, long pa) {
        int v = ram.get(U16, pa) & 0xffff;
        VarHandle.acquireFence();
        return v;
    }

    public static int hostRead32(MemorySegment ram, long pa) {
        int v = ram.get(U32, pa);
        VarHandle.acquireFence();
        return v;
    }

    public static long hostRead64(MemorySegment ram, long pa) {
        long v = ram.get(U64, pa);
        VarHandle.acquireFence();
        return v;
    }

    public static void hostWrite8(MemorySegment ram, long pa, int v) {
        VarHandle.releaseFence();
        ram.set(U8, pa, (byte) v);
    }

    public static void hostWrite16(MemorySegment ram, long pa, int v) {
        VarHandle.releaseFence();
        ram.set(U16, pa, (short) v);
    }

    public static void hostWrite32(MemorySegment ram, long pa, int v) {
        VarHandle.releaseFence();
        ram.set(U32, pa, v);
    }

    public static void hostWrite64(MemorySegment ram, long pa, long v) {
        VarHandle.releaseFence();
        ram.set(U64, pa, v);
    }
}
