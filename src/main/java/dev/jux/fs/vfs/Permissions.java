package dev.jux.fs.vfs;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;

/** Linux's generic_permission: mode bits, then the capabilities root has. */
public final class Permissions {
    private Permissions() {}

    public static final int MAY_EXEC = 1, MAY_WRITE = 2, MAY_READ = 4;

    public static boolean allowed(Inode inode, FsCredentials c, int mask) {
        int mode = inode.mode();
        int bits;
        if (c.uid() == inode.uid()) bits = mode >> 6;
        else if (c.inGroup(inode.gid())) bits = mode >> 3;
        else bits = mode;
        if ((bits & mask & 7) == (mask & 7)) return true;
        if (c.isRoot()) {
            // CAP_DAC_OVERRIDE: anything on a directory; on other files, execute only if some x bit is set.
            if (FileMode.isDirectory(mode)) return true;
            return (mask & MAY_EXEC) == 0 || (mode & 0111) != 0;
        }
        return inode.grantsAccess(c, mask);
    }

    /** EACCES unless allowed; EROFS for a write to a read-only file system (not for devices, FIFOs, sockets). */
    public static void check(Inode inode, FsCredentials c, int mask) {
        if ((mask & MAY_WRITE) != 0 && inode.fileSystem().isReadOnly()) {
            int t = FileMode.type(inode.mode());
            if (t == FileMode.S_IFREG || t == FileMode.S_IFDIR || t == FileMode.S_IFLNK) throw new LinuxException(Errno.EROFS);
        }
        if (!allowed(inode, c, mask)) throw new LinuxException(Errno.EACCES);
    }

    /** CAP_FOWNER or owning the inode: needed for chmod, utimes with explicit times, and the sticky-bit rule. */
    public static boolean owns(Inode inode, FsCredentials c) {
        return c.isRoot() || c.uid() == inode.uid();
    }

    /**
     * The sticky-directory rule (Linux's check_sticky): in a directory with S_ISVTX only the
     * owner of the entry, the owner of the directory or CAP_FOWNER may remove or rename it.
     */
    public static void checkSticky(Inode dir, Inode victim, FsCredentials c) {
        if ((dir.mode() & FileMode.S_ISVTX) == 0) return;
        if (c.uid() == victim.uid() || c.uid() == dir.uid() || c.isRoot()) return;
        throw new LinuxException(Errno.EPERM);
    }
}
