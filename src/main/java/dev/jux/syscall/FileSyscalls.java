package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.Ioctls;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Signal;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.File;
import dev.jux.fs.FileFlags;
import dev.jux.fs.vfs.Attributes;
import dev.jux.fs.vfs.FsNotify;
import dev.jux.fs.vfs.VfsFile;
import dev.jux.host.HostFiles;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Task;
import dev.jux.mm.AddressSpace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * System calls on open files: reading, writing, seeking, directory listing, size and sync.
 * The descriptor table itself (close, dup, fcntl, pipes) is DescriptorSyscalls. Calls that take a path are in OpenSyscalls, StatSyscalls,
 * NamespaceSyscalls, AttributeSyscalls and CwdSyscalls.
 */
final class FileSyscalls {
    private FileSyscalls() {}

    /** Linux's UIO_MAXIOV: the most iovecs one readv/writev takes. */
    static final int UIO_MAXIOV = 1024;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.READ, Support.FULL, "", FileSyscalls::read);
        t.add(SyscallNumbers.WRITE, Support.FULL, "", FileSyscalls::write);
        t.add(SyscallNumbers.READV, Support.FULL, "", (task, a) -> readv(task, a.i(0), a.a1(), a.i(2), -1));
        t.add(SyscallNumbers.WRITEV, Support.FULL, "", (task, a) -> writev(task, a.i(0), a.a1(), a.i(2), -1));
        t.add(SyscallNumbers.PREAD64, Support.FULL, "", FileSyscalls::pread64);
        t.add(SyscallNumbers.PWRITE64, Support.FULL, "", FileSyscalls::pwrite64);
        t.add(SyscallNumbers.PREADV, Support.FULL, "", (task, a) -> readv(task, a.i(0), a.a1(), a.i(2), offset(a.a3())));
        t.add(SyscallNumbers.PWRITEV, Support.FULL, "", (task, a) -> writev(task, a.i(0), a.a1(), a.i(2), offset(a.a3())));
        t.add(SyscallNumbers.PREADV2, Support.PARTIAL, RWF_NOTE, (task, a) -> readv(task, a.i(0), a.a1(), a.i(2), offset2(a.a3(), a.i(5))));
        t.add(SyscallNumbers.PWRITEV2, Support.PARTIAL, RWF_NOTE, (task, a) -> writev(task, a.i(0), a.a1(), a.i(2), offset2(a.a3(), a.i(5))));
        t.add(SyscallNumbers.LSEEK, Support.FULL, "", FileSyscalls::lseek);
        t.add(SyscallNumbers.GETDENTS64, Support.FULL, "", FileSyscalls::getdents64);
        t.add(SyscallNumbers.IOCTL, Support.PARTIAL, "FIONBIO, FIONREAD (pipes, FIFOs, sockets, regular files, host streams); on Jux's terminals (the console, /dev/tty, pty masters and slaves) the termios (also TCGETA/TCSETA*) and tty ioctls with job control, and the pty ioctls TIOCGPTN, TIOCSPTLCK/TIOCGPTLCK, TIOCPKT/TIOCGPKT, TIOCSIG, TIOCGPTPEER (docs/design.md, Terminals); on sockets SIOCINQ, SIOCOUTQ (inet) and SIOCGIFINDEX/NAME/FLAGS/ADDR/NETMASK/MTU/HWADDR... for lo, the only interface, and SIOCGIFCONF; modem ioctls not yet", FileSyscalls::ioctl);
        t.add(SyscallNumbers.FTRUNCATE, Support.FULL, "", FileSyscalls::ftruncate);
        t.add(SyscallNumbers.FALLOCATE, Support.PARTIAL, "mode 0 and FALLOC_FL_KEEP_SIZE; punching and zeroing ranges are EOPNOTSUPP", FileSyscalls::fallocate);
        t.add(SyscallNumbers.FADVISE64, Support.FULL, "advice is checked and ignored: there is no page cache to tune", FileSyscalls::fadvise64);
        t.add(SyscallNumbers.FSYNC, Support.FULL, "", FileSyscalls::fsync);
        t.add(SyscallNumbers.FDATASYNC, Support.FULL, "", FileSyscalls::fsync);
        t.add(SyscallNumbers.SYNC, Support.FULL, "", (task, a) -> 0);
        t.add(SyscallNumbers.SYNCFS, Support.FULL, "", FileSyscalls::syncfs);
    }

    private static final String RWF_NOTE = "RWF_HIPRI, RWF_DSYNC, RWF_SYNC and RWF_NOWAIT are accepted and ignored; RWF_APPEND appends";

    private static File file(Task t, int fd) {
        return t.group().files().get(fd);
    }

    /** Implements read(2). */
    static long read(Task t, Args a) {
        File f = readable(t, a.i(0));
        return UserIo.read(t, f, t.memory(), a.a1(), a.a2());
    }

    /** Implements write(2). */
    static long write(Task t, Args a) {
        File f = writable(t, a.i(0));
        return sendingSigpipe(t, f, () -> UserIo.write(t, f, t.memory(), a.a1(), a.a2()));
    }

    /** An iovec array as {base, len} pairs; EINVAL for a bad count or a total over SSIZE_MAX, as Linux. */
    static long[][] iovecs(AddressSpace mem, long addr, int count) {
        if (count < 0 || count > UIO_MAXIOV) throw new LinuxException(Errno.EINVAL);
        long[][] v = new long[count][];
        long total = 0;
        for (int i = 0; i < count; i++) {
            long base = mem.readLong(addr + 16L * i), len = mem.readLong(addr + 16L * i + 8);
            if (len < 0) throw new LinuxException(Errno.EINVAL);
            total += len;
            if (total < 0) throw new LinuxException(Errno.EINVAL);
            v[i] = new long[] {base, len};
        }
        return v;
    }

    /** An fd that may be read: EBADF if it was not opened for reading or is an O_PATH fd. */
    private static File readable(Task t, int fd) {
        File f = file(t, fd);
        if (f.isPathOnly() || !FileFlags.readable(f.statusFlags())) throw new LinuxException(Errno.EBADF);
        return f;
    }

    private static File writable(Task t, int fd) {
        File f = file(t, fd);
        if (f.isPathOnly() || !FileFlags.writable(f.statusFlags())) throw new LinuxException(Errno.EBADF);
        return f;
    }

    /** preadv/pwritev take the offset in one register on x86-64 (pos_h is shifted out by pos_from_hilo). */
    private static long offset(long pos) {
        if (pos < 0) throw new LinuxException(Errno.EINVAL);
        return pos;
    }

    static final int RWF_HIPRI = 1, RWF_DSYNC = 2, RWF_SYNC = 4, RWF_NOWAIT = 8, RWF_APPEND = 0x10;

    /** preadv2/pwritev2: offset -1 means the file offset; unknown RWF flags are EOPNOTSUPP. */
    private static long offset2(long pos, int flags) {
        if ((flags & ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND)) != 0) throw new LinuxException(Errno.EOPNOTSUPP);
        if (pos == -1) return -1;
        return offset(pos);
    }

    /** Positioned I/O needs a file with an offset: ESPIPE for pipes and Jux's host streams. */
    private static void positioned(File f) {
        if (!(f instanceof VfsFile)) throw new LinuxException(Errno.ESPIPE);
    }

    /** Implements pread64(2): ESPIPE on pipes, EINVAL for a negative offset. */
    static long pread64(Task t, Args a) {
        File f = readable(t, a.i(0));
        long pos = a.a3();
        positioned(f);
        if (pos < 0) throw new LinuxException(Errno.EINVAL);
        return UserIo.read(seg -> f.pread(seg, pos), t.memory(), a.a1(), a.a2());
    }

    /** Implements pwrite64(2); on an O_APPEND file it appends, as Linux does (see BUGS in pwrite(2)). */
    static long pwrite64(Task t, Args a) {
        File f = writable(t, a.i(0));
        long pos = a.a3();
        positioned(f);
        if (pos < 0) throw new LinuxException(Errno.EINVAL);
        return UserIo.write(seg -> f.pwrite(seg, pos), t.memory(), a.a1(), a.a2());
    }

    /**
     * Implements readv(2), preadv(2) and preadv2(2) ({@code pos} -1: at the file offset): one
     * read into a bounce buffer, then scattered, so that a pipe is read once.
     */
    static long readv(Task t, int fd, long iov, int count, long pos) {
        File f = readable(t, fd);
        if (pos >= 0) positioned(f);
        AddressSpace mem = t.memory();
        long[][] v = iovecs(mem, iov, count);
        long total = 0;
        for (long[] io : v) {
            mem.checkAccess(io[0], io[1], true);
            total += io[1];
        }
        total = Math.min(total, UserIo.MAX_RW_COUNT);
        if (total == 0) return 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bounce = arena.allocate(total);
            long n = pos >= 0 ? f.pread(bounce, pos) : f.read(t, bounce), off = 0;
            for (long[] io : v) {
                if (off >= n) break;
                long k = Math.min(io[1], n - off);
                mem.copyToUser(io[0], bounce.asSlice(off, k));
                off += k;
            }
            return n;
        }
    }

    /** Implements writev(2), pwritev(2) and pwritev2(2): the iovecs are gathered and written at once, as Linux does for pipes. */
    static long writev(Task t, int fd, long iov, int count, long pos) {
        File f = writable(t, fd);
        if (pos >= 0) positioned(f);
        AddressSpace mem = t.memory();
        long[][] v = iovecs(mem, iov, count);
        long total = 0;
        for (long[] io : v) total += io[1];
        total = Math.min(total, UserIo.MAX_RW_COUNT);
        if (total == 0) return 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bounce = arena.allocate(total);
            long off = 0;
            for (long[] io : v) {
                long k = Math.min(io[1], total - off);
                long got = mem.copyFromUserPartial(io[0], bounce.asSlice(off, k));
                off += got;
                if (got < k) {
                    if (off == 0) throw new LinuxException(Errno.EFAULT);
                    break;
                }
            }
            long length = off;
            return sendingSigpipe(t, f, () -> pos >= 0 ? f.pwrite(bounce.asSlice(0, length), pos) : f.write(t, bounce.asSlice(0, length)));
        }
    }

    /** Implements lseek(2): ESPIPE on pipes and terminals. */
    static long lseek(Task t, Args a) {
        File f = file(t, a.i(0));
        if (f.isPathOnly()) throw new LinuxException(Errno.EBADF);
        return f.seek(a.a1(), a.i(2));
    }

    /**
     * Implements getdents64(2): struct linux_dirent64 records (d_ino, d_off, d_reclen, d_type,
     * d_name with its NUL, padded to 8 bytes). EINVAL if the first record does not fit.
     */
    static long getdents64(Task t, Args a) {
        File f = file(t, a.i(0));
        if (f.isPathOnly()) throw new LinuxException(Errno.EBADF);
        int count = (int) Math.min(Integer.toUnsignedLong(a.i(2)), 1 << 20);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(count).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        boolean[] refused = {false};
        long before = f.seek(0, dev.jux.abi.SeekWhence.SEEK_CUR);
        f.readdir((name, ino, type, next) -> {
            int reclen = (19 + name.length() + 1 + 7) & ~7;
            if (reclen > out.remaining()) {
                refused[0] = true;
                return false;
            }
            int at = out.position();
            out.putLong(ino).putLong(next).putShort((short) reclen).put((byte) type).put(name.toByteArray()).put((byte) 0);
            out.position(at + reclen);
            return true;
        });
        if (out.position() == 0 && refused[0]) throw new LinuxException(Errno.EINVAL);
        try {
            t.memory().write(a.a1(), out.array(), 0, out.position());
        } catch (LinuxException e) {
            f.seek(before, dev.jux.abi.SeekWhence.SEEK_SET);   // Linux fails on the first entry and does not move
            throw e;
        }
        return out.position();
    }

    /** Implements ftruncate(2): EINVAL unless a regular file open for writing (Linux's do_ftruncate). */
    static long ftruncate(Task t, Args a) {
        File f = file(t, a.i(0));
        if (f.isPathOnly()) throw new LinuxException(Errno.EBADF);
        long length = a.a1();
        if (length < 0) throw new LinuxException(Errno.EINVAL);
        if (!(f instanceof VfsFile vf) || !vf.inode().isRegular() || !FileFlags.writable(f.statusFlags())) {
            throw new LinuxException(Errno.EINVAL);
        }
        Attributes.setSize(vf.location(), length);
        return 0;
    }

    static final int FALLOC_FL_KEEP_SIZE = 1;

    /** Implements fallocate(2) for mode 0 and FALLOC_FL_KEEP_SIZE. */
    static long fallocate(Task t, Args a) {
        File f = file(t, a.i(0));
        int mode = a.i(1);
        long offset = a.a2(), len = a.a3();
        if (offset < 0 || len <= 0) throw new LinuxException(Errno.EINVAL);
        if (f.isPathOnly() || !FileFlags.writable(f.statusFlags())) throw new LinuxException(Errno.EBADF);
        if ((mode & ~FALLOC_FL_KEEP_SIZE) != 0) throw new LinuxException(Errno.EOPNOTSUPP);
        if (f.pipe() != null) throw new LinuxException(Errno.ESPIPE); // pipes and FIFOs (vfs_fallocate)
        if (!(f instanceof VfsFile vf)) {
            throw new LinuxException(Errno.ENODEV);
        }
        if (vf.inode().isDirectory()) throw new LinuxException(Errno.EISDIR);
        if (!vf.inode().isRegular()) throw new LinuxException(Errno.ENODEV);
        if (offset + len < 0) throw new LinuxException(Errno.EFBIG);
        vf.inode().allocate(offset, len, (mode & FALLOC_FL_KEEP_SIZE) != 0);
        if ((mode & FALLOC_FL_KEEP_SIZE) == 0) vf.inode().touchModified();
        FsNotify.modified(vf);
        return 0;
    }

    /** POSIX_FADV_NOREUSE, the highest advice Linux knows (POSIX_FADV_NORMAL is 0). */
    private static final int POSIX_FADV_NOREUSE = 5;

    /**
     * Implements fadvise64(2) as Linux's generic_fadvise checks it: EBADF for a bad or O_PATH fd,
     * ESPIPE for a pipe or FIFO (before anything else), then EINVAL for a negative length or an
     * unknown advice; any other file (socket, device, directory) accepts it. The advice itself
     * changes nothing: Jux keeps files in memory and has no readahead.
     */
    static long fadvise64(Task t, Args a) {
        File f = file(t, a.i(0));
        if (f.isPathOnly()) throw new LinuxException(Errno.EBADF);
        if (f.pipe() != null) throw new LinuxException(Errno.ESPIPE);
        int advice = a.i(3);
        if (a.a2() < 0 || advice < 0 || advice > POSIX_FADV_NOREUSE) throw new LinuxException(Errno.EINVAL);
        return 0;
    }

    /** Implements fsync(2) and fdatasync(2): everything is in memory; EINVAL for pipes, as Linux (no fsync operation). */
    static long fsync(Task t, Args a) {
        File f = file(t, a.i(0));
        if (f.isPathOnly()) throw new LinuxException(Errno.EBADF);
        if (f.pipe() != null) throw new LinuxException(Errno.EINVAL);
        return 0;
    }

    /** Implements syncfs(2): a no-op on a valid fd. */
    static long syncfs(Task t, Args a) {
        File f = file(t, a.i(0));
        if (f.isPathOnly()) throw new LinuxException(Errno.EBADF);
        return 0;
    }

    /** Linux sends SIGPIPE to a thread whose write fails with EPIPE (pipe_write, sockets). */
    private static long sendingSigpipe(Task t, File f, java.util.function.LongSupplier write) {
        try {
            return write.getAsLong();
        } catch (LinuxException e) {
            if (e.errno() == Errno.EPIPE && f.epipeRaisesSigpipe()) t.postFromSelf(Signal.SIGPIPE);
            throw e;
        }
    }

    /** Implements ioctl(2): FIONBIO for every file, a terminal's own requests, FIONREAD and the host streams' terminal queries. */
    static long ioctl(Task t, Args a) {
        File f = file(t, a.i(0));
        long request = a.a1() & 0xffffffffL;
        byte[] out;
        if (request == Ioctls.FIONBIO) {
            // do_vfs_ioctl, for every file: a non-zero int turns O_NONBLOCK on.
            boolean on = t.memory().readInt(a.a2()) != 0;
            int flags = f.statusFlags();
            f.setStatusFlags(on ? flags | OpenFlags.O_NONBLOCK : flags & ~OpenFlags.O_NONBLOCK);
            return 0;
        }
        if (request == Ioctls.TIOCGPTPEER && f instanceof dev.jux.fs.tty.PtyMaster master) {
            int flags = a.i(2);
            File slave = t.kernel().terminals().openPeer(t, master, flags);
            try {
                return t.group().files().install(slave, 0, (flags & OpenFlags.O_CLOEXEC) != 0,
                        t.group().limits().soft(dev.jux.abi.Rlimit.RLIMIT_NOFILE));
            } catch (LinuxException e) {
                slave.release();
                throw e;
            }
        }
        if (f instanceof dev.jux.fs.IoctlFile device) return device.ioctl(t, (int) request, new UserIoctlArg(t, a.a2()));
        if (request == Ioctls.FIONREAD) out = intBytes(f.readableBytes());
        else if (request == HostFiles.TCGETS) out = f.terminalAttributes();
        else if (request == HostFiles.TIOCGWINSZ) out = f.windowSize();
        else throw new LinuxException(Errno.ENOTTY);
        t.memory().write(a.a2(), out);
        return 0;
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }
}
