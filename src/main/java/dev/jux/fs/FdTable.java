package dev.jux.fs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.lock.FileLocks;

/** A process's file descriptor table: fd numbers to open file descriptions, with close-on-exec. */
public final class FdTable {
    private File[] files = new File[64];
    private boolean[] closeOnExec = new boolean[64];

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
        return fd;
    }

    /** Puts {@code file} at exactly {@code fd}, closing what was there. */
    public synchronized void installAt(int fd, File file, boolean cloexec) {
        grow(fd);
        File old = files[fd];
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

    /** True if some open fd's file satisfies {@code test} (umount's "is the mount in use"). */
    public synchronized boolean anyMatch(java.util.function.Predicate<File> test) {
        for (File f : files) if (f != null && test.test(f)) return true;
        return false;
    }

    public synchronized void closeAll() {
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
        if (!refersElsewhere(f)) {
            FileLocks.released(f);
            dev.jux.fs.epoll.Epolls.released(f);
            f.release();
        }
    }

    private boolean refersElsewhere(File f) {
        for (File other : files) if (other == f) return true;
        return false;
    }

    private void grow(int fd) {
        if (fd >= files.length) {
            int n = Math.max(files.length * 2, fd + 1);
            files = java.util.Arrays.copyOf(files, n);
            closeOnExec = java.util.Arrays.copyOf(closeOnExec, n);
        }
    }
}
