package dev.jux.fs.vfs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.tmpfs.TmpFs;
import java.util.function.Predicate;

/**
 * mount(2) and umount2(2) on the mount tree: new tmpfs mounts, bind mounts (recursive or not),
 * read-only remounts and propagation changes (accepted; Jux has one mount namespace and no
 * propagation), in the order Linux's path_mount and path_umount make their checks.
 */
public final class Mounts {
    private Mounts() {}

    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024,
            MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768,
            MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20,
            MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25, MS_NOUSER = 1L << 31;
    private static final long MS_MGC_MSK = 0xffff0000L, MS_MGC_VAL = 0xC0ED0000L;
    private static final long PROPAGATION = MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;

    public static final int MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8;

    /** What the caller resolved: where to mount, and (for MS_BIND) the source, looked up lazily. */
    public interface SourceLookup {
        Location resolve();
    }

    /**
     * mount(2) at {@code target} (already resolved, following symlinks). {@code fsType} and
     * {@code data} may be null. Only tmpfs can be mounted new (ENODEV for other types).
     */
    public static void mount(Location target, String source, SourceLookup sourceLookup, String fsType, long flags, String data) {
        if ((flags & MS_MGC_MSK) == MS_MGC_VAL) flags &= ~MS_MGC_MSK;
        flags &= 0xffffffffL;
        if ((flags & MS_NOUSER) != 0) throw new LinuxException(Errno.EINVAL);
        boolean atRoot = target.dentry() == target.mount().root();
        if ((flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND)) {
            if (!atRoot) throw new LinuxException(Errno.EINVAL);
            target.mount().setReadOnly((flags & MS_RDONLY) != 0);
            return;
        }
        if ((flags & MS_REMOUNT) != 0) {
            if (!atRoot) throw new LinuxException(Errno.EINVAL);
            if (data != null && !data.isEmpty() && target.mount().fileSystem() instanceof TmpFs) tmpfsOptions(data);
            target.mount().setReadOnly((flags & MS_RDONLY) != 0);
            return;
        }
        if ((flags & MS_BIND) != 0) {
            if (source == null || source.isEmpty()) throw new LinuxException(Errno.EINVAL);
            Location from = sourceLookup.resolve();
            graft(from.inode(), target);
            bind(from, target, (flags & MS_REC) != 0);
            return;
        }
        if ((flags & PROPAGATION) != 0) {
            if (!atRoot) throw new LinuxException(Errno.EINVAL);
            long type = flags & ~(MS_REC | MS_SILENT);
            if (Long.bitCount(type) != 1 || (type & PROPAGATION) == 0) throw new LinuxException(Errno.EINVAL);
            return;     // one namespace, no peers: every mount is already private
        }
        if ((flags & MS_MOVE) != 0) throw new LinuxException(Errno.EINVAL);
        if (fsType == null) throw new LinuxException(Errno.EINVAL);
        if (!fsType.equals("tmpfs")) throw new LinuxException(Errno.ENODEV);
        int[] opts = data == null ? new int[] {01777, 0, 0} : tmpfsOptions(data);
        TmpFs fs = new TmpFs(opts[0], opts[1], opts[2]);
        graft(fs.root(), target);
        Mount.attach(fs, Dentry.root(fs.root()), target, (flags & MS_RDONLY) != 0);
    }

    /** graft_tree: a directory goes on a directory, anything else on a non-directory. */
    private static void graft(Inode mounted, Location target) {
        if (mounted.isDirectory() != target.inode().isDirectory()) throw new LinuxException(Errno.ENOTDIR);
        if (mounted.isSymlink()) throw new LinuxException(Errno.EINVAL);
    }

    /** Attaches a clone of the mount at {@code from} on {@code at}; with {@code recursive}, the mounts below it too. */
    private static void bind(Location from, Location at, boolean recursive) {
        Mount copy = Mount.attach(from.mount().fileSystem(), from.dentry(), at, from.mount().isReadOnlyFlag());
        if (recursive) copyChildren(from.mount(), from.dentry(), copy);
    }

    private static void copyChildren(Mount source, Dentry under, Mount copy) {
        for (Mount child : source.children()) {
            if (!isUnder(child.mountpoint(), under)) continue;
            Mount c = Mount.attach(child.fileSystem(), child.root(), new Location(copy, child.mountpoint()), child.isReadOnlyFlag());
            copyChildren(child, child.root(), c);
        }
    }

    private static boolean isUnder(Dentry d, Dentry ancestor) {
        for (Dentry x = d; x != null; x = x.isRoot() ? null : x.parent()) {
            if (x == ancestor) return true;
        }
        return false;
    }

    /** tmpfs's mount options: mode, uid, gid; size and inode limits are accepted and not enforced. Returns {mode, uid, gid}. */
    static int[] tmpfsOptions(String data) {
        int[] out = {01777, 0, 0};
        for (String opt : data.split(",")) {
            if (opt.isEmpty()) continue;
            int eq = opt.indexOf('=');
            String key = eq < 0 ? opt : opt.substring(0, eq), value = eq < 0 ? null : opt.substring(eq + 1);
            try {
                switch (key) {
                    case "mode" -> out[0] = Integer.parseInt(value, 8) & 07777;
                    case "uid" -> out[1] = Integer.parseInt(value);
                    case "gid" -> out[2] = Integer.parseInt(value);
                    case "size", "nr_blocks", "nr_inodes", "huge", "mpol", "inode32", "inode64",
                         "noswap", "quota", "usrquota", "grpquota", "usrquota_block_hardlimit",
                         "usrquota_inode_hardlimit", "grpquota_block_hardlimit", "grpquota_inode_hardlimit" -> { }
                    default -> throw new LinuxException(Errno.EINVAL);
                }
            } catch (NumberFormatException | NullPointerException e) {
                throw new LinuxException(Errno.EINVAL);
            }
        }
        return out;
    }

    /**
     * umount2(2) of the mount whose root {@code target} is. {@code inUse} says whether an open
     * file, working directory or root of the process is on a given mount (Linux's reference
     * count): EBUSY then, or with mounts on it, unless MNT_DETACH.
     */
    public static void umount(Location target, int flags, Predicate<Mount> inUse) {
        Mount m = target.mount();
        if (target.dentry() != m.root()) throw new LinuxException(Errno.EINVAL);
        if (m.parent() == null) throw new LinuxException(Errno.EBUSY);
        boolean detach = (flags & MNT_DETACH) != 0;
        if ((flags & MNT_EXPIRE) != 0) {
            if (busy(m, inUse, false)) throw new LinuxException(Errno.EBUSY);
            if (!m.markExpired()) throw new LinuxException(Errno.EAGAIN);
        }
        if (!detach && busy(m, inUse, true)) throw new LinuxException(Errno.EBUSY);
        m.detach();
    }

    private static boolean busy(Mount m, Predicate<Mount> inUse, boolean children) {
        return inUse.test(m) || (children && !m.children().isEmpty());
    }

    /** umount2's flags check: EINVAL for unknown flags or MNT_EXPIRE with MNT_FORCE or MNT_DETACH. */
    public static void checkUmountFlags(int flags) {
        if ((flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) != 0) throw new LinuxException(Errno.EINVAL);
        if ((flags & MNT_EXPIRE) != 0 && (flags & (MNT_FORCE | MNT_DETACH)) != 0) throw new LinuxException(Errno.EINVAL);
    }
}
