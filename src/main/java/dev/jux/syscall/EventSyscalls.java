package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Rlimit;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.File;
import dev.jux.fs.epoll.EpollFile;
import dev.jux.fs.epoll.EventFd;
import dev.jux.kernel.Task;
import dev.jux.wait.Waiter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** epoll (epoll_create, epoll_ctl, epoll_wait and the pwait variants) and eventfd. */
final class EventSyscalls {
    private EventSyscalls() {}

    /** struct epoll_event is packed on x86-64: u32 events, u64 data. */
    static final int EVENT_SIZE = 12;
    static final int EP_MAX_EVENTS = Integer.MAX_VALUE / EVENT_SIZE;
    /** The end of user space (TASK_SIZE_MAX): access_ok's limit. */
    static final long USER_END = 0x7ffffffff000L;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.EPOLL_CREATE, Support.FULL, "", (task, a) -> {
            if (a.i(0) <= 0) throw new LinuxException(Errno.EINVAL);
            return create(task, 0);
        });
        t.add(SyscallNumbers.EPOLL_CREATE1, Support.FULL, "", (task, a) -> create(task, a.i(0)));
        t.add(SyscallNumbers.EPOLL_CTL, Support.PARTIAL, "EPOLLWAKEUP is ignored; EPOLLEXCLUSIVE wakes every waiter", EventSyscalls::ctl);
        t.add(SyscallNumbers.EPOLL_WAIT, Support.FULL, "host streams are polled every 10 ms while waiting",
                (task, a) -> waitMs(task, a.i(0), a.a1(), a.i(2), a.i(3), 0, 0));
        t.add(SyscallNumbers.EPOLL_PWAIT, Support.PARTIAL, PollSyscalls.SIGMASK_NOTE,
                (task, a) -> waitMs(task, a.i(0), a.a1(), a.i(2), a.i(3), a.a4(), a.a5()));
        t.add(SyscallNumbers.EPOLL_PWAIT2, Support.PARTIAL, PollSyscalls.SIGMASK_NOTE, EventSyscalls::pwait2);
        t.add(SyscallNumbers.EVENTFD, Support.FULL, "", (task, a) -> eventfd(task, a.a0(), 0));
        t.add(SyscallNumbers.EVENTFD2, Support.FULL, "", (task, a) -> eventfd(task, a.a0(), a.i(1)));
    }

    private static long install(Task t, File f, boolean cloexec) {
        try {
            return t.group().files().install(f, 0, cloexec, t.group().limits().soft(Rlimit.RLIMIT_NOFILE));
        } catch (LinuxException e) {
            f.release();
            throw e;
        }
    }

    /** fdget: EBADF for a closed fd and for an O_PATH one. */
    private static File pollable(Task t, int fd) {
        File f = PollSyscalls.fileOrNull(t.group().files(), fd);
        if (f == null) throw new LinuxException(Errno.EBADF);
        return f;
    }

    /** epoll_create1(2): EPOLL_CLOEXEC (= O_CLOEXEC) is the only flag. */
    static long create(Task t, int flags) {
        if ((flags & ~OpenFlags.O_CLOEXEC) != 0) throw new LinuxException(Errno.EINVAL);
        return install(t, new EpollFile(flags), (flags & OpenFlags.O_CLOEXEC) != 0);
    }

    /** epoll_ctl(2), with do_epoll_ctl's checks in its order. */
    static long ctl(Task t, Args a) {
        int op = a.i(1), fd = a.i(2);
        int events = 0;
        long data = 0;
        if (op != EpollFile.CTL_DEL) {
            ByteBuffer b = ByteBuffer.wrap(t.memory().read(a.a3(), EVENT_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
            events = b.getInt(0);
            data = b.getLong(4);
        }
        File ep = pollable(t, a.i(0));
        File target = pollable(t, fd);
        if (!target.supportsPoll()) throw new LinuxException(Errno.EPERM);
        if (!(ep instanceof EpollFile epoll)) throw new LinuxException(Errno.EINVAL);
        epoll.control(op, fd, target, events, data);
        return 0;
    }

    private static long waitMs(Task t, int epfd, long events, int max, int timeoutMs, long sigmask, long sigsetSize) {
        Long mask = PollSyscalls.readMask(t, sigmask, sigsetSize);
        long deadline = timeoutMs < 0 ? Waiter.FOREVER : System.nanoTime() + timeoutMs * 1_000_000L;
        return waitMasked(t, epfd, events, max, deadline, mask);
    }

    /** epoll_pwait2(2): a timespec timeout (NULL: none). */
    static long pwait2(Task t, Args a) {
        long deadline = Waiter.FOREVER;
        if (a.a3() != 0) {
            long nanos = TimeSyscalls.readTimespec(t, a.a3());
            long now = System.nanoTime();
            deadline = nanos >= Waiter.FOREVER - 1 - now ? Waiter.FOREVER - 1 : now + nanos;
        }
        Long mask = PollSyscalls.readMask(t, a.a4(), a.a5());
        return waitMasked(t, a.i(0), a.a1(), a.i(2), deadline, mask);
    }

    private static long waitMasked(Task t, int epfd, long events, int max, long deadline, Long mask) {
        return t.withTemporaryMask(mask, () -> doWait(t, epfd, events, max, deadline));
    }

    /** do_epoll_wait: a signal gives EINTR (epoll_wait is never restarted). */
    private static long doWait(Task t, int epfd, long events, int max, long deadline) {
        if (max <= 0 || max > EP_MAX_EVENTS) throw new LinuxException(Errno.EINVAL);
        if (Long.compareUnsigned(events, USER_END) > 0 || Long.compareUnsigned((long) max * EVENT_SIZE, USER_END - events) > 0) {
            throw new LinuxException(Errno.EFAULT);
        }
        File f = pollable(t, epfd);
        if (!(f instanceof EpollFile epoll)) throw new LinuxException(Errno.EINVAL);
        List<EpollFile.Event> got = epoll.await(t, max, deadline);
        if (got == null) throw new LinuxException(Errno.EINTR);
        if (got.isEmpty()) return 0;
        ByteBuffer b = ByteBuffer.allocate(got.size() * EVENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (EpollFile.Event e : got) b.putInt(e.events()).putLong(e.data());
        t.memory().write(events, b.array());
        return got.size();
    }

    /** eventfd2(2): EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC; the initial value is an unsigned int. */
    static long eventfd(Task t, long initial, int flags) {
        if ((flags & ~(EventFd.EFD_SEMAPHORE | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC)) != 0) throw new LinuxException(Errno.EINVAL);
        return install(t, new EventFd(initial & 0xffffffffL, flags), (flags & OpenFlags.O_CLOEXEC) != 0);
    }
}
