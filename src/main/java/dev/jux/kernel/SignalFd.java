package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Poll;
import dev.jux.abi.SigInfo;
import dev.jux.fs.epoll.AnonInodeFile;
import dev.jux.wait.PollTable;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A signalfd (signalfd(2), fs/signalfd.c): reading dequeues the reader's pending signals in
 * the mask (its own thread's first, then its process's) as 128-byte struct signalfd_siginfo
 * records; it is readable while one is pending. The signals stay blocked by the reader's mask:
 * the signalfd is how it takes them. Readiness is that of the process that made it (Linux asks
 * the polling task; the two differ only for a signalfd passed to another process).
 */
public final class SignalFd extends AnonInodeFile {
    public static final int SIZE = 128;
    private final ThreadGroup owner;
    private volatile long mask;

    public SignalFd(ThreadGroup owner, long mask, int flags) {
        super(OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK));
        this.owner = owner;
        setMask(mask);
    }

    /** The signals it takes; SIGKILL and SIGSTOP never (signalfd4's sigdelsetmask). */
    public void setMask(long m) {
        mask = m & ~SignalSet.UNBLOCKABLE;
        owner.signalWaiters.wakeAll(Poll.POLLIN);
    }

    private long pending(ThreadGroup g) {
        long p = g.pendingSignals();
        for (Task t : g.tasks()) p |= t.pendingSignals();
        return p & mask;
    }

    @Override
    public boolean readsNothing() {
        return true;    // a buffer too small for one record is EINVAL
    }

    @Override
    public long read(Waiter waiter, MemorySegment dst) {
        if (dst.byteSize() < SIZE) throw new LinuxException(Errno.EINVAL);
        if (!(waiter instanceof Task task)) throw new LinuxException(Errno.EINVAL);
        long done = 0;
        while (done + SIZE <= dst.byteSize()) {
            SigInfo si = task.dequeueSignal(mask);
            if (si == null) {
                if (done > 0) break;
                if ((flags & OpenFlags.O_NONBLOCK) != 0) throw new LinuxException(Errno.EAGAIN);
                Wakeup w = task.group().signalWaiters.await(task, () -> (task.pendingSignals() & mask) != 0, Waiter.FOREVER);
                if (w == Wakeup.INTERRUPTED && (task.pendingSignals() & mask) == 0) throw new LinuxException(Errno.ERESTARTSYS);
                continue;
            }
            MemorySegment.copy(MemorySegment.ofArray(encode(si)), 0, dst, done, SIZE);
            done += SIZE;
        }
        return done;
    }

    /** struct signalfd_siginfo from the siginfo (signalfd_copyinfo). */
    static byte[] encode(SigInfo si) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, si.signal().number());
        b.putInt(8, si.code());
        switch (si) {
            case SigInfo.Kill k -> b.putInt(12, k.pid()).putInt(16, k.uid());
            case SigInfo.Queue q -> b.putInt(12, q.pid()).putInt(16, q.uid()).putInt(44, (int) q.value()).putLong(48, q.value());
            case SigInfo.Timer t -> b.putInt(24, t.timerId()).putInt(32, t.overrun()).putInt(44, (int) t.value()).putLong(48, t.value());
            case SigInfo.Child c -> b.putInt(12, c.pid()).putInt(16, c.uid()).putInt(40, c.status()).putLong(56, c.utime()).putLong(64, c.stime());
            case SigInfo.Fault f -> b.putLong(72, f.addr());
            case SigInfo.Poll p -> b.putInt(28, (int) p.band()).putInt(20, p.fd());
            case SigInfo.Seccomp s -> b.putInt(4, s.errno()).putInt(84, s.syscall()).putLong(88, s.callAddr()).putInt(96, s.arch());
            case SigInfo.Kernel k -> { }
        }
        return b.array();
    }

    @Override
    public int poll(PollTable table) {
        if (table != null) table.watch(owner.signalWaiters);
        return pending(owner) != 0 ? Poll.POLLIN | Poll.POLLRDNORM : 0;
    }

    @Override
    public boolean supportsPoll() {
        return true;
    }

    @Override
    public String procName() {
        return "anon_inode:[signalfd]";
    }
}
