package dev.jux.fs.vfs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file system attached to the tree (Linux's vfsmount): its root dentry, the mount it sits on
 * and the dentry it covers there. A path walk crosses into a child mount when it reaches the
 * covered dentry, and back out on ".." from the mount's root.
 */
public final class Mount {
    private final FileSystem fs;
    private final Dentry root;
    private final Mount parent;
    private final Dentry mountpoint;
    private volatile boolean readOnly;
    private volatile boolean expired;
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_ID = new java.util.concurrent.atomic.AtomicInteger(21);
    /** The mount's id (mountinfo's first field, fdinfo's mnt_id); Linux's first ids are also in the twenties. */
    private final int id = NEXT_ID.getAndIncrement();
    private final Map<Dentry, Mount> children = new LinkedHashMap<>(); // Dentry has identity equality; kept in mount order

    private Mount(FileSystem fs, Dentry root, Mount parent, Dentry mountpoint, boolean readOnly) {
        this.fs = fs;
        this.root = root;
        this.parent = parent;
        this.mountpoint = mountpoint;
        this.readOnly = readOnly;
    }

    /** The root of a mount tree (the process's "/"). */
    public static Mount root(FileSystem fs) {
        return new Mount(fs, Dentry.root(fs.root()), null, null, false);
    }

    /** Mounts {@code fs} (its root, or {@code source} for a bind mount) over {@code at}. */
    public static Mount attach(FileSystem fs, Dentry source, Location at, boolean readOnly) {
        Mount m = new Mount(fs, source, at.mount(), at.dentry(), readOnly);
        synchronized (at.mount()) {
            at.mount().children.put(at.dentry(), m);
        }
        return m;
    }

    public static Mount attach(FileSystem fs, Location at) {
        return attach(fs, Dentry.root(fs.root()), at, false);
    }

    public int id() {
        return id;
    }

    public FileSystem fileSystem() {
        return fs;
    }

    public Dentry root() {
        return root;
    }

    /** The mount this one sits on; null for the root of the tree. */
    public Mount parent() {
        return parent;
    }

    public Dentry mountpoint() {
        return mountpoint;
    }

    public boolean isReadOnly() {
        return readOnly || fs.isReadOnly();
    }

    /** This mount's own read-only flag (not the file system's). */
    public boolean isReadOnlyFlag() {
        return readOnly;
    }

    /** mount(MS_REMOUNT[|MS_BIND]): makes this mount read-only or read-write. */
    public void setReadOnly(boolean value) {
        readOnly = value;
    }

    /** umount2(MNT_EXPIRE): true if it was marked by an earlier call (and clears nothing). */
    public boolean markExpired() {
        boolean was = expired;
        expired = true;
        return was;
    }

    /** Takes this mount (and what is mounted on it) out of the tree: umount. */
    public void detach() {
        if (parent == null) throw new IllegalStateException("the root mount cannot be detached");
        synchronized (parent) {
            parent.children.remove(mountpoint, this);
        }
    }

    /** The mount covering {@code d} in this mount, or null. */
    public synchronized Mount mountedAt(Dentry d) {
        return children.get(d);
    }

    /** The mounts sitting on this one, in the order they were made (/proc/mounts). */
    public synchronized List<Mount> children() {
        return List.copyOf(children.values());
    }

    public Location rootLocation() {
        return new Location(this, root);
    }
}
