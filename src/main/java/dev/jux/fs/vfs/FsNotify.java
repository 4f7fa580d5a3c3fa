package dev.jux.fs.vfs;

import dev.jux.abi.Inotify;
import dev.jux.abi.OpenFlags;
import dev.jux.fs.notify.InodeWatches;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The VFS's reports to inotify (Linux's include/linux/fsnotify.h): every operation that makes,
 * removes, moves, opens, reads, writes or changes a file says so here, after it succeeded, and
 * the event goes to the watches on the inode and, for the events a directory hears about its
 * entries (Inotify.CHILD_EVENTS), to those on its parent with the entry's name; the parent's
 * copy comes first, as fsnotify_handle_event sends it. Events come only from what the guest
 * does through the VFS: a hostfs file changed by the host itself is not reported.
 *
 * <p>An inode's IN_DELETE_SELF waits, as in Linux, until its last name is gone and the last
 * open file of that name is closed (the dentry's last reference, dentry_unlink_inode).
 */
public final class FsNotify {
    private FsNotify() {}

    /** Linux's fsnotify_sync_cookie: the cookie pairing a rename's IN_MOVED_FROM and IN_MOVED_TO. */
    private static final AtomicInteger COOKIES = new AtomicInteger();

    /** fsnotify_create, fsnotify_mkdir: {@code name} was made in {@code dir}. */
    static void created(Inode dir, ByteString name, boolean directory) {
        if (InodeWatches.noneAnywhere()) return;
        toDirectory(dir, Inotify.IN_CREATE | (directory ? Inotify.IN_ISDIR : 0), 0, name);
    }

    /** fsnotify_link: the target's link count changed (its own watches), then the new name (IN_CREATE). */
    static void linked(Inode dir, ByteString name, Inode target) {
        if (InodeWatches.noneAnywhere()) return;
        toInode(target, Inotify.IN_ATTRIB);
        toDirectory(dir, Inotify.IN_CREATE, 0, name);
    }

    /**
     * vfs_unlink and vfs_rmdir: a file loses its link count first (IN_ATTRIB, unlink only), then
     * the inode goes if that was its last name and nobody has it open (IN_DELETE_SELF), then
     * the directory hears IN_DELETE (d_delete_notify).
     */
    static void removed(Inode dir, ByteString name, Dentry victim) {
        if (InodeWatches.noneAnywhere()) return;
        Inode inode = victim.inode();
        if (!inode.isDirectory()) toInode(inode, Inotify.IN_ATTRIB);
        if (!victim.hasOpenFiles()) inodeGone(inode);
        toDirectory(dir, Inotify.IN_DELETE | isDir(inode), 0, name);
    }

    /**
     * fsnotify_move for rename(2): IN_MOVED_FROM and IN_MOVED_TO with one new cookie, the
     * replaced file's link count (IN_ATTRIB) and IN_MOVE_SELF on the moved inode; the replaced
     * inode then goes as after unlink. RENAME_EXCHANGE is two moves and replaces nothing.
     */
    static void renamed(Inode oldDir, ByteString oldName, Inode newDir, ByteString newName,
                        Dentry moved, Dentry replaced, boolean exchange) {
        if (InodeWatches.noneAnywhere()) return;
        move(oldDir, oldName, newDir, newName, moved.inode(), exchange ? null : replaced);
        if (exchange) move(newDir, newName, oldDir, oldName, replaced.inode(), null);
        else if (replaced != null && !replaced.hasOpenFiles()) inodeGone(replaced.inode());
    }

    private static void move(Inode fromDir, ByteString fromName, Inode toDir, ByteString toName, Inode source, Dentry target) {
        int cookie = COOKIES.incrementAndGet();
        int dirBit = isDir(source);
        toDirectory(fromDir, Inotify.IN_MOVED_FROM | dirBit, cookie, fromName);
        toDirectory(toDir, Inotify.IN_MOVED_TO | dirBit, cookie, toName);
        if (target != null) toInode(target.inode(), Inotify.IN_ATTRIB | isDir(target.inode()));
        toInode(source, Inotify.IN_MOVE_SELF); // without IN_ISDIR, as Linux 6.x reports it
    }

    /** do_dentry_open's fsnotify_open (an O_PATH descriptor is not opened for I/O: no event). */
    static void opened(VfsFile f) {
        if (InodeWatches.noneAnywhere() || f.isPathOnly()) return;
        toFile(f.location().dentry(), Inotify.IN_OPEN, true);
    }

    /** fsnotify_access after a read that returned data, and after each getdents. */
    static void accessed(VfsFile f) {
        if (InodeWatches.noneAnywhere()) return;
        toFile(f.location().dentry(), Inotify.IN_ACCESS, true);
    }

    /** fsnotify_modify after a write that wrote something, or a successful fallocate. */
    public static void modified(VfsFile f) {
        if (InodeWatches.noneAnywhere()) return;
        toFile(f.location().dentry(), Inotify.IN_MODIFY, true);
    }

    /** __fput: IN_CLOSE_WRITE or IN_CLOSE_NOWRITE, then the name's last user may let a removed inode go. */
    static void closed(VfsFile f) {
        Dentry d = f.location().dentry();
        int left = d.fileClosed();
        if (InodeWatches.noneAnywhere()) return;
        if (!f.isPathOnly()) {
            boolean wrote = (f.statusFlags() & OpenFlags.O_ACCMODE) != OpenFlags.O_RDONLY;
            toFile(d, wrote ? Inotify.IN_CLOSE_WRITE : Inotify.IN_CLOSE_NOWRITE, true);
        }
        if (left == 0 && d.isUnlinked()) inodeGone(d.inode());
    }

    /**
     * fsnotify_change and fsnotify_xattr: {@code event} is IN_ATTRIB (mode, owner, both times,
     * extended attributes), IN_MODIFY (size, mtime alone) or IN_ACCESS (atime alone).
     */
    static void changed(Location l, int event) {
        if (InodeWatches.noneAnywhere()) return;
        toFile(l.dentry(), event, false);
    }

    /**
     * An event about the file at {@code d}: its directory's watches hear it with the name,
     * then the file's own. IN_EXCL_UNLINK hides the events of an open file (a {@code path}
     * event) whose name is gone.
     */
    private static void toFile(Dentry d, int event, boolean path) {
        Inode inode = d.inode();
        event |= isDir(inode);
        boolean unlinked = path && d.isUnlinked();
        if (!d.isRoot()) {
            Dentry parent = d.parent();
            InodeWatches dir = parent.inode().watches();
            if (dir != null) dir.notify(event, 0, d.name().toByteArray(), unlinked);
        }
        InodeWatches own = inode.watches();
        if (own != null) own.notify(event, 0, null, unlinked);
    }

    /** fsnotify_inode: an event only the inode's own watches hear, {@code event} as given (callers add IN_ISDIR). */
    private static void toInode(Inode inode, int event) {
        InodeWatches own = inode.watches();
        if (own != null) own.notify(event, 0, null, false);
    }

    private static void toDirectory(Inode dir, int event, int cookie, ByteString name) {
        InodeWatches w = dir.watches();
        if (w != null) w.notify(event, cookie, name.toByteArray(), false);
    }

    /** fsnotify_inoderemove: a file with no name left and no user is gone; its watches end. */
    private static void inodeGone(Inode inode) {
        if (inode.nlink() != 0) return;
        InodeWatches w = inode.watches();
        if (w != null) w.inodeRemoved();
    }

    private static int isDir(Inode i) {
        return i.isDirectory() ? Inotify.IN_ISDIR : 0;
    }
}
