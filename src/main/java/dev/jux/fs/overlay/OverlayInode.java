package dev.jux.fs.overlay;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import dev.jux.fs.Stat;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.DirSink;
import dev.jux.fs.vfs.Inode;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * An overlay inode: an upper inode (tmpfs), a lower inode, or both (a copied-up file, a merged
 * directory). The object stays the same through copy-up, so dentries and open files keep it;
 * reads go to the upper inode once there is one, else to the lower one, and every change
 * copies up first ({@link OverlayFs#copyUp}). Directory operations are serialised by the
 * overlay's lock. The attribute fields of the base class are unused: everything is delegated.
 */
final class OverlayInode extends Inode {
    private static final long LOWER_POS = 1L << 62;

    private final OverlayFs ofs;
    /** Where a lower-only inode was found, for copy-up; updated by rename. Unused once {@link #upper} is set. */
    OverlayInode parent;
    ByteString name;
    volatile Inode upper;
    /** The lower inode, or null; for a directory, null when the upper one is opaque. */
    final Inode lower;
    /** A lower-only file whose name was removed: a write copies it up to an unnamed upper file. */
    volatile boolean detached;
    /** The st_dev of a non-directory: its origin's (the lower's for a lower file, else the upper layer's). */
    private final long originDev;
    /** Lower-only children already handed out, so that a name keeps one overlay inode (directories only). */
    private final Map<ByteString, OverlayInode> lowerChildren = new HashMap<>();

    OverlayInode(OverlayFs ofs, OverlayInode parent, ByteString name, Inode upper, Inode lower) {
        super(ofs, (lower != null ? lower : upper).ino(), (lower != null ? lower : upper).mode(), 0, 0);
        this.ofs = ofs;
        this.parent = parent;
        this.name = name;
        this.upper = upper;
        this.lower = lower;
        this.originDev = lower != null ? lower.stat().dev() : upper.stat().dev();
    }

    /** The inode that answers reads: the upper one if any. */
    Inode real() {
        Inode u = upper;
        return u != null ? u : lower;
    }

    private Inode up() {
        ofs.copyUp(this, Long.MAX_VALUE);
        return upper;
    }

    /** A merged directory: an upper and a visible lower directory. */
    private boolean isMerged() {
        return upper != null && lower != null;
    }

    // --- attributes ---

    @Override
    public int mode() {
        return real().mode();
    }

    @Override
    public int uid() {
        return real().uid();
    }

    @Override
    public int gid() {
        return real().gid();
    }

    @Override
    public int nlink() {
        if (detached && upper == null) return 0;
        // Linux shows 1 for a merged directory: its real count is unknown.
        if (isDirectory() && isMerged()) return 1;
        return real().nlink();
    }

    @Override
    public long size() {
        return real().size();
    }

    @Override
    public long blocks() {
        return real().blocks();
    }

    @Override
    public Stat stat() {
        Stat s = real().stat();
        long dev = FileMode.isDirectory(s.mode()) ? ofs.dev() : originDev;
        return new Stat(dev, ino(), nlink(), s.mode(), s.uid(), s.gid(), s.rdev(), s.size(), s.blksize(), s.blocks(),
                s.atimeSec(), s.atimeNsec(), s.mtimeSec(), s.mtimeNsec(), s.ctimeSec(), s.ctimeNsec());
    }

    @Override
    public void setPermissions(int bits) {
        up().setPermissions(bits);
    }

    @Override
    public void setOwner(int newUid, int newGid) {
        up().setOwner(newUid, newGid);
    }

    @Override
    public void setTimes(long newAtime, long newMtime) {
        up().setTimes(newAtime, newMtime);
    }

    @Override
    public void touchModified() {
        up().touchModified();
    }

    @Override
    public void touchChanged() {
        up().touchChanged();
    }

    /** A read of a lower-only file changes nothing: the lower layer is never written. */
    @Override
    public void touchAccessed() {
        Inode u = upper;
        if (u != null) u.touchAccessed();
    }

    @Override
    public void adjustLinks(int delta) {
        up().adjustLinks(delta);
    }

    // --- extended attributes: read from the real inode, changed on the copied-up one ---

    /** Changes go to the upper layer, so its file system decides (tmpfs keeps them). */
    @Override
    public boolean supportsXattrs() {
        return ofs.upper.keepsXattrs();
    }

    /** A lower file whose file system keeps none (hostfs) has none to show. */
    @Override
    public byte[] getXattr(String name) {
        Inode r = real();
        if (r == lower && !lower.supportsXattrs()) throw new LinuxException(Errno.ENODATA);
        return r.getXattr(name);
    }

    @Override
    public java.util.List<String> listXattrs() {
        return real().listXattrs();
    }

    @Override
    public void setXattr(String name, byte[] value, int flags) {
        up().setXattr(name, value, flags);
    }

    @Override
    public void removeXattr(String name) {
        // As ovl_xattr_set: removing a name the lower file lacks copies nothing up.
        if (upper == null && !(lower.supportsXattrs() && lower.listXattrs().contains(name))) throw new LinuxException(Errno.ENODATA);
        up().removeXattr(name);
    }

    // --- regular files and symlinks ---

    @Override
    public long read(long pos, MemorySegment dst) {
        return real().read(pos, dst);
    }

    @Override
    public long write(long pos, MemorySegment src) {
        return up().write(pos, src);
    }

    /** Copies up only the bytes that survive the truncation. */
    @Override
    public void truncate(long length) {
        ofs.copyUp(this, length);
        upper.truncate(length);
    }

    @Override
    public void allocate(long offset, long length, boolean keepSize) {
        up().allocate(offset, length, keepSize);
    }

    @Override
    public long seekData(long pos, boolean hole) {
        return real().seekData(pos, hole);
    }

    @Override
    public ByteString readlink() {
        return real().readlink();
    }

    // --- directories ---

    private void requireDirectory() {
        if (!isDirectory()) throw new LinuxException(Errno.ENOTDIR);
    }

    /** The upper entry {@code name}, whiteouts included; null if none. */
    private Inode upperEntry(ByteString name) {
        Inode u = upper;
        return u == null ? null : u.lookup(name);
    }

    /** The lower entry {@code name} if the lower directory shows through here; null otherwise. */
    private Inode lowerEntry(ByteString name) {
        return lower == null ? null : lower.lookup(name);
    }

    @Override
    public Inode lookup(ByteString name) {
        requireDirectory();
        synchronized (ofs) {
            Inode u = upperEntry(name);
            if (OverlayFs.isWhiteout(u)) return null;
            if (u != null) {
                OverlayInode known = ofs.forUpper(u);
                if (known != null) return known;
                Inode l = null;
                if (u.isDirectory() && !ofs.isOpaque(u)) {
                    l = lowerEntry(name);
                    if (l != null && !l.isDirectory()) l = null;
                }
                OverlayInode node = new OverlayInode(ofs, this, name, u, l);
                ofs.register(node);
                return node;
            }
            Inode l = lowerEntry(name);
            if (l == null) {
                lowerChildren.remove(name);
                return null;
            }
            OverlayInode known = lowerChildren.get(name);
            if (known != null && known.upper == null && known.lower.ino() == l.ino() && known.lower.type() == l.type()) return known;
            OverlayInode node = new OverlayInode(ofs, this, name, null, l);
            lowerChildren.put(name, node);
            return node;
        }
    }

    /**
     * Makes room for a new upper entry {@code name}: copies this directory up and removes a
     * whiteout there. Returns true if the name hides a lower entry (a new directory there must
     * be opaque, as Linux's ovl_create_over_whiteout makes it).
     */
    private boolean prepareCreate(ByteString name) {
        up();
        Inode w = upper.lookup(name);
        if (w != null) {
            if (!OverlayFs.isWhiteout(w)) throw new LinuxException(Errno.EEXIST);
            upper.remove(name);
        }
        lowerChildren.remove(name);
        return w != null || lowerEntry(name) != null;
    }

    private OverlayInode created(ByteString name, Inode u) {
        OverlayInode node = new OverlayInode(ofs, this, name, u, null);
        ofs.register(node);
        return node;
    }

    @Override
    public Inode create(ByteString name, int mode, long rdev, int uid, int gid) {
        requireDirectory();
        synchronized (ofs) {
            prepareCreate(name);
            return created(name, upper.create(name, mode, rdev, uid, gid));
        }
    }

    @Override
    public Inode createUnnamed(int mode, int uid, int gid) {
        requireDirectory();
        synchronized (ofs) {
            return created(ByteString.EMPTY, up().createUnnamed(mode, uid, gid));
        }
    }

    @Override
    public Inode mkdir(ByteString name, int mode, int uid, int gid) {
        requireDirectory();
        synchronized (ofs) {
            boolean hides = prepareCreate(name);
            Inode d = upper.mkdir(name, mode, uid, gid);
            if (hides) ofs.markOpaque(d);
            return created(name, d);
        }
    }

    @Override
    public Inode symlink(ByteString name, ByteString target, int uid, int gid) {
        requireDirectory();
        synchronized (ofs) {
            prepareCreate(name);
            return created(name, upper.symlink(name, target, uid, gid));
        }
    }

    /** A hard link: the target is copied up and the upper inode gets the new name. */
    @Override
    public void link(ByteString name, Inode target) {
        requireDirectory();
        OverlayInode t = (OverlayInode) target;
        synchronized (ofs) {
            ofs.copyUp(t, Long.MAX_VALUE);
            prepareCreate(name);
            upper.link(name, t.upper);
        }
    }

    /** Removes the upper entry, then leaves a whiteout if the lower layer has the name. */
    @Override
    public void remove(ByteString name) {
        requireDirectory();
        synchronized (ofs) {
            OverlayInode victim = (OverlayInode) lookup(name);
            up();
            Inode u = upper.lookup(name);
            if (u != null) {
                upper.remove(name);
                ofs.forget(u);
            }
            if (lowerEntry(name) != null) OverlayFs.makeWhiteout(upper, name);
            lowerChildren.remove(name);
            if (victim != null && victim.upper == null) victim.detached = true;
        }
    }

    /**
     * rename, after copying up the source (and, for an exchange, the target): a directory
     * that has a lower part cannot move (EXDEV, Linux without redirect_dir). The old name
     * gets a whiteout if the lower layer has it; a directory arriving where the lower layer
     * has the name becomes opaque.
     */
    @Override
    public void rename(ByteString oldName, Inode newDir, ByteString newName, boolean exchange) {
        requireDirectory();
        OverlayInode to = (OverlayInode) newDir;
        synchronized (ofs) {
            OverlayInode src = (OverlayInode) lookup(oldName);
            OverlayInode dst = (OverlayInode) to.lookup(newName);
            if (src.isDirectory() && src.lower != null) throw new LinuxException(Errno.EXDEV);
            if (exchange && dst.isDirectory() && dst.lower != null) throw new LinuxException(Errno.EXDEV);
            ofs.copyUp(src, Long.MAX_VALUE);
            if (exchange) ofs.copyUp(dst, Long.MAX_VALUE);
            up();
            to.up();
            Inode replaced = to.upper.lookup(newName);
            boolean oldHidesLower = lowerEntry(oldName) != null;
            boolean newHidesLower = to.lowerEntry(newName) != null;
            if (replaced != null && !exchange && OverlayFs.isWhiteout(replaced)) {
                to.upper.remove(newName); // the whiteout goes; the moved entry hides the lower name now
                replaced = null;
            }
            upper.rename(oldName, to.upper, newName, exchange);
            if (src.isDirectory() && newHidesLower) ofs.markOpaque(src.upper);
            if (exchange) {
                if (dst.isDirectory() && oldHidesLower) ofs.markOpaque(dst.upper);
                dst.parent = this;
                dst.name = oldName;
            } else {
                if (replaced != null) ofs.forget(replaced);
                if (dst != null && dst.upper == null) dst.detached = true;
                if (oldHidesLower) OverlayFs.makeWhiteout(upper, oldName);
            }
            src.parent = to;
            src.name = newName;
            lowerChildren.remove(oldName);
            to.lowerChildren.remove(newName);
        }
    }

    /** Empty in the merged view: no upper entry but whiteouts, no lower entry that shows. */
    @Override
    public boolean isEmptyDirectory() {
        requireDirectory();
        boolean[] empty = {true};
        readdir(2, ino(), (n, ino, type, next) -> {
            empty[0] = false;
            return false;
        });
        return empty[0];
    }

    /**
     * The merged listing: ".", "..", the upper entries that are not whiteouts (positions are
     * the upper directory's own), then the lower entries that have no upper entry of the same
     * name (positions count the lower entries passed, with bit 62 set). An entry copied up by
     * someone else while a listing is in its lower part may be missed by that listing (Linux
     * caches the merged list per open directory; Jux's VFS has no per-open state for it yet).
     */
    @Override
    public long readdir(long pos, long parentIno, DirSink sink) {
        requireDirectory();
        pos = DirSink.dotEntries(pos, ino(), parentIno, sink);
        if (pos < 2) return pos;
        Inode u = upper;
        if ((pos & LOWER_POS) == 0 && u != null) {
            boolean[] full = {false};
            long end = u.readdir(pos, u.ino(), (n, ino, type, next) -> {
                if (n.equals(ByteString.DOT) || n.equals(ByteString.DOTDOT)) return true;
                Inode child = u.lookup(n);
                if (child == null || OverlayFs.isWhiteout(child)) return true;
                OverlayInode node = ofs.forUpper(child);
                if (!sink.accept(n, node != null ? node.ino() : ino, type, next)) {
                    full[0] = true;
                    return false;
                }
                return true;
            });
            if (full[0] || lower == null) return end;
            pos = LOWER_POS;
        }
        if (lower == null) return pos;
        // Lower-phase positions count the lower listing's entries already passed, with bit 62
        // set; the lower's own cookies cannot be used, since they may need every bit (ext4's
        // last d_off is 2^63 - 1). Resuming re-lists the lower directory and skips that many.
        long passed = (pos & LOWER_POS) != 0 ? pos & ~LOWER_POS : 0;
        long[] index = {0};
        long[] stop = {-1};
        lower.readdir(0, lower.ino(), (n, ino, type, next) -> {
            long i = index[0]++;
            if (i < passed || n.equals(ByteString.DOT) || n.equals(ByteString.DOTDOT)) return true;
            Inode cur = upper;
            if (cur != null && cur.lookup(n) != null) return true;
            if (!sink.accept(n, ino, type, LOWER_POS | (i + 1))) {
                stop[0] = i;
                return false;
            }
            return true;
        });
        return LOWER_POS | (stop[0] >= 0 ? stop[0] : index[0]);
    }
}
