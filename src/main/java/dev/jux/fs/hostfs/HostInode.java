package dev.jux.fs.hostfs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.Stat;
import dev.jux.fs.vfs.Inode;
import dev.jux.host.HostDirectory;
import dev.jux.host.HostLookup;
import dev.jux.host.HostStat;
import dev.jux.host.LibcFiles;

/**
 * An inode backed by a host file. Its attributes are the host's: the last stat seen (refreshed
 * by every lookup that finds it and by every stat), never a copy Jux changes itself. The host
 * keeps times and link counts, so the VFS's touch and link-count calls do nothing here.
 *
 * <p>Every inode remembers a name it is known by: the host directory it was last found in and
 * its name there (a hard link has several; any one will do). Attribute changes and the opening
 * of a regular file go through that (directory fd, one name) pair, and check that the name
 * still is this inode; if the host moved it away, ESTALE, as NFS says.
 */
abstract class HostInode extends Inode {
    final HostFs fs;
    private volatile HostStat st;
    /** Where this inode was last found: a held host directory and one name in it; null for a mount root at the host's "/". */
    private HostDirectory parent;
    private byte[] name;

    HostInode(HostFs fs, HostStat st, HostDirectory parent, byte[] name) {
        super(fs, st.ino(), st.mode(), st.uid(), st.gid());
        this.fs = fs;
        this.st = st;
        this.parent = parent;
        this.name = name;
    }

    HostStat hostStat() {
        return st;
    }

    /** A lookup found this inode again as {@code name} in {@code dir}. */
    synchronized void found(HostDirectory dir, byte[] newName, HostStat stat) {
        parent = dir;
        name = newName;
        st = stat;
    }

    /** False if the cached object no longer stands for the host file of its (dev, ino). */
    boolean stillValid() {
        return true;
    }

    /** The cache dropped this inode (the host reused its number for another file). */
    void forget() {}

    synchronized HostDirectory parentDir() {
        if (parent == null) throw new LinuxException(Errno.EPERM, "the host's root has no parent");
        return parent;
    }

    synchronized byte[] name() {
        return name;
    }

    /** The host's stat, asked now; the last one seen if the host file cannot be reached by name any more. */
    HostStat refresh() {
        HostStat fresh = fetch();
        if (fresh != null) st = fresh;
        return st;
    }

    /** A fresh stat, or null if this inode cannot be reached. Subclasses with an fd use it. */
    HostStat fetch() {
        HostDirectory dir;
        byte[] n;
        synchronized (this) {
            dir = parent;
            n = name;
        }
        if (dir == null) return null;
        HostLookup r = HostFs.call(() -> dir.lookup(n));
        if (r instanceof HostLookup.Found f && f.stat().ino() == ino() && f.stat().dev() == st.dev()) return f.stat();
        return null;
    }

    /** Checks that the remembered name still is this inode (before acting on it by name). */
    void checkName() {
        if (fetch() == null) throw new LinuxException(Errno.ESTALE, "the host file moved");
    }

    @Override
    public int mode() {
        return st.mode();
    }

    @Override
    public int uid() {
        return st.uid();
    }

    @Override
    public int gid() {
        return st.gid();
    }

    @Override
    public int nlink() {
        return (int) Math.min(Integer.MAX_VALUE, st.nlink());
    }

    @Override
    public long size() {
        return st.size();
    }

    @Override
    public long blocks() {
        return st.blocks();
    }

    @Override
    public Stat stat() {
        HostStat s = refresh();
        return new Stat(fs.dev(), ino(), s.nlink(), s.mode(), s.uid(), s.gid(), s.rdev(), s.size(), s.blksize(), s.blocks(),
                s.atimeSec(), s.atimeNsec(), s.mtimeSec(), s.mtimeNsec(), s.ctimeSec(), s.ctimeNsec());
    }

    // --- attribute changes go to the host ---

    @Override
    public void setPermissions(int bits) {
        fs.checkWritable();
        checkName();
        HostFs.run(() -> parentDir().chmod(name(), bits & 07777));
        refresh();
    }

    @Override
    public void setOwner(int newUid, int newGid) {
        fs.checkWritable();
        checkName();
        HostFs.run(() -> parentDir().chown(name(), newUid, newGid));
        refresh();
    }

    @Override
    public void setTimes(long newAtime, long newMtime) {
        fs.checkWritable();
        checkName();
        long as = sec(newAtime), an = nsec(newAtime), ms = sec(newMtime), mn = nsec(newMtime);
        HostFs.run(() -> parentDir().utimens(name(), as, an, ms, mn));
        refresh();
    }

    private static long sec(long t) {
        return t == Long.MIN_VALUE ? 0 : Math.floorDiv(t, 1_000_000_000L);
    }

    private static long nsec(long t) {
        return t == Long.MIN_VALUE ? LibcFiles.UTIME_OMIT : Math.floorMod(t, 1_000_000_000L);
    }

    // The host keeps times and link counts itself.

    @Override
    public void touchModified() {}

    @Override
    public void touchChanged() {}

    @Override
    public void touchAccessed() {}

    @Override
    public void adjustLinks(int delta) {}
}
