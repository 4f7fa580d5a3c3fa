package dev.jux.mm;

import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The frames of one shared memory object, by page index: a file that has MAP_SHARED mappings
 * (Linux's page cache of that inode), or one MAP_SHARED|MAP_ANONYMOUS mapping (Linux's shmem
 * object behind it). Every mapping of the object maps these same frames, so writes through one
 * are seen through all, in every process. The object holds one reference on each of its
 * frames; each page-table entry holds another.
 *
 * <p>The object lives while some VMA uses it ({@link VmaMap} counts them). For a file, pages
 * written through a mapping are marked dirty (a shared file page is mapped writable only on a
 * write fault, which dirties its whole fault-around window) and written back to the file by
 * msync, munmap and when the last VMA goes.
 *
 * <p>Coherent with read(2)/write(2) through the file's hooks ({@link FileBacking#attach}): a
 * read of the file sees the bytes these frames hold ({@link #overlay}), a write is copied into
 * them ({@link #written}). Private mappings are not: they read each page from the file once.
 */
public final class SharedPages {
    private final FrameAllocator frames;
    private final FileBacking file;
    private final PageCache cache;
    /** Told of each VMA of this object that appears or goes (System V shared memory's attachment count), or null. */
    private final VmaHooks hooks;
    private final Map<Long, Long> frameOf = new HashMap<>();
    private final BitSet dirty = new BitSet();
    private int users;
    /** VMAs that may write these pages (Linux's i_mmap_writable): shared, not NO_WRITE. */
    private int writers;
    private boolean closed;

    SharedPages(FrameAllocator frames, FileBacking file, PageCache cache) {
        this(frames, file, cache, null);
    }

    private SharedPages(FrameAllocator frames, FileBacking file, PageCache cache, VmaHooks hooks) {
        this.frames = frames;
        this.file = file;
        this.cache = cache;
        this.hooks = hooks;
        if (file != null) file.attach(this);
    }

    /** A shared anonymous object: zero-filled pages, nothing to write back. */
    public static SharedPages anonymous(FrameAllocator frames) {
        return new SharedPages(frames, null, null);
    }

    /**
     * A System V shared memory segment's pages (zero-filled, like {@link #anonymous}), held
     * once by the caller until {@link #release}, so that they outlive their mappings;
     * {@code hooks} hears of every VMA that maps them.
     */
    public static SharedPages segment(FrameAllocator frames, VmaHooks hooks) {
        SharedPages p = new SharedPages(frames, null, null, hooks);
        p.attach();
        return p;
    }

    /** The hooks given to {@link #segment}, or null. */
    public VmaHooks hooks() {
        return hooks;
    }

    /** Drops the hold {@link #segment} took: the frames go once no VMA maps them either. */
    public void release() {
        detach();
    }

    /** A VMA that maps this object entered an address space ({@link VmaMap}). */
    void vmaAdded() {
        attach();
        if (hooks != null) hooks.opened();
    }

    /** A VMA that mapped this object left its address space. */
    void vmaRemoved() {
        if (hooks != null) hooks.closed();
        detach();
    }

    public FileBacking file() {
        return file;
    }

    /**
     * The frame of page {@code index}, read from the file (zero past its end) or zeroed when
     * first asked for. The caller takes its own reference for its page-table entry.
     */
    synchronized long frame(long index) {
        Long f = frameOf.get(index);
        if (f != null) return f;
        long frame = frames.allocate();
        if (file != null) {
            MemorySegment page = frames.ram().slice(frame, AddressSpace.PAGE);
            file.readFully(index * AddressSpace.PAGE, page);
        }
        frameOf.put(index, frame);
        return frame;
    }

    /**
     * Replaces {@code dst[0, n)}, the file's bytes from {@code pos}, with what this object's
     * frames hold of them: read(2) then sees writes through mappings not yet written back.
     */
    public synchronized void overlay(long pos, MemorySegment dst, long n) {
        forEachPage(pos, n, (frame, inPage, at, k) -> MemorySegment.copy(frames.ram().segment(), frame + inPage, dst, at, k));
    }

    /** Copies {@code src}, just written to the file at {@code pos}, into the frames that hold those bytes. */
    public synchronized void written(long pos, MemorySegment src) {
        forEachPage(pos, src.byteSize(), (frame, inPage, at, k) -> MemorySegment.copy(src, at, frames.ram().segment(), frame + inPage, k));
    }

    private interface PagePart {
        void apply(long frame, long inPage, long at, long length);
    }

    /** Calls {@code part} for each piece of [pos, pos+n) that lies in a frame held here. */
    private void forEachPage(long pos, long n, PagePart part) {
        if (closed || frameOf.isEmpty()) return;
        long done = 0;
        while (done < n) {
            long at = pos + done;
            long inPage = at % AddressSpace.PAGE;
            long k = Math.min(AddressSpace.PAGE - inPage, n - done);
            Long frame = frameOf.get(at / AddressSpace.PAGE);
            if (frame != null) part.apply(frame, inPage, done, k);
            done += k;
        }
    }

    /** Frees the frames of pages [first, first + count) (a hole punched in shared anonymous memory). */
    synchronized void drop(long first, long count) {
        frameOf.entrySet().removeIf(e -> {
            if (e.getKey() < first || e.getKey() - first >= count) return false;
            frames.release(e.getValue());
            return true;
        });
    }

    /** True if page {@code index} has a frame here (mincore). */
    synchronized boolean has(long index) {
        return frameOf.containsKey(index);
    }

    /** Page {@code index} was (or may have been) written through a mapping. */
    synchronized void markDirty(long index) {
        if (file != null && index < Integer.MAX_VALUE) dirty.set((int) index);
    }

    synchronized boolean isDirty(long index) {
        return index < Integer.MAX_VALUE && dirty.get((int) index);
    }

    /**
     * Writes the dirty pages among [first, first + count) back to the file, never past its
     * end (the bytes of the last page beyond EOF stay in memory only, as on Linux).
     */
    synchronized void writeBack(long first, long count) {
        if (file == null || closed) return;
        long size = file.size();
        int from = (int) Math.min(first, Integer.MAX_VALUE);
        int to = (int) Math.min(first + count, Integer.MAX_VALUE);
        for (int i = dirty.nextSetBit(from); i >= 0 && i < to; i = dirty.nextSetBit(i + 1)) {
            long offset = i * AddressSpace.PAGE;
            Long frame = frameOf.get((long) i);
            if (frame != null && offset < size) {
                file.write(offset, frames.ram().slice(frame, Math.min(AddressSpace.PAGE, size - offset)));
            }
        }
    }

    synchronized void addWriters(int delta) {
        writers += delta;
    }

    /** True while some mapping may write these pages (memfd's F_SEAL_WRITE is then EBUSY). */
    public synchronized boolean hasWriters() {
        return writers > 0;
    }

    /** One more VMA uses this object. */
    synchronized void attach() {
        users++;
    }

    /** A VMA stops using it; the last one writes dirty pages back and frees the frames. */
    void detach() {
        if (cache != null) {
            cache.detach(this);
        } else {
            detachNow();
        }
    }

    /** Returns true when this was the last user and the object is now closed. */
    synchronized boolean detachNow() {
        if (--users > 0) return false;
        writeBack(0, Long.MAX_VALUE);
        if (file != null) file.detach(this);
        for (long f : frameOf.values()) frames.release(f);
        frameOf.clear();
        dirty.clear();
        closed = true;
        return true;
    }

    /** Frames held now (for tests and accounting). */
    public synchronized int residentPages() {
        return frameOf.size();
    }

    synchronized int users() {
        return users;
    }
}
