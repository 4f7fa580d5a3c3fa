package dev.jux.fs.vfs;

/**
 * A place in the mount tree: a dentry seen through a mount (Linux's struct path). The same
 * dentry can appear under several mounts (bind mounts), so both are needed for "..".
 * Equality is identity of both parts.
 */
public record Location(Mount mount, Dentry dentry) {
    public Inode inode() {
        return dentry.inode();
    }

    // Written out, not the record's own: see docs/design.md, "Start-up".
    @Override
    public boolean equals(Object o) {
        return o instanceof Location l && l.mount == mount && l.dentry == dentry;
    }

    @Override
    public int hashCode() {
        return 31 * System.identityHashCode(mount) + System.identityHashCode(dentry);
    }
}
