package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Poll;
import dev.jux.fs.epoll.AnonInodeFile;
import dev.jux.wait.PollTable;
import dev.jux.wait.WaitQueue;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A timerfd (timerfd_create(2), fs/timerfd.c): a countdown whose expirations add up in a
 * counter; a read of 8 or more bytes returns the count and zeroes it, blocking while it is 0;
 * readable (POLLIN) while it is not. A new setting zeroes the count.
 */
public final class TimerFd extends AnonInodeFile {
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final int clock;
    private final PeriodicTimer countdown;
    private final WaitQueue readers = new WaitQueue();
    private long ticks;

    public TimerFd(Kernel kernel, int clock, int flags) {
        super(OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK));
        this.clock = clock;
        this.countdown = new PeriodicTimer(kernel.timers(), this::expired);
    }

    public int clock() {
        return clock;
    }

    private void expired(long count, long generation) {
        synchronized (this) {
            // A setting made since this expiry left the timer zeroed the count: it stays 0.
            if (!countdown.isCurrent(generation)) return;
            ticks += count;
        }
        readers.wakeAll(Poll.POLLIN | Poll.POLLRDNORM);
    }

    /** timerfd_settime: {old interval, old value}. */
    public long[] set(long deadline, long interval, boolean disarm) {
        PeriodicTimer.Setting old;
        synchronized (this) {
            ticks = 0;
            old = countdown.set(deadline, interval, disarm);
        }
        return new long[] {old.intervalNanos(), old.valueNanos()};
    }

    public long[] get() {
        PeriodicTimer.Setting s = countdown.get();
        return new long[] {s.intervalNanos(), s.valueNanos()};
    }

    private synchronized long ticks() {
        return ticks;
    }

    @Override
    public boolean readsNothing() {
        return true;    // a buffer too small for one record is EINVAL
    }

    @Override
    public long read(Waiter waiter, MemorySegment dst) {
        if (dst.byteSize() < 8) throw new LinuxException(Errno.EINVAL);
        while (true) {
            synchronized (this) {
                if (ticks > 0) {
                    dst.set(LE_LONG, 0, ticks);
                    ticks = 0;
                    return 8;
                }
            }
            if ((flags & OpenFlags.O_NONBLOCK) != 0) throw new LinuxException(Errno.EAGAIN);
            if (readers.await(waiter, () -> ticks() > 0, Waiter.FOREVER) == Wakeup.INTERRUPTED && ticks() == 0) {
                throw new LinuxException(Errno.ERESTARTSYS);
            }
        }
    }

    @Override
    public int poll(PollTable table) {
        if (table != null) table.watch(readers);
        return ticks() > 0 ? Poll.POLLIN | Poll.POLLRDNORM : 0;
    }

    @Override
    public boolean supportsPoll() {
        return true;
    }

    @Override
    public void release() {
        countdown.cancel();
    }

    @Override
    public String procName() {
        return "anon_inode:[timerfd]";
    }
}
