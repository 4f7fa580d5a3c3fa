package dev.jux.fs.vfs;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import dev.jux.fs.vfs.PathWalker.LastType;
import dev.jux.fs.vfs.PathWalker.Parent;

/**
 * The operations that change names: mkdir, mknod, symlink, link, unlink, rmdir, rename. Each
 * follows its Linux counterpart in fs/namei.c, including the order in which errors are
 * detected, because programs (and the differential tests) see which error wins.
 */
public final class Namespace {
    private Namespace() {}

    /**
     * Linux's filename_create: the parent of a name about to be made. EEXIST for ".", ".." and
     * "/" and for a name that exists; ENOENT for a trailing slash unless making a directory.
     */
    static Parent prepareCreate(PathWalker w, Location start, ByteString path, boolean directory) {
        Parent p = w.walkParent(start, path);
        if (p.type() != LastType.NORMAL) throw new LinuxException(Errno.EEXIST);
        if (p.dir().dentry().child(checkName(p.last())) != null) throw new LinuxException(Errno.EEXIST);
        if (p.trailingSlash() && !directory) throw new LinuxException(Errno.ENOENT);
        mayCreate(w, p.dir());
        return p;
    }

    static ByteString checkName(ByteString name) {
        if (name.length() > PathWalker.NAME_MAX) throw new LinuxException(Errno.ENAMETOOLONG);
        return name;
    }

    /** Linux's mnt_want_write and may_create: a writable mount, and write+search on the directory. */
    static void mayCreate(PathWalker w, Location dir) {
        // A removed directory takes no new entries (Linux's IS_DEADDIR check).
        if (dir.inode().nlink() == 0) throw new LinuxException(Errno.ENOENT);
        if (dir.mount().isReadOnly()) throw new LinuxException(Errno.EROFS);
        Permissions.check(dir.inode(), w.credentials(), Permissions.MAY_WRITE | Permissions.MAY_EXEC);
    }

    /** The group a new inode gets: the directory's when it is set-group-ID (BSD semantics), else the caller's. */
    static int newGid(PathWalker w, Inode dir) {
        return (dir.mode() & FileMode.S_ISGID) != 0 ? dir.gid() : w.credentials().gid();
    }

    /**
     * Linux's mode_strip_sgid for a new non-directory: in a set-group-ID directory a
     * group-executable S_ISGID file keeps the bit only if the creator is in the directory's
     * group or holds CAP_FSETID.
     */
    static int stripSgid(PathWalker w, Inode dir, int mode) {
        if ((mode & (FileMode.S_ISGID | 010)) != (FileMode.S_ISGID | 010)) return mode;
        if (FileMode.isDirectory(mode) || (dir.mode() & FileMode.S_ISGID) == 0) return mode;
        FsCredentials c = w.credentials();
        if (c.isRoot() || c.inGroup(dir.gid())) return mode;
        return mode & ~FileMode.S_ISGID;
    }

    /** Implements mkdir(2) (mode already masked by the umask). A new directory inherits S_ISGID. */
    public static void mkdir(PathWalker w, Location start, ByteString path, int mode) {
        Parent p = prepareCreate(w, start, path, true);
        Inode dir = p.dir().inode();
        int bits = mode & 07777 & ~FileMode.S_IFMT;
        if ((dir.mode() & FileMode.S_ISGID) != 0) bits |= FileMode.S_ISGID;
        dir.mkdir(p.last(), bits, w.credentials().uid(), newGid(w, dir));
        FsNotify.created(dir, p.last(), true);
    }

    /** Implements mknod(2) for regular files, FIFOs, sockets and device nodes (mode masked by the umask). */
    public static void mknod(PathWalker w, Location start, ByteString path, int mode, long rdev) {
        int type = FileMode.type(mode);
        if (type == 0) mode |= FileMode.S_IFREG;
        // Linux's may_mknod: a directory is EPERM, a symlink or an unknown type EINVAL.
        else if (type == FileMode.S_IFDIR) throw new LinuxException(Errno.EPERM);
        else if (!isKnownType(type)) throw new LinuxException(Errno.EINVAL);
        Parent p = prepareCreate(w, start, path, false);
        // Device nodes need CAP_MKNOD (Linux's may_mknod in vfs_mknod).
        if ((FileMode.isDevice(mode)) && !w.credentials().isRoot()) throw new LinuxException(Errno.EPERM);
        Inode dir = p.dir().inode();
        dir.create(p.last(), stripSgid(w, dir, mode), FileMode.isDevice(mode) ? rdev : 0, w.credentials().uid(), newGid(w, dir));
        FsNotify.created(dir, p.last(), false);
    }

