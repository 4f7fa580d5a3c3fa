package dev.jux.syscall;

import dev.jux.abi.DeviceNumber;
import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.StatLayout;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.File;
import dev.jux.fs.Stat;
import dev.jux.fs.vfs.Attributes;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.StatFs;
import dev.jux.kernel.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.jux.abi.AtFlags.*;

/** Asking about files: stat, lstat, fstat, newfstatat, statx, statfs, fstatfs, access, faccessat, faccessat2. */
final class StatSyscalls {
    private StatSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.STAT, Support.FULL, "", (task, a) -> stat(task, AT_FDCWD, a.a0(), a.a1(), 0));
        t.add(SyscallNumbers.LSTAT, Support.FULL, "", (task, a) -> stat(task, AT_FDCWD, a.a0(), a.a1(), AT_SYMLINK_NOFOLLOW));
        t.add(SyscallNumbers.FSTAT, Support.FULL, "", StatSyscalls::fstat);
        t.add(SyscallNumbers.NEWFSTATAT, Support.FULL, "", (task, a) -> stat(task, a.i(0), a.a1(), a.a2(), a.i(3)));
        t.add(SyscallNumbers.STATX, Support.PARTIAL, "no btime and no attributes (STATX_BASIC_STATS and STATX_MNT_ID)", StatSyscalls::statx);
        t.add(SyscallNumbers.STATFS, Support.FULL, "", StatSyscalls::statfs);
        t.add(SyscallNumbers.FSTATFS, Support.PARTIAL, "pipes and host streams report a tmpfs-like pipefs", StatSyscalls::fstatfs);
        t.add(SyscallNumbers.ACCESS, Support.FULL, "", (task, a) -> access(task, AT_FDCWD, a.a0(), a.i(1), 0));
        t.add(SyscallNumbers.FACCESSAT, Support.FULL, "", (task, a) -> access(task, a.i(0), a.a1(), a.i(2), 0));
        t.add(SyscallNumbers.FACCESSAT2, Support.FULL, "", (task, a) -> access(task, a.i(0), a.a1(), a.i(2), a.i(3)));
    }

    static byte[] encode(Stat s) {
        return StatLayout.encode(s.dev(), s.ino(), s.nlink(), s.mode(), s.uid(), s.gid(), s.rdev(), s.size(),
                s.blksize(), s.blocks(), s.atimeSec(), s.atimeNsec(), s.mtimeSec(), s.mtimeNsec(), s.ctimeSec(), s.ctimeNsec());
    }

    /** Implements fstat(2); an O_PATH fd works too, as on Linux. */
    static long fstat(Task t, Args a) {
        byte[] st = encode(t.group().files().get(a.i(0)).stat());
        t.memory().write(a.a1(), st);
        return 0;
    }

    /** The Stat of a path, or of the dirfd itself for an empty path with AT_EMPTY_PATH (any kind of fd). */
    private static Stat statOf(Task t, int dirfd, ByteString path, int flags) {
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) != 0 && dirfd != AT_FDCWD) return t.group().files().get(dirfd).stat();
        Location l = PathArgs.resolve(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0, (flags & AT_EMPTY_PATH) != 0);
        return l.inode().stat();
    }

    /** Implements stat(2), lstat(2) and newfstatat(2). A NULL path with AT_EMPTY_PATH is the dirfd (Linux 6.11+). */
    static long stat(Task t, int dirfd, long pathAddr, long buf, int flags) {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH)) != 0) throw new LinuxException(Errno.EINVAL);
        ByteString path = (flags & AT_EMPTY_PATH) != 0 ? PathArgs.readOrEmpty(t, pathAddr) : PathArgs.read(t, pathAddr);
        t.memory().write(buf, encode(statOf(t, dirfd, path, flags)));
        return 0;
    }

    static final int STATX_BASIC_STATS = 0x7ff, STATX_MNT_ID = 0x1000;
    private static final int AT_STATX_SYNC_TYPE = 0x6000;

    /**
     * Implements statx(2). It reports STATX_BASIC_STATS and STATX_MNT_ID whatever the mask
     * asks (Linux may report more than asked); no birth time and no attributes.
     */
    static long statx(Task t, Args a) {
        int dirfd = a.i(0), flags = a.i(2), mask = a.i(3);
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)) != 0) throw new LinuxException(Errno.EINVAL);
        if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE) throw new LinuxException(Errno.EINVAL);
        if ((mask & 0x80000000) != 0) throw new LinuxException(Errno.EINVAL);
        ByteString path = (flags & AT_EMPTY_PATH) != 0 ? PathArgs.readOrEmpty(t, a.a1()) : PathArgs.read(t, a.a1());
        Stat s = statOf(t, dirfd, path, flags);
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, STATX_BASIC_STATS | STATX_MNT_ID).putInt(4, (int) s.blksize()).putLong(8, 0)
                .putInt(16, (int) s.nlink()).putInt(20, s.uid()).putInt(24, s.gid()).putShort(28, (short) s.mode())
                .putLong(32, s.ino()).putLong(40, s.size()).putLong(48, s.blocks()).putLong(56, 0);
        b.putLong(0x40, s.atimeSec()).putInt(0x48, (int) s.atimeNsec());
        b.putLong(0x60, s.ctimeSec()).putInt(0x68, (int) s.ctimeNsec());
        b.putLong(0x70, s.mtimeSec()).putInt(0x78, (int) s.mtimeNsec());
        b.putInt(0x80, (int) DeviceNumber.major(s.rdev())).putInt(0x84, (int) DeviceNumber.minor(s.rdev()));
        b.putInt(0x88, (int) DeviceNumber.major(s.dev())).putInt(0x8c, (int) DeviceNumber.minor(s.dev()));
        b.putLong(0x90, s.dev());
        t.memory().write(a.a4(), b.array());
        return 0;
    }

    private static byte[] encode(StatFs s) {
        ByteBuffer b = ByteBuffer.allocate(120).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(s.type()).putLong(s.blockSize()).putLong(s.blocks()).putLong(s.blocksFree()).putLong(s.blocksAvailable())
                .putLong(s.files()).putLong(s.filesFree()).putInt((int) s.fsid()).putInt((int) (s.fsid() >>> 32))
                .putLong(s.nameMax()).putLong(s.fragmentSize()).putLong(s.flags());
        return b.array();
    }

    private static StatFs statfsOf(Location l) {
        StatFs s = l.mount().fileSystem().statfs();
        if (!l.mount().isReadOnly()) return s;
        return new StatFs(s.type(), s.blockSize(), s.blocks(), s.blocksFree(), s.blocksAvailable(), s.files(), s.filesFree(),
                s.fsid(), s.nameMax(), s.fragmentSize(), s.flags() | StatFs.ST_RDONLY);
    }

    /** Implements statfs(2). */
    static long statfs(Task t, Args a) {
        ByteString path = PathArgs.read(t, a.a0());
        Location l = PathArgs.walker(t).resolve(t.group().fs().cwd(), path, true);
        t.memory().write(a.a1(), encode(statfsOf(l)));
        return 0;
    }

    /** PIPEFS_MAGIC, for fstatfs on a pipe. */
    private static final long PIPEFS_MAGIC = 0x50495045L;

    /** Implements fstatfs(2). */
    static long fstatfs(Task t, Args a) {
        File f = t.group().files().get(a.i(0));
        Location l = f.location();
        StatFs s = l != null ? statfsOf(l) : new StatFs(PIPEFS_MAGIC, 4096, 0, 0, 0, 0, 0, 0, 255, 4096, StatFs.ST_VALID);
        t.memory().write(a.a1(), encode(s));
        return 0;
    }

    /**
     * Implements access(2), faccessat(2) and faccessat2(2): checked with the real uid and gid
     * (Linux's access_override_creds), or with the fs ids under AT_EACCESS.
     */
    static long access(Task t, int dirfd, long pathAddr, int mode, int flags) {
        if ((mode & ~7) != 0) throw new LinuxException(Errno.EINVAL);
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH)) != 0) throw new LinuxException(Errno.EINVAL);
        ByteString path = PathArgs.read(t, pathAddr);
        Location l = PathArgs.resolve(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0, (flags & AT_EMPTY_PATH) != 0);
        var creds = t.group().credentials();
        Attributes.access((flags & AT_EACCESS) != 0 ? creds.fsCredentials() : creds.accessCredentials(), l, mode);
        return 0;
    }
}
