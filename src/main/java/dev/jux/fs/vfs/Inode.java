package dev.jux.fs.vfs;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import dev.jux.fs.Stat;
import dev.jux.fs.notify.InodeWatches;
import java.lang.foreign.MemorySegment;

/**
 * A file of some file system: its attributes and the operations its type supports (Linux's
 * inode with its inode_operations and the data half of file_operations). This base class keeps
 * the attributes in memory, as tmpfs does; a file system whose attributes live elsewhere
 * (hostfs: the host inode behind an O_PATH fd) overrides the accessors and setters.
 *
 * <p>Directory operations receive names the VFS has already checked (not "." or "..", at most
 * NAME_MAX bytes, with the right types and permissions); they do the change and keep the
 * directory's own attributes (nlink, size, mtime/ctime) current. An operation a type does not
 * have fails as Linux fails it: ENOTDIR for the namespace calls, EINVAL for the data calls.
 */
public abstract class Inode {
    public static final int BLOCK_SIZE = 4096;

    private final FileSystem fs;
    private final long ino;
    protected int mode;
    protected int nlink;
    protected int uid, gid;
    protected long rdev;
    protected long atime, mtime, ctime;
    /** The pages shared mappings hold of this file, or null (see {@link MappedPages}). */
    private volatile MappedPages mappedPages;
    /** The extended attributes, made on first use when the file system keeps them. */
    private XattrStore xattrs;
    /** The inotify watches on this inode, made by the first inotify_add_watch; null before. */
    private volatile InodeWatches watches;

    protected Inode(FileSystem fs, long ino, int mode, int uid, int gid) {
        this.fs = fs;
        this.ino = ino;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        this.nlink = 1;
        long now = FsClock.now();
        atime = mtime = ctime = now;
    }

    /** The seals of a memfd file, or null: a file that cannot be sealed (F_ADD_SEALS EINVAL). */
    public FileSeals seals() {
        return null;
    }

    public final MappedPages mappedPages() {
        return mappedPages;
    }

    /** The kernel attaches the page cache of a file while it has shared mappings (null: none). */
    public final void setMappedPages(MappedPages pages) {
        mappedPages = pages;
    }

    /** The inotify watches on this inode, or null if none was ever added. */
    public final InodeWatches watches() {
        return watches;
    }

    /** The watch list inotify_add_watch adds to, made on first use. */
    public final synchronized InodeWatches watchesForAdding() {
        if (watches == null) watches = new InodeWatches();
        return watches;
    }

    public final FileSystem fileSystem() {
        return fs;
    }

    public final long ino() {
        return ino;
    }

    public synchronized int mode() {
        return mode;
    }

    public final int type() {
        return FileMode.type(mode());
    }

    public final boolean isDirectory() {
        return type() == FileMode.S_IFDIR;
    }

    public final boolean isSymlink() {
        return type() == FileMode.S_IFLNK;
    }

    public final boolean isRegular() {
        return type() == FileMode.S_IFREG;
    }

    public synchronized int uid() {
        return uid;
    }

    public synchronized int gid() {
        return gid;
    }

    /**
     * A file system's own grant when the mode bits refuse (Linux's inode->i_op->permission
     * after generic_permission): procfs lets a process into its own /proc/PID/fd.
     */
    public boolean grantsAccess(FsCredentials c, int mask) {
        return false;
    }

    public synchronized int nlink() {
        return nlink;
    }

    /** st_size: bytes for files, the target's length for symlinks. */
    public abstract long size();

    /** st_blocks in 512-byte units. */
    public long blocks() {
        return 0;
    }

    public synchronized Stat stat() {
        return new Stat(fs.dev(), ino, nlink, mode, uid(), gid(), rdev, size(), BLOCK_SIZE, blocks(),
                atime / 1_000_000_000L, atime % 1_000_000_000L, mtime / 1_000_000_000L, mtime % 1_000_000_000L,
                ctime / 1_000_000_000L, ctime % 1_000_000_000L);
    }

    // --- attribute changes (the VFS has checked permission) ---

    /** chmod: the permission, set-id and sticky bits; the type stays. */
    public synchronized void setPermissions(int bits) {
        mode = (mode & FileMode.S_IFMT) | (bits & 07777);
        ctime = FsClock.now();
    }

    /** chown; -1 leaves an id unchanged. */
    public synchronized void setOwner(int newUid, int newGid) {
        if (newUid != -1) uid = newUid;
        if (newGid != -1) gid = newGid;
        ctime = FsClock.now();
    }

    /** utimensat: times in ns since the epoch; Long.MIN_VALUE leaves one unchanged. ctime becomes now. */
    public synchronized void setTimes(long newAtime, long newMtime) {
        if (newAtime != Long.MIN_VALUE) atime = newAtime;
        if (newMtime != Long.MIN_VALUE) mtime = newMtime;
        ctime = FsClock.now();
    }

    /** The data or the directory changed: mtime and ctime become now. */
    public synchronized void touchModified() {
        mtime = ctime = FsClock.now();
    }

    /** Only the inode changed (link count, rename): ctime becomes now. */
    public synchronized void touchChanged() {
        ctime = FsClock.now();
    }

