package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.vfs.Attributes;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.FsContext;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Permissions;
import dev.jux.kernel.Task;

/** The process's place in the tree: getcwd, chdir, fchdir, chroot, umask. */
final class CwdSyscalls {
    private CwdSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.GETCWD, Support.FULL, "", CwdSyscalls::getcwd);
        t.add(SyscallNumbers.CHDIR, Support.FULL, "", CwdSyscalls::chdir);
        t.add(SyscallNumbers.FCHDIR, Support.FULL, "", CwdSyscalls::fchdir);
        t.add(SyscallNumbers.CHROOT, Support.FULL, "", CwdSyscalls::chroot);
        t.add(SyscallNumbers.UMASK, Support.FULL, "", (task, a) -> task.group().fs().setUmask(a.i(0)));
    }

    /**
     * Implements getcwd(2): the length with the NUL; ERANGE if it does not fit, ENOENT if the
     * directory was removed; "(unreachable)" prefixes a directory outside the root.
     */
    static long getcwd(Task t, Args a) {
        FsContext fs = t.group().fs();
        ByteString path = Attributes.pathOf(fs.cwd(), fs.root());
        long size = a.a1();
        if (size < path.length() + 1) throw new LinuxException(Errno.ERANGE);
        byte[] out = java.util.Arrays.copyOf(path.toByteArray(), path.length() + 1);
        t.memory().write(a.a0(), out);
        return out.length;
    }

    private static Location directory(Task t, Location l) {
        if (!l.inode().isDirectory()) throw new LinuxException(Errno.ENOTDIR);
        Permissions.check(l.inode(), t.group().fsCredentials(), Permissions.MAY_EXEC);
        return l;
    }

    /** Implements chdir(2). */
    static long chdir(Task t, Args a) {
        ByteString path = PathArgs.read(t, a.a0());
        t.group().fs().setCwd(directory(t, PathArgs.resolve(t, dirfdCwd(), path, true, false)));
        return 0;
    }

    private static int dirfdCwd() {
        return dev.jux.abi.AtFlags.AT_FDCWD;
    }

    /** Implements fchdir(2); an O_PATH fd to a directory works, as on Linux. */
    static long fchdir(Task t, Args a) {
        Location l = t.group().files().get(a.i(0)).location();
        if (l == null) throw new LinuxException(Errno.ENOTDIR);
        t.group().fs().setCwd(directory(t, l));
        return 0;
    }

    /** Implements chroot(2): root only (CAP_SYS_CHROOT); the working directory stays where it is, as on Linux. */
    static long chroot(Task t, Args a) {
        ByteString path = PathArgs.read(t, a.a0());
        Location l = directory(t, PathArgs.resolve(t, dirfdCwd(), path, true, false));
        if (!t.group().credentials().isRoot()) throw new LinuxException(Errno.EPERM);   // CAP_SYS_CHROOT follows euid
        t.group().fs().setRoot(l);
        return 0;
    }
}
