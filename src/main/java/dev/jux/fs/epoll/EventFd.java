package dev.jux.fs.epoll;

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

/**
 * An eventfd (eventfd(2), fs/eventfd.c): an unsigned 64-bit counter. A read takes the whole
 * count (or 1 with EFD_SEMAPHORE) and blocks while it is 0; a write adds and blocks while
 * the sum would pass 2^64 - 2. Both move exactly 8 bytes (EINVAL for less).
 */
public final class EventFd extends AnonInodeFile {
    public static final int EFD_SEMAPHORE = 1;
    private static final long ULLONG_MAX = -1L;
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final boolean semaphore;
    private final WaitQueue queue = new WaitQueue();
    private long count;

    public EventFd(long initial, int flags) {
        super(OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK));
        this.count = initial;
        this.semaphore = (flags & EFD_SEMAPHORE) != 0;
    }

    @Override
    public boolean readsNothing() {
        return true;    // eventfd_read: fewer than 8 bytes is EINVAL
    }

    @Override
    public boolean takesBeforeCopying() {
        return true; // copy_event_to_user / copy_to_iter after the event or count was taken
    }

    @Override
    public boolean writesNothing() {
        return true;
    }

    @Override
    public long read(Waiter waiter, MemorySegment dst) {
        if (dst.byteSize() < 8) throw new LinuxException(Errno.EINVAL);
        while (true) {
            long value = 0;
            synchronized (this) {
                if (count != 0) {
                    value = semaphore ? 1 : count;
                    count -= value;
                } else if ((flags & OpenFlags.O_NONBLOCK) != 0) {
                    throw new LinuxException(Errno.EAGAIN);
                }
            }
            if (value != 0) {
                queue.wakeAll(Poll.POLLOUT);
                dst.set(LE_LONG, 0, value);
                return 8;
            }
            if (queue.await(waiter, () -> current() != 0, Waiter.FOREVER) != Wakeup.READY) throw new LinuxException(Errno.ERESTARTSYS);
        }
    }

    @Override
    public long write(Waiter waiter, MemorySegment src) {
        if (src.byteSize() < 8) throw new LinuxException(Errno.EINVAL);
        long value = src.get(LE_LONG, 0);
        if (value == ULLONG_MAX) throw new LinuxException(Errno.EINVAL);
        while (true) {
            synchronized (this) {
                if (Long.compareUnsigned(ULLONG_MAX - count, value) > 0) {
                    count += value;
                    value = -2; // done
                } else if ((flags & OpenFlags.O_NONBLOCK) != 0) {
                    throw new LinuxException(Errno.EAGAIN);
                }
            }
            if (value == -2) {
                queue.wakeAll(Poll.POLLIN);
                return 8;
            }
            long v = value;
            if (queue.await(waiter, () -> Long.compareUnsigned(ULLONG_MAX - current(), v) > 0, Waiter.FOREVER) != Wakeup.READY) {
                throw new LinuxException(Errno.ERESTARTSYS);
            }
        }
    }

    private synchronized long current() {
        return count;
    }

    @Override
    public int poll(PollTable table) {
        if (table != null) table.watch(queue);
        long c = current();
        int mask = 0;
        if (c != 0) mask |= Poll.POLLIN;
        if (c == ULLONG_MAX) mask |= Poll.POLLERR;
        if (Long.compareUnsigned(ULLONG_MAX - 1, c) > 0) mask |= Poll.POLLOUT;
        return mask;
    }

    @Override
    public boolean supportsPoll() {
        return true;
    }

    @Override
    public int readableBytes() {
        throw new LinuxException(Errno.ENOTTY);
    }


    @Override
    public String procName() {
        return "anon_inode:[eventfd]";
    }
}