    private static boolean isKnownType(int type) {
        return type == FileMode.S_IFREG || type == FileMode.S_IFCHR || type == FileMode.S_IFBLK
                || type == FileMode.S_IFIFO || type == FileMode.S_IFSOCK;
    }

    /** Implements symlink(2): ENOENT for an empty target, as Linux. */
    public static void symlink(PathWalker w, ByteString target, Location start, ByteString path) {
        if (target.isEmpty()) throw new LinuxException(Errno.ENOENT);
        Parent p = prepareCreate(w, start, path, false);
        Inode dir = p.dir().inode();
        dir.symlink(p.last(), target, w.credentials().uid(), newGid(w, dir));
        FsNotify.created(dir, p.last(), false);
    }

    /** Implements link(2) given the resolved old file: EPERM for a directory, EXDEV across mounts. */
    public static void link(PathWalker w, Location old, Location start, ByteString path) {
        Parent p = prepareCreate(w, start, path, false);
        if (p.dir().mount() != old.mount()) throw new LinuxException(Errno.EXDEV);
        Inode target = old.inode();
        if (target.isDirectory()) throw new LinuxException(Errno.EPERM);
        if (target.nlink() == 0 && !old.dentry().isTmpfile()) throw new LinuxException(Errno.ENOENT);
        p.dir().inode().link(p.last(), target);
        FsNotify.linked(p.dir().inode(), p.last(), target);
    }

    /** Linux's may_delete: the entry exists, write+search on the directory, the sticky rule, the type. */
    private static Dentry mayDelete(PathWalker w, Location dir, ByteString name, boolean isDir) {
        Dentry victim = dir.dentry().child(checkName(name));
        if (victim == null) throw new LinuxException(Errno.ENOENT);
        Permissions.check(dir.inode(), w.credentials(), Permissions.MAY_WRITE | Permissions.MAY_EXEC);
        Permissions.checkSticky(dir.inode(), victim.inode(), w.credentials());
        if (isDir && !victim.inode().isDirectory()) throw new LinuxException(Errno.ENOTDIR);
        if (!isDir && victim.inode().isDirectory()) throw new LinuxException(Errno.EISDIR);
        return victim;
    }

    /** Implements unlink(2). */
    public static void unlink(PathWalker w, Location start, ByteString path) {
        Parent p = w.walkParent(start, path);
        if (p.type() != LastType.NORMAL) throw new LinuxException(Errno.EISDIR);
        if (p.trailingSlash()) {
            // "name/": ENOENT if absent, EISDIR for a directory, else ENOTDIR (Linux's slashes: label).
            Dentry d = p.dir().dentry().child(checkName(p.last()));
            if (d == null) throw new LinuxException(Errno.ENOENT);
            throw new LinuxException(d.inode().isDirectory() ? Errno.EISDIR : Errno.ENOTDIR);
        }
        if (p.dir().mount().isReadOnly()) throw new LinuxException(Errno.EROFS);
        Dentry victim = mayDelete(w, p.dir(), p.last(), false);
        if (p.dir().mount().mountedAt(victim) != null) throw new LinuxException(Errno.EBUSY);
        p.dir().inode().remove(p.last());
        p.dir().dentry().removed(p.last());
        FsNotify.removed(p.dir().inode(), p.last(), victim);
    }

    /** Implements rmdir(2): ENOTEMPTY for "..", EINVAL for ".", EBUSY for "/" and mount points. */
    public static void rmdir(PathWalker w, Location start, ByteString path) {
        Parent p = w.walkParent(start, path);
        switch (p.type()) {
            case DOTDOT -> throw new LinuxException(Errno.ENOTEMPTY);
            case DOT -> throw new LinuxException(Errno.EINVAL);
            case ROOT -> throw new LinuxException(Errno.EBUSY);
            default -> {}
        }
        if (p.dir().mount().isReadOnly()) throw new LinuxException(Errno.EROFS);
        Dentry victim = mayDelete(w, p.dir(), p.last(), true);
        if (p.dir().mount().mountedAt(victim) != null) throw new LinuxException(Errno.EBUSY);
        if (!victim.inode().isEmptyDirectory()) throw new LinuxException(Errno.ENOTEMPTY);
        p.dir().inode().remove(p.last());
        p.dir().dentry().removed(p.last());
        FsNotify.removed(p.dir().inode(), p.last(), victim);
    }

