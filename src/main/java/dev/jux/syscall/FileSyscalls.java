package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.StatLayout;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.File;
import dev.jux.fs.Stat;
import dev.jux.host.HostFiles;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Task;
import dev.jux.mm.AddressSpace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * File system calls. Until the VFS (issue 3) the only open files are the standard streams and
 * the only path Jux resolves is /proc/self/exe; other paths are ENOENT.
 */
final class FileSyscalls {
    private FileSyscalls() {}

    static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_NO_AUTOMOUNT = 0x800, AT_EMPTY_PATH = 0x1000;
    static final int PATH_MAX = 4096;
    /** Linux's UIO_MAXIOV: the most iovecs one readv/writev takes. */
    static final int UIO_MAXIOV = 1024;
    private static final String NO_VFS = "paths other than /proc/self/exe need the VFS (issue 3)";

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.READ, Support.FULL, "", FileSyscalls::read);
        t.add(SyscallNumbers.WRITE, Support.FULL, "", FileSyscalls::write);
        t.add(SyscallNumbers.READV, Support.FULL, "", FileSyscalls::readv);
        t.add(SyscallNumbers.WRITEV, Support.FULL, "", FileSyscalls::writev);
        t.add(SyscallNumbers.CLOSE, Support.FULL, "", FileSyscalls::close);
        t.add(SyscallNumbers.FSTAT, Support.FULL, "", FileSyscalls::fstat);
        t.add(SyscallNumbers.NEWFSTATAT, Support.PARTIAL, NO_VFS, FileSyscalls::newfstatat);
        t.add(SyscallNumbers.IOCTL, Support.PARTIAL, "TCGETS and TIOCGWINSZ only; the TTY layer is issue 6", FileSyscalls::ioctl);
        t.add(SyscallNumbers.READLINK, Support.PARTIAL, NO_VFS, FileSyscalls::readlink);
        t.add(SyscallNumbers.READLINKAT, Support.PARTIAL, NO_VFS, FileSyscalls::readlinkat);
    }

    private static File file(Task t, int fd) {
        return t.group().files().get(fd);
    }

    /** Implements read(2). */
    static long read(Task t, Args a) {
        File f = file(t, a.i(0));
        if ((f.statusFlags() & 3) == 1) throw new LinuxException(Errno.EBADF); // O_WRONLY
        return UserIo.read(f, t.memory(), a.a1(), a.a2());
    }

    /** Implements write(2). */
    static long write(Task t, Args a) {
        File f = file(t, a.i(0));
        if ((f.statusFlags() & 3) == 0) throw new LinuxException(Errno.EBADF); // O_RDONLY
        return UserIo.write(f, t.memory(), a.a1(), a.a2());
    }

    /** An iovec array as {base, len} pairs; EINVAL for a bad count or a total over SSIZE_MAX, as Linux. */
    private static long[][] iovecs(AddressSpace mem, long addr, int count) {
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

    /** Implements readv(2): one read into a bounce buffer, then scattered, so a pipe is read once. */
    static long readv(Task t, Args a) {
        File f = file(t, a.i(0));
        if ((f.statusFlags() & 3) == 1) throw new LinuxException(Errno.EBADF);
        AddressSpace mem = t.memory();
        long[][] v = iovecs(mem, a.a1(), a.i(2));
        long total = 0;
        for (long[] io : v) {
            mem.checkAccess(io[0], io[1], true);
            total += io[1];
        }
        total = Math.min(total, UserIo.MAX_RW_COUNT);
        if (total == 0) return 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bounce = arena.allocate(total);
            long n = f.read(bounce), off = 0;
            for (long[] io : v) {
                if (off >= n) break;
                long k = Math.min(io[1], n - off);
                mem.copyToUser(io[0], bounce.asSlice(off, k));
                off += k;
            }
            return n;
        }
    }

    /** Implements writev(2): the iovecs are gathered and written at once, as Linux does for pipes. */
    static long writev(Task t, Args a) {
        File f = file(t, a.i(0));
        if ((f.statusFlags() & 3) == 0) throw new LinuxException(Errno.EBADF);
        AddressSpace mem = t.memory();
        long[][] v = iovecs(mem, a.a1(), a.i(2));
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
            return f.write(bounce.asSlice(0, off));
        }
    }

    /** Implements close(2). */
    static long close(Task t, Args a) {
        t.group().files().close(a.i(0));
        return 0;
    }

    private static byte[] encode(Stat s) {
        return StatLayout.encode(s.dev(), s.ino(), s.nlink(), s.mode(), s.uid(), s.gid(), s.rdev(), s.size(),
                s.blksize(), s.blocks(), s.atimeSec(), s.atimeNsec(), s.mtimeSec(), s.mtimeNsec(), s.ctimeSec(), s.ctimeNsec());
    }

    /** Implements fstat(2). */
    static long fstat(Task t, Args a) {
        byte[] st = encode(file(t, a.i(0)).stat());
        t.memory().write(a.a1(), st);
        return 0;
    }

    /** Implements newfstatat(2) for AT_EMPTY_PATH on an fd; a real path needs the VFS. */
    static long newfstatat(Task t, Args a) {
        int flags = a.i(3);
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH)) != 0) throw new LinuxException(Errno.EINVAL);
        String path = t.memory().readCString(a.a1(), PATH_MAX, Errno.ENAMETOOLONG);
        if (path.isEmpty()) {
            if ((flags & AT_EMPTY_PATH) == 0) throw new LinuxException(Errno.ENOENT);
            if (a.i(0) == AT_FDCWD) throw new LinuxException(Errno.ENOENT, NO_VFS);
            t.memory().write(a.a2(), encode(file(t, a.i(0)).stat()));
            return 0;
        }
        throw new LinuxException(Errno.ENOENT, NO_VFS);
    }

    /** Implements ioctl(2) for the terminal queries programs make at start-up. */
    static long ioctl(Task t, Args a) {
        File f = file(t, a.i(0));
        long request = a.a1() & 0xffffffffL;
        byte[] out;
        if (request == HostFiles.TCGETS) out = f.terminalAttributes();
        else if (request == HostFiles.TIOCGWINSZ) out = f.windowSize();
        else throw new LinuxException(Errno.ENOTTY);
        t.memory().write(a.a2(), out);
        return 0;
    }

    /** Implements readlink(2). */
    static long readlink(Task t, Args a) {
        return readlinkAt(t, AT_FDCWD, a.a0(), a.a1(), a.i(2));
    }

    /** Implements readlinkat(2). */
    static long readlinkat(Task t, Args a) {
        return readlinkAt(t, a.i(0), a.a1(), a.a2(), a.i(3));
    }

    private static long readlinkAt(Task t, int dirfd, long pathAddr, long buf, int size) {
        String path = t.memory().readCString(pathAddr, PATH_MAX, Errno.ENAMETOOLONG);
        if (size <= 0) throw new LinuxException(Errno.EINVAL);
        if (path.isEmpty()) throw new LinuxException(Errno.ENOENT);
        String self = "/proc/" + t.group().pid() + "/exe";
        if (!path.equals("/proc/self/exe") && !path.equals(self)) throw new LinuxException(Errno.ENOENT, NO_VFS);
        byte[] target = t.group().executablePath().getBytes(StandardCharsets.UTF_8);
        int n = Math.min(size, target.length);   // truncated, and never NUL-terminated
        t.memory().write(buf, target, 0, n);
        return n;
    }
}
