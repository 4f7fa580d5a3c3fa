package dev.jux.syscall;

import dev.jux.abi.Rlimit;
import dev.jux.abi.Errno;
import dev.jux.abi.Signal;
import dev.jux.abi.StatLayout;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.FdTable;
import dev.jux.fs.File;
import dev.jux.abi.OpenFlags;
import dev.jux.fs.FileFlags;
import dev.jux.fs.pipe.PipeEnd;
import dev.jux.fs.Stat;
import dev.jux.host.HostFiles;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Task;
import dev.jux.mm.AddressSpace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import static dev.jux.abi.AtFlags.AT_EMPTY_PATH;
import static dev.jux.abi.AtFlags.AT_FDCWD;
import static dev.jux.abi.AtFlags.AT_NO_AUTOMOUNT;
import static dev.jux.abi.AtFlags.AT_SYMLINK_NOFOLLOW;
import static dev.jux.abi.Fcntl.*;

/**
 * File system calls. Until the VFS (issue 3) the open files are the standard streams and
 * pipes, and the only paths Jux resolves are /proc/self and /proc/self/exe; other paths are
 * ENOENT.
 */
final class FileSyscalls {
    private FileSyscalls() {}

    static final int PATH_MAX = 4096;
    /** Linux's UIO_MAXIOV: the most iovecs one readv/writev takes. */
    static final int UIO_MAXIOV = 1024;
    private static final String NO_VFS = "paths other than /proc/self and /proc/self/exe need the VFS (issue 3)";

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
        t.add(SyscallNumbers.OPEN, Support.PARTIAL, NO_VFS, (task, a) -> openAt(task, AT_FDCWD, a.a0(), a.i(1)));
        t.add(SyscallNumbers.OPENAT, Support.PARTIAL, NO_VFS, (task, a) -> openAt(task, a.i(0), a.a1(), a.i(2)));
        t.add(SyscallNumbers.PIPE, Support.FULL, "", (task, a) -> pipe2(task, a.a0(), 0));
        t.add(SyscallNumbers.PIPE2, Support.PARTIAL, "O_DIRECT (packet mode) is accepted but pipes stay byte streams", (task, a) -> pipe2(task, a.a0(), a.i(1)));
        t.add(SyscallNumbers.DUP, Support.FULL, "", FileSyscalls::dup);
        t.add(SyscallNumbers.DUP2, Support.FULL, "", FileSyscalls::dup2);
        t.add(SyscallNumbers.DUP3, Support.FULL, "", FileSyscalls::dup3);
        t.add(SyscallNumbers.FCNTL, Support.PARTIAL, "fd and status flags, dup and pipe size; locks arrive with the VFS (issue 3)", FileSyscalls::fcntl);
    }

    private static File file(Task t, int fd) {
        return t.group().files().get(fd);
    }

    /** Implements read(2). */
    static long read(Task t, Args a) {
        File f = file(t, a.i(0));
        if (!FileFlags.readable(f.statusFlags())) throw new LinuxException(Errno.EBADF);
        return UserIo.read(t, f, t.memory(), a.a1(), a.a2());
    }

    /** Implements write(2). */
    static long write(Task t, Args a) {
        File f = file(t, a.i(0));
        if (!FileFlags.writable(f.statusFlags())) throw new LinuxException(Errno.EBADF);
        return sendingSigpipe(t, () -> UserIo.write(t, f, t.memory(), a.a1(), a.a2()));
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
        if (!FileFlags.readable(f.statusFlags())) throw new LinuxException(Errno.EBADF);
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
            long n = f.read(t, bounce), off = 0;
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
        if (!FileFlags.writable(f.statusFlags())) throw new LinuxException(Errno.EBADF);
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
            long length = off;
            return sendingSigpipe(t, () -> f.write(t, bounce.asSlice(0, length)));
        }
    }

    /** Linux sends SIGPIPE to a thread whose write fails with EPIPE (pipe_write, sockets). */
    private static long sendingSigpipe(Task t, java.util.function.LongSupplier write) {
        try {
            return write.getAsLong();
        } catch (LinuxException e) {
            if (e.errno() == Errno.EPIPE) t.postFromSelf(Signal.SIGPIPE);
            throw e;
        }
    }

    /** Implements open(2) and openat(2) as far as they go without a VFS: the path is read (EFAULT, ENAMETOOLONG), then ENOENT. */
    static long openAt(Task t, int dirfd, long pathAddr, int flags) {
        String path = t.memory().readCString(pathAddr, PATH_MAX, Errno.ENAMETOOLONG);
        if (path.isEmpty()) throw new LinuxException(Errno.ENOENT);
        if (!path.startsWith("/") && dirfd != AT_FDCWD) t.group().files().get(dirfd);
        throw new LinuxException(Errno.ENOENT, NO_VFS);
    }

    /** Implements pipe(2) and pipe2(2); the fds are written only if both could be allocated. */
    static long pipe2(Task t, long fdsAddr, int flags) {
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK | OpenFlags.O_DIRECT)) != 0) throw new LinuxException(Errno.EINVAL);
        var creds = t.group().credentials();
        PipeEnd[] ends = PipeEnd.create(flags & (OpenFlags.O_NONBLOCK | OpenFlags.O_DIRECT), creds.euid(), creds.egid());
        FdTable files = t.group().files();
        boolean cloexec = (flags & OpenFlags.O_CLOEXEC) != 0;
        long limit = t.group().limits().soft(Rlimit.RLIMIT_NOFILE);
        int r = -1, w = -1;
        try {
            r = files.install(ends[0], 0, cloexec, limit);
            w = files.install(ends[1], 0, cloexec, limit);
            byte[] out = new byte[8];
            java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(r).putInt(w);
            t.memory().write(fdsAddr, out);
            return 0;
        } catch (LinuxException e) {
            if (r >= 0) files.close(r); else ends[0].release();
            if (w >= 0) files.close(w); else ends[1].release();
            throw e;
        }
    }

    private static long fdLimit(Task t) {
        return t.group().limits().soft(Rlimit.RLIMIT_NOFILE);
    }

    /** Implements dup(2). */
    static long dup(Task t, Args a) {
        FdTable files = t.group().files();
        return files.install(files.get(a.i(0)), 0, false, fdLimit(t));
    }

    /** Implements dup2(2): the same fd twice is a no-op that still checks it. */
    static long dup2(Task t, Args a) {
        FdTable files = t.group().files();
        int oldFd = a.i(0), newFd = a.i(1);
        files.get(oldFd);
        if (oldFd == newFd) return newFd;
        return files.duplicateTo(oldFd, newFd, false, fdLimit(t));
    }

    /** Implements dup3(2): EINVAL for equal fds or flags other than O_CLOEXEC. */
    static long dup3(Task t, Args a) {
        int oldFd = a.i(0), newFd = a.i(1), flags = a.i(2);
        if ((flags & ~OpenFlags.O_CLOEXEC) != 0) throw new LinuxException(Errno.EINVAL);
        FdTable files = t.group().files();
        files.get(oldFd);
        if (oldFd == newFd) throw new LinuxException(Errno.EINVAL);
        return files.duplicateTo(oldFd, newFd, (flags & OpenFlags.O_CLOEXEC) != 0, fdLimit(t));
    }

    /** Implements fcntl(2) for fd flags, status flags, dup and the pipe size. */
    static long fcntl(Task t, Args a) {
        FdTable files = t.group().files();
        int fd = a.i(0), cmd = a.i(1);
        File f = files.get(fd);
        switch (cmd) {
            case F_DUPFD, F_DUPFD_CLOEXEC -> {
                int min = a.i(2);
                if (min < 0 || min >= fdLimit(t)) throw new LinuxException(Errno.EINVAL);
                return files.install(f, min, cmd == F_DUPFD_CLOEXEC, fdLimit(t));
            }
            case F_GETFD -> {
                return files.closeOnExec(fd) ? FD_CLOEXEC : 0;
            }
            case F_SETFD -> {
                files.setCloseOnExec(fd, (a.i(2) & FD_CLOEXEC) != 0);
                return 0;
            }
            case F_GETFL -> {
                return f.statusFlags();
            }
            case F_SETFL -> {
                f.setStatusFlags(a.i(2));
                return 0;
            }
            case F_GETPIPE_SZ -> {
                if (f.pipe() == null) throw new LinuxException(Errno.EBADF);
                return f.pipe().capacity();
            }
            default -> throw new LinuxException(Errno.EINVAL);
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
        String own = "/proc/" + t.group().pid();
        byte[] target;
        if (path.equals("/proc/self/exe") || path.equals(own + "/exe")) {
            target = t.group().executablePath().getBytes(StandardCharsets.UTF_8);
        } else if (path.equals("/proc/self")) {
            target = String.valueOf(t.group().pid()).getBytes(StandardCharsets.UTF_8); // procfs: a link to the pid
        } else {
            throw new LinuxException(Errno.ENOENT, NO_VFS);
        }
        int n = Math.min(size, target.length);   // truncated, and never NUL-terminated
        t.memory().write(buf, target, 0, n);
        return n;
    }
}
