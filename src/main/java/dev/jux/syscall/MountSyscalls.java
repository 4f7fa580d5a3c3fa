package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Mount;
import dev.jux.fs.vfs.Mounts;
import dev.jux.kernel.Task;

import static dev.jux.abi.AtFlags.AT_FDCWD;

/** mount(2) and umount2(2): decoding only; the mount tree's rules are fs/vfs/Mounts. */
final class MountSyscalls {
    private MountSyscalls() {}

    /** Linux copies mount strings and options a page at most. */
    private static final int PAGE = 4096;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.MOUNT, Support.PARTIAL,
                "new tmpfs mounts (mode, uid, gid options), bind mounts (MS_REC too), read-only remounts; propagation flags accepted (one namespace); no MS_MOVE, other file system types are ENODEV",
                MountSyscalls::mount);
        t.add(SyscallNumbers.UMOUNT2, Support.PARTIAL, "MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW; MNT_FORCE is a plain unmount", MountSyscalls::umount2);
    }

    private static String string(Task t, long addr) {
        return addr == 0 ? null : t.memory().readCString(addr, PAGE, Errno.EINVAL);
    }

    /** Implements mount(2). */
    static long mount(Task t, Args a) {
        String type = string(t, a.a2());
        String source = string(t, a.a0());
        String data = string(t, a.a4());
        ByteString targetPath = PathArgs.read(t, a.a1());
        Location target = PathArgs.walker(t).resolve(PathArgs.start(t, AT_FDCWD, targetPath), targetPath, true);
        Mounts.mount(target, source, () -> {
            ByteString p = PathArgs.read(t, a.a0());
            return PathArgs.walker(t).resolve(PathArgs.start(t, AT_FDCWD, p), p, true);
        }, type, a.a3(), data);
        return 0;
    }

    /** Implements umount2(2). */
    static long umount2(Task t, Args a) {
        int flags = a.i(1);
        Mounts.checkUmountFlags(flags);
        ByteString path = PathArgs.read(t, a.a0());
        Location target = PathArgs.walker(t).resolve(PathArgs.start(t, AT_FDCWD, path), path, (flags & Mounts.UMOUNT_NOFOLLOW) == 0);
        var fs = t.group().fs();
        Mounts.umount(target, flags, (Mount m) -> fs.cwd().mount() == m || fs.root().mount() == m
                || t.group().files().anyMatch(f -> f.location() != null && f.location().mount() == m));
        return 0;
    }
}
