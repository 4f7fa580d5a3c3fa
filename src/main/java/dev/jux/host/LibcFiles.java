package dev.jux.host;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static dev.jux.host.Libc.CAPTURE_BUF;
import static dev.jux.host.Libc.fail;
import static dev.jux.host.Libc.fn;
import static dev.jux.host.Libc.optionalFn;
import static dev.jux.host.Libc.result;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The host's file-system calls, one method per C function, with {@link Libc}'s convention: the
 * raw result, or -errno on failure (errno captured by FFM, never read from a thread-local after
 * the fact). EINTR is returned, not retried. Paths are NUL-terminated C strings the caller
 * allocated; struct buffers are the caller's too (struct stat is 144 bytes on x86-64, struct
 * statx 256, struct statfs 120, struct open_how 24).
 *
 * <p>Where glibc's wrapper may be missing on an older host (fstatat before 2.33, mknodat before
 * 2.33, getdents64 before 2.30, renameat2 and statx before 2.28), the call goes through the raw
 * system call instead; openat2 has no glibc wrapper at all.
 */
public final class LibcFiles {
    private LibcFiles() {}

    // open(2) flags, x86-64 values.
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_ACCMODE = 3;
    public static final int O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100, O_TRUNC = 0x200,
            O_APPEND = 0x400, O_NONBLOCK = 0x800, O_DSYNC = 0x1000, O_DIRECT = 0x4000,
            O_LARGEFILE = 0x8000, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_NOATIME = 0x40000,
            O_CLOEXEC = 0x80000, O_SYNC = 0x101000, O_PATH = 0x200000, O_TMPFILE = 0x410000;
    // *at(2) flags.
    public static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200,
            AT_SYMLINK_FOLLOW = 0x400, AT_EMPTY_PATH = 0x1000;
    // openat2(2) resolve flags.
    public static final long RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02,
            RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;
    // renameat2(2) flags.
    public static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;
    // lseek(2) whence.
    public static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
    // fallocate(2) modes.
    public static final int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2,
            FALLOC_FL_ZERO_RANGE = 0x10;
    // utimensat(2) special tv_nsec values.
    public static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;

    // x86-64 numbers of the calls made raw when glibc lacks a wrapper.
    static final long SYS_GETDENTS64 = 217, SYS_MKNODAT = 259, SYS_NEWFSTATAT = 262,
            SYS_RENAMEAT2 = 316, SYS_STATX = 332, SYS_OPENAT2 = 437;

