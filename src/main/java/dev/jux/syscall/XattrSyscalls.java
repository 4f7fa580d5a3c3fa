package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.File;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.FsCredentials;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.XattrStore;
import dev.jux.fs.vfs.Xattrs;
import dev.jux.kernel.Task;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.jux.abi.AtFlags.AT_FDCWD;

/**
 * Extended attributes (setxattr(2), getxattr(2), listxattr(2), removexattr(2) and their l* and
 * f* forms), following fs/xattr.c: the arguments are checked and copied in before the path is
 * looked up; the VFS ({@link Xattrs}) does the rest.
 */
final class XattrSyscalls {
    private XattrSyscalls() {}

    private static final String NOTE = "kept on tmpfs (and the overlay's tmpfs upper layer): trusted.*, security.*, user.*; "
            + "EOPNOTSUPP elsewhere (hostfs never touches host xattrs, procfs, sysfs, pipes, sockets); no POSIX ACLs";

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.SETXATTR, Support.PARTIAL, NOTE, (task, a) -> set(task, path(task, a.a0(), true), a.a1(), a.a2(), a.a3(), a.i(4)));
        t.add(SyscallNumbers.LSETXATTR, Support.PARTIAL, NOTE, (task, a) -> set(task, path(task, a.a0(), false), a.a1(), a.a2(), a.a3(), a.i(4)));
        t.add(SyscallNumbers.FSETXATTR, Support.PARTIAL, NOTE, (task, a) -> set(task, fd(task, a.i(0)), a.a1(), a.a2(), a.a3(), a.i(4)));
        t.add(SyscallNumbers.GETXATTR, Support.PARTIAL, NOTE, (task, a) -> get(task, path(task, a.a0(), true), a.a1(), a.a2(), a.a3()));
        t.add(SyscallNumbers.LGETXATTR, Support.PARTIAL, NOTE, (task, a) -> get(task, path(task, a.a0(), false), a.a1(), a.a2(), a.a3()));
        t.add(SyscallNumbers.FGETXATTR, Support.PARTIAL, NOTE, (task, a) -> get(task, fd(task, a.i(0)), a.a1(), a.a2(), a.a3()));
        t.add(SyscallNumbers.LISTXATTR, Support.PARTIAL, NOTE, (task, a) -> list(task, resolve(task, a.a0(), true), a.a1(), a.a2()));
        t.add(SyscallNumbers.LLISTXATTR, Support.PARTIAL, NOTE, (task, a) -> list(task, resolve(task, a.a0(), false), a.a1(), a.a2()));
        t.add(SyscallNumbers.FLISTXATTR, Support.PARTIAL, NOTE, (task, a) -> list(task, fdLocation(task, a.i(0)), a.a1(), a.a2()));
        t.add(SyscallNumbers.REMOVEXATTR, Support.PARTIAL, NOTE, (task, a) -> remove(task, path(task, a.a0(), true), a.a1()));
        t.add(SyscallNumbers.LREMOVEXATTR, Support.PARTIAL, NOTE, (task, a) -> remove(task, path(task, a.a0(), false), a.a1()));
        t.add(SyscallNumbers.FREMOVEXATTR, Support.PARTIAL, NOTE, (task, a) -> remove(task, fd(task, a.i(0)), a.a1()));
    }

    /** Finds the file only after the name and value are read in, as Linux does; null for a pipe or socket. */
    private interface Target {
        Location locate();
    }

    private static Target path(Task t, long pathAddr, boolean follow) {
        return () -> resolve(t, pathAddr, follow);
    }

    private static Location resolve(Task t, long pathAddr, boolean follow) {
        ByteString path = PathArgs.read(t, pathAddr);
        return PathArgs.resolve(t, AT_FDCWD, path, follow, false);
    }

    private static Target fd(Task t, int fd) {
        return () -> fdLocation(t, fd);
    }

    /** The file behind an fd (EBADF for O_PATH, as fdget), or null for one outside the VFS (pipes, sockets). */
    private static Location fdLocation(Task t, int fd) {
        File f = t.group().files().get(fd);
        if (f.isPathOnly()) throw new LinuxException(Errno.EBADF);
        return f.location();
    }

    /** import_xattr_name: an empty name or one longer than 255 bytes is ERANGE. */
    private static String name(Task t, long addr) {
        byte[] b = t.memory().readCBytes(addr, Xattrs.NAME_MAX + 1, Errno.ERANGE);
        if (b.length == 0) throw new LinuxException(Errno.ERANGE);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static FsCredentials creds(Task t) {
        return t.group().fsCredentials();
    }

    static long set(Task t, Target target, long nameAddr, long valueAddr, long size, int flags) {
        if ((flags & ~(XattrStore.XATTR_CREATE | XattrStore.XATTR_REPLACE)) != 0) throw new LinuxException(Errno.EINVAL);
        String name = name(t, nameAddr);
        if (Long.compareUnsigned(size, Xattrs.SIZE_MAX) > 0) throw new LinuxException(Errno.E2BIG);
        byte[] value = size == 0 ? new byte[0] : t.memory().read(valueAddr, (int) size);
        Location l = target.locate();
        if (l == null) throw Xattrs.withoutInode(creds(t), name, true);
        Xattrs.set(creds(t), l, name, value, flags);
        return 0;
    }

    static long get(Task t, Target target, long nameAddr, long buf, long size) {
        String name = name(t, nameAddr);
        if (Long.compareUnsigned(size, Xattrs.SIZE_MAX) > 0) size = Xattrs.SIZE_MAX;
        Location l = target.locate();
        if (l == null) throw Xattrs.withoutInode(creds(t), name, false);
        byte[] value = Xattrs.get(creds(t), l.inode(), name);
        if (size != 0) {
            if (size < value.length) throw new LinuxException(size >= Xattrs.SIZE_MAX ? Errno.E2BIG : Errno.ERANGE);
            t.memory().write(buf, value);
        }
        return value.length;
    }

    static long list(Task t, Location l, long buf, long size) {
        if (Long.compareUnsigned(size, Xattrs.LIST_MAX) > 0) size = Xattrs.LIST_MAX;
        List<String> names = l == null ? List.of() : Xattrs.list(creds(t), l.inode());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String n : names) {
            out.writeBytes(n.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        byte[] list = out.toByteArray();
        if (size != 0) {
            if (size < list.length) throw new LinuxException(size >= Xattrs.LIST_MAX ? Errno.E2BIG : Errno.ERANGE);
            t.memory().write(buf, list);
        }
        return list.length;
    }

    static long remove(Task t, Target target, long nameAddr) {
        String name = name(t, nameAddr);
        Location l = target.locate();
        if (l == null) throw Xattrs.withoutInode(creds(t), name, true);
        Xattrs.remove(creds(t), l, name);
        return 0;
    }
}
