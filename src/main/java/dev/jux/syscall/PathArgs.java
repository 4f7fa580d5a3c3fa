package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.File;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.PathWalker;
import dev.jux.kernel.Task;

import static dev.jux.abi.AtFlags.AT_FDCWD;

/** Path arguments: reading them from user memory and turning a dirfd into the place a walk starts. */
final class PathArgs {
    private PathArgs() {}

    /** Linux's PATH_MAX: a path of 4096 bytes with its NUL is ENAMETOOLONG. */
    static final int PATH_MAX = 4096;

    static ByteString read(Task t, long addr) {
        return ByteString.copyOf(t.memory().readCBytes(addr, PATH_MAX, Errno.ENAMETOOLONG));
    }

    /** A path argument that may be NULL (utimensat, statx with AT_EMPTY_PATH): NULL reads as empty. */
    static ByteString readOrEmpty(Task t, long addr) {
        return addr == 0 ? ByteString.EMPTY : read(t, addr);
    }

    static PathWalker walker(Task t) {
        return new PathWalker(t.group().fs().root(), t.group().fsCredentials());
    }

    /**
     * Where a relative path starts: the working directory for AT_FDCWD, else the directory
     * {@code dirfd} refers to (EBADF if none, ENOTDIR if it is not a directory). An absolute
     * path ignores dirfd entirely, as on Linux.
     */
    static Location start(Task t, int dirfd, ByteString path) {
        if (!path.isEmpty() && path.byteAt(0) == '/') return t.group().fs().root();
        if (dirfd == AT_FDCWD) return t.group().fs().cwd();
        File f = t.group().files().get(dirfd);
        Location l = f.location();
        if (l == null || (!path.isEmpty() && !l.inode().isDirectory())) throw new LinuxException(Errno.ENOTDIR);
        return l;
    }

    /**
     * Resolves a path for a call that takes AT_EMPTY_PATH and a follow flag: an empty path
     * with AT_EMPTY_PATH is the dirfd itself (ENOENT without it).
     */
    static Location resolve(Task t, int dirfd, ByteString path, boolean follow, boolean emptyPath) {
        if (path.isEmpty()) {
            if (!emptyPath) throw new LinuxException(Errno.ENOENT);
            if (dirfd == AT_FDCWD) return t.group().fs().cwd();
            Location l = t.group().files().get(dirfd).location();
            if (l == null) throw new LinuxException(Errno.EBADF);
            return l;
        }
        return walker(t).resolve(start(t, dirfd, path), path, follow);
    }
}
