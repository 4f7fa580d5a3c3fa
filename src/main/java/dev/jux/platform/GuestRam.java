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
    private final long reserved;

    public GuestRam(long size, long reservedBytes) {
        if (size % PAGE != 0 || reservedBytes % PAGE != 0 || reservedBytes >= size) {
            throw new IllegalArgumentException("bad guest RAM size " + size);
        }
        this.segment = Libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0);
        this.reserved = reservedBytes;
    }

    public MemorySegment segment() {
        return segment;
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
        Libc.munmap(segment);
    }
}
