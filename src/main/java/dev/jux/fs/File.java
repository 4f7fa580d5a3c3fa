package dev.jux.fs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.wait.Waiter;
import java.lang.foreign.MemorySegment;

/**
 * An open file description: what an fd refers to. Its offset and status flags are shared by
 * every fd that dup(2) or fork(2) made from the same open(2). Data moves through
 * MemorySegments that may be guest RAM itself, so reads and writes need no extra copy.
 * Operations a kind of file does not support fail as Linux fails them.
 */
public interface File {
    /**
     * Reads up to {@code dst.byteSize()} bytes; returns the count, 0 at end of file. A file
     * that must wait for data blocks through {@code waiter}.
     */
    default long read(Waiter waiter, MemorySegment dst) {
        throw new LinuxException(Errno.EINVAL);
    }

    /** Writes up to {@code src.byteSize()} bytes; returns the count written. */
    default long write(Waiter waiter, MemorySegment src) {
        throw new LinuxException(Errno.EINVAL);
    }

    /**
     * Whether read(2) of 0 bytes reaches {@link #read}. Linux hands it to the file's operation,
     * and most return 0 at once (regular files, pipes, ttys, stream sockets), which is what Jux
     * answers by itself for files that keep this default; a directory says EISDIR, an eventfd,
     * timerfd or signalfd EINVAL.
     */
    default boolean readsNothing() {
        return false;
    }

    /**
     * Whether read(2) takes what it returns before copying it to the caller's buffer, as
     * Linux's inotify and eventfd reads do: with a bad buffer they wait as usual, take the
     * data (which is then lost) and answer EFAULT, where other files fail before reading.
     */
    default boolean takesBeforeCopying() {
        return false;
    }

    /** As {@link #readsNothing} for write(2): a datagram socket sends an empty datagram, an eventfd says EINVAL. */
    default boolean writesNothing() {
        return false;
    }

    Stat stat();

    /** The terminal's struct termios bytes (TCGETS); ENOTTY if this is not a terminal. */
    default byte[] terminalAttributes() {
        throw new LinuxException(Errno.ENOTTY);
    }

    /** The terminal's struct winsize bytes (TIOCGWINSZ); ENOTTY if this is not a terminal. */
    default byte[] windowSize() {
        throw new LinuxException(Errno.ENOTTY);
    }

    /** ioctl(FIONREAD): the bytes a read would find now; ENOTTY where Linux has no answer. */
    default int readableBytes() {
        throw new LinuxException(Errno.ENOTTY);
    }

    /** open(2) status flags (O_ACCMODE, O_APPEND, O_NONBLOCK...). */
    int statusFlags();

    /** fcntl(F_SETFL): changes the flags Linux lets change (O_APPEND, O_NONBLOCK, O_ASYNC, O_DIRECT, O_NOATIME). */
    void setStatusFlags(int flags);

    /** fcntl(F_GETPIPE_SZ) and friends: the pipe behind this file, or null. */
    default dev.jux.fs.pipe.Pipe pipe() {
        return null;
    }

    /**
     * pread(2): reads at {@code pos} without moving the file offset. ESPIPE for pipes and
     * other files that have no position.
     */
    default long pread(MemorySegment dst, long pos) {
        throw new LinuxException(Errno.ESPIPE);
    }

    /** pwrite(2): writes at {@code pos} without moving the file offset; ESPIPE where there is none. */
    default long pwrite(MemorySegment src, long pos) {
        throw new LinuxException(Errno.ESPIPE);
    }

    /** lseek(2): moves the file offset; ESPIPE for pipes. */
    default long seek(long offset, int whence) {
        throw new LinuxException(Errno.ESPIPE);
    }

    /** getdents64(2): feeds directory entries from the file offset to {@code sink}; ENOTDIR if not a directory. */
    default void readdir(dev.jux.fs.vfs.DirSink sink) {
        throw new LinuxException(Errno.ENOTDIR);
    }

    /**
     * open(2) through /proc/PID/fd/N of a file that is not in the VFS tree ({@link #location()}
     * null): a new open file description of the same object with {@code flags} (access mode,
     * O_APPEND, O_NONBLOCK...), as Linux's do_open on the file's f_path. Sockets and anonymous
     * inodes (eventfd, epoll, signalfd...) cannot be opened that way: ENXIO.
     */
    default File reopen(Waiter waiter, int flags) {
        throw new LinuxException(Errno.ENXIO);
    }

    /** Where this file is in the tree (for fchdir, *at dirfds, fstatfs); null for pipes and host streams. */
    default dev.jux.fs.vfs.Location location() {
        return null;
    }

    /** True for an O_PATH descriptor: only fd-level operations and *at lookups work on it. */
    default boolean isPathOnly() {
        return false;
    }

    /** What /proc/PID/fd/N shows for a file that is not in the VFS ("pipe:[ino]", a host stream's name). */
    default String procName() {
        return "anon_inode:[jux]";
    }

    /**
     * Readiness, as Linux's file_operations.poll: the poll(2) bits that hold now (POLLIN,
     * POLLOUT, POLLHUP, POLLERR, POLLPRI, POLLRDNORM, POLLWRNORM...). With a non-null
     * {@code table}, also registers (PollTable.watch) every wait queue whose wakeAll may
     * change the answer, so a task waiting in poll/select/epoll wakes when it might have;
     * a file whose readiness only the host knows calls PollTable.needsPolling instead.
     * Files that never block (regular files, directories, memory devices) keep this default:
     * always readable and writable (DEFAULT_POLLMASK).
     */
    default int poll(dev.jux.wait.PollTable table) {
        return dev.jux.abi.Poll.DEFAULT_POLLMASK;
    }

    /**
     * Whether the file has a real poll operation (Linux's file_can_poll), which epoll_ctl
     * requires (EPERM otherwise): pipes, FIFOs, epoll and event fds, terminals, sockets; not
     * regular files, directories or memory devices, which only report the default mask.
     */
    default boolean supportsPoll() {
        return false;
    }

    /**
     * Whether a write failing with EPIPE raises SIGPIPE in the writer: pipes and stream
     * sockets do; datagram and seqpacket sockets return EPIPE alone (af_unix.c).
     */
    default boolean epipeRaisesSigpipe() {
        return true;
    }

    /** The lines /proc/PID/fdinfo/N shows after the common ones (Linux's show_fdinfo), each ending in a newline. */
    default String fdinfo() {
        return "";
    }

    /** Called when the last fd referring to this description is closed. */
    default void release() {}
}
