package dev.jux.fs.pipe;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.wait.PollTable;
import dev.jux.wait.Waiter;
import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One open of a FIFO (a named pipe, fifo(7)): the pipe shared by every opener of the same
 * inode while any of them is open (Linux keeps it in inode->i_pipe; Jux in a map keyed by the
 * inode object, so it works the same for tmpfs, overlay and hostfs nodes; a host FIFO is
 * never opened on the host, its guest openers meet in a guest pipe). When the last opener
 * closes, the pipe and any data left in it go.
 */
public final class FifoEnd {
    /** inode -> its pipe while open; guarded by itself, taken before a Pipe's own lock. */
    private static final Map<Object, Pipe> PIPES = new IdentityHashMap<>();

    private final Object inode;
    private final Pipe pipe;
    private final boolean reader, writer;
    /** The writer count a non-blocking reader saw at open: no POLLHUP until a writer came (fifo_open's f_pipe). */
    private final long writerOpensSeen;

    private FifoEnd(Object inode, Pipe pipe, boolean reader, boolean writer, long writerOpensSeen) {
        this.inode = inode;
        this.pipe = pipe;
        this.reader = reader;
        this.writer = writer;
        this.writerOpensSeen = writerOpensSeen;
    }

    /**
     * fifo_open: O_RDONLY waits for a writer unless O_NONBLOCK; O_WRONLY waits for a reader,
     * or fails with ENXIO under O_NONBLOCK if there is none; O_RDWR never waits. "Waits for a
     * partner" means until some opener of the other kind has come, even if it has gone again.
     * A signal ends the wait with ERESTARTSYS and undoes the open.
     */
    public static FifoEnd open(Object inode, int flags, Waiter waiter) {
        int acc = flags & OpenFlags.O_ACCMODE;
        boolean nonblocking = (flags & OpenFlags.O_NONBLOCK) != 0;
        boolean reader = acc != OpenFlags.O_WRONLY, writer = acc != OpenFlags.O_RDONLY;
        Pipe pipe;
        long partnerOpens;
        synchronized (PIPES) {
            pipe = PIPES.computeIfAbsent(inode, k -> new Pipe());
            if (writer && !reader && nonblocking && pipe.readers() == 0) {
                if (pipe.unused()) PIPES.remove(inode);
                throw new LinuxException(Errno.ENXIO);
            }
            pipe.open(reader, writer);
            if (reader && writer) return new FifoEnd(inode, pipe, true, true, 0);
            if (reader && pipe.writers() > 0 || writer && pipe.readers() > 0) return new FifoEnd(inode, pipe, reader, writer, 0);
            if (reader && nonblocking) return new FifoEnd(inode, pipe, true, false, pipe.writerOpens());
            partnerOpens = reader ? pipe.writerOpens() : pipe.readerOpens();
        }
        FifoEnd end = new FifoEnd(inode, pipe, reader, writer, 0);
        try {
            pipe.awaitPartner(waiter, () -> (reader ? pipe.writerOpens() : pipe.readerOpens()) != partnerOpens);
        } catch (LinuxException e) {
            end.release();
            throw e;
        }
        return end;
    }

    public Pipe pipe() {
        return pipe;
    }

    public long read(Waiter waiter, MemorySegment dst, int fileFlags) {
        return pipe.read(waiter, dst, fileFlags);
    }

    public long write(Waiter waiter, MemorySegment src, int fileFlags) {
        return pipe.write(waiter, src, fileFlags);
    }

    public int poll(PollTable table) {
        return pipe.poll(table, reader, writer, writerOpensSeen);
    }

    /** The last fd of this open is closed: the pipe goes with the inode's last opener. */
    public void release() {
        synchronized (PIPES) {
            pipe.close(reader, writer);
            if (pipe.unused()) PIPES.remove(inode, pipe);
        }
    }

    /** For tests: whether {@code inode} has a pipe now. */
    static boolean hasPipe(Object inode) {
        synchronized (PIPES) {
            return PIPES.containsKey(inode);
        }
    }
}
