package dev.jux.host;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.jux.host.LibcFiles.AT_REMOVEDIR;
import static dev.jux.host.LibcFiles.AT_SYMLINK_NOFOLLOW;
import static dev.jux.host.LibcFiles.O_CLOEXEC;
import static dev.jux.host.LibcFiles.O_DIRECTORY;
import static dev.jux.host.LibcFiles.O_NOCTTY;
import static dev.jux.host.LibcFiles.O_NOFOLLOW;
import static dev.jux.host.LibcFiles.O_NONBLOCK;
import static dev.jux.host.LibcFiles.O_PATH;
import static dev.jux.host.LibcFiles.O_RDONLY;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A host directory held open as an O_PATH fd, and the operations hostfs makes on its entries.
 * Every operation takes ONE path component (a name without '/', not "", "." or ".."; see
 * {@link ChildName}) and never follows a symlink on the host: the guest's VFS walks paths and
 * follows symlinks itself, in the guest's namespace, so a guest can reach only what lies under
 * the directories it was given.
 *
 * <p>How each call avoids following the last component (the only one the host sees):
 * lookup uses fstatat(AT_SYMLINK_NOFOLLOW); opens use O_NOFOLLOW; readlinkat, mkdirat,
 * mknodat, symlinkat, unlinkat and renameat2 never follow it; linkat links a symlink itself
 * without AT_SYMLINK_FOLLOW; fchownat and utimensat take AT_SYMLINK_NOFOLLOW and act on the
 * symlink itself; chmod is explained at {@link #chmod}.
 *
 * <p>Errors: a failed host call throws {@link HostException} with the host errno (EINTR is
 * retried); only {@link #lookup} reports a missing name as a value. A bad name throws
 * IllegalArgumentException: the VFS never passes one, so it is a kernel bug.
 *
 * <p>Thread-safe. {@link #close} waits for no one, but the fd stays open until calls already
 * running on other threads return, so none of them can act on a recycled fd number.
 */
public final class HostDirectory implements AutoCloseable {
    private static final int ENOENT = 2, EINTR = 4, ENXIO = 6, EISDIR = 21;
    /** Flags a caller may pass to {@link #openFile}; the rest are the host's business or unsafe (O_PATH, O_TMPFILE...). */
    private static final int FILE_FLAGS = LibcFiles.O_ACCMODE | LibcFiles.O_CREAT | LibcFiles.O_EXCL
            | LibcFiles.O_TRUNC | LibcFiles.O_APPEND | LibcFiles.O_NOATIME | LibcFiles.O_DIRECT
            | LibcFiles.O_SYNC | LibcFiles.O_DSYNC | LibcFiles.O_LARGEFILE;
    private static final int READDIR_BUFFER = 32 * 1024;

    private final HeldFd fd;

    private HostDirectory(int fd) {
        this.fd = new HeldFd(fd);
    }

    /**
     * Opens the host directory at {@code hostPath} as the root of a mount. Unlike everything
     * below, this follows symlinks in the path, as mount --bind resolves its source: the path
     * is what whoever started Jux chose, not something a guest can influence.
     */
    public static HostDirectory open(Path hostPath) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment path = a.allocateFrom(hostPath.toString(), StandardCharsets.UTF_8);
            int r;
            do r = LibcFiles.openat(LibcFiles.AT_FDCWD, path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0); while (r == -EINTR);
            if (r < 0) throw new HostException("openat " + hostPath, -r);
            return new HostDirectory(r);
        }
    }

    /** The directory's own stat (fstat works on O_PATH fds since Linux 3.6). */
    public HostStat stat() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(HostStat.SIZE, 8);
            fd.call("fstat", f -> Libc.fstat(f, st));
            return HostStat.decode(st);
        }
    }

    /** The file system the directory is on (fstatfs works on O_PATH fds since Linux 3.12). */
    public HostStatfs statfs() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(HostStatfs.SIZE, 8);
            fd.call("fstatfs", f -> LibcFiles.fstatfs(f, buf));
            return HostStatfs.decode(buf);
        }
    }

    /** The entry's own stat (a symlink is reported as one), or Missing if there is none. */
    public HostLookup lookup(byte[] name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name), st = a.allocate(HostStat.SIZE, 8);
            try {
                fd.call("fstatat", f -> LibcFiles.fstatat(f, n, st, AT_SYMLINK_NOFOLLOW));
            } catch (HostException e) {
                if (e.errno() == ENOENT) return new HostLookup.Missing();
                throw e;
            }
            return new HostLookup.Found(HostStat.decode(st));
        }
    }

    /**
     * Opens a subdirectory. If the name is a symlink, even one swapped in after a lookup said
     * "directory", the host refuses: O_PATH|O_NOFOLLOW alone would open the symlink itself, and
     * O_DIRECTORY then makes that ENOTDIR.
     */
    public HostDirectory openDirectory(byte[] name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name);
            int flags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
            return new HostDirectory((int) fd.call("openat", f -> LibcFiles.openat(f, n, flags, 0)));
        }
    }

    /**
     * Opens (or with O_CREAT creates, {@code mode} then applying) a regular file. {@code flags}
     * may hold the access mode, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NOATIME, O_DIRECT,
     * O_SYNC and O_DSYNC. A symlink gives ELOOP (O_NOFOLLOW, which with O_CREAT also refuses to
     * create through a dangling one). The open is O_NONBLOCK so that a FIFO swapped in cannot
     * block the thread; anything that turns out not to be a regular file is closed again and
     * refused: EISDIR for a directory, ENXIO for the rest (what open(2) says for a socket).
     * hostfs makes FIFOs and device nodes Jux's own, never the host's. The O_NONBLOCK is cleared
     * before returning. Left open: a host device node opened this way does see an open(2) and
     * a close(2), whatever its driver does with them.
     */
    public HostFile openFile(byte[] name, int flags, int mode) {
        if ((flags & ~FILE_FLAGS) != 0) {
            throw new IllegalArgumentException("openFile flags " + Integer.toHexString(flags & ~FILE_FLAGS));
        }
        HostFile file;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name);
            int hostFlags = flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
            file = new HostFile((int) fd.call("openat", f -> LibcFiles.openat(f, n, hostFlags, mode)));
        }
        try {
            HostStat st = file.stat();
            if (!st.isRegularFile()) throw new HostException("openat", st.isDirectory() ? EISDIR : ENXIO);
            file.setStatusFlags(file.statusFlags() & ~O_NONBLOCK);
            return file;
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** The symlink's target bytes. readlinkat does not follow the name it reads. */
    public byte[] readlink(byte[] name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name);
            // The target fits in PATH_MAX on Linux; a result that fills the buffer may be cut, so grow.
            for (long size = 4096; ; size *= 2) {
                MemorySegment buf = a.allocate(size);
                long len = fd.call("readlinkat", f -> LibcFiles.readlinkat(f, n, buf));
                if (len < size) return buf.asSlice(0, len).toArray(JAVA_BYTE);
            }
        }
    }

    /**
     * The directory's entries in the host's order, without "." and ".." (see
     * {@link HostDirEntry#decode}). getdents64 needs a real open directory, not the O_PATH fd,
     * so this opens "." (the directory itself, which can be no symlink) O_RDONLY|O_DIRECTORY;
     * the host checks read permission there. A snapshot: entries added meanwhile may be missed.
     */
    public List<HostDirEntry> readdir() {
        HeldFd dir;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment dot = a.allocateFrom(".");
            int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
            dir = new HeldFd((int) fd.call("openat", f -> LibcFiles.openat(f, dot, flags, 0)));
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(READDIR_BUFFER, 8);
            List<HostDirEntry> out = new ArrayList<>();
            for (long n; (n = dir.call("getdents64", f -> LibcFiles.getdents64(f, buf))) > 0; ) {
                HostDirEntry.decode(buf, n, out);
            }
            return out;
        } finally {
            dir.close();
        }
    }

    public void mkdir(byte[] name, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name);
            fd.call("mkdirat", f -> LibcFiles.mkdirat(f, n, mode));
        }
    }

    /** mknodat(2): {@code mode} carries the type (S_IFIFO, S_IFSOCK, S_IFREG, S_IFCHR, S_IFBLK). */
    public void mknod(byte[] name, int mode, long dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name);
            fd.call("mknodat", f -> LibcFiles.mknodat(f, n, mode, dev));
        }
    }

    /**
     * Creates symlink {@code name} holding {@code target}. The target is only stored, never
     * resolved on the host, so it may be any bytes but NUL ("/etc", "../..": the guest's VFS
     * resolves it later, in the guest's namespace).
     */
    public void symlink(byte[] name, byte[] target) {
        for (byte b : target) if (b == 0) throw new IllegalArgumentException("a symlink target holds no NUL");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name), t = a.allocate(target.length + 1L);
            MemorySegment.copy(target, 0, t, JAVA_BYTE, 0, target.length);
            fd.call("symlinkat", f -> LibcFiles.symlinkat(t, f, n));
        }
    }

    /** Makes {@code newDir/newName} a hard link to {@code name} here; a symlink is linked itself. */
    public void link(byte[] name, HostDirectory newDir, byte[] newName) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name), nn = ChildName.cString(a, newName);
            fd.call("linkat", f -> newDir.fd.call("linkat", nf -> LibcFiles.linkat(f, n, nf, nn, 0)));
        }
    }

    /** Removes a non-directory (a symlink itself, never its target); a directory gives EISDIR. */
    public void unlink(byte[] name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name);
            fd.call("unlinkat", f -> LibcFiles.unlinkat(f, n, 0));
        }
    }

    /** Removes an empty directory; a symlink to one gives ENOTDIR. */
    public void rmdir(byte[] name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name);
            fd.call("unlinkat", f -> LibcFiles.unlinkat(f, n, AT_REMOVEDIR));
        }
    }

    /**
     * renameat2(2) of {@code name} here to {@code newName} in {@code newDir} (which may be this
     * directory). {@code flags}: 0, LibcFiles.RENAME_NOREPLACE (EEXIST if the target exists) or
     * RENAME_EXCHANGE (swap the two atomically; both must exist). Not every host file system
     * supports the flags (EINVAL then). Across host mounts: EXDEV.
     */
    public void rename(byte[] name, HostDirectory newDir, byte[] newName, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name), nn = ChildName.cString(a, newName);
            fd.call("renameat2", f -> newDir.fd.call("renameat2", nf -> LibcFiles.renameat2(f, n, nf, nn, flags)));
        }
    }

    /**
     * Changes the mode of an entry, never of a symlink's target. The fchmodat system call has
     * no flags and follows symlinks, so this goes through glibc's fchmodat with
     * AT_SYMLINK_NOFOLLOW (see {@link LibcFiles#fchmodat}): on a symlink it fails with
     * EOPNOTSUPP, which is also Linux's own answer (fchmodat2, lchmod): a symlink's mode is
     * always 0777 and cannot be changed. hostfs should report that the way Linux does.
     */
    public void chmod(byte[] name, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name);
            fd.call("fchmodat", f -> LibcFiles.fchmodat(f, n, mode, AT_SYMLINK_NOFOLLOW));
        }
    }

    /** Changes the owner of an entry; of a symlink itself (lchown). -1 leaves uid or gid as is. */
    public void chown(byte[] name, int uid, int gid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name);
            fd.call("fchownat", f -> LibcFiles.fchownat(f, n, uid, gid, AT_SYMLINK_NOFOLLOW));
        }
    }

    /** Sets an entry's times (of a symlink itself); a nanosecond field may be UTIME_NOW or UTIME_OMIT. */
    public void utimens(byte[] name, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = ChildName.cString(a, name);
            MemorySegment times = Timespecs.of(a, atimeSec, atimeNsec, mtimeSec, mtimeNsec);
            fd.call("utimensat", f -> LibcFiles.utimensat(f, n, times, AT_SYMLINK_NOFOLLOW));
        }
    }

    /** Closes the O_PATH fd once calls running on other threads are done. Idempotent. */
    @Override
    public void close() {
        fd.close();
    }
}
