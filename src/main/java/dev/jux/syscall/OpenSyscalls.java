package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Rlimit;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Opener;
import dev.jux.fs.vfs.PathWalker;
import dev.jux.fs.vfs.VfsFile;
import dev.jux.kernel.Task;

import static dev.jux.abi.AtFlags.AT_FDCWD;
import static dev.jux.abi.OpenFlags.*;

/** Opening and closing: open, openat, openat2, creat, close_range. */
final class OpenSyscalls {
    private OpenSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.OPEN, Support.PARTIAL, OPEN_NOTE, (task, a) -> openAt(task, AT_FDCWD, a.a0(), a.i(1), a.i(2)));
        t.add(SyscallNumbers.OPENAT, Support.PARTIAL, OPEN_NOTE, (task, a) -> openAt(task, a.i(0), a.a1(), a.i(2), a.i(3)));
        t.add(SyscallNumbers.CREAT, Support.FULL, "", (task, a) -> openAt(task, AT_FDCWD, a.a0(), O_CREAT | O_WRONLY | O_TRUNC, a.i(1)));
        t.add(SyscallNumbers.OPENAT2, Support.PARTIAL, OPEN_NOTE + "; RESOLVE_CACHED never fails with EAGAIN", OpenSyscalls::openat2);
        t.add(SyscallNumbers.CLOSE_RANGE, Support.FULL, "", OpenSyscalls::closeRange);
    }

    private static final String OPEN_NOTE = "sockets and block device nodes fail with ENXIO; an O_TMPFILE|O_EXCL file stays linkable";

    /** The flags open(2) knows (Linux's VALID_OPEN_FLAGS); openat2 rejects any other bit. */
    private static final int VALID = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC
            | FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC | O_PATH | O_TMPFILE;

    /**
     * Implements open(2) and openat(2). Unknown flag bits are ignored, as Linux does for these
     * two calls. Departs from Linux where the note on {@link Opener} says.
     */
    static long openAt(Task t, int dirfd, long pathAddr, int flags, int mode) {
        return open(t, dirfd, pathAddr, flags & VALID, mode, null);
    }

    /** Linux's build_open_flags: EINVAL for contradictory flags; the mode for a new file, masked by the umask. */
    private static long open(Task t, int dirfd, long pathAddr, int flags, int mode, PathWalker walker) {
        if ((flags & __O_TMPFILE) != 0) {
            if ((flags & O_TMPFILE) != O_TMPFILE || (flags & O_CREAT) != 0) throw new LinuxException(Errno.EINVAL);
            if ((flags & O_ACCMODE) == O_RDONLY) throw new LinuxException(Errno.EINVAL);
        }
        // Linux 6.4+: O_CREAT|O_DIRECTORY is EINVAL instead of its old odd meaning.
        if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY)) throw new LinuxException(Errno.EINVAL);
        if ((flags & O_PATH) != 0) flags &= O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC;
        if ((flags & __O_SYNC) != 0) flags |= O_DSYNC;
        int create = takesMode(flags) ? (mode & 07777 & ~t.group().fs().umask()) : 0;
        ByteString path = PathArgs.read(t, pathAddr);
        Location start = PathArgs.start(t, dirfd, path);
        if (walker == null) walker = PathArgs.walker(t);
        dev.jux.fs.File opened = Opener.open(t, walker, start, path, flags, create);
        dev.jux.fs.File f = opened instanceof VfsFile node && node.device() instanceof dev.jux.fs.devfs.CharDevices.TerminalDevice
                ? t.kernel().terminals().open(t, node, flags) : opened;
        long limit = t.group().limits().soft(Rlimit.RLIMIT_NOFILE);
        try {
            return t.group().files().install(f, 0, (flags & O_CLOEXEC) != 0, limit);
        } catch (LinuxException e) {
            f.release(); // a FIFO open counted a reader or writer
            throw e;
        }
    }

    static final long RESOLVE_NO_XDEV = 1, RESOLVE_NO_MAGICLINKS = 2, RESOLVE_NO_SYMLINKS = 4,
            RESOLVE_BENEATH = 8, RESOLVE_IN_ROOT = 0x10, RESOLVE_CACHED = 0x20;
    private static final int OPEN_HOW_SIZE = 24;

    /**
     * Implements openat2(2): struct open_how {flags, mode, resolve}. EINVAL for unknown flags
     * or resolve bits, a mode without O_CREAT/O_TMPFILE, or a size below 24; E2BIG for a
     * larger struct with non-zero tail. RESOLVE_CACHED never returns EAGAIN except for
     * O_CREAT/O_TRUNC/O_TMPFILE.
     */
    static long openat2(Task t, Args a) {
        int dirfd = a.i(0);
        long howAddr = a.a2(), size = a.a3();
        if (size < OPEN_HOW_SIZE) throw new LinuxException(Errno.EINVAL);
        if (size > 4096) throw new LinuxException(Errno.E2BIG);
        byte[] how = t.memory().read(howAddr, (int) size);
        for (int i = OPEN_HOW_SIZE; i < size; i++) if (how[i] != 0) throw new LinuxException(Errno.E2BIG);
        var b = java.nio.ByteBuffer.wrap(how).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long flags = b.getLong(0), mode = b.getLong(8), resolve = b.getLong(16);
        if ((flags & ~Integer.toUnsignedLong(VALID)) != 0) throw new LinuxException(Errno.EINVAL);
        if ((resolve & ~0x3fL) != 0) throw new LinuxException(Errno.EINVAL);
        if ((resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) == (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) throw new LinuxException(Errno.EINVAL);
        int f = (int) flags;
        if (takesMode(f) ? (mode & ~07777L) != 0 : mode != 0) throw new LinuxException(Errno.EINVAL);
        if ((resolve & RESOLVE_CACHED) != 0 && (f & (O_TRUNC | O_CREAT | __O_TMPFILE)) != 0) throw new LinuxException(Errno.EAGAIN);
        PathWalker w;
        if ((resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) != 0) {
            // The scope is the dirfd (or the cwd): the walker's root, so absolute paths and ".." stay in it
            // (RESOLVE_IN_ROOT) or fail with EXDEV (RESOLVE_BENEATH).
            Location scope = dirfd == AT_FDCWD ? t.group().fs().cwd() : PathArgs.start(t, dirfd, ByteString.of("."));
            w = PathWalker.scoped(scope, t.group().fsCredentials(), (resolve & RESOLVE_BENEATH) != 0);
        } else {
            w = PathArgs.walker(t);
        }
        if ((resolve & RESOLVE_NO_SYMLINKS) != 0) w.noSymlinks();
        if ((resolve & RESOLVE_NO_XDEV) != 0) w.noXdev();
        if ((resolve & RESOLVE_NO_MAGICLINKS) != 0) w.noMagicLinks();
        return open(t, dirfd, a.a1(), f, (int) mode, w);
    }

    static final int CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;

    /** Implements close_range(2); CLOSE_RANGE_UNSHARE is a no-op while fd tables are never shared. */
    static long closeRange(Task t, Args a) {
        int first = a.i(0), last = a.i(1), flags = a.i(2);
        if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0) throw new LinuxException(Errno.EINVAL);
        if (Integer.compareUnsigned(first, last) > 0) throw new LinuxException(Errno.EINVAL);
        if ((flags & CLOSE_RANGE_CLOEXEC) != 0) t.group().files().setCloseOnExecRange(first, last);
        else t.group().files().closeRange(first, last);
        return 0;
    }
}
