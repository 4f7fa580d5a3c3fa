package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.fs.File;
import dev.jux.abi.LinuxException;
import dev.jux.mm.AddressSpace;
import dev.jux.wait.Waiter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Moves data between a file and a user buffer. A buffer inside one page goes straight through
 * guest RAM; a larger one through a bounce buffer, so that the file sees one read or write
 * (a pipe or terminal must return what it has without blocking again, and a small write must
 * stay atomic).
 */
final class UserIo {
    private UserIo() {}

    /** Linux caps one read or write at MAX_RW_COUNT (INT_MAX rounded down to a page). */
    static final long MAX_RW_COUNT = 0x7ffff000L;
    private static final long BOUNCE_MAX = 16L << 20;

    /** One transfer between a file and a segment: a read, a pread at some offset... */
    @FunctionalInterface
    interface Transfer {
        long apply(MemorySegment segment);
    }

    static long read(Waiter waiter, File file, AddressSpace mem, long buf, long count) {
        if (count == 0 && file.readsNothing()) return file.read(waiter, MemorySegment.ofArray(new byte[0]));
        if (file.takesBeforeCopying()) return readThenCopy(waiter, file, mem, buf, count);
        return read(seg -> file.read(waiter, seg), mem, buf, count);
    }

    /** A read that takes its data first and copies it out after (see File.takesBeforeCopying): EFAULT comes last. */
    private static long readThenCopy(Waiter waiter, File file, AddressSpace mem, long buf, long count) {
        // Such reads return small records (an 8-byte count, inotify events of at most 272 bytes).
        return throughBounce(seg -> file.read(waiter, seg), mem, buf, Math.min(clamp(count), 64 * 1024));
    }

    static long write(Waiter waiter, File file, AddressSpace mem, long buf, long count) {
        if (count == 0 && file.writesNothing()) return file.write(waiter, MemorySegment.ofArray(new byte[0]));
        return write(seg -> file.write(waiter, seg), mem, buf, count);
    }

    static long read(Transfer file, AddressSpace mem, long buf, long count) {
        count = clamp(count);
        if (count == 0) return 0;
        if (onePage(buf, count)) return file.apply(mem.pageSegment(buf, (int) count, true));
        long n = Math.min(count, BOUNCE_MAX);
        mem.checkAccess(buf, n, true);
        return throughBounce(file, mem, buf, n);
    }

    /** Reads up to {@code n} bytes into a buffer of the kernel's, then copies what came to {@code buf}. */
    private static long throughBounce(Transfer file, AddressSpace mem, long buf, long n) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment bounce = a.allocate(n);
            long r = file.apply(bounce);
            mem.copyToUser(buf, bounce.asSlice(0, r));
            return r;
        }
    }

    static long write(Transfer file, AddressSpace mem, long buf, long count) {
        count = clamp(count);
        if (count == 0) return 0;
        if (onePage(buf, count)) return file.apply(mem.pageSegment(buf, (int) count, false));
        long n = Math.min(count, BOUNCE_MAX);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment bounce = a.allocate(n);
            // Linux writes what it could copy before the bad page; EFAULT only if nothing.
            long copied = mem.copyFromUserPartial(buf, bounce);
            if (copied == 0) throw new LinuxException(Errno.EFAULT);
            return file.apply(bounce.asSlice(0, copied));
        }
    }

    private static long clamp(long count) {
        if (count < 0) throw new LinuxException(Errno.EINVAL);
        return Math.min(count, MAX_RW_COUNT);
    }

    private static boolean onePage(long buf, long count) {
        return (buf & (AddressSpace.PAGE - 1)) + count <= AddressSpace.PAGE;
    }
}
