package dev.jux.host;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

import static dev.jux.host.Libc.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The host's file-system calls, one method per system call, made raw as {@link Libc}'s are,
 * with its convention: the raw result, or -errno on failure (errno captured by FFM, never read
 * from a thread-local after the fact). EINTR is returned, not retried. Paths are
 * NUL-terminated C strings the caller allocated; struct buffers are the caller's too (struct
 * stat is 144 bytes on x86-64, struct statx 256, struct statfs 120, struct open_how 24).
 *
 * <p>Raw calls need no glibc wrapper (fstatat and mknodat came in 2.33, getdents64 in 2.30,
 * renameat2 and statx in 2.28, openat2 has none).
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

    /** fchmodat through glibc (see {@link #fchmodat}): the only call here that is not a plain system call. */
    private static final Downcall FCHMODAT = new Downcall(() -> Libc.fn("fchmodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), true));

    /** openat(2); {@code mode} matters only with O_CREAT or O_TMPFILE. Returns the fd or -errno. */
    public static int openat(int dirfd, MemorySegment path, int flags, int mode) {
        return (int) syscall(SYS_OPENAT, dirfd, address(path), flags, mode);
    }

    /**
     * openat2(2). {@code how} is a struct open_how (u64 flags, u64 mode, u64 resolve); see
     * {@link #openHow}. Returns the fd or -errno; -ENOSYS on kernels before 5.6.
     */
    public static int openat2(int dirfd, MemorySegment path, MemorySegment how) {
        return (int) syscall(SYS_OPENAT2, dirfd, address(path), address(how), how.byteSize());
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
        return (int) syscall(SYS_NEWFSTATAT, dirfd, address(path), address(statBuf), flags);
    }

    /** statx(2) into a 256-byte struct statx; returns 0 or -errno (-ENOSYS before Linux 4.11). */
    public static int statx(int dirfd, MemorySegment path, int flags, int mask, MemorySegment statxBuf) {
        return (int) syscall(SYS_STATX, dirfd, address(path), flags, mask & 0xffffffffL, address(statxBuf), 0);
    }

    /** getdents64(2): fills {@code buf} with struct linux_dirent64 records; bytes used, 0 at the end, or -errno. */
    public static long getdents64(int fd, MemorySegment buf) {
        return syscall(SYS_GETDENTS64, fd, address(buf), buf.byteSize());
    }

    /** readlinkat(2): the target's length in {@code buf} (not NUL-terminated, cut at its size) or -errno. */
    public static long readlinkat(int dirfd, MemorySegment path, MemorySegment buf) {
        return syscall(SYS_READLINKAT, dirfd, address(path), address(buf), buf.byteSize());
    }

    public static int mkdirat(int dirfd, MemorySegment path, int mode) {
        return (int) syscall(SYS_MKDIRAT, dirfd, address(path), mode);
    }

    /** mknodat(2); {@code dev} in glibc's dev_t encoding (makedev), which the kernel shares below 2^32. */
    public static int mknodat(int dirfd, MemorySegment path, int mode, long dev) {
        return (int) syscall(SYS_MKNODAT, dirfd, address(path), mode, dev);
    }

    public static int symlinkat(MemorySegment target, int newDirfd, MemorySegment linkPath) {
        return (int) syscall(SYS_SYMLINKAT, address(target), newDirfd, address(linkPath));
    }

    /** linkat(2); without AT_SYMLINK_FOLLOW Linux links a symlink itself, not its target. */
    public static int linkat(int oldDirfd, MemorySegment oldPath, int newDirfd, MemorySegment newPath, int flags) {
        return (int) syscall(SYS_LINKAT, oldDirfd, address(oldPath), newDirfd, address(newPath), flags, 0);
    }

    public static int unlinkat(int dirfd, MemorySegment path, int flags) {
        return (int) syscall(SYS_UNLINKAT, dirfd, address(path), flags);
    }

    public static int renameat2(int oldDirfd, MemorySegment oldPath, int newDirfd, MemorySegment newPath, int flags) {
        return (int) syscall(SYS_RENAMEAT2, oldDirfd, address(oldPath), newDirfd, address(newPath), flags, 0);
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
        return (int) syscall(SYS_FCHMOD, fd, mode);
    }

    /** fchownat(2); uid or gid -1 leaves it unchanged. AT_SYMLINK_NOFOLLOW changes a symlink's own owner. */
    public static int fchownat(int dirfd, MemorySegment path, int uid, int gid, int flags) {
        return (int) syscall(SYS_FCHOWNAT, dirfd, address(path), uid, gid, flags, 0);
    }

    /** fchown(2); uid or gid -1 leaves it unchanged. */
    public static int fchown(int fd, int uid, int gid) {
        return (int) syscall(SYS_FCHOWN, fd, uid, gid);
    }

    /** utimensat(2); {@code times} is two struct timespec (atime, mtime), 32 bytes. */
    public static int utimensat(int dirfd, MemorySegment path, MemorySegment times, int flags) {
        return (int) syscall(SYS_UTIMENSAT, dirfd, address(path), address(times), flags);
    }

    /** futimens(3): utimensat(2) on the fd itself (a NULL path), as glibc makes it. */
    public static int futimens(int fd, MemorySegment times) {
        return (int) syscall(SYS_UTIMENSAT, fd, 0, address(times), 0);
    }

    public static int ftruncate(int fd, long length) {
        return (int) syscall(SYS_FTRUNCATE, fd, length);
    }

    public static int fallocate(int fd, int mode, long offset, long length) {
        return (int) syscall(SYS_FALLOCATE, fd, mode, offset, length);
    }

    /** pread64(2) of {@code buf.byteSize()} bytes at {@code offset}; bytes read or -errno. */
    public static long pread(int fd, MemorySegment buf, long offset) {
        return syscall(SYS_PREAD64, fd, address(buf), buf.byteSize(), offset);
    }

    /** pwrite64(2) of {@code buf.byteSize()} bytes at {@code offset}; bytes written or -errno. */
    public static long pwrite(int fd, MemorySegment buf, long offset) {
        return syscall(SYS_PWRITE64, fd, address(buf), buf.byteSize(), offset);
    }

    public static long lseek(int fd, long offset, int whence) {
        return syscall(SYS_LSEEK, fd, offset, whence);
    }

    public static int fsync(int fd) {
        return (int) syscall(SYS_FSYNC, fd);
    }

    public static int fdatasync(int fd) {
        return (int) syscall(SYS_FDATASYNC, fd);
    }

    /** fstatfs(2) into a 120-byte struct statfs; works on an O_PATH fd since Linux 3.12. */
    public static int fstatfs(int fd, MemorySegment statfsBuf) {
        return (int) syscall(SYS_FSTATFS, fd, address(statfsBuf));
    }
}
