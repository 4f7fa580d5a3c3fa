package dev.jux.mm;

import java.lang.foreign.MemorySegment;

/**
 * The file behind a file mapping, as mm/ sees it (mm/ does not import fs/: the system-call
 * layer adapts an open file to this). Pages are read from it on fault, and the pages of a
 * MAP_SHARED mapping are written back to it on msync, munmap and when the last mapping goes.
 */
public interface FileBacking {
    /** Reads up to {@code dst.byteSize()} bytes at {@code offset}; returns the count, short at end of file. */
    long read(long offset, MemorySegment dst);

    /** Writes {@code src} at {@code offset} (shared mappings' write-back); never called beyond {@link #size()}. */
    void write(long offset, MemorySegment src);

    /** The file's current size in bytes: pages wholly beyond it give SIGBUS. */
    long size();

    /**
     * What makes two backings the same file (the inode): MAP_SHARED mappings of one identity
     * share one set of frames. Compared with equals/hashCode.
     */
    Object identity();

    /** The device number as stat(2)'s st_dev encodes it, for /proc/PID/maps. */
    long device();

    /** The inode number for /proc/PID/maps. */
    long inode();

    /** The file's path as /proc/PID/maps shows it (asked each time: the file may be renamed or removed). */
    String path();

    /**
     * MAP_SHARED mappings of this file now share {@code pages}: reads and writes of the file
     * through fds should go through {@link SharedPages#overlay} and {@link SharedPages#written}
     * until {@link #detach}, to stay coherent with the mappings.
     */
    default void attach(SharedPages pages) {}

    /** The last shared mapping went: {@code pages} are written back and freed. */
    default void detach(SharedPages pages) {}

    /** Fills {@code dst} from {@code offset} up to the end of the file; the rest of {@code dst} is left as it is. */
    default void readFully(long offset, MemorySegment dst) {
        long done = 0;
        while (done < dst.byteSize()) {
            long n = read(offset + done, dst.asSlice(done));
            if (n <= 0) break;
            done += n;
        }
    }
}
