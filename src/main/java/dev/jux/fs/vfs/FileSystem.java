package dev.jux.fs.vfs;

import dev.jux.abi.DeviceNumber;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A mounted file system instance (Linux's super_block): its root inode, its device number and
 * its statfs. Inode numbers are unique within one instance; st_dev tells instances apart.
 * A file system whose names can change behind Jux's back (hostfs) returns true from
 * {@link #revalidatesNames()} so that cached dentries are checked on every lookup.
 */
public abstract class FileSystem {
    /** Anonymous devices (tmpfs, procfs...) get major 0 and the next minor, as Linux's get_anon_bdev. */
    private static final AtomicLong NEXT_ANON_MINOR = new AtomicLong(30);

    private final long dev;
    private final AtomicLong nextIno = new AtomicLong(1);

    protected FileSystem() {
        this(DeviceNumber.makedev(0, NEXT_ANON_MINOR.getAndIncrement()));
    }

    protected FileSystem(long dev) {
        this.dev = dev;
    }

    public final long dev() {
        return dev;
    }

    /** A fresh inode number (Linux's get_next_ino for tmpfs). */
    public long allocateIno() {
        return nextIno.getAndIncrement();
    }

    public abstract Inode root();

    /** The name /proc/mounts shows: "tmpfs", "hostfs", "overlay". */
    public abstract String type();

    public abstract StatFs statfs();

    /**
     * True if inodes keep extended attributes in memory (tmpfs: trusted.*, security.* and
     * user.*). Others have none: procfs, sysfs, devfs, and hostfs, which never reads or
     * changes a host file's xattrs.
     */
    public boolean keepsXattrs() {
        return false;
    }

    public boolean isReadOnly() {
        return false;
    }

    public boolean revalidatesNames() {
        return false;
    }
}
