package dev.jux.fs.overlay;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import dev.jux.fs.Stat;
import dev.jux.fs.tmpfs.TmpFs;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.FileSystem;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.StatFs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Linux's overlayfs with one lower layer and a tmpfs upper layer: the lower file system is
 * only read (never written, whatever happens above), every change goes to the upper one.
 *
 * <ul>
 *   <li><b>Whiteouts</b> are what Linux uses: a character device 0/0 (mode 0) in the upper
 *       directory hides the lower entry of that name.</li>
 *   <li><b>Opaque directories</b>: Linux marks them with the xattr trusted.overlay.opaque="y";
 *       Jux does not store the mark as an xattr (the guest could see or forge it): the
 *       overlay keeps the set of opaque upper directory inodes itself ({@link #isOpaque}). The mark follows the upper inode through renames.</li>
 *   <li><b>Copy-up</b> happens on the first change (write, truncate, fallocate, chmod, chown,
 *       utimens, link, rename, creating or removing an entry inside a lower directory), not
 *       at open(O_WRONLY): the same overlay inode then points at its upper copy, so every fd
 *       sees the new data (Linux's open-time copy-up gives the same result except for fds
 *       opened read-only before the copy-up, which Linux left on the lower file).</li>
 *   <li><b>rename</b> of a directory that exists in the lower layer is EXDEV, as Linux with
 *       redirect_dir=off; mv then copies and removes.</li>
 *   <li><b>Inode numbers</b> follow Linux's xino=off layout for layers on different file
 *       systems: a non-directory shows the st_dev/st_ino of its origin (the lower inode for a
 *       lower file, before and after copy-up; the upper tmpfs inode for a file created in the
 *       overlay); a directory shows the overlay's own st_dev (so that find -xdev and du -x do
 *       not stop at it) with its origin's st_ino.</li>
 *   <li>Hard links between lower files are broken by copy-up (Linux without index=on).</li>
 * </ul>
 */
public final class OverlayFs extends FileSystem {
    /** OVERLAYFS_SUPER_MAGIC from <linux/magic.h>. */
    public static final long MAGIC = 0x794c7630L;

    final FileSystem lower;
    final FileSystem upper;
    private final OverlayInode root;
    /** Upper inode -> its overlay inode, so that every name of one upper inode (hard links) gives one overlay inode. */
    private final Map<Inode, OverlayInode> byUpper = new IdentityHashMap<>();
    /** The upper directories marked opaque (Linux's trusted.overlay.opaque xattr). */
    private final Set<Inode> opaque = Collections.newSetFromMap(new WeakHashMap<>());

    /**
     * An overlay of {@code lower} (only read) under {@code upper} (an empty file system whose
     * root becomes the overlay's root directory, as Linux uses the upperdir's attributes).
     */
    public OverlayFs(FileSystem lower, FileSystem upper) {
        this.lower = lower;
        this.upper = upper;
        this.root = new OverlayInode(this, null, null, upper.root(), lower.root());
        register(root);
    }

    /**
     * The overlay Jux boots with: {@code lower} (e.g. a read-only hostfs of the host's "/")
     * under a fresh tmpfs whose root takes the lower root's mode, owner and times.
     */
    public static OverlayFs over(FileSystem lower) {
        Inode lr = lower.root();
        TmpFs tmp = new TmpFs(lr.mode() & 07777, lr.uid(), lr.gid());
        Stat s = lr.stat();
        tmp.root().setTimes(s.atimeSec() * 1_000_000_000L + s.atimeNsec(), s.mtimeSec() * 1_000_000_000L + s.mtimeNsec());
        return new OverlayFs(lower, tmp);
    }

    public FileSystem lowerLayer() {
        return lower;
    }

    public FileSystem upperLayer() {
        return upper;
    }

    @Override
    public Inode root() {
        return root;
    }

    @Override
    public String type() {
        return "overlay";
    }

    /** statfs: the upper layer's space (where writes go), with overlayfs's magic, as Linux. */
    @Override
    public StatFs statfs() {
        StatFs u = upper.statfs();
        return new StatFs(MAGIC, u.blockSize(), u.blocks(), u.blocksFree(), u.blocksAvailable(), u.files(), u.filesFree(),
                dev(), u.nameMax(), u.fragmentSize(), u.flags());
    }

    /** Names can change behind Jux's back exactly when they can in the lower layer (a host directory). */
    @Override
    public boolean revalidatesNames() {
        return lower.revalidatesNames();
    }

    // --- bookkeeping shared by the inodes (all under this object's lock) ---

    synchronized OverlayInode forUpper(Inode u) {
        return byUpper.get(u);
    }

    synchronized void register(OverlayInode node) {
        if (node.upper != null) byUpper.put(node.upper, node);
    }

    synchronized void forget(Inode u) {
        if (u != null && u.nlink() == 0) byUpper.remove(u);
    }

    synchronized boolean isOpaque(Inode upperDir) {
        return upperDir != null && opaque.contains(upperDir);
    }

    synchronized void markOpaque(Inode upperDir) {
        opaque.add(upperDir);
    }

    /** Linux's whiteout: a character device with device number 0/0. */
    static boolean isWhiteout(Inode i) {
        return i != null && i.type() == FileMode.S_IFCHR && i.stat().rdev() == 0;
    }

    static void makeWhiteout(Inode upperDir, ByteString name) {
        upperDir.create(name, FileMode.S_IFCHR, 0, 0, 0);
    }

    // --- copy-up ---

    private static final int CHUNK = 64 * 1024;

    /**
     * Gives {@code node} an upper inode: its parent first (recursively, with the directories'
     * mode, owner and times), then a copy of the node with at most {@code keepBytes} bytes of
     * its data (all of it normally; less when a truncate follows). Lower files removed while
     * open are copied to an unnamed upper file.
     */
    synchronized void copyUp(OverlayInode node, long keepBytes) {
        if (node.upper != null) return;
        Inode l = node.lower;
        Stat s = l.stat();
        int perm = s.mode() & 07777;
        Inode u;
        if (node.detached) {
            if (!l.isRegular()) throw new LinuxException(Errno.ENOENT);
            u = upper.root().createUnnamed(perm, s.uid(), s.gid());
        } else {
            OverlayInode parent = node.parent;
            copyUp(parent, Long.MAX_VALUE);
            Inode dir = parent.upper;
            // Adding the copy does not change the parent's times (Linux restores them too).
            Stat ps = dir.stat();
            // A whiteout cannot be there: the name is visible. Anything else is a bug.
            switch (l.type()) {
                case FileMode.S_IFDIR -> u = dir.mkdir(node.name, perm, s.uid(), s.gid());
                case FileMode.S_IFLNK -> u = dir.symlink(node.name, l.readlink(), s.uid(), s.gid());
                case FileMode.S_IFREG -> u = dir.create(node.name, FileMode.S_IFREG | perm, 0, s.uid(), s.gid());
                default -> u = dir.create(node.name, s.mode(), s.rdev(), s.uid(), s.gid());
            }
            dir.setTimes(nanos(ps.atimeSec(), ps.atimeNsec()), nanos(ps.mtimeSec(), ps.mtimeNsec()));
        }
        if (l.isRegular()) copyData(l, u, Math.min(keepBytes, l.size()));
        u.setTimes(nanos(s.atimeSec(), s.atimeNsec()), nanos(s.mtimeSec(), s.mtimeNsec()));
        node.upper = u;
        register(node);
    }

    private static long nanos(long sec, long nsec) {
        return sec * 1_000_000_000L + nsec;
    }

    /** Copies [0, length) from {@code from} to {@code to}, leaving all-zero chunks as holes. */
    private static void copyData(Inode from, Inode to, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(CHUNK);
            long pos = 0;
            while (pos < length) {
                MemorySegment want = buf.asSlice(0, Math.min(CHUNK, length - pos));
                long n = from.read(pos, want);
                if (n <= 0) break;
                MemorySegment got = want.asSlice(0, n);
                if (!isZero(got)) to.write(pos, got);
                pos += n;
            }
            to.truncate(length);
        }
    }

    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[CHUNK]);

    private static boolean isZero(MemorySegment s) {
        return s.mismatch(ZEROS.asSlice(0, s.byteSize())) == -1;
    }
}
