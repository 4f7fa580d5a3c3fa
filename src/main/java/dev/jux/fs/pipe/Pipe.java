package dev.jux.fs.pipe;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Poll;
import dev.jux.wait.PollTable;
import dev.jux.wait.WaitQueue;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pipe (pipe(7)), anonymous or a FIFO's, laid out as Linux's pipe_inode_info: a ring of
 * slots (16 by default), each holding one page buffer, so that capacity, fullness and
 * packet mode behave exactly as on Linux (fs/pipe.c):
 * <ul>
 * <li>A write first appends its last {@code len % 4096} bytes' worth to the newest buffer if
 * they fit there, then fills fresh pages while slots are free; so a write of at most
 * PIPE_BUF bytes is never split (atomic), a larger blocking one may be.
 * <li>A writer with O_DIRECT makes packet buffers (never merged into); a read takes at most
 * one packet and drops what of it does not fit.
 * <li>A read takes what is there and blocks only when the pipe is empty; 0 once every writer
 * is gone. A write with no reader is EPIPE (the caller sends SIGPIPE).
 * <li>The pipe is full when every slot holds a buffer, however little is in them.
 * </ul>
 * Blocking waits end with ERESTARTSYS on a signal, or with what was moved so far.
 */
public final class Pipe {
    public static final int PIPE_BUF = 4096;
    public static final int PAGE = 4096;
    public static final int DEFAULT_CAPACITY = 65536;
    private static final AtomicLong INODES = new AtomicLong(1);

    /** One page of data (Linux's pipe_buffer). */
    private static final class Buffer {
        final byte[] page = new byte[PAGE];
        final boolean packet;
        int offset, len;

        Buffer(boolean packet) {
            this.packet = packet;
        }
    }

    private final long inode = INODES.getAndIncrement();
    private final long createdNanos = System.currentTimeMillis() * 1_000_000L;
    private Buffer[] slots = new Buffer[DEFAULT_CAPACITY / PAGE];
    private int tail, used;
    private int readers, writers;
    /** How many times a reader / writer has opened the pipe (Linux's r_counter, w_counter; start at 1). */
    private long readerOpens = 1, writerOpens = 1;
    private final WaitQueue readWait = new WaitQueue();
    private final WaitQueue writeWait = new WaitQueue();

    public long inode() {
        return inode;
    }

    public long createdNanos() {
        return createdNanos;
    }

    /** F_GETPIPE_SZ: the slot count in bytes. */
    public synchronized int capacity() {
        return slots.length * PAGE;
    }

    /** FIONREAD: the bytes waiting to be read. */
    public synchronized int available() {
        int n = 0;
        for (int i = 0; i < used; i++) n += slots[(tail + i) % slots.length].len;
        return n;
    }

    /** The bytes that fit in the free slots (what a splice into the pipe can fill at once). */
    public synchronized int room() {
        return (slots.length - used) * PAGE;
    }

    /**
     * F_SETPIPE_SZ (pipe_set_size): rounds up to a power of two pages, at least one page;
     * EINVAL above 2^31, EBUSY if the data does not fit. Jux's guest is root, so Linux's
     * pipe-max-size limit for unprivileged users does not apply. Returns the new capacity.
     */
    public long setCapacity(long requested) {
        requested &= 0xffffffffL;
        if (requested > (1L << 31)) throw new LinuxException(Errno.EINVAL);
        long size = Math.max(PAGE, Long.highestOneBit(requested - 1) << 1);
        if (requested <= PAGE) size = PAGE;
        int count = (int) (size / PAGE);
        synchronized (this) {
            if (count < used) throw new LinuxException(Errno.EBUSY);
            Buffer[] resized = new Buffer[count];
            for (int i = 0; i < used; i++) resized[i] = slots[(tail + i) % slots.length];
            slots = resized;
            tail = 0;
        }
        writeWait.wakeAll(Poll.POLLOUT | Poll.POLLWRNORM);
        return size;
    }

    /** A new reader and/or writer (pipe(2), a FIFO open); wakes a FIFO opener waiting for a partner. */
    void open(boolean reader, boolean writer) {
        synchronized (this) {
            if (reader) {
                readers++;
                readerOpens++;
            }
            if (writer) {
                writers++;
                writerOpens++;
            }
        }
        wakeAll();
    }

    /** A reader and/or writer closed its last fd. */
    void close(boolean reader, boolean writer) {
        synchronized (this) {
            if (reader) readers--;
            if (writer) writers--;
        }
        wakeAll();
    }

    synchronized boolean unused() {
        return readers == 0 && writers == 0;
    }

    synchronized int readers() {
        return readers;
    }

    synchronized int writers() {
        return writers;
    }

    synchronized long readerOpens() {
        return readerOpens;
    }

    synchronized long writerOpens() {
        return writerOpens;
    }

    /** Waits until {@code changed} holds (a FIFO open waiting for its partner): ERESTARTSYS on a signal. */
    void awaitPartner(Waiter waiter, java.util.function.BooleanSupplier changed) {
        if (readWait.await(waiter, changed, Waiter.FOREVER) != Wakeup.READY) throw new LinuxException(Errno.ERESTARTSYS);
    }

    private void wakeAll() {
        readWait.wakeAll();
        writeWait.wakeAll();
    }