    public static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;

    /** One lock for every rename, as Linux's s_vfs_rename_mutex: the ancestry checks must not race. */
    private static final Object RENAME_LOCK = new Object();

    /** Implements renameat2(2) with RENAME_NOREPLACE and RENAME_EXCHANGE. */
    public static void rename(PathWalker w, Location oldStart, ByteString oldPath, Location newStart, ByteString newPath, int flags) {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0) throw new LinuxException(Errno.EINVAL);
        if ((flags & RENAME_EXCHANGE) != 0 && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) != 0) throw new LinuxException(Errno.EINVAL);
        if ((flags & RENAME_WHITEOUT) != 0) throw new LinuxException(Errno.EINVAL);
        boolean exchange = (flags & RENAME_EXCHANGE) != 0;
        boolean noReplace = (flags & RENAME_NOREPLACE) != 0;
        Parent op = w.walkParent(oldStart, oldPath);
        Parent np = w.walkParent(newStart, newPath);
        if (op.dir().mount() != np.dir().mount()) throw new LinuxException(Errno.EXDEV);
        if (op.type() != LastType.NORMAL) throw new LinuxException(Errno.EBUSY);
        if (np.type() != LastType.NORMAL) throw new LinuxException(noReplace ? Errno.EEXIST : Errno.EBUSY);
        if (op.dir().mount().isReadOnly()) throw new LinuxException(Errno.EROFS);
        synchronized (RENAME_LOCK) {
            Dentry oldD = op.dir().dentry().child(checkName(op.last()));
            if (oldD == null) throw new LinuxException(Errno.ENOENT);
            Dentry newD = np.dir().dentry().child(checkName(np.last()));
            if (noReplace && newD != null) throw new LinuxException(Errno.EEXIST);
            if (exchange && newD == null) throw new LinuxException(Errno.ENOENT);
            Inode oldI = oldD.inode();
            if (!exchange && !oldI.isDirectory() && (op.trailingSlash() || np.trailingSlash())) throw new LinuxException(Errno.ENOTDIR);
            if (exchange && ((op.trailingSlash() && !oldI.isDirectory()) || (np.trailingSlash() && !newD.inode().isDirectory()))) {
                throw new LinuxException(Errno.ENOTDIR);
            }
            // The source may not be an ancestor of the target's directory (EINVAL), nor the target of the source's (ENOTEMPTY).
            if (isAncestor(oldD, np.dir().dentry())) throw new LinuxException(Errno.EINVAL);
            if (newD != null && isAncestor(newD, op.dir().dentry())) throw new LinuxException(exchange ? Errno.EINVAL : Errno.ENOTEMPTY);
            if (newD != null && newD.inode() == oldI) return; // two names of one inode: Linux does nothing
            boolean isDir = oldI.isDirectory();
            mayDelete(w, op.dir(), op.last(), isDir);
            if (newD == null) {
                Permissions.check(np.dir().inode(), w.credentials(), Permissions.MAY_WRITE | Permissions.MAY_EXEC);
            } else {
                mayDelete(w, np.dir(), np.last(), exchange ? newD.inode().isDirectory() : isDir);
            }
            // A directory moving to another parent gets a new "..": it must be writable.
            if (op.dir().dentry() != np.dir().dentry()) {
                if (isDir) Permissions.check(oldI, w.credentials(), Permissions.MAY_WRITE);
                if (exchange && newD.inode().isDirectory()) Permissions.check(newD.inode(), w.credentials(), Permissions.MAY_WRITE);
            }
            Mount m = op.dir().mount();
            if (m.mountedAt(oldD) != null || (newD != null && m.mountedAt(newD) != null)) throw new LinuxException(Errno.EBUSY);
            if (!exchange && newD != null && newD.inode().isDirectory() && !newD.inode().isEmptyDirectory()) {
                throw new LinuxException(Errno.ENOTEMPTY);
            }
            op.dir().inode().rename(op.last(), np.dir().inode(), np.last(), exchange);
            Dentry.moved(op.dir().dentry(), op.last(), np.dir().dentry(), np.last(), exchange);
            FsNotify.renamed(op.dir().inode(), op.last(), np.dir().inode(), np.last(), oldD, newD, exchange);
        }
    }

    /** True if {@code a} is {@code d} or one of its ancestors within the file system. */
    private static boolean isAncestor(Dentry a, Dentry d) {
        while (true) {
            if (d == a) return true;
            if (d.isRoot()) return false;
            d = d.parent();
        }
    }
}
