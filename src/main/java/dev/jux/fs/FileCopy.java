package dev.jux.fs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.SeekWhence;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.VfsFile;
import dev.jux.wait.Waiter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * In-kernel copies between open files: sendfile(2) and copy_file_range(2), through the files'
 * own read and write paths, with Linux's checks in Linux's order (do_sendfile,
 * generic_copy_file_checks).
 */
public final class FileCopy {
    private FileCopy() {}

    /** Linux's MAX_RW_COUNT. */
    public static final long MAX_RW_COUNT = 0x7ffff000L;
    private static final int CHUNK = 1 << 16;

    /** The result of a copy: bytes moved and the input position after it. */
    public record Result(long count, long inPos) {}

    /**
     * sendfile(2) after the fds were looked up: reads {@code in} at {@code pos} (or at its
     * file offset when {@code pos} is null) and writes to {@code out} at its file offset.
     */
    public static Result sendfile(Waiter waiter, File in, File out, Long pos, long count) {
        if (in.isPathOnly() || !FileFlags.readable(in.statusFlags())) throw new LinuxException(Errno.EBADF);
        long at;
        if (pos == null) {
            at = in instanceof VfsFile ? in.seek(0, SeekWhence.SEEK_CUR) : 0;
        } else {
            if (!(in instanceof VfsFile)) throw new LinuxException(Errno.ESPIPE);
            at = pos;
        }
        if (count < 0 || at < 0) throw new LinuxException(Errno.EINVAL);
        count = Math.min(count, MAX_RW_COUNT);
        if (out.isPathOnly() || !FileFlags.writable(out.statusFlags())) throw new LinuxException(Errno.EBADF);
        boolean toPipe = out.pipe() != null;
        if (!toPipe && (out.statusFlags() & OpenFlags.O_APPEND) != 0) throw new LinuxException(Errno.EINVAL);
        if (!(in instanceof VfsFile vf) || !vf.inode().isRegular()) throw new LinuxException(Errno.EINVAL);
        if (count == 0) return new Result(0, at);
        long done = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(CHUNK);
            while (done < count) {
                long want = Math.min(count - done, CHUNK);
                if (toPipe) {
                    // splice_file_to_pipe fills what room the pipe has, once.
                    int room = out.pipe().room();
                    if (done > 0 && room <= 0) break;
                    if (room > 0) want = Math.min(want, room);
                }
                long n = vf.pread(buf.asSlice(0, want), at);
                if (n <= 0) break;
                long w;
                try {
                    w = out.write(waiter, buf.asSlice(0, n));
                } catch (LinuxException e) {
                    if (done > 0) break;
                    throw e;
                }
                at += w;
                done += w;
                if (w < n || n < want || toPipe) break;
            }
        }
        if (pos == null) in.seek(at, SeekWhence.SEEK_SET);
        return new Result(done, at);
    }

    /**
     * copy_file_range(2) after the fds were looked up. {@code posIn}/{@code posOut} null: the
     * files' offsets, which then move. Returns the bytes copied and leaves the new positions in
     * {@code positions} ({in, out}).
     */
    public static long copyFileRange(File in, Long posIn, File out, Long posOut, long len, int flags, long[] positions) {
        if (flags != 0) throw new LinuxException(Errno.EINVAL);
        Inode inInode = in instanceof VfsFile v ? v.inode() : null;
        Inode outInode = out instanceof VfsFile v ? v.inode() : null;
        if ((inInode != null && inInode.isDirectory()) || (outInode != null && outInode.isDirectory())) {
            throw new LinuxException(Errno.EISDIR);
        }
        if (inInode == null || outInode == null || !inInode.isRegular() || !outInode.isRegular()) {
            throw new LinuxException(Errno.EINVAL);
        }
        if (in.isPathOnly() || out.isPathOnly()) throw new LinuxException(Errno.EBADF);
        if (!FileFlags.readable(in.statusFlags()) || !FileFlags.writable(out.statusFlags())
                || (out.statusFlags() & OpenFlags.O_APPEND) != 0) {
            throw new LinuxException(Errno.EBADF);
        }
        if (inInode.fileSystem() != outInode.fileSystem()) throw new LinuxException(Errno.EXDEV);
        long pin = posIn != null ? posIn : in.seek(0, SeekWhence.SEEK_CUR);
        long pout = posOut != null ? posOut : out.seek(0, SeekWhence.SEEK_CUR);
        // Linux adds in u64 (generic_copy_file_checks), then rw_verify_area refuses negative positions.
        if (Long.compareUnsigned(pin + len, pin) < 0 || Long.compareUnsigned(pout + len, pout) < 0) {
            throw new LinuxException(Errno.EOVERFLOW);
        }
        if (pin < 0 || pout < 0) throw new LinuxException(Errno.EINVAL);
        long size = inInode.size();
        long count = pin >= size ? 0 : Math.min(len, size - pin);
        if (inInode == outInode && pout + count > pin && pout < pin + count) throw new LinuxException(Errno.EINVAL);
        count = Math.min(count, MAX_RW_COUNT);
        long done = 0;
        if (count > 0) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(Math.min(count, CHUNK));
                while (done < count) {
                    long want = Math.min(count - done, CHUNK);
                    long n = in.pread(buf.asSlice(0, want), pin + done);
                    if (n <= 0) break;
                    long w = out.pwrite(buf.asSlice(0, n), pout + done);
                    done += w;
                    if (w < n) break;
                }
            }
        }
        if (done > 0) {
            if (posIn == null) in.seek(pin + done, SeekWhence.SEEK_SET);
            if (posOut == null) out.seek(pout + done, SeekWhence.SEEK_SET);
        }
        positions[0] = pin + done;
        positions[1] = pout + done;
        return done;
    }
}
