package dev.jux.fs.devfs;

import dev.jux.wait.Waiter;
import java.lang.foreign.MemorySegment;

/**
 * A character device driver (Linux's file_operations of a cdev), found by its device number
 * whichever file system holds the node: devfs, a tmpfs node made by mknod, a host node seen
 * through hostfs. Device files have no position: pread/pwrite behave as read/write and lseek
 * leaves the (unused) offset at 0, as for Linux's memory devices.
 */
public interface CharDevice {
    /** open(2) of the node; throws (ENXIO for /dev/tty without a controlling terminal) to refuse it. */
    default void open(int flags) {}

    long read(Waiter waiter, MemorySegment dst);

    long write(Waiter waiter, MemorySegment src);
}
