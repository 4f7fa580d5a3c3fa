package dev.jux.fs.vfs;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import java.util.ArrayList;
import java.util.List;

/**
 * The VFS half of extended attributes (Linux's fs/xattr.c): which namespace a name is in, who
 * may read or change it (xattr_permission and the capability hooks), and the order of the
 * checks; the inode keeps the values ({@link Inode#getXattr} and friends).
 */
public final class Xattrs {
    private Xattrs() {}

    public static final int NAME_MAX = 255, SIZE_MAX = 65536, LIST_MAX = 65536;

    private static final String SECURITY = "security.", SYSTEM = "system.", TRUSTED = "trusted.", USER = "user.";
    private static final String[] STORED = {SECURITY, TRUSTED, USER};

    /**
     * Linux's xattr_permission: security.* and system.* are the LSM's business; trusted.* needs
     * CAP_SYS_ADMIN (a reader without it just finds nothing); user.* is for regular files and
     * directories only, and in a sticky directory only its owner may change them; otherwise the
     * file's read or write permission decides.
     */
    private static void permission(FsCredentials c, Inode i, String name, int mask) {
        boolean write = (mask & Permissions.MAY_WRITE) != 0;
        if (name.startsWith(SECURITY) || name.startsWith(SYSTEM)) return;
        if (name.startsWith(TRUSTED)) {
            if (!c.isRoot()) throw new LinuxException(write ? Errno.EPERM : Errno.ENODATA);
            return;
        }
        if (name.startsWith(USER)) {
            int type = FileMode.type(i.mode());
            if (type != FileMode.S_IFREG && type != FileMode.S_IFDIR) throw new LinuxException(write ? Errno.EPERM : Errno.ENODATA);
            if (type == FileMode.S_IFDIR && (i.mode() & FileMode.S_ISVTX) != 0 && write && !Permissions.owns(i, c)) {
                throw new LinuxException(Errno.EPERM);
            }
        }
        Permissions.check(i, c, mask);
    }

    /** cap_inode_setxattr / cap_inode_removexattr: changing security.* needs CAP_SYS_ADMIN. */
    private static void securityHook(FsCredentials c, String name) {
        if (name.startsWith(SECURITY) && !c.isRoot()) throw new LinuxException(Errno.EPERM);
    }

    /**
     * Linux's xattr_resolve_name on a file system with tmpfs's handlers: no handler for the
     * prefix is EOPNOTSUPP, a bare prefix ("user.") EINVAL. POSIX ACLs (system.posix_acl_*)
     * are not kept: reading one finds none, as on a file without an ACL.
     */
    private static void resolve(Inode i, String name, boolean write) {
        if (!i.supportsXattrs()) throw new LinuxException(Errno.EOPNOTSUPP);
        if (name.equals("system.posix_acl_access") || name.equals("system.posix_acl_default")) {
            throw new LinuxException(write ? Errno.EOPNOTSUPP : Errno.ENODATA);
        }
        for (String prefix : STORED) {
            if (name.startsWith(prefix)) {
                if (name.length() == prefix.length()) throw new LinuxException(Errno.EINVAL);
                return;
            }
        }
        throw new LinuxException(Errno.EOPNOTSUPP);
    }

    private static void writableMount(Location l) {
        if (l.mount().isReadOnly()) throw new LinuxException(Errno.EROFS);
    }

    /**
     * get, set or remove on a file outside the VFS (a pipe or socket: a FIFO-like inode of
     * pipefs or sockfs, which keep no attributes). user.* fails as on any special file,
     * trusted.* as for any non-root caller, the rest with EOPNOTSUPP.
     */
    public static LinuxException withoutInode(FsCredentials c, String name, boolean write) {
        boolean hidden = name.startsWith(USER) || (name.startsWith(TRUSTED) && !c.isRoot());
        if (hidden) return new LinuxException(write ? Errno.EPERM : Errno.ENODATA);
        if (write) securityHook(c, name);
        return new LinuxException(Errno.EOPNOTSUPP);
    }

    /** getxattr(2): the value (the caller checks it against the buffer size). */
    public static byte[] get(FsCredentials c, Inode i, String name) {
        permission(c, i, name, Permissions.MAY_READ);
        resolve(i, name, false);
        return i.getXattr(name);
    }

    /** setxattr(2), after the syscall has checked flags, name and size. */
    public static void set(FsCredentials c, Location l, String name, byte[] value, int flags) {
        writableMount(l);
        Inode i = l.inode();
        permission(c, i, name, Permissions.MAY_WRITE);
        securityHook(c, name);
        resolve(i, name, true);
        i.setXattr(name, value, flags);
        FsNotify.changed(l, dev.jux.abi.Inotify.IN_ATTRIB);
    }

    /** removexattr(2). */
    public static void remove(FsCredentials c, Location l, String name) {
        writableMount(l);
        Inode i = l.inode();
        permission(c, i, name, Permissions.MAY_WRITE);
        securityHook(c, name);
        resolve(i, name, true);
        i.removeXattr(name);
        FsNotify.changed(l, dev.jux.abi.Inotify.IN_ATTRIB);
    }

    /**
     * listxattr(2): every name, without trusted.* for a caller lacking CAP_SYS_ADMIN (as
     * simple_xattr_list). No permission is needed; a file system without attributes lists
     * nothing (vfs_listxattr with no listxattr operation).
     */
    public static List<String> list(FsCredentials c, Inode i) {
        List<String> names = new ArrayList<>();
        for (String n : i.listXattrs()) {
            if (!n.startsWith(TRUSTED) || c.isRoot()) names.add(n);
        }
        return names;
    }
}