    private boolean full() {
        return used >= slots.length;
    }

    private synchronized boolean readable() {
        return used > 0 || writers == 0;
    }

    private synchronized boolean writable() {
        return !full() || readers == 0;
    }

    /**
     * read(2) on a reading end; {@code fileFlags} are the reader's status flags (O_NONBLOCK).
     * Writers are woken (with POLLOUT) only when a slot of a full pipe was freed, as pipe_read
     * does, so an edge-triggered epoll on the write end sees the same edges as on Linux.
     */
    public long read(Waiter waiter, MemorySegment dst, int fileFlags) {
        long want = dst.byteSize();
        if (want == 0) return 0;
        while (true) {
            long done = 0;
            boolean wakeWriters = false;
            synchronized (this) {
                while (used > 0 && done < want) {
                    Buffer b = slots[tail];
                    int chars = (int) Math.min(b.len, want - done);
                    MemorySegment.copy(b.page, b.offset, dst, ValueLayout.JAVA_BYTE, done, chars);
                    done += chars;
                    b.offset += chars;
                    b.len -= chars;
                    if (b.packet) b.len = 0; // the rest of a packet that did not fit is dropped
                    if (b.len == 0) {
                        wakeWriters |= full();
                        slots[tail] = null;
                        tail = (tail + 1) % slots.length;
                        used--;
                    }
                    if (b.packet) break;
                }
                if (done == 0) {
                    if (writers == 0) return 0;
                    if ((fileFlags & OpenFlags.O_NONBLOCK) != 0) throw new LinuxException(Errno.EAGAIN);
                }
            }
            if (wakeWriters) writeWait.wakeAll(Poll.POLLOUT | Poll.POLLWRNORM);
            if (done > 0) return done;
            if (readWait.await(waiter, this::readable, Waiter.FOREVER) == Wakeup.INTERRUPTED) {
                // pipe_read: restarted after a handler with SA_RESTART, else EINTR (kernel/SyscallRestart).
                throw new LinuxException(Errno.ERESTARTSYS);
            }
        }
    }

    /** write(2) on a writing end; {@code fileFlags} are the writer's status flags (O_NONBLOCK, O_DIRECT). */
    public long write(Waiter waiter, MemorySegment src, int fileFlags) {
        long len = src.byteSize();
        if (len == 0) return 0;
        boolean packet = (fileFlags & OpenFlags.O_DIRECT) != 0;
        long done = 0;
        synchronized (this) {
            if (readers == 0) throw new LinuxException(Errno.EPIPE);
            int chars = (int) (len & (PAGE - 1));
            if (chars != 0 && used > 0) {
                Buffer last = slots[(tail + used - 1) % slots.length];
                int end = last.offset + last.len;
                if (!last.packet && !packet && end + chars <= PAGE) {
                    MemorySegment.copy(src, ValueLayout.JAVA_BYTE, 0, last.page, end, chars);
                    last.len += chars;
                    done = chars;
                }
            }
        }
        while (true) {
            long before = done;
            boolean finished = false;
            LinuxException failure = null;
            synchronized (this) {
                if (readers == 0) {
                    if (done == 0) failure = new LinuxException(Errno.EPIPE);
                    finished = true;
                } else {
                    while (!full() && done < len) {
                        Buffer b = new Buffer(packet);
                        int chars = (int) Math.min(PAGE, len - done);
                        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, done, b.page, 0, chars);
                        b.len = chars;
                        slots[(tail + used) % slots.length] = b;
                        used++;
                        done += chars;
                    }
                    if (done == len) finished = true;
                    else if ((fileFlags & OpenFlags.O_NONBLOCK) != 0) {
                        if (done == 0) failure = new LinuxException(Errno.EAGAIN);
                        finished = true;
                    }
                }
            }
            // Readers are woken on every write, as Linux does once the pipe has been polled.
            if (done > 0 && (done > before || finished)) readWait.wakeAll(Poll.POLLIN | Poll.POLLRDNORM);
            if (failure != null) throw failure;
            if (finished) return done;
            if (writeWait.await(waiter, this::writable, Waiter.FOREVER) == Wakeup.INTERRUPTED) {
                if (done > 0) return done;
                throw new LinuxException(Errno.ERESTARTSYS);
            }
        }
    }

    /**
     * pipe_poll: registers on both wait queues, then reports POLLIN when data is there and
     * POLLHUP when no writer is left (unless {@code writerOpensSeen} says this reader has not
     * seen a writer yet: a FIFO opened O_RDONLY|O_NONBLOCK before any writer), POLLOUT while
     * a slot is free and POLLERR when no reader is left.
     */
    public int poll(PollTable table, boolean reader, boolean writer, long writerOpensSeen) {
        if (table != null) {
            table.watch(readWait);
            table.watch(writeWait);
        }
        synchronized (this) {
            int mask = 0;
            if (reader) {
                if (used > 0) mask |= Poll.POLLIN | Poll.POLLRDNORM;
                if (writers == 0 && writerOpensSeen != writerOpens) mask |= Poll.POLLHUP;
            }
            if (writer) {
                if (!full()) mask |= Poll.POLLOUT | Poll.POLLWRNORM;
                if (readers == 0) mask |= Poll.POLLERR;
            }
            return mask;
        }
    }
}
