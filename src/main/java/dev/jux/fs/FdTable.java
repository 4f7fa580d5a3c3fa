package dev.jux.fs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.lock.FileLocks;

/**
 * A process's file descriptor table: fd numbers to open file descriptions, with close-on-exec.
 * fork copies it ({@link #copy}); clone(CLONE_FILES) shares it ({@link #share}), and the last
 * process to let go of a shared table closes its fds ({@link #closeAll}).
 */
public final class FdTable {
    private File[] files = new File[64];
    private boolean[] closeOnExec = new boolean[64];
    /** Processes using this table (CLONE_FILES shares it). */
    private int users = 1;

    /** fork(2)'s copy: the same descriptions at the same fds, each one more fd reference. */
    public synchronized FdTable copy() {
        FdTable c = new FdTable();
        c.files = files.clone();
        c.closeOnExec = closeOnExec.clone();
        for (File f : c.files) if (f != null) OpenFileCounts.retain(f);
        return c;
    }

    /** clone(CLONE_FILES): one more process uses this table. */
    public synchronized FdTable share() {
        users++;
        return this;
    }

    /** More than one process uses the table (clone with CLONE_FILES). */
    public synchronized boolean isShared() {
        return users > 1;
    }

    public synchronized File get(int fd) {
        if (fd < 0 || fd >= files.length || files[fd] == null) throw new LinuxException(Errno.EBADF);
        return files[fd];
    }

    /** Installs {@code file} at the lowest free fd at or above {@code min} (Linux's rule), below {@code limit}. */
    public synchronized int install(File file, int min, boolean cloexec, long limit) {
        int fd = min;
        while (fd < files.length && files[fd] != null) fd++;
        if (fd >= limit) throw new LinuxException(Errno.EMFILE);
        grow(fd);
        files[fd] = file;
        closeOnExec[fd] = cloexec;
        OpenFileCounts.retain(file);
        return fd;
    }

    /** Puts {@code file} at exactly {@code fd}, closing what was there. */
    public synchronized void installAt(int fd, File file, boolean cloexec) {
        grow(fd);
        File old = files[fd];
        OpenFileCounts.retain(file);
        files[fd] = file;
        closeOnExec[fd] = cloexec;
        if (old != null) dropped(old);
    }

    public synchronized boolean closeOnExec(int fd) {
        get(fd);
        return closeOnExec[fd];
    }

    public synchronized void setCloseOnExec(int fd, boolean value) {
        get(fd);
        closeOnExec[fd] = value;
    }

    /** dup2/dup3: makes {@code newFd} refer to {@code oldFd}'s file; EBADF for a bad newFd. */
    public synchronized int duplicateTo(int oldFd, int newFd, boolean cloexec, long limit) {
        File f = get(oldFd);
        if (newFd < 0 || newFd >= limit) throw new LinuxException(Errno.EBADF);
        installAt(newFd, f, cloexec);
        return newFd;
    }

    public synchronized void close(int fd) {
        File f = get(fd);
        files[fd] = null;
        closeOnExec[fd] = false;
        dropped(f);
    }

    /** close_range(2): closes every open fd in [first, last]. */
    public synchronized void closeRange(int first, int last) {
        for (long fd = Integer.toUnsignedLong(first); fd <= Math.min(Integer.toUnsignedLong(last), files.length - 1L); fd++) {
            if (files[(int) fd] != null) close((int) fd);
        }
    }

    /** close_range(2) with CLOSE_RANGE_CLOEXEC: marks every open fd in [first, last] close-on-exec. */
    public synchronized void setCloseOnExecRange(int first, int last) {
        for (long fd = Integer.toUnsignedLong(first); fd <= Math.min(Integer.toUnsignedLong(last), files.length - 1L); fd++) {
            if (files[(int) fd] != null) closeOnExec[(int) fd] = true;
        }
    }

    /** exec: closes every fd marked close-on-exec (Linux's do_close_on_exec). */
    public synchronized void closeOnExec() {
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null && closeOnExec[fd]) close(fd);
        }
    }

    /** True if some open fd's file satisfies {@code test} (umount's "is the mount in use"). */
    public synchronized boolean anyMatch(java.util.function.Predicate<File> test) {
        for (File f : files) if (f != null && test.test(f)) return true;
        return false;
    }

    /** A process lets go of the table (exit); the last user closes every fd. */
    public synchronized void closeAll() {
        if (--users > 0) return;
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null) close(fd);
        }
    }

    /** The open fds and their files, ascending (/proc/PID/fd). */
    public synchronized java.util.SortedMap<Integer, File> snapshot() {
        java.util.TreeMap<Integer, File> out = new java.util.TreeMap<>();
        for (int fd = 0; fd < files.length; fd++) if (files[fd] != null) out.put(fd, files[fd]);
        return out;
    }

    /**
     * An fd of {@code f} was closed: this process's POSIX record locks on the file go (this
     * table is their owner, as Linux's current->files), and with the last fd, the description.
     */
    private void dropped(File f) {
        FileLocks.closed(this, f);
        dropReference(f);
    }

    /**
     * A reference to a description that is not an fd: a file in flight in a unix socket's
     * SCM_RIGHTS message (Linux's fget in scm_fp_copy). It keeps the description alive until
     * {@link #dropReference}.
     */
    public static void holdReference(File f) {
        OpenFileCounts.retain(f);
    }

    /** Lets go of an fd's or an in-flight reference; the last one releases the description. */
    public static void dropReference(File f) {
        if (OpenFileCounts.release(f)) {
            FileLocks.released(f);
            dev.jux.fs.epoll.Epolls.released(f);
            f.release();
        }
    }

    private void grow(int fd) {
        if (fd >= files.length) {
            int n = Math.max(files.length * 2, fd + 1);
            files = java.util.Arrays.copyOf(files, n);
            closeOnExec = java.util.Arrays.copyOf(closeOnExec, n);
        }
    }
}
