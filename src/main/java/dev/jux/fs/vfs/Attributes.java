package dev.jux.fs.vfs;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.Inotify;
import dev.jux.abi.LinuxException;

/** Changing and checking inode attributes: chmod, chown, utimensat, truncate, access (Linux's notify_change callers). */
public final class Attributes {
    private Attributes() {}

    private static void writableMount(Location l) {
        if (l.mount().isReadOnly()) throw new LinuxException(Errno.EROFS);
    }

    /**
     * Implements chmod(2): the owner or root. A non-root caller outside the file's group loses
     * S_ISGID on a file, as Linux's setattr_copy does.
     */
    public static void chmod(FsCredentials c, Location l, int mode) {
        writableMount(l);
        Inode i = l.inode();
        if (!Permissions.owns(i, c)) throw new LinuxException(Errno.EPERM);
        int bits = mode & 07777;
        if (!c.isRoot() && !c.inGroup(i.gid())) bits &= ~FileMode.S_ISGID;
        i.setPermissions(bits);
        FsNotify.changed(l, Inotify.IN_ATTRIB);
    }

    /**
     * Implements chown(2) as Linux's chown_ok and chgrp_ok: without CAP_CHOWN (fsuid 0) only
     * the owner may "change" the owner to itself, and the group to its current group or one of
     * the caller's groups. Every chown of a non-directory clears set-user-ID, and set-group-ID
     * when group-executable, or when the caller is neither in the file's group nor holds
     * CAP_FSETID (without group x, S_ISGID marks mandatory locking; setattr_should_drop_sgid).
     */
    public static void chown(FsCredentials c, Location l, int uid, int gid) {
        writableMount(l);
        Inode i = l.inode();
        boolean owner = c.uid() == i.uid();
        if (!c.isRoot()) {
            if (uid != -1 && !(owner && uid == i.uid())) throw new LinuxException(Errno.EPERM);
            if (gid != -1 && !(owner && (gid == i.gid() || c.inGroup(gid)))) throw new LinuxException(Errno.EPERM);
        }
        boolean uidChange = uid != -1 && uid != i.uid();
        boolean gidChange = gid != -1 && gid != i.gid();
        int clear = 0;
        if (!i.isDirectory()) {
            int mode = i.mode();
            clear = mode & FileMode.S_ISUID;
            if ((mode & FileMode.S_ISGID) != 0 && ((mode & 010) != 0 || !(c.isRoot() || c.inGroup(i.gid())))) clear |= FileMode.S_ISGID;
            // Clearing a bit is a mode change, which setattr_prepare allows only to the owner (or CAP_FOWNER).
            if (clear != 0 && !Permissions.owns(i, c)) throw new LinuxException(Errno.EPERM);
        }
        i.setOwner(uid, gid);
        if (clear != 0) i.setPermissions(i.mode() & 07777 & ~clear);
        if (!uidChange && !gidChange) i.touchChanged();
        // fsnotify_change: ATTR_UID/ATTR_GID whenever one is given, even unchanged; ATTR_MODE when a bit is cleared.
        if (uid != -1 || gid != -1 || clear != 0) FsNotify.changed(l, Inotify.IN_ATTRIB);
    }

    /** utimensat's special tv_nsec values. */
    public static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;

    /**
     * Implements utimensat(2) given (sec, nsec) pairs or null for "both now". Setting both to
     * now needs write permission or ownership; any explicit time needs ownership (EPERM).
     */
    public static void utimes(FsCredentials c, Location l, long[] times) {
        writableMount(l);
        Inode i = l.inode();
        boolean allNow = times == null || (times[1] == UTIME_NOW && times[3] == UTIME_NOW);
        boolean allOmit = times != null && times[1] == UTIME_OMIT && times[3] == UTIME_OMIT;
        if (allOmit) return;
        if (allNow) {
            if (!Permissions.owns(i, c) && !Permissions.allowed(i, c, Permissions.MAY_WRITE)) throw new LinuxException(Errno.EACCES);
        } else if (!Permissions.owns(i, c)) {
            throw new LinuxException(Errno.EPERM);
        }
        long now = FsClock.now();
        long atime = pick(times, 0, now), mtime = pick(times, 2, now);
        i.setTimes(atime, mtime);
        // fsnotify_change: both times are IN_ATTRIB (utime), atime alone IN_ACCESS, mtime alone IN_MODIFY.
        int event = atime == Long.MIN_VALUE ? Inotify.IN_MODIFY : mtime == Long.MIN_VALUE ? Inotify.IN_ACCESS : Inotify.IN_ATTRIB;
        FsNotify.changed(l, event);
    }

    private static long pick(long[] t, int k, long now) {
        if (t == null || t[k + 1] == UTIME_NOW) return now;
        if (t[k + 1] == UTIME_OMIT) return Long.MIN_VALUE;
        return t[k] * 1_000_000_000L + t[k + 1];
    }

    /** Implements truncate(2) on a path: EISDIR for a directory, EINVAL for other non-regular files, EACCES without write permission. */
    public static void truncate(FsCredentials c, Location l, long length) {
        if (length < 0) throw new LinuxException(Errno.EINVAL);
        Inode i = l.inode();
        if (i.isDirectory()) throw new LinuxException(Errno.EISDIR);
        if (!i.isRegular()) throw new LinuxException(Errno.EINVAL);
        writableMount(l);
        Permissions.check(i, c, Permissions.MAY_WRITE);
        setSize(l, length);
    }

    /** The size change itself, shared with ftruncate: mtime and ctime change even if the size does not. */
    public static void setSize(Location l, long length) {
        Inode i = l.inode();
        i.truncate(length);
        i.touchModified();
        FsNotify.changed(l, Inotify.IN_MODIFY);
    }

    /**
     * Implements access(2)'s check: F_OK only needs the path to resolve; W_OK on a read-only
     * mount is EROFS; root's X_OK needs some x bit on a non-directory.
     */
    public static void access(FsCredentials c, Location l, int mode) {
        if (mode == 0) return;
        Inode i = l.inode();
        if ((mode & 2) != 0 && l.mount().isReadOnly() && (i.isRegular() || i.isDirectory() || i.isSymlink())) {
            throw new LinuxException(Errno.EROFS);
        }
        if (!Permissions.allowed(i, c, mode)) throw new LinuxException(Errno.EACCES);
    }

    /**
     * The path of {@code l} as seen from {@code root} (getcwd(2), /proc/self/cwd); ENOENT once
     * it was removed. A place outside the root is prefixed "(unreachable)", as Linux's d_path.
     */
    public static ByteString pathOf(Location l, Location root) {
        if (l.dentry().isUnlinked()) throw new LinuxException(Errno.ENOENT);
        java.util.ArrayList<ByteString> names = new java.util.ArrayList<>();
        Location cur = l;
        boolean reachable = true;
        while (!cur.equals(root)) {
            if (cur.dentry() == cur.mount().root()) {
                Mount parent = cur.mount().parent();
                if (parent == null) {
                    reachable = false;
                    break;
                }
                cur = new Location(parent, cur.mount().mountpoint());
                continue;
            }
            names.add(cur.dentry().name());
            cur = new Location(cur.mount(), cur.dentry().parent());
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        if (!reachable) out.writeBytes("(unreachable)".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (int k = names.size() - 1; k >= 0; k--) {
            out.write('/');
            out.writeBytes(names.get(k).toByteArray());
        }
        if (names.isEmpty()) out.write('/');
        return ByteString.copyOf(out.toByteArray());
    }
}
