package dev.jux.mm;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.platform.GuestRam;

/**
 * Hands out 4 KiB frames of guest RAM above the platform's reserved area, with a reference
 * count per frame (copy-on-write and shared mappings hold a frame more than once). Frames come
 * back zeroed: a fresh frame of the NORESERVE mapping is zero, and a reused one is cleared.
 */
public final class FrameAllocator {
    public static final long PAGE = 4096;

    private final GuestRam ram;
    private final int[] refs;
    private long[] free = new long[1024];
    private int freeCount;
    private long next;
    private final PageCache pageCache = new PageCache(this);

    public FrameAllocator(GuestRam ram) {
        this.ram = ram;
        this.refs = new int[(int) (ram.size() / PAGE)];
        this.next = ram.reservedBytes();
    }

    public GuestRam ram() {
        return ram;
    }

    /** The shared frames of files mapped MAP_SHARED, for every address space over this RAM. */
    public PageCache pageCache() {
        return pageCache;
    }

    /** A zeroed frame with one reference; ENOMEM when guest RAM is exhausted. */
    public synchronized long allocate() {
        long frame;
        if (freeCount > 0) {
            frame = free[--freeCount];
            ram.slice(frame, PAGE).fill((byte) 0);
        } else if (next < ram.size()) {
            frame = next;
            next += PAGE;
        } else {
            throw new LinuxException(Errno.ENOMEM, "guest RAM exhausted");
        }
        refs[(int) (frame / PAGE)] = 1;
        return frame;
    }

    public synchronized void retain(long frame) {
        refs[(int) (frame / PAGE)]++;
    }

    /** Drops one reference; the frame is free again when none remain. */
    public synchronized void release(long frame) {
        int i = (int) (frame / PAGE);
        if (refs[i] <= 0) throw new IllegalStateException("frame " + Long.toHexString(frame) + " released twice");
        if (--refs[i] == 0) {
            if (freeCount == free.length) free = java.util.Arrays.copyOf(free, free.length * 2);
            free[freeCount++] = frame;
        }
    }

    public synchronized int references(long frame) {
        return refs[(int) (frame / PAGE)];
    }

    /** Every frame the allocator may hand out (Linux's totalram_pages, for the overcommit heuristic). */
    public long totalFrames() {
        return (ram.size() - ram.reservedBytes()) / PAGE;
    }

    /** Frames in use, for accounting and tests. */
    public synchronized long usedFrames() {
        return (next - ram.reservedBytes()) / PAGE - freeCount;
    }
}
