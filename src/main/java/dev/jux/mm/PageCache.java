package dev.jux.mm;

import java.util.HashMap;
import java.util.Map;

/**
 * The shared frames of every file that has MAP_SHARED mappings, keyed by the file's identity
 * ({@link FileBacking#identity()}): two shared mappings of one file, in one process or two,
 * get the same {@link SharedPages}. An entry lives while some VMA uses it. Private file
 * mappings do not use it (each reads its pages from the file).
 */
public final class PageCache {
    private final FrameAllocator frames;
    private final Map<Object, SharedPages> byIdentity = new HashMap<>();

    PageCache(FrameAllocator frames) {
        this.frames = frames;
    }

    /**
     * The shared pages of {@code file}, created empty if no mapping holds them, with one use
     * taken for the caller: it inserts its VMA (which attaches) and then detaches this one.
     */
    synchronized SharedPages acquire(FileBacking file) {
        SharedPages p = byIdentity.computeIfAbsent(file.identity(), k -> new SharedPages(frames, file, this));
        p.attach();
        return p;
    }

    synchronized void detach(SharedPages pages) {
        if (pages.detachNow() && byIdentity.get(pages.file().identity()) == pages) {
            byIdentity.remove(pages.file().identity());
        }
    }

    /** Files with shared pages now (for tests). */
    public synchronized int size() {
        return byIdentity.size();
    }
}
