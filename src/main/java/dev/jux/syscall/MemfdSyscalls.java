package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Rlimit;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.File;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Dentry;
import dev.jux.fs.vfs.FileSeals;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.MappedPages;
import dev.jux.fs.vfs.Mount;
import dev.jux.fs.vfs.VfsFile;
import dev.jux.fs.tmpfs.TmpFs;
import dev.jux.kernel.Credentials;
import dev.jux.kernel.Task;

/**
 * memfd_create(2) and the seals of its files (fcntl F_ADD_SEALS/F_GET_SEALS). A memfd is an
 * unnamed file on an internal tmpfs (Linux's shm_mnt): /proc/PID/fd shows it as
 * "/memfd:NAME (deleted)"; it maps, shares across fork and seals as on Linux (mm/memfd.c).
 */
final class MemfdSyscalls {
    private MemfdSyscalls() {}

    static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4, MFD_NOEXEC_SEAL = 8, MFD_EXEC = 0x10;
    private static final int MFD_ALL = MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC;
    private static final int MFD_HUGE_SHIFT = 26, MFD_HUGE_MASK = 0x3f;
    /** NAME_MAX - strlen("memfd:"). */
    private static final int NAME_MAX_LEN = 249;

    /** The internal tmpfs every memfd lives on, mounted nowhere. */
    private static final TmpFs FS = new TmpFs(01777, 0, 0);
    private static final Mount MOUNT = Mount.root(FS);

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.MEMFD_CREATE, Support.FULL, "tmpfs-backed; seals (F_ADD_SEALS/F_GET_SEALS); MFD_HUGETLB is EINVAL (no huge pages)", MemfdSyscalls::memfdCreate);
    }

    static long memfdCreate(Task t, Args a) {
        int flags = a.i(1);
        int allowed = (flags & MFD_HUGETLB) == 0 ? MFD_ALL : MFD_ALL | (MFD_HUGE_MASK << MFD_HUGE_SHIFT);
        if ((flags & ~allowed) != 0) throw new LinuxException(Errno.EINVAL);
        if ((flags & MFD_EXEC) != 0 && (flags & MFD_NOEXEC_SEAL) != 0) throw new LinuxException(Errno.EINVAL);
        String name = t.memory().readCString(a.a0(), NAME_MAX_LEN + 1, Errno.EINVAL);
        if ((flags & MFD_HUGETLB) != 0) throw new LinuxException(Errno.EINVAL);      // no hugetlbfs in Jux
        Credentials c = t.group().credentials();
        boolean noExec = (flags & MFD_NOEXEC_SEAL) != 0;
        Inode inode = FS.createSealable(noExec ? 0666 : 0777, c.fsuid(), c.fsgid(),
                (flags & MFD_ALLOW_SEALING) != 0 || noExec);
        if (noExec) inode.seals().add(FileSeals.F_SEAL_EXEC, false);
        Dentry d = Dentry.orphan(MOUNT.root(), ByteString.of("memfd:" + name), inode);
        File f = new VfsFile(new Location(MOUNT, d), OpenFlags.O_RDWR | OpenFlags.O_LARGEFILE);
        return t.group().files().install(f, 0, (flags & MFD_CLOEXEC) != 0, t.group().limits().soft(Rlimit.RLIMIT_NOFILE));
    }

    /** fcntl(F_ADD_SEALS): EINVAL for a file that is not a memfd, EPERM unless open for writing. */
    static long addSeals(File f, int seals) {
        FileSeals s = sealsOf(f);
        if ((f.statusFlags() & OpenFlags.O_ACCMODE) == OpenFlags.O_RDONLY) throw new LinuxException(Errno.EPERM);
        MappedPages mapped = ((VfsFile) f).inode().mappedPages();
        s.add(seals, mapped != null && mapped.writableMappings());
        return 0;
    }

    /** fcntl(F_GET_SEALS). */
    static long getSeals(File f) {
        return sealsOf(f).get();
    }

    private static FileSeals sealsOf(File f) {
        FileSeals s = f instanceof VfsFile v ? v.inode().seals() : null;
        if (s == null) throw new LinuxException(Errno.EINVAL);
        return s;
    }
}