    private static final Downcall OPENAT = new Downcall(() -> Libc.variadicFn("openat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 3));
    private static final Downcall FSTATAT = new Downcall(() -> optionalFn("fstatat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT)));
    private static final Downcall STATX = new Downcall(() -> optionalFn("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS)));
    private static final Downcall GETDENTS64 = new Downcall(() -> optionalFn("getdents64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG)));
    private static final Downcall READLINKAT = new Downcall(() -> fn("readlinkat",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), true));
    private static final Downcall MKDIRAT = new Downcall(() -> fn("mkdirat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), true));
    private static final Downcall MKNODAT = new Downcall(() -> optionalFn("mknodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG)));
    private static final Downcall SYMLINKAT = new Downcall(() -> fn("symlinkat",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), true));
    private static final Downcall LINKAT = new Downcall(() -> fn("linkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), true));
    private static final Downcall UNLINKAT = new Downcall(() -> fn("unlinkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), true));
    private static final Downcall RENAMEAT2 = new Downcall(() -> optionalFn("renameat2",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT)));
    private static final Downcall FCHMODAT = new Downcall(() -> fn("fchmodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), true));
    private static final Downcall FCHMOD = new Downcall(() -> fn("fchmod",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), true));
    private static final Downcall FCHOWNAT = new Downcall(() -> fn("fchownat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT), true));
    private static final Downcall FCHOWN = new Downcall(() -> fn("fchown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), true));
    private static final Downcall UTIMENSAT = new Downcall(() -> fn("utimensat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), true));
    private static final Downcall FUTIMENS = new Downcall(() -> fn("futimens",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), true));
    private static final Downcall FTRUNCATE = new Downcall(() -> fn("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), true));
    private static final Downcall FALLOCATE = new Downcall(() -> fn("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), true));
    private static final Downcall PREAD64 = new Downcall(() -> fn("pread64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), true));
    private static final Downcall PWRITE64 = new Downcall(() -> fn("pwrite64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), true));
    private static final Downcall LSEEK = new Downcall(() -> fn("lseek",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), true));
    private static final Downcall FSYNC = new Downcall(() -> fn("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT), true));
    private static final Downcall FDATASYNC = new Downcall(() -> fn("fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT), true));
    private static final Downcall FSTATFS = new Downcall(() -> fn("fstatfs",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), true));

    /** openat(2); {@code mode} matters only with O_CREAT or O_TMPFILE. Returns the fd or -errno. */
    public static int openat(int dirfd, MemorySegment path, int flags, int mode) {
        try {
            return (int) result((int) OPENAT.get().invokeExact(CAPTURE_BUF.get(), dirfd, path, flags, mode));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * openat2(2), always the raw system call (glibc has no wrapper). {@code how} is a struct
     * open_how (u64 flags, u64 mode, u64 resolve); see {@link #openHow}. Returns the fd or
     * -errno; -ENOSYS on kernels before 5.6.
     */
    public static int openat2(int dirfd, MemorySegment path, MemorySegment how) {
        return (int) Libc.syscall(SYS_OPENAT2, dirfd, path.address(), how.address(), how.byteSize(), 0, 0);
    }

    /** Fills a 24-byte struct open_how for {@link #openat2}. */
    public static MemorySegment openHow(MemorySegment how, long flags, long mode, long resolve) {
        how.set(JAVA_LONG, 0, flags);
        how.set(JAVA_LONG, 8, mode);
        how.set(JAVA_LONG, 16, resolve);
        return how;
    }

    /** fstatat(2) (the newfstatat system call) into a 144-byte struct stat; returns 0 or -errno. */
    public static int fstatat(int dirfd, MemorySegment path, MemorySegment statBuf, int flags) {
        if (FSTATAT.missing()) {
            return (int) Libc.syscall(SYS_NEWFSTATAT, dirfd, path.address(), statBuf.address(), flags, 0, 0);
        }
        try {
            return (int) result((int) FSTATAT.get().invokeExact(CAPTURE_BUF.get(), dirfd, path, statBuf, flags));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** statx(2) into a 256-byte struct statx; returns 0 or -errno. */
    public static int statx(int dirfd, MemorySegment path, int flags, int mask, MemorySegment statxBuf) {
        if (STATX.missing()) {
            return (int) Libc.syscall(SYS_STATX, dirfd, path.address(), flags, mask & 0xffffffffL, statxBuf.address(), 0);
        }
        try {
            return (int) result((int) STATX.get().invokeExact(CAPTURE_BUF.get(), dirfd, path, flags, mask, statxBuf));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** getdents64(2): fills {@code buf} with struct linux_dirent64 records; bytes used, 0 at the end, or -errno. */
    public static long getdents64(int fd, MemorySegment buf) {
        if (GETDENTS64.missing()) return Libc.syscall(SYS_GETDENTS64, fd, buf.address(), buf.byteSize(), 0, 0, 0);
        try {
            return result((long) GETDENTS64.get().invokeExact(CAPTURE_BUF.get(), fd, buf, buf.byteSize()));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** readlinkat(2): the target's length in {@code buf} (not NUL-terminated, cut at its size) or -errno. */
    public static long readlinkat(int dirfd, MemorySegment path, MemorySegment buf) {
        try {
            return result((long) READLINKAT.get().invokeExact(CAPTURE_BUF.get(), dirfd, path, buf, buf.byteSize()));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int mkdirat(int dirfd, MemorySegment path, int mode) {
        try {
            return (int) result((int) MKDIRAT.get().invokeExact(CAPTURE_BUF.get(), dirfd, path, mode));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** mknodat(2); {@code dev} in glibc's dev_t encoding (makedev), which the kernel shares below 2^32. */
    public static int mknodat(int dirfd, MemorySegment path, int mode, long dev) {
        if (MKNODAT.missing()) return (int) Libc.syscall(SYS_MKNODAT, dirfd, path.address(), mode, dev, 0, 0);
        try {
            return (int) result((int) MKNODAT.get().invokeExact(CAPTURE_BUF.get(), dirfd, path, mode, dev));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int symlinkat(MemorySegment target, int newDirfd, MemorySegment linkPath) {
        try {
            return (int) result((int) SYMLINKAT.get().invokeExact(CAPTURE_BUF.get(), target, newDirfd, linkPath));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** linkat(2); without AT_SYMLINK_FOLLOW Linux links a symlink itself, not its target. */
    public static int linkat(int oldDirfd, MemorySegment oldPath, int newDirfd, MemorySegment newPath, int flags) {
        try {
            return (int) result((int) LINKAT.get().invokeExact(CAPTURE_BUF.get(), oldDirfd, oldPath, newDirfd, newPath, flags));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int unlinkat(int dirfd, MemorySegment path, int flags) {
        try {
            return (int) result((int) UNLINKAT.get().invokeExact(CAPTURE_BUF.get(), dirfd, path, flags));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int renameat2(int oldDirfd, MemorySegment oldPath, int newDirfd, MemorySegment newPath, int flags) {
        if (RENAMEAT2.missing()) {
            return (int) Libc.syscall(SYS_RENAMEAT2, oldDirfd, oldPath.address(), newDirfd, newPath.address(), flags, 0);
        }
        try {
            return (int) result((int) RENAMEAT2.get().invokeExact(CAPTURE_BUF.get(), oldDirfd, oldPath, newDirfd, newPath, flags));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * fchmodat(2) through glibc. The system call has no flags argument and always follows a
     * symlink; glibc (2.32 on) implements AT_SYMLINK_NOFOLLOW itself without following one:
     * recent versions with the fchmodat2 system call (Linux 6.6) when it can, else (2.36 here)
     * through an O_PATH|O_NOFOLLOW descriptor and its /proc/self/fd name, so without /proc
     * every such call fails with EOPNOTSUPP. On a symlink it is always EOPNOTSUPP, Linux's own
     * answer: a symlink's mode cannot be changed. An older glibc refuses the flag outright.
     */
    public static int fchmodat(int dirfd, MemorySegment path, int mode, int flags) {
        try {
            return (int) result((int) FCHMODAT.get().invokeExact(CAPTURE_BUF.get(), dirfd, path, mode, flags));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int fchmod(int fd, int mode) {
        try {
            return (int) result((int) FCHMOD.get().invokeExact(CAPTURE_BUF.get(), fd, mode));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** fchownat(2); uid or gid -1 leaves it unchanged. AT_SYMLINK_NOFOLLOW changes a symlink's own owner. */
    public static int fchownat(int dirfd, MemorySegment path, int uid, int gid, int flags) {
        try {
            return (int) result((int) FCHOWNAT.get().invokeExact(CAPTURE_BUF.get(), dirfd, path, uid, gid, flags));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int fchown(int fd, int uid, int gid) {
        try {
            return (int) result((int) FCHOWN.get().invokeExact(CAPTURE_BUF.get(), fd, uid, gid));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** utimensat(2); {@code times} is two struct timespec (atime, mtime), 32 bytes. */
    public static int utimensat(int dirfd, MemorySegment path, MemorySegment times, int flags) {
        try {
            return (int) result((int) UTIMENSAT.get().invokeExact(CAPTURE_BUF.get(), dirfd, path, times, flags));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int futimens(int fd, MemorySegment times) {
        try {
            return (int) result((int) FUTIMENS.get().invokeExact(CAPTURE_BUF.get(), fd, times));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int ftruncate(int fd, long length) {
        try {
            return (int) result((int) FTRUNCATE.get().invokeExact(CAPTURE_BUF.get(), fd, length));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int fallocate(int fd, int mode, long offset, long length) {
        try {
            return (int) result((int) FALLOCATE.get().invokeExact(CAPTURE_BUF.get(), fd, mode, offset, length));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** pread64(2) of {@code buf.byteSize()} bytes at {@code offset}; bytes read or -errno. */
    public static long pread(int fd, MemorySegment buf, long offset) {
        try {
            return result((long) PREAD64.get().invokeExact(CAPTURE_BUF.get(), fd, buf, buf.byteSize(), offset));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** pwrite64(2) of {@code buf.byteSize()} bytes at {@code offset}; bytes written or -errno. */
    public static long pwrite(int fd, MemorySegment buf, long offset) {
        try {
            return result((long) PWRITE64.get().invokeExact(CAPTURE_BUF.get(), fd, buf, buf.byteSize(), offset));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static long lseek(int fd, long offset, int whence) {
        try {
            return result((long) LSEEK.get().invokeExact(CAPTURE_BUF.get(), fd, offset, whence));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int fsync(int fd) {
        try {
            return (int) result((int) FSYNC.get().invokeExact(CAPTURE_BUF.get(), fd));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int fdatasync(int fd) {
        try {
            return (int) result((int) FDATASYNC.get().invokeExact(CAPTURE_BUF.get(), fd));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** fstatfs(2) into a 120-byte struct statfs; works on an O_PATH fd since Linux 3.12. */
    public static int fstatfs(int fd, MemorySegment statfsBuf) {
        try {
            return (int) result((int) FSTATFS.get().invokeExact(CAPTURE_BUF.get(), fd, statfsBuf));
        } catch (Throwable t) {
            throw fail(t);
        }
    }
}
