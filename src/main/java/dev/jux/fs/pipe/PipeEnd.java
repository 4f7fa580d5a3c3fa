package dev.jux.fs.pipe;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.fs.AbstractFile;
import dev.jux.fs.File;
import dev.jux.fs.Stat;
import dev.jux.wait.PollTable;
import dev.jux.wait.Waiter;
import java.lang.foreign.MemorySegment;

/** One end of a {@link Pipe}, as the open file description behind a pipe fd. */
public final class PipeEnd extends AbstractFile {
    /** st_dev of pipefs on Linux is an anonymous device; Jux gives its pipes their own. */
    private static final long PIPEFS_DEV = 0xd;
    private static final int S_IFIFO = 0010000;

    private final Pipe pipe;
    /** What this end may do: one of them for pipe(2)'s ends, both for an O_RDWR reopen. */
    private final boolean reader, writer;
    private final int uid, gid;

    public PipeEnd(Pipe pipe, boolean readEnd, int flags, int uid, int gid) {
        this(pipe, readEnd, !readEnd, flags, uid, gid);
    }

    private PipeEnd(Pipe pipe, boolean reader, boolean writer, int flags, int uid, int gid) {
        this.pipe = pipe;
        this.reader = reader;
        this.writer = writer;
        this.uid = uid;
        this.gid = gid;
        int acc = reader && writer ? OpenFlags.O_RDWR : reader ? OpenFlags.O_RDONLY : OpenFlags.O_WRONLY;
        this.flags = (flags & ~OpenFlags.O_ACCMODE) | acc;
        pipe.open(reader, writer);
    }

    /**
     * open(2) of /proc/PID/fd/N for a pipe: a new open file description of the same pipe, with
     * the access mode asked for (Linux opens the pipe inode with fifo_open; O_RDWR gets both
     * ends). Departs from fifo_open in not waiting for a partner: the pipe has its ends already.
     */
    @Override
    public File reopen(Waiter waiter, int flags) {
        int acc = flags & OpenFlags.O_ACCMODE;
        return new PipeEnd(pipe, acc != OpenFlags.O_WRONLY, acc != OpenFlags.O_RDONLY,
                flags & (OpenFlags.O_NONBLOCK | OpenFlags.O_LARGEFILE), uid, gid);
    }

    /** A new pipe's two ends: [read, write]. */
    public static PipeEnd[] create(int flags, int uid, int gid) {
        Pipe p = new Pipe();
        return new PipeEnd[] {new PipeEnd(p, true, flags, uid, gid), new PipeEnd(p, false, flags, uid, gid)};
    }

    @Override
    public long read(Waiter waiter, MemorySegment dst) {
        if (!reader) throw new LinuxException(Errno.EBADF);
        return pipe.read(waiter, dst, flags);
    }

    @Override
    public long write(Waiter waiter, MemorySegment src) {
        if (!writer) throw new LinuxException(Errno.EBADF);
        return pipe.write(waiter, src, flags);
    }

    @Override
    public Stat stat() {
        long t = pipe.createdNanos();
        return new Stat(PIPEFS_DEV, pipe.inode(), 1, S_IFIFO | 0600, uid, gid, 0, 0, 4096, 0,
                t / 1_000_000_000L, t % 1_000_000_000L, t / 1_000_000_000L, t % 1_000_000_000L,
                t / 1_000_000_000L, t % 1_000_000_000L);
    }

    @Override
    public Pipe pipe() {
        return pipe;
    }

    @Override
    public String procName() {
        return "pipe:[" + pipe.inode() + "]";
    }

    @Override
    public void release() {
        pipe.close(reader, writer);
    }

    @Override
    public int readableBytes() {
        return pipe.available();
    }

    @Override
    public boolean supportsPoll() {
        return true;
    }

    @Override
    public int poll(PollTable table) {
        return pipe.poll(table, reader, writer, 0);
    }
}
