package dev.jux.fs;

import dev.jux.abi.Errno;
import dev.jux.host.HostFiles;
import dev.jux.host.HostStat;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Poll;
import dev.jux.wait.PollTable;
import dev.jux.wait.Waiter;
import java.lang.foreign.MemorySegment;

/**
 * One of Jux's own standard streams, handed to the guest as its fd 0, 1 or 2. Reads and writes
 * go straight to the host fd; so do the terminal queries while the full TTY layer is not there.
 */
public final class HostStreamFile extends AbstractFile {
    private final int hostFd;
    /** The host fd is Jux's own (a reopen's), closed when the guest's last reference goes. */
    private final boolean owned;

    public HostStreamFile(int hostFd, int statusFlags) {
        this(hostFd, statusFlags, false);
    }

    private HostStreamFile(int hostFd, int statusFlags, boolean owned) {
        this.hostFd = hostFd;
        this.flags = statusFlags;
        this.owned = owned;
    }

    /**
     * open(2) of /dev/stdin, /proc/self/fd/0 and the like: a regular file is opened again on
     * the host (a new description with its own offset, as on Linux); a pipe or terminal, which
     * has no offset, is shared; a socket is ENXIO, as Linux's sock_no_open. Never more access
     * than the host fd Jux was given: asking to write a stream Jux may only read is EACCES, so
     * the guest cannot reach a host file for writing through its standard input.
     */
    @Override
    public File reopen(Waiter waiter, int flags) {
        HostStat s = HostFiles.fstat(hostFd);
        if (s == null) throw new LinuxException(Errno.EBADF);
        int type = s.mode() & 0170000;
        if (type == 0140000) throw new LinuxException(Errno.ENXIO);
        int has = HostFiles.accessMode(hostFd), wants = flags & OpenFlags.O_ACCMODE;
        if (has < 0) throw new LinuxException(errno(-has));
        boolean read = wants != OpenFlags.O_WRONLY, write = wants != OpenFlags.O_RDONLY;
        if (read && has == OpenFlags.O_WRONLY || write && has == OpenFlags.O_RDONLY) throw new LinuxException(Errno.EACCES);
        int kept = flags & (OpenFlags.O_ACCMODE | OpenFlags.O_APPEND | OpenFlags.O_NONBLOCK);
        if (type != 0100000) return new HostStreamFile(hostFd, kept, false);
        if (write) kept |= flags & OpenFlags.O_TRUNC;
        int fd = HostFiles.reopen(hostFd, kept);
        if (fd < 0) throw new LinuxException(errno(-fd));
        return new HostStreamFile(fd, kept & ~OpenFlags.O_TRUNC, true);
    }

    @Override
    public void release() {
        if (owned) HostFiles.close(hostFd);
    }

    @Override
    public long read(Waiter waiter, MemorySegment dst) {
        return check(HostFiles.read(hostFd, dst));
    }

    @Override
    public long write(Waiter waiter, MemorySegment src) {
        return check(HostFiles.write(hostFd, src));
    }

    /**
     * The host's answer (poll(2) with timeout 0). The host cannot wake a guest waiter, so the
     * table is told to poll again in slices while the task waits.
     */
    @Override
    public int poll(PollTable table) {
        if (table != null) table.needsPolling();
        int all = Poll.POLLIN | Poll.POLLPRI | Poll.POLLOUT | Poll.POLLRDNORM | Poll.POLLWRNORM | Poll.POLLRDBAND | Poll.POLLWRBAND;
        int r = HostFiles.pollNow(hostFd, all);
        return r < 0 ? Poll.POLLERR : r;
    }

    /** A host terminal, pipe or socket can be polled; a regular file or directory the host gave as a stream cannot. */
    @Override
    public boolean supportsPoll() {
        HostStat s = HostFiles.fstat(hostFd);
        if (s == null) return false;
        int type = s.mode() & 0170000;
        return type != 0100000 && type != 0040000;
    }

    @Override
    public Stat stat() {
        HostStat s = HostFiles.fstat(hostFd);
        if (s == null) throw new LinuxException(Errno.EBADF);
        return new Stat(s.dev(), s.ino(), s.nlink(), s.mode(), s.uid(), s.gid(), s.rdev(), s.size(), s.blksize(),
                s.blocks(), s.atimeSec(), s.atimeNsec(), s.mtimeSec(), s.mtimeNsec(), s.ctimeSec(), s.ctimeNsec());
    }

    /** FIONREAD: the host's answer for its fd. */
    @Override
    public int readableBytes() {
        byte[] out = ioctl(dev.jux.abi.Ioctls.FIONREAD, 4);
        return (out[0] & 0xff) | (out[1] & 0xff) << 8 | (out[2] & 0xff) << 16 | (out[3] & 0xff) << 24;
    }

    @Override
    public byte[] terminalAttributes() {
        return ioctl(HostFiles.TCGETS, 36);
    }

    @Override
    public byte[] windowSize() {
        return ioctl(HostFiles.TIOCGWINSZ, 8);
    }

    private byte[] ioctl(long request, int size) {
        byte[] out = new byte[size];
        int r = HostFiles.ioctlRead(hostFd, request, out);
        if (r < 0) throw new LinuxException(errno(-r));
        return out;
    }

    /**
     * The host's own name for the stream (its /proc/self/fd link: a /dev/pts/N terminal, a
     * file's path, pipe:[N]), which is what a native run shows; the guest sees the host's /
     * through the overlay, so a path names the same file there.
     */
    @Override
    public String procName() {
        String s = HostFiles.describeFd(hostFd);
        return s != null ? s : "anon_inode:[jux]";
    }

    private static long check(long r) {
        if (r < 0) throw new LinuxException(errno((int) -r));
        return r;
    }

    private static Errno errno(int n) {
        Errno e = Errno.of(n);
        return e != null ? e : Errno.EIO;
    }
}