    /**
     * A read: relatime, Linux's default: atime is updated only if it is older than mtime or
     * ctime, or more than a day old.
     */
    public synchronized void touchAccessed() {
        long now = FsClock.now();
        if (atime <= mtime || atime <= ctime || now - atime > 86_400_000_000_000L) atime = now;
    }

    public synchronized void adjustLinks(int delta) {
        nlink += delta;
    }

    // --- extended attributes (the VFS has checked the name, namespace and permission; see Xattrs) ---

    /**
     * This inode's attribute store, or null when its file system keeps no extended attributes
     * (Linux: no IOP_XATTR, so get/set/remove fail with EOPNOTSUPP and list finds nothing).
     */
    protected synchronized XattrStore xattrStore() {
        if (!fs.keepsXattrs()) return null;
        if (xattrs == null) xattrs = new XattrStore();
        return xattrs;
    }

    /** True if this file system stores extended attributes at all. */
    public boolean supportsXattrs() {
        return fs.keepsXattrs();
    }

    /** The value of attribute {@code name}; ENODATA if there is none. */
    public byte[] getXattr(String name) {
        XattrStore x = xattrStore();
        if (x == null) throw new LinuxException(Errno.EOPNOTSUPP);
        return x.get(name);
    }

    /** Sets attribute {@code name} (flags XATTR_CREATE/XATTR_REPLACE); ctime becomes now, as shmem_xattr_handler_set. */
    public void setXattr(String name, byte[] value, int flags) {
        XattrStore x = xattrStore();
        if (x == null) throw new LinuxException(Errno.EOPNOTSUPP);
        x.set(name, value, flags);
        touchChanged();
    }

    public void removeXattr(String name) {
        XattrStore x = xattrStore();
        if (x == null) throw new LinuxException(Errno.EOPNOTSUPP);
        x.remove(name);
        touchChanged();
    }

    /** The names of all attributes (the VFS hides those the caller may not see). */
    public java.util.List<String> listXattrs() {
        XattrStore x = xattrStore();
        return x == null ? java.util.List.of() : x.names();
    }

    // --- directories ---

    /** The inode called {@code name} in this directory, or null. */
    public Inode lookup(ByteString name) {
        throw new LinuxException(Errno.ENOTDIR);
    }

    /** Creates a non-directory, non-symlink inode (S_IFREG, S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK). */
    public Inode create(ByteString name, int mode, long rdev, int uid, int gid) {
        throw new LinuxException(Errno.ENOTDIR);
    }

    /** An unnamed regular file in this directory's file system, with nlink 0 (O_TMPFILE). */
    public Inode createUnnamed(int mode, int uid, int gid) {
        throw new LinuxException(Errno.EOPNOTSUPP);
    }

    public Inode mkdir(ByteString name, int mode, int uid, int gid) {
        throw new LinuxException(Errno.ENOTDIR);
    }

    public Inode symlink(ByteString name, ByteString target, int uid, int gid) {
        throw new LinuxException(Errno.ENOTDIR);
    }

    /** Adds a hard link to {@code target} (not a directory, same file system). */
    public void link(ByteString name, Inode target) {
        throw new LinuxException(Errno.ENOTDIR);
    }

    /** Removes the entry {@code name} (a non-directory, or an empty directory the VFS has checked). */
    public void remove(ByteString name) {
        throw new LinuxException(Errno.ENOTDIR);
    }

    /**
     * Moves {@code oldName} here to {@code newName} in {@code newDir} (same file system),
     * replacing what is there (the VFS has checked that it may), or swapping the two when
     * {@code exchange}.
     */
    public void rename(ByteString oldName, Inode newDir, ByteString newName, boolean exchange) {
        throw new LinuxException(Errno.ENOTDIR);
    }

    /** True for a directory with no entries other than "." and "..". */
    public boolean isEmptyDirectory() {
        throw new LinuxException(Errno.ENOTDIR);
    }

    /**
     * Lists entries from position {@code pos} (0 is the start; after that, a d_off this
     * directory returned) until the sink is full; returns the position to continue from.
     * "." and ".." come first, as on Linux; {@code parentIno} is the ino to show for "..".
     */
    public long readdir(long pos, long parentIno, DirSink sink) {
        throw new LinuxException(Errno.ENOTDIR);
    }

    // --- regular files ---

    public long read(long pos, MemorySegment dst) {
        throw new LinuxException(Errno.EINVAL);
    }

    public long write(long pos, MemorySegment src) {
        throw new LinuxException(Errno.EINVAL);
    }

    public void truncate(long length) {
        throw new LinuxException(Errno.EINVAL);
    }

    /** fallocate(2) mode 0 or FALLOC_FL_KEEP_SIZE: reserves [offset, offset+length). */
    public void allocate(long offset, long length, boolean keepSize) {
        throw new LinuxException(Errno.EOPNOTSUPP);
    }

    /** SEEK_DATA/SEEK_HOLE from {@code pos} (below the size); ENXIO when there is none. */
    public long seekData(long pos, boolean hole) {
        long size = size();
        if (pos >= size) throw new LinuxException(Errno.ENXIO);
        return hole ? size : pos;
    }

    // --- symlinks ---

    public ByteString readlink() {
        throw new LinuxException(Errno.EINVAL);
    }
}
