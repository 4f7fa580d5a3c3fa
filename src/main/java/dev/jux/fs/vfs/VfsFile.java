package dev.jux.fs.vfs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Poll;
import dev.jux.abi.SeekWhence;
import dev.jux.fs.AbstractFile;
import dev.jux.fs.Stat;
import dev.jux.fs.devfs.CharDevice;
import dev.jux.fs.pipe.FifoEnd;
import dev.jux.fs.pipe.Pipe;
import dev.jux.wait.PollTable;
import dev.jux.wait.Waiter;
import java.lang.foreign.MemorySegment;

/**
 * An open regular file or directory of the VFS (Linux's struct file for a disk inode): the
 * location it was opened at, its status flags and the file offset that dup'd fds share.
 * Reads and writes at the offset hold this description's lock, so two fds sharing it never
 * read the same bytes twice (Linux's f_pos_lock).
 */
public final class VfsFile extends AbstractFile {
    private final Location location;
    private final Inode inode;
    private final CharDevice device;
    private final FifoEnd fifo;
    private long pos;

    public VfsFile(Location location, int flags) {
        this(location, flags, null, null);
    }

    /** An open character device node: data goes to {@code device}, attributes are the node's. */
    public VfsFile(Location location, int flags, CharDevice device) {
        this(location, flags, device, null);
    }

    /** An open FIFO: data goes through the pipe the inode's openers share, attributes are the node's. */
    public VfsFile(Location location, int flags, FifoEnd fifo) {
        this(location, flags, null, fifo);
    }

    private VfsFile(Location location, int flags, CharDevice device, FifoEnd fifo) {
        this.location = location;
        this.inode = location.inode();
        this.flags = flags;
        this.device = device;
        this.fifo = fifo;
        location.dentry().fileOpened();
    }

    /** The driver of an open character device, or null. */
    public CharDevice device() {
        return device;
    }

    public Inode inode() {
        return inode;
    }

    @Override
    public Location location() {
        return location;
    }

    @Override
    public boolean isPathOnly() {
        return (flags & OpenFlags.O_PATH) != 0;
    }

    /** generic_read_dir: a directory says EISDIR to any read, of 0 bytes too. */
    @Override
    public boolean readsNothing() {
        return fifo == null && device == null && inode.isDirectory();
    }

    @Override
    public long read(Waiter waiter, MemorySegment dst) {
        long n = fifo != null ? fifo.read(waiter, dst, flags) : device != null ? device.read(waiter, dst) : readAtOffset(dst);
        if (n > 0) FsNotify.accessed(this);
        return n;
    }

    private synchronized long readAtOffset(MemorySegment dst) {
        long n = readAt(dst, pos);
        pos += n;
        return n;
    }

    @Override
    public long write(Waiter waiter, MemorySegment src) {
        long n = fifo != null ? fifo.write(waiter, src, flags) : device != null ? device.write(waiter, src) : writeAtOffset(src);
        if (n > 0) FsNotify.modified(this);
        return n;
    }

    private synchronized long writeAtOffset(MemorySegment src) {
        if ((flags & OpenFlags.O_APPEND) != 0) pos = inode.size();
        long n = writeAt(src, pos);
        pos += n;
        return n;
    }

    @Override
    public long pread(MemorySegment dst, long at) {
        long n = readAt(dst, at);
        if (n > 0) FsNotify.accessed(this);
        return n;
    }

    private long readAt(MemorySegment dst, long at) {
        if (fifo != null) throw new LinuxException(Errno.ESPIPE);
        if (device != null) {
            if (at < 0) throw new LinuxException(Errno.EINVAL);
            return device.read(null, dst);
        }
        if (inode.isDirectory()) throw new LinuxException(Errno.EISDIR);
        if (at < 0) throw new LinuxException(Errno.EINVAL);
        long n = inode.read(at, dst);
        MappedPages mapped = inode.mappedPages();
        if (mapped != null && n > 0) mapped.overlay(at, dst, n);
        if ((flags & OpenFlags.O_NOATIME) == 0) inode.touchAccessed();
        return n;
    }

