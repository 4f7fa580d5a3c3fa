package dev.jux.platform;

import dev.jux.host.Libc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The guest's physical memory: one large MAP_NORESERVE host mapping, so only the pages the
 * guest really touches cost host memory. Guest-physical address {@code p} is byte {@code p}
 * of {@link #segment()}. The low {@link #reservedBytes()} belong to the platform (descriptor
 * tables, trampolines, ring-0 stacks); mm/ allocates frames from the rest.
 */
public final class GuestRam implements AutoCloseable {
    public static final long PAGE = 4096;

    private final MemorySegment segment;
    /** The whole mapping: {@link #segment()}, then zeros up to a power of two plus a page ({@link #jitView()}). */
    private final MemorySegment mapping;
    private final long reserved;

    public GuestRam(long size, long reservedBytes) {
        if (size % PAGE != 0 || reservedBytes % PAGE != 0 || reservedBytes >= size) {
            throw new IllegalArgumentException("bad guest RAM size " + size);
        }
        this.mapping = Libc.mmap(jitViewSize(size), Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0);
        this.segment = mapping.asSlice(0, size);
        this.reserved = reservedBytes;
    }

    public MemorySegment segment() {
        return segment;
    }

    /**
     * RAM seen by the interpreter's translated blocks: {@link #segment()} followed by mapped,
     * never used bytes up to a power of two at least the RAM's size, plus one page. An offset
     * masked with {@code byteSize() - PAGE - 1} then lies in the view for any access of up to a
     * page, which HotSpot can prove from the constant mask and the view's constant size, so it
     * drops the bounds check of each access (the mask changes no offset of real RAM). Costs
     * address space only (MAP_NORESERVE, never touched).
     */
    public MemorySegment jitView() {
        return mapping;
    }

    private static long jitViewSize(long size) {
        long pow2 = Long.highestOneBit(size);
        if (pow2 < size) pow2 <<= 1;
        return pow2 + PAGE;
    }

    public long size() {
        return segment.byteSize();
    }

    public long reservedBytes() {
        return reserved;
    }

    public long getLong(long phys) {
        return segment.get(ValueLayout.JAVA_LONG_UNALIGNED, phys);
    }

    public void putLong(long phys, long value) {
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, phys, value);
    }

    /** A view of one page (or any range) of guest-physical memory. */
    public MemorySegment slice(long phys, long len) {
        return segment.asSlice(phys, len);
    }

    /** Gives a page's host memory back and leaves it reading as zeros. */
    public void discard(long phys, long len) {
        Libc.madvise(segment.asSlice(phys, len), Libc.MADV_DONTNEED);
    }

    @Override
    public void close() {
        Libc.munmap(mapping);
    }
}
