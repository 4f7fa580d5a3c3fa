package dev.jux.fs.vfs;

import java.lang.foreign.MemorySegment;

/**
 * The pages of a regular file that MAP_SHARED mappings hold (mm's page cache, attached by the
 * kernel while the file has shared mappings). read(2) and write(2) go through it so that they
 * agree with the mappings, as Linux's page cache makes them: a read sees bytes written through
 * a mapping and not yet written back; a write reaches the mapped pages at once.
 */
public interface MappedPages {
    /** {@code dst[0, n)} holds the file's bytes at {@code pos}: replaces those the mapped pages hold. */
    void overlay(long pos, MemorySegment dst, long n);

    /** {@code src} was just written to the file at {@code pos}: copies it into the mapped pages. */
    void written(long pos, MemorySegment src);

    /** True while some shared mapping of the file may write it (F_SEAL_WRITE is then EBUSY). */
    default boolean writableMappings() {
        return false;
    }
}