    /** Linux's pwrite on an O_APPEND file appends, ignoring {@code at} (a documented bug, see pwrite(2)). */
    @Override
    public long pwrite(MemorySegment src, long at) {
        long n = writeAt(src, at);
        if (n > 0) FsNotify.modified(this);
        return n;
    }

    private long writeAt(MemorySegment src, long at) {
        if (fifo != null) throw new LinuxException(Errno.ESPIPE);
        if (device != null) {
            if (at < 0) throw new LinuxException(Errno.EINVAL);
            return device.write(null, src);
        }
        if (inode.isDirectory()) throw new LinuxException(Errno.EISDIR);
        if (at < 0) throw new LinuxException(Errno.EINVAL);
        if (src.byteSize() == 0) return 0;
        long n;
        synchronized (inode) {
            if ((flags & OpenFlags.O_APPEND) != 0) at = inode.size();
            FileSeals seals = inode.seals();
            if (seals != null) seals.checkWrite(at, src.byteSize(), inode.size());
            n = inode.write(at, src);
            inode.touchModified();
            // Linux's file_remove_privs would clear set-user-ID here for a writer without
            // CAP_FSETID; the guest is always root for now, so the bits stay, as they do for root.
        }
        // Outside the inode's lock: the mapped pages' write-back takes their lock, then the inode's.
        MappedPages mapped = inode.mappedPages();
        if (mapped != null && n > 0) mapped.written(at, src.asSlice(0, n));
        return n;
    }

    @Override
    public synchronized long seek(long offset, int whence) {
        if (fifo != null) throw new LinuxException(Errno.ESPIPE);
        // Linux's memory devices (null_lseek, zero/full: noop_llseek) accept any seek and stay at 0.
        if (device != null) return pos = 0;
        long base;
        switch (whence) {
            case SeekWhence.SEEK_SET -> base = 0;
            case SeekWhence.SEEK_CUR -> base = pos;
            case SeekWhence.SEEK_END -> {
                // tmpfs directories seek only with SEEK_SET and SEEK_CUR.
                if (inode.isDirectory()) throw new LinuxException(Errno.EINVAL);
                base = inode.size();
            }
            case SeekWhence.SEEK_DATA, SeekWhence.SEEK_HOLE -> {
                if (inode.isDirectory()) throw new LinuxException(Errno.EINVAL);
                pos = inode.seekData(offset, whence == SeekWhence.SEEK_HOLE);
                return pos;
            }
            default -> throw new LinuxException(Errno.EINVAL);
        }
        long target = base + offset;
        if (target < 0 || (offset > 0 && target < base)) throw new LinuxException(Errno.EINVAL);
        pos = target;
        return pos;
    }

    @Override
    public synchronized void readdir(DirSink sink) {
        if (!inode.isDirectory()) throw new LinuxException(Errno.ENOTDIR);
        Dentry parent = location.dentry().parent();
        long parentIno = parent.inode().ino();
        // At the root of a mount, ".." shows the mount's own root, as Linux's dcache_readdir does.
        pos = inode.readdir(pos, parentIno, sink);
        inode.touchAccessed();
        FsNotify.accessed(this); // iterate_dir reports every getdents
    }

    @Override
    public Pipe pipe() {
        return fifo != null ? fifo.pipe() : null;
    }

    /** FIONREAD: a FIFO's queued bytes; for a regular file, size minus offset (do_vfs_ioctl, truncated to int). */
    @Override
    public int readableBytes() {
        if (fifo != null) return fifo.pipe().available();
        if (device == null && inode.isRegular()) {
            synchronized (this) {
                return (int) (inode.size() - pos);
            }
        }
        throw new LinuxException(Errno.ENOTTY);
    }

    @Override
    public boolean supportsPoll() {
        return fifo != null;
    }

    @Override
    public int poll(PollTable table) {
        return fifo != null ? fifo.poll(table) : Poll.DEFAULT_POLLMASK;
    }

    @Override
    public void release() {
        if (fifo != null) fifo.release();
        FsNotify.closed(this);
    }

    @Override
    public Stat stat() {
        return inode.stat();
    }
}
