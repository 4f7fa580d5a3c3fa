package dev.jux.fs.vfs;

import java.util.HashMap;
import java.util.Map;

/**
 * A name in the tree: the link between a directory and one of its entries (Linux's dentry).
 * Dentries cache lookups (name to inode) and give every directory a parent, so that ".." and
 * getcwd(2) work. Only positive entries are cached; the VFS keeps the cache exact for every
 * change it makes itself (unlink, rename), and a file system whose names change behind its
 * back asks for revalidation ({@link FileSystem#revalidatesNames()}).
 */
public final class Dentry {
    private ByteString name;
    private Dentry parent;
    private final Inode inode;
    private final Map<ByteString, Dentry> children = new HashMap<>();
    private boolean unlinked;
    private boolean tmpfile;
    /** Open files of this name (Linux's dentry references from struct file): the inode's removal waits for them. */
    private int openFiles;

    private Dentry(Dentry parent, ByteString name, Inode inode) {
        this.parent = parent;
        this.name = name;
        this.inode = inode;
    }

    /** The root dentry of a file system: its own parent, as in Linux. */
    public static Dentry root(Inode inode) {
        Dentry d = new Dentry(null, ByteString.of("/"), inode);
        d.parent = d;
        return d;
    }

    /** A dentry in no directory (an O_TMPFILE file): unlinked from the start, so linkat may give it a name. */
    public static Dentry orphan(Dentry parent, ByteString name, Inode inode) {
        Dentry d = new Dentry(parent, name, inode);
        d.unlinked = true;
        d.tmpfile = true;
        return d;
    }

    public Inode inode() {
        return inode;
    }

    public synchronized ByteString name() {
        return name;
    }

    public synchronized Dentry parent() {
        return parent;
    }

    public synchronized boolean isRoot() {
        return parent == this;
    }

    /** True once the name was removed (unlink, rmdir, replaced by rename): getcwd then fails. */
    public synchronized boolean isUnlinked() {
        return unlinked;
    }

    /** True for an O_TMPFILE's dentry: its inode may get a name with linkat although its nlink is 0. */
    public synchronized boolean isTmpfile() {
        return tmpfile;
    }

    /** The child called {@code name}, from the cache or the file system; null if there is none. */
    public Dentry child(ByteString name) {
        synchronized (this) {
            Dentry d = children.get(name);
            if (d != null && !inode.fileSystem().revalidatesNames()) return d;
        }
        Inode found = inode.lookup(name);
        synchronized (this) {
            Dentry d = children.get(name);
            if (found == null) {
                if (d != null) children.remove(name).markUnlinked();
                return null;
            }
            if (d != null && d.inode == found) return d;
            d = new Dentry(this, name, found);
            children.put(name, d);
            return d;
        }
    }

    /** Forgets the child {@code name} after the VFS removed it. */
    public synchronized void removed(ByteString name) {
        Dentry d = children.remove(name);
        if (d != null) d.markUnlinked();
    }

    /** Moves the cached child {@code oldName} to {@code newParent} as {@code newName} (Linux's d_move). */
    public static void moved(Dentry oldParent, ByteString oldName, Dentry newParent, ByteString newName, boolean exchange) {
        // Lock order by identity hash does not matter here: the VFS serialises renames.
        Dentry moving, other;
        synchronized (oldParent) {
            moving = oldParent.children.remove(oldName);
        }
        synchronized (newParent) {
            other = newParent.children.remove(newName);
        }
        if (moving != null) {
            synchronized (moving) {
                moving.parent = newParent;
                moving.name = newName;
            }
            synchronized (newParent) {
                newParent.children.put(newName, moving);
            }
        }
        if (other != null) {
            if (exchange) {
                synchronized (other) {
                    other.parent = oldParent;
                    other.name = oldName;
                }
                synchronized (oldParent) {
                    oldParent.children.put(oldName, other);
                }
            } else {
                other.markUnlinked();
            }
        }
    }

    /** An open file description of this name was made. */
    synchronized void fileOpened() {
        openFiles++;
    }

    /** One was released; returns how many are left. */
    synchronized int fileClosed() {
        return --openFiles;
    }

    /** True while some open file description refers to this name. */
    synchronized boolean hasOpenFiles() {
        return openFiles > 0;
    }

    private synchronized void markUnlinked() {
        unlinked = true;
    }

    @Override
    public String toString() {
        return "Dentry(" + name + ")";
    }
}
