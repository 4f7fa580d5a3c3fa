package dev.jux.fs.vfs;

/**
 * A process's file-system context (Linux's fs_struct): its root, its working directory and its
 * umask. fork copies it; threads share it.
 */
public final class FsContext {
    private Location root;
    private Location cwd;
    private int umask;

    public FsContext(Location root, Location cwd, int umask) {
        this.root = root;
        this.cwd = cwd;
        this.umask = umask;
    }

    public synchronized Location root() {
        return root;
    }

    public synchronized Location cwd() {
        return cwd;
    }

    public synchronized int umask() {
        return umask;
    }

    public synchronized void setRoot(Location root) {
        this.root = root;
    }

    public synchronized void setCwd(Location cwd) {
        this.cwd = cwd;
    }

    /** Sets the umask (only the permission bits count) and returns the old one. */
    public synchronized int setUmask(int mask) {
        int old = umask;
        umask = mask & 0777;
        return old;
    }

    public synchronized FsContext copy() {
        return new FsContext(root, cwd, umask);
    }
}
