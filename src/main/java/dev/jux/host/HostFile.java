package dev.jux.host;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An open host fd for a regular file, made by {@link HostDirectory#openFile}. Data moves with
 * pread/pwrite at explicit offsets, so threads share one HostFile without a shared position
 * (the guest's file position lives in the VFS). Buffers must be native segments (guest memory,
 * or an arena's). Failures throw {@link HostException} with the host errno; EINTR is retried.
 */
public final class HostFile implements AutoCloseable {
    private final HeldFd fd;

    HostFile(int fd) {
        this.fd = new HeldFd(fd);
    }

    /** Reads up to {@code dst.byteSize()} bytes at {@code offset}; returns the count, 0 at end of file. */
    public long pread(MemorySegment dst, long offset) {
        return fd.call("pread64", f -> LibcFiles.pread(f, dst, offset));
    }

    /**
     * Writes {@code src} at {@code offset}; returns the count, which may be short. Linux quirk
     * (pwrite(2) BUGS): on an O_APPEND file the data goes to the end whatever the offset.
     */
    public long pwrite(MemorySegment src, long offset) {
        return fd.call("pwrite64", f -> LibcFiles.pwrite(f, src, offset));
    }

    public HostStat stat() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(HostStat.SIZE, 8);
            fd.call("fstat", f -> Libc.fstat(f, st));
            return HostStat.decode(st);
        }
    }

    public long size() {
        return stat().size();
    }

    public void truncate(long length) {
        fd.call("ftruncate", f -> LibcFiles.ftruncate(f, length));
    }

    /** fallocate(2) with a LibcFiles.FALLOC_FL_* mode (0 allocates and extends the size). */
    public void fallocate(int mode, long offset, long length) {
        fd.call("fallocate", f -> LibcFiles.fallocate(f, mode, offset, length));
    }

    /**
     * lseek(2); for SEEK_DATA and SEEK_HOLE, which hostfs answers from the host's extents.
     * It moves this fd's own position, which nothing else here uses.
     */
    public long seek(long offset, int whence) {
        return fd.call("lseek", f -> LibcFiles.lseek(f, offset, whence));
    }

    public void fsync() {
        fd.call("fsync", LibcFiles::fsync);
    }

    public void fdatasync() {
        fd.call("fdatasync", LibcFiles::fdatasync);
    }

    public void chmod(int mode) {
        fd.call("fchmod", f -> LibcFiles.fchmod(f, mode));
    }

    /** fchown(2); -1 leaves the uid or gid as it is. */
    public void chown(int uid, int gid) {
        fd.call("fchown", f -> LibcFiles.fchown(f, uid, gid));
    }

    /** futimens(2); a nanosecond field may be LibcFiles.UTIME_NOW or UTIME_OMIT. */
    public void utimens(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment times = Timespecs.of(a, atimeSec, atimeNsec, mtimeSec, mtimeNsec);
            fd.call("futimens", f -> LibcFiles.futimens(f, times));
        }
    }

    /** The host's open flags (F_GETFL): access mode and status flags such as O_APPEND. */
    public int statusFlags() {
        return (int) fd.call("fcntl", f -> Libc.fcntl(f, Libc.F_GETFL, 0));
    }

    void setStatusFlags(int flags) {
        fd.call("fcntl", f -> Libc.fcntl(f, Libc.F_SETFL, flags));
    }

    /** Closes the host fd once calls running on other threads are done. Idempotent. */
    @Override
    public void close() {
        fd.close();
    }
}
