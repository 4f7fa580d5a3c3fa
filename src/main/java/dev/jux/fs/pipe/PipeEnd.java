package dev.jux.fs.pipe;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.File;
import dev.jux.abi.OpenFlags;
import dev.jux.fs.FileFlags;
import dev.jux.fs.Stat;
import dev.jux.wait.PollTable;
import dev.jux.wait.Waiter;
import java.lang.foreign.MemorySegment;

/** One end of a {@link Pipe}, as the open file description behind a pipe fd. */
public final class PipeEnd implements File {
    /** st_dev of pipefs on Linux is an anonymous device; Jux gives its pipes their own. */
    private static final long PIPEFS_DEV = 0xd;
    private static final int S_IFIFO = 0010000;

    private final Pipe pipe;
    private final boolean readEnd;
    private final int uid, gid;
    private volatile int flags;

    public PipeEnd(Pipe pipe, boolean readEnd, int flags, int uid, int gid) {
        this.pipe = pipe;
        this.readEnd = readEnd;
        this.uid = uid;
        this.gid = gid;
        this.flags = (flags & ~OpenFlags.O_ACCMODE) | (readEnd ? OpenFlags.O_RDONLY : OpenFlags.O_WRONLY);
        pipe.open(readEnd, !readEnd);
    }

    /** A new pipe's two ends: [read, write]. */
    public static PipeEnd[] create(int flags, int uid, int gid) {
        Pipe p = new Pipe();
        return new PipeEnd[] {new PipeEnd(p, true, flags, uid, gid), new PipeEnd(p, false, flags, uid, gid)};
    }

    @Override
    public long read(Waiter waiter, MemorySegment dst) {
        if (!readEnd) throw new LinuxException(Errno.EBADF);
        return pipe.read(waiter, dst, flags);
    }

    @Override
    public long write(Waiter waiter, MemorySegment src) {
        if (readEnd) throw new LinuxException(Errno.EBADF);
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
    public int statusFlags() {
        return flags;
    }

    @Override
    public void setStatusFlags(int newFlags) {
        flags = FileFlags.afterSetfl(flags, newFlags);
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
        pipe.close(readEnd, !readEnd);
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
        return pipe.poll(table, readEnd, !readEnd, 0);
    }
}
