package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.Inotify;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Rlimit;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.File;
import dev.jux.fs.notify.InotifyFile;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Permissions;
import dev.jux.kernel.Task;

import static dev.jux.abi.AtFlags.AT_FDCWD;

/**
 * inotify_init(2), inotify_init1(2), inotify_add_watch(2) and inotify_rm_watch(2), with
 * fs/notify/inotify/inotify_user.c's checks in its order. The instance is fs/notify's
 * InotifyFile; the VFS reports the events (fs/vfs/FsNotify).
 */
final class InotifySyscalls {
    private InotifySyscalls() {}

    private static final String NOTE = "events for what the guest does through the VFS; not for changes the host makes "
            + "to a hostfs mount behind Jux's back; no IN_UNMOUNT";

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.INOTIFY_INIT, Support.PARTIAL, NOTE, (task, a) -> init(task, 0));
        t.add(SyscallNumbers.INOTIFY_INIT1, Support.PARTIAL, NOTE, (task, a) -> init(task, a.i(0)));
        t.add(SyscallNumbers.INOTIFY_ADD_WATCH, Support.PARTIAL, NOTE, (task, a) -> addWatch(task, a.i(0), a.a1(), a.i(2)));
        t.add(SyscallNumbers.INOTIFY_RM_WATCH, Support.FULL, "", (task, a) -> removeWatch(task, a.i(0), a.i(1)));
    }

    /** do_inotify_init: EINVAL for flags other than IN_CLOEXEC and IN_NONBLOCK, EMFILE past max_user_instances. */
    static long init(Task t, int flags) {
        if ((flags & ~(Inotify.IN_CLOEXEC | Inotify.IN_NONBLOCK)) != 0) throw new LinuxException(Errno.EINVAL);
        InotifyFile f = InotifyFile.create(t.kernel().inotifyUsers(), t.group().credentials().euid(), flags);
        try {
            return t.group().files().install(f, 0, (flags & Inotify.IN_CLOEXEC) != 0, t.group().limits().soft(Rlimit.RLIMIT_NOFILE));
        } catch (LinuxException e) {
            f.release();
            throw e;
        }
    }

    /**
     * inotify_add_watch: EINVAL for IN_MASK_ADD with IN_MASK_CREATE or a mask with no inotify
     * bit, EBADF, EINVAL for an fd that is no inotify instance; then the path (followed unless
     * IN_DONT_FOLLOW, a directory with IN_ONLYDIR) and read permission on it (EACCES).
     */
    static long addWatch(Task t, int fd, long pathAddr, int mask) {
        if ((mask & Inotify.IN_MASK_ADD) != 0 && (mask & Inotify.IN_MASK_CREATE) != 0) throw new LinuxException(Errno.EINVAL);
        if ((mask & Inotify.ALL_BITS) == 0) throw new LinuxException(Errno.EINVAL);
        InotifyFile instance = instance(t, fd);
        ByteString path = PathArgs.read(t, pathAddr);
        Location l = PathArgs.resolve(t, AT_FDCWD, path, (mask & Inotify.IN_DONT_FOLLOW) == 0, false);
        if ((mask & Inotify.IN_ONLYDIR) != 0 && !l.inode().isDirectory()) throw new LinuxException(Errno.ENOTDIR);
        Permissions.check(l.inode(), t.group().fsCredentials(), Permissions.MAY_READ);
        return instance.addWatch(l.inode().watchesForAdding(), mask);
    }

    /** inotify_rm_watch: EBADF, EINVAL for an fd that is no inotify instance or a descriptor it does not have. */
    static long removeWatch(Task t, int fd, int wd) {
        instance(t, fd).removeWatch(wd);
        return 0;
    }

    /** fdget (which skips O_PATH descriptors: EBADF), then EINVAL unless the file is an inotify instance. */
    private static InotifyFile instance(Task t, int fd) {
        File f = t.group().files().get(fd);
        if (f.isPathOnly()) throw new LinuxException(Errno.EBADF);
        if (!(f instanceof InotifyFile i)) throw new LinuxException(Errno.EINVAL);
        return i;
    }
}
