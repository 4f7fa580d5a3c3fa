package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Namespace;
import dev.jux.kernel.Task;

import static dev.jux.abi.AtFlags.*;

/** Calls that make, remove and rename names: mkdir, mknod, rmdir, unlink, rename, link, symlink, readlink. */
final class NamespaceSyscalls {
    private NamespaceSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.MKDIR, Support.FULL, "", (task, a) -> mkdirat(task, AT_FDCWD, a.a0(), a.i(1)));
        t.add(SyscallNumbers.MKDIRAT, Support.FULL, "", (task, a) -> mkdirat(task, a.i(0), a.a1(), a.i(2)));
        t.add(SyscallNumbers.MKNOD, Support.FULL, "", (task, a) -> mknodat(task, AT_FDCWD, a.a0(), a.i(1), a.a2()));
        t.add(SyscallNumbers.MKNODAT, Support.FULL, "", (task, a) -> mknodat(task, a.i(0), a.a1(), a.i(2), a.a3()));
        t.add(SyscallNumbers.RMDIR, Support.FULL, "", (task, a) -> unlinkat(task, AT_FDCWD, a.a0(), AT_REMOVEDIR));
        t.add(SyscallNumbers.UNLINK, Support.FULL, "", (task, a) -> unlinkat(task, AT_FDCWD, a.a0(), 0));
        t.add(SyscallNumbers.UNLINKAT, Support.FULL, "", (task, a) -> unlinkat(task, a.i(0), a.a1(), a.i(2)));
        t.add(SyscallNumbers.RENAME, Support.FULL, "", (task, a) -> renameat2(task, AT_FDCWD, a.a0(), AT_FDCWD, a.a1(), 0));
        t.add(SyscallNumbers.RENAMEAT, Support.FULL, "", (task, a) -> renameat2(task, a.i(0), a.a1(), a.i(2), a.a3(), 0));
        t.add(SyscallNumbers.RENAMEAT2, Support.PARTIAL, "RENAME_WHITEOUT is EINVAL", (task, a) -> renameat2(task, a.i(0), a.a1(), a.i(2), a.a3(), a.i(4)));
        t.add(SyscallNumbers.LINK, Support.FULL, "", (task, a) -> linkat(task, AT_FDCWD, a.a0(), AT_FDCWD, a.a1(), 0));
        t.add(SyscallNumbers.LINKAT, Support.FULL, "", (task, a) -> linkat(task, a.i(0), a.a1(), a.i(2), a.a3(), a.i(4)));
        t.add(SyscallNumbers.SYMLINK, Support.FULL, "", (task, a) -> symlinkat(task, a.a0(), AT_FDCWD, a.a1()));
        t.add(SyscallNumbers.SYMLINKAT, Support.FULL, "", (task, a) -> symlinkat(task, a.a0(), a.i(1), a.a2()));
        t.add(SyscallNumbers.READLINK, Support.FULL, "", (task, a) -> readlinkat(task, AT_FDCWD, a.a0(), a.a1(), a.i(2)));
        t.add(SyscallNumbers.READLINKAT, Support.FULL, "", (task, a) -> readlinkat(task, a.i(0), a.a1(), a.a2(), a.i(3)));
    }

    /** Implements mkdir(2) and mkdirat(2). */
    static long mkdirat(Task t, int dirfd, long pathAddr, int mode) {
        ByteString path = PathArgs.read(t, pathAddr);
        Namespace.mkdir(PathArgs.walker(t), PathArgs.start(t, dirfd, path), path, mode & 07777 & ~t.group().fs().umask());
        return 0;
    }

    /** Implements mknod(2) and mknodat(2): regular files, FIFOs, sockets and device nodes (root only). */
    static long mknodat(Task t, int dirfd, long pathAddr, int mode, long dev) {
        ByteString path = PathArgs.read(t, pathAddr);
        int masked = (mode & ~07777) | (mode & 07777 & ~t.group().fs().umask());
        Namespace.mknod(PathArgs.walker(t), PathArgs.start(t, dirfd, path), path, masked, dev & 0xffffffffL);
        return 0;
    }

    /** Implements unlink(2), unlinkat(2) and rmdir(2) (AT_REMOVEDIR). */
    static long unlinkat(Task t, int dirfd, long pathAddr, int flags) {
        if ((flags & ~AT_REMOVEDIR) != 0) throw new LinuxException(Errno.EINVAL);
        ByteString path = PathArgs.read(t, pathAddr);
        Location start = PathArgs.start(t, dirfd, path);
        if ((flags & AT_REMOVEDIR) != 0) Namespace.rmdir(PathArgs.walker(t), start, path);
        else Namespace.unlink(PathArgs.walker(t), start, path);
        return 0;
    }

    /** Implements rename(2), renameat(2) and renameat2(2) with RENAME_NOREPLACE and RENAME_EXCHANGE. */
    static long renameat2(Task t, int oldDirfd, long oldAddr, int newDirfd, long newAddr, int flags) {
        ByteString oldPath = PathArgs.read(t, oldAddr);
        ByteString newPath = PathArgs.read(t, newAddr);
        Namespace.rename(PathArgs.walker(t), PathArgs.start(t, oldDirfd, oldPath), oldPath,
                PathArgs.start(t, newDirfd, newPath), newPath, flags);
        return 0;
    }

    /** Implements link(2) and linkat(2): symlinks are not followed unless AT_SYMLINK_FOLLOW; AT_EMPTY_PATH links the fd. */
    static long linkat(Task t, int oldDirfd, long oldAddr, int newDirfd, long newAddr, int flags) {
        if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) throw new LinuxException(Errno.EINVAL);
        ByteString oldPath = PathArgs.read(t, oldAddr);
        Location old = PathArgs.resolve(t, oldDirfd, oldPath, (flags & AT_SYMLINK_FOLLOW) != 0, (flags & AT_EMPTY_PATH) != 0);
        ByteString newPath = PathArgs.read(t, newAddr);
        Namespace.link(PathArgs.walker(t), old, PathArgs.start(t, newDirfd, newPath), newPath);
        return 0;
    }

    /** Implements symlink(2) and symlinkat(2). */
    static long symlinkat(Task t, long targetAddr, int dirfd, long pathAddr) {
        ByteString target = PathArgs.read(t, targetAddr);
        ByteString path = PathArgs.read(t, pathAddr);
        Namespace.symlink(PathArgs.walker(t), target, PathArgs.start(t, dirfd, path), path);
        return 0;
    }

    /**
     * Implements readlink(2) and readlinkat(2): EINVAL for a bad size or a non-symlink; an
     * empty path reads the symlink an O_PATH dirfd refers to. The result is truncated and not
     * NUL-terminated. /proc/self and /proc/PID/exe are procfs symlinks.
     */
    static long readlinkat(Task t, int dirfd, long pathAddr, long buf, int size) {
        ByteString path = PathArgs.read(t, pathAddr);
        if (size <= 0) throw new LinuxException(Errno.EINVAL);
        Location l = PathArgs.resolve(t, dirfd, path, false, true);
        if (!l.inode().isSymlink()) throw new LinuxException(path.isEmpty() ? Errno.ENOENT : Errno.EINVAL);
        byte[] target = l.inode().readlink().toByteArray();
        l.inode().touchAccessed();
        int n = Math.min(size, target.length);
        t.memory().write(buf, target, 0, n);
        return n;
    }
}
