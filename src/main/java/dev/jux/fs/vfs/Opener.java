package dev.jux.fs.vfs;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.Inotify;
import dev.jux.abi.LinuxException;
import dev.jux.fs.devfs.CharDevice;
import dev.jux.fs.devfs.CharDevices;
import dev.jux.fs.pipe.FifoEnd;
import dev.jux.wait.Waiter;
import dev.jux.fs.vfs.PathWalker.LastType;
import dev.jux.fs.vfs.PathWalker.Parent;

import static dev.jux.abi.OpenFlags.*;

/**
 * open(2) on the VFS, as Linux's path_openat: resolve (or create) the last component, then
 * may_open's checks, then O_TRUNC. A character device node opens the driver with its number
 * (fs/devfs's CharDevices, wherever the node is); a FIFO node opens the pipe its openers
 * share (fs/pipe's FifoEnd, fifo_open's rules); a socket or block device node fails with ENXIO.
 * A magic link to an open file outside the tree (a pipe, a host stream) opens that file again
 * ({@link OpenFileNode}).
 */
public final class Opener {
    private Opener() {}

    /** The flags that only matter at open time; F_GETFL does not show them. */
    private static final int OPEN_ONLY = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC;

    /**
     * Opens {@code path}; {@code mode} is the permission for a new file, already masked by the
     * umask. The flags have been validated (build_open_flags) by the caller.
     */
    public static dev.jux.fs.File open(PathWalker w, Location start, ByteString path, int flags, int mode) {
        return open(null, w, start, path, flags, mode);
    }

    /** As above; {@code waiter} is who blocks while a FIFO open waits for its partner. */
    public static dev.jux.fs.File open(Waiter waiter, PathWalker w, Location start, ByteString path, int flags, int mode) {
        if ((flags & __O_TMPFILE) != 0) return openTmpfile(w, start, path, flags, mode);
        boolean follow = (flags & O_NOFOLLOW) == 0;
        Location loc;
        boolean created = false;
        if ((flags & O_CREAT) == 0) {
            loc = w.resolve(start, path, follow);
        } else {
            Parent p = w.walkParent(start, path);
            Location found = null;
            while (true) {
                if (p.type() != LastType.NORMAL) {
                    found = w.lookupLast(p, true);
                    break;
                }
                // "name/" with O_CREAT is EISDIR whether or not name exists (open_last_lookups).
                if (p.trailingSlash()) throw new LinuxException(Errno.EISDIR);
                found = w.child(p.dir(), p.last());
                if (found == null) {
                    Namespace.mayCreate(w, p.dir());
                    Inode dir = p.dir().inode();
                    dir.create(p.last(), Namespace.stripSgid(w, dir, FileMode.S_IFREG | (mode & 07777)), 0, w.credentials().uid(), Namespace.newGid(w, dir));
                    found = w.child(p.dir(), p.last());
                    created = true;
                    FsNotify.created(dir, p.last(), false);
                    break;
                }
                if ((flags & O_EXCL) != 0) throw new LinuxException(Errno.EEXIST);
                if (!found.inode().isSymlink() || !follow) break;
                if (found.inode() instanceof MagicLink) {
                    found = w.lookupLast(p, true);   // to the open file itself, never created
                    break;
                }
                // A dangling symlink with O_CREAT (no O_EXCL) creates its target, as Linux does.
                p = w.walkParent(p.dir(), w.linkTarget(found));
            }
            loc = found;
            if (loc.inode().isDirectory()) throw new LinuxException(Errno.EISDIR);
        }
        Inode inode = loc.inode();
        if ((flags & O_DIRECTORY) != 0 && !inode.isDirectory()) throw new LinuxException(Errno.ENOTDIR);
        if ((flags & O_PATH) != 0) return new VfsFile(loc, flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW));
        if (inode.isSymlink()) throw new LinuxException(Errno.ELOOP);
        boolean truncate = (flags & O_TRUNC) != 0 && !created;
        int acc = flags & O_ACCMODE;
        int mask = switch (acc) {
            case O_RDONLY -> Permissions.MAY_READ;
            case O_WRONLY -> Permissions.MAY_WRITE;
            default -> Permissions.MAY_READ | Permissions.MAY_WRITE;
        };
        if (truncate) mask |= Permissions.MAY_WRITE;
        if (inode.isDirectory() && (mask & Permissions.MAY_WRITE) != 0) throw new LinuxException(Errno.EISDIR);
        if (!created) {
            if ((mask & Permissions.MAY_WRITE) != 0 && loc.mount().isReadOnly() && !isSpecial(inode)) throw new LinuxException(Errno.EROFS);
            Permissions.check(inode, w.credentials(), mask);
        }
        if (inode instanceof OpenFileNode node) return node.reopen(waiter, flags & ~OPEN_ONLY | (flags & O_TRUNC));
        if (inode.type() == FileMode.S_IFCHR) {
            CharDevice device = CharDevices.open(inode.stat().rdev(), flags);
            return reported(new VfsFile(loc, (flags & ~OPEN_ONLY) | O_LARGEFILE, device));
        }
        if (inode.type() == FileMode.S_IFIFO) {
            // Whatever file system holds the node (hostfs too: the host FIFO itself is never
            // opened), its openers meet in one guest pipe.
            return reported(new VfsFile(loc, (flags & ~OPEN_ONLY) | O_LARGEFILE, FifoEnd.open(inode, flags, waiter)));
        }
        if (isSpecial(inode)) throw new LinuxException(Errno.ENXIO, "sockets and block devices cannot be opened yet");
        // Since Linux 6.10 the open is reported (do_dentry_open) before the truncation (handle_truncate).
        VfsFile opened = reported(new VfsFile(loc, (flags & ~OPEN_ONLY) | O_LARGEFILE));
        if (truncate && inode.isRegular()) {
            try {
                inode.truncate(0);
            } catch (LinuxException e) {
                opened.release(); // the failed open's fput
                throw e;
            }
            inode.touchModified();
            FsNotify.changed(loc, Inotify.IN_MODIFY);
        }
        return opened;
    }

    private static boolean isSpecial(Inode i) {
        return !i.isRegular() && !i.isDirectory() && !i.isSymlink();
    }

    /** O_TMPFILE: an unnamed regular file in the directory {@code path}; linkat(AT_EMPTY_PATH) can name it. */
    private static VfsFile openTmpfile(PathWalker w, Location start, ByteString path, int flags, int mode) {
        Location dir = w.resolve(start, path, true);
        if (!dir.inode().isDirectory()) throw new LinuxException(Errno.ENOTDIR);
        Namespace.mayCreate(w, dir);
        Inode i = dir.inode().createUnnamed(Namespace.stripSgid(w, dir.inode(), mode), w.credentials().uid(), Namespace.newGid(w, dir.inode()));
        Dentry d = Dentry.orphan(dir.dentry(), ByteString.of("#" + i.ino()), i);
        return reported(new VfsFile(new Location(dir.mount(), d), (flags & ~(OPEN_ONLY | O_TMPFILE)) | O_LARGEFILE));
    }

    /** inotify hears of every open file description made here (IN_OPEN). */
    private static VfsFile reported(VfsFile f) {
        FsNotify.opened(f);
        return f;
    }
}
