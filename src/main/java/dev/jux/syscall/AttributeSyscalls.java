package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.File;
import dev.jux.fs.vfs.Attributes;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Location;
import dev.jux.kernel.Task;

import static dev.jux.abi.AtFlags.*;

/** Changing attributes: chmod, chown, utimensat and friends, truncate. */
final class AttributeSyscalls {
    private AttributeSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.CHMOD, Support.FULL, "", (task, a) -> chmodAt(task, AT_FDCWD, a.a0(), a.i(1), 0));
        t.add(SyscallNumbers.FCHMOD, Support.FULL, "", AttributeSyscalls::fchmod);
        t.add(SyscallNumbers.FCHMODAT, Support.FULL, "", (task, a) -> chmodAt(task, a.i(0), a.a1(), a.i(2), 0));
        t.add(SyscallNumbers.CHOWN, Support.FULL, "", (task, a) -> chownAt(task, AT_FDCWD, a.a0(), a.i(1), a.i(2), 0));
        t.add(SyscallNumbers.LCHOWN, Support.FULL, "", (task, a) -> chownAt(task, AT_FDCWD, a.a0(), a.i(1), a.i(2), AT_SYMLINK_NOFOLLOW));
        t.add(SyscallNumbers.FCHOWN, Support.FULL, "", AttributeSyscalls::fchown);
        t.add(SyscallNumbers.FCHOWNAT, Support.FULL, "", (task, a) -> chownAt(task, a.i(0), a.a1(), a.i(2), a.i(3), a.i(4)));
        t.add(SyscallNumbers.UTIMENSAT, Support.FULL, "", AttributeSyscalls::utimensat);
        t.add(SyscallNumbers.UTIMES, Support.FULL, "", (task, a) -> utimes(task, AT_FDCWD, a.a0(), a.a1()));
        t.add(SyscallNumbers.FUTIMESAT, Support.FULL, "", (task, a) -> utimes(task, a.i(0), a.a1(), a.a2()));
        t.add(SyscallNumbers.UTIME, Support.FULL, "", AttributeSyscalls::utime);
        t.add(SyscallNumbers.TRUNCATE, Support.FULL, "", AttributeSyscalls::truncate);
    }

    private static Location fdLocation(Task t, int fd, boolean allowPath) {
        File f = t.group().files().get(fd);
        if (f.isPathOnly() && !allowPath) throw new LinuxException(Errno.EBADF);
        Location l = f.location();
        if (l == null) throw new LinuxException(Errno.EPERM, "pipes and host streams have no changeable attributes in Jux");
        return l;
    }

    /**
     * Implements chmod(2), fchmodat(2) and fchmodat2(2). fchmodat2 with AT_SYMLINK_NOFOLLOW on
     * a symlink is EOPNOTSUPP, as Linux (symlink modes cannot change).
     */
    static long chmodAt(Task t, int dirfd, long pathAddr, int mode, int flags) {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) throw new LinuxException(Errno.EINVAL);
        ByteString path = (flags & AT_EMPTY_PATH) != 0 ? PathArgs.readOrEmpty(t, pathAddr) : PathArgs.read(t, pathAddr);
        Location l = PathArgs.resolve(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0, (flags & AT_EMPTY_PATH) != 0);
        if (l.inode().isSymlink()) throw new LinuxException(Errno.EOPNOTSUPP);
        Attributes.chmod(t.group().fsCredentials(), l, mode);
        return 0;
    }

    /** Implements fchmod(2): EBADF on an O_PATH fd. */
    static long fchmod(Task t, Args a) {
        Attributes.chmod(t.group().fsCredentials(), fdLocation(t, a.i(0), false), a.i(1));
        return 0;
    }

    /** Implements chown(2), lchown(2) and fchownat(2). */
    static long chownAt(Task t, int dirfd, long pathAddr, int uid, int gid, int flags) {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) throw new LinuxException(Errno.EINVAL);
        ByteString path = (flags & AT_EMPTY_PATH) != 0 ? PathArgs.readOrEmpty(t, pathAddr) : PathArgs.read(t, pathAddr);
        Location l = PathArgs.resolve(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0, (flags & AT_EMPTY_PATH) != 0);
        Attributes.chown(t.group().fsCredentials(), l, uid, gid);
        return 0;
    }

    /** Implements fchown(2): EBADF on an O_PATH fd. */
    static long fchown(Task t, Args a) {
        Attributes.chown(t.group().fsCredentials(), fdLocation(t, a.i(0), false), a.i(1), a.i(2));
        return 0;
    }

    /**
     * Implements utimensat(2): a NULL path changes the dirfd itself (futimens); a NULL times
     * pointer, or UTIME_NOW, means now; UTIME_OMIT leaves a time alone; any other tv_nsec
     * outside [0, 1e9) is EINVAL.
     */
    static long utimensat(Task t, Args a) {
        int dirfd = a.i(0), flags = a.i(3);
        long pathAddr = a.a1(), timesAddr = a.a2();
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) throw new LinuxException(Errno.EINVAL);
        long[] times = null;
        if (timesAddr != 0) {
            times = new long[] {t.memory().readLong(timesAddr), t.memory().readLong(timesAddr + 8),
                    t.memory().readLong(timesAddr + 16), t.memory().readLong(timesAddr + 24)};
            for (int k = 1; k < 4; k += 2) {
                long ns = times[k];
                if (ns != Attributes.UTIME_NOW && ns != Attributes.UTIME_OMIT && (ns < 0 || ns >= 1_000_000_000L)) {
                    throw new LinuxException(Errno.EINVAL);
                }
            }
        }
        Location l;
        if (pathAddr == 0) {
            // futimens: the fd itself; Linux refuses AT_SYMLINK_NOFOLLOW here.
            if ((flags & AT_SYMLINK_NOFOLLOW) != 0) throw new LinuxException(Errno.EINVAL);
            if (dirfd == AT_FDCWD) throw new LinuxException(Errno.EFAULT);
            l = fdLocation(t, dirfd, true);
        } else {
            ByteString path = PathArgs.read(t, pathAddr);
            l = PathArgs.resolve(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0, (flags & AT_EMPTY_PATH) != 0);
        }
        Attributes.utimes(t.group().fsCredentials(), l, times);
        return 0;
    }

    /** Implements utimes(2) and futimesat(2): struct timeval pairs; tv_usec outside [0, 1e6) is EINVAL. */
    static long utimes(Task t, int dirfd, long pathAddr, long timesAddr) {
        long[] times = null;
        if (timesAddr != 0) {
            times = new long[4];
            for (int k = 0; k < 2; k++) {
                long sec = t.memory().readLong(timesAddr + 16L * k), usec = t.memory().readLong(timesAddr + 16L * k + 8);
                if (usec < 0 || usec >= 1_000_000L) throw new LinuxException(Errno.EINVAL);
                times[2 * k] = sec;
                times[2 * k + 1] = usec * 1000;
            }
        }
        ByteString path = PathArgs.read(t, pathAddr);
        Attributes.utimes(t.group().fsCredentials(), PathArgs.resolve(t, dirfd, path, true, false), times);
        return 0;
    }

    /** Implements utime(2): struct utimbuf {actime, modtime} in seconds; NULL means now. */
    static long utime(Task t, Args a) {
        long[] times = null;
        if (a.a1() != 0) times = new long[] {t.memory().readLong(a.a1()), 0, t.memory().readLong(a.a1() + 8), 0};
        ByteString path = PathArgs.read(t, a.a0());
        Attributes.utimes(t.group().fsCredentials(), PathArgs.resolve(t, AT_FDCWD, path, true, false), times);
        return 0;
    }

    /** Implements truncate(2). */
    static long truncate(Task t, Args a) {
        ByteString path = PathArgs.read(t, a.a0());
        Attributes.truncate(t.group().fsCredentials(), PathArgs.resolve(t, AT_FDCWD, path, true, false), a.a1());
        return 0;
    }
}
