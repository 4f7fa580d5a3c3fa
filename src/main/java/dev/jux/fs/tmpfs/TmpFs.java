package dev.jux.fs.tmpfs;

import dev.jux.abi.FileMode;
import dev.jux.fs.vfs.FileSystem;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.StatFs;
import java.util.concurrent.atomic.AtomicLong;

/**
 * tmpfs: a file system that lives in Java memory. Directory changes are serialised by the
 * file system's lock (one namespace lock, like a simplified i_rwsem + s_vfs_rename_mutex);
 * file data by each inode's own lock.
 */
public class TmpFs extends FileSystem {
    /** TMPFS_MAGIC from <linux/magic.h>. */
    public static final long MAGIC = 0x01021994L;
    /** The size a tmpfs reports: Linux's default is half of RAM; Jux reports 4 GiB. */
    static final long TOTAL_PAGES = 1L << 20;
    static final long TOTAL_INODES = 1L << 20;

    private final TmpDirectory root;
    private final String type;
    final AtomicLong pagesUsed = new AtomicLong();
    final AtomicLong inodesUsed = new AtomicLong();

    /** A tmpfs whose root directory has {@code rootMode} (Linux's default: 01777, owned by the mounter). */
    public TmpFs(int rootMode, int uid, int gid) {
        this(rootMode, uid, gid, "tmpfs");
    }

    /** A tmpfs that /proc/mounts names {@code type} (devfs is a "devtmpfs", as on Linux). */
    public TmpFs(int rootMode, int uid, int gid, String type) {
        this.type = type;
        root = new TmpDirectory(this, FileMode.S_IFDIR | (rootMode & 07777), uid, gid);
    }

    /** An unnamed regular file with nlink 0 and memfd seals (memfd_create). */
    public Inode createSealable(int mode, int uid, int gid, boolean allowSealing) {
        TmpRegularFile f = new TmpRegularFile(this, dev.jux.abi.FileMode.S_IFREG | (mode & 07777), uid, gid,
                new dev.jux.fs.vfs.FileSeals(allowSealing));
        f.adjustLinks(-1);
        return f;
    }

    /** tmpfs keeps trusted.*, security.* and (Linux 6.6+) user.* attributes in memory. */
    @Override
    public boolean keepsXattrs() {
        return true;
    }

    @Override
    public Inode root() {
        return root;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public StatFs statfs() {
        long free = Math.max(0, TOTAL_PAGES - pagesUsed.get());
        long ffree = Math.max(0, TOTAL_INODES - inodesUsed.get());
        return new StatFs(MAGIC, Inode.BLOCK_SIZE, TOTAL_PAGES, free, free, TOTAL_INODES, ffree, dev(), 255,
                Inode.BLOCK_SIZE, StatFs.ST_VALID);
    }
}
