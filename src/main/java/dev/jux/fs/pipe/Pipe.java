package dev.jux.fs.pipe;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.wait.WaitQueue;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An anonymous pipe (pipe(7)): a ring buffer of 64 KiB with Linux's rules. Reads return what
 * is there and block only when it is empty; end of file once every writer is gone. Writes of
 * at most PIPE_BUF bytes are atomic; larger ones may interleave. Writing with no reader left
 * is EPIPE (the caller sends SIGPIPE).
 */
public final class Pipe {
    public static final int PIPE_BUF = 4096;
    public static final int DEFAULT_CAPACITY = 65536;
    private static final AtomicLong INODES = new AtomicLong(1);

    private final byte[] ring = new byte[DEFAULT_CAPACITY];
    private final long inode = INODES.getAndIncrement();
    private final long createdNanos = System.currentTimeMillis() * 1_000_000L;
    private int head, count;
    private int readers, writers;
    private final WaitQueue readersWaiting = new WaitQueue();
    private final WaitQueue writersWaiting = new WaitQueue();

    public long inode() {
        return inode;
    }

    public long createdNanos() {
        return createdNanos;
    }

    public int capacity() {
        return ring.length;
    }

    public synchronized int available() {
        return count;
    }

    synchronized void open(boolean reader) {
        if (reader) readers++;
        else writers++;
    }

    void close(boolean reader) {
        synchronized (this) {
            if (reader) readers--;
            else writers--;
        }
        readersWaiting.wakeAll();
        writersWaiting.wakeAll();
    }

    private synchronized boolean readable() {
        return count > 0 || writers == 0;
    }

    private synchronized boolean writable(int need) {
        return readers == 0 || ring.length - count >= need;
    }

    /** read(2) on the read end. */
    public long read(Waiter waiter, MemorySegment dst, boolean nonblocking) {
        if (dst.byteSize() == 0) return 0;
        while (true) {
            synchronized (this) {
                if (count > 0) {
                    int n = (int) Math.min(count, dst.byteSize());
                    for (int i = 0; i < n; ) {
                        int chunk = Math.min(n - i, ring.length - head);
                        MemorySegment.copy(ring, head, dst, ValueLayout.JAVA_BYTE, i, chunk);
                        head = (head + chunk) % ring.length;
                        i += chunk;
                    }
                    count -= n;
                    writersWaiting.wakeAll();
                    return n;
                }
                if (writers == 0) return 0;
                if (nonblocking) throw new LinuxException(Errno.EAGAIN);
            }
            if (readersWaiting.await(waiter, this::readable, Waiter.FOREVER) == Wakeup.INTERRUPTED) {
                // pipe_read: restarted after a handler with SA_RESTART, else EINTR (kernel/SyscallRestart).
                throw new LinuxException(Errno.ERESTARTSYS);
            }
        }
    }

    /** write(2) on the write end. */
    public long write(Waiter waiter, MemorySegment src, boolean nonblocking) {
        long len = src.byteSize(), done = 0;
        boolean atomic = len <= PIPE_BUF;
        while (true) {
            synchronized (this) {
                if (readers == 0) {
                    if (done > 0) return done;
                    throw new LinuxException(Errno.EPIPE);
                }
                int space = ring.length - count;
                if (space > 0 && (!atomic || space >= len)) {
                    int n = (int) Math.min(space, len - done);
                    int tail = (head + count) % ring.length;
                    for (int i = 0; i < n; ) {
                        int chunk = Math.min(n - i, ring.length - tail);
                        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, done + i, ring, tail, chunk);
                        tail = (tail + chunk) % ring.length;
                        i += chunk;
                    }
                    count += n;
                    done += n;
                    readersWaiting.wakeAll();
                    if (done == len) return done;
                }
                if (nonblocking) {
                    if (done > 0) return done;
                    throw new LinuxException(Errno.EAGAIN);
                }
            }
            int need = atomic ? (int) len : 1;
            if (writersWaiting.await(waiter, () -> writable(need), Waiter.FOREVER) == Wakeup.INTERRUPTED) {
                if (done > 0) return done;
                throw new LinuxException(Errno.ERESTARTSYS);
            }
        }
    }
}
