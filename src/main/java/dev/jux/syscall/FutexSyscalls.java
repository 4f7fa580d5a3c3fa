package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.Task;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;

/**
 * futex(2) for single-threaded processes, which is all Jux runs before threads (issue 5):
 * glibc's locks call FUTEX_WAKE on unlock (dynamic programs do from setlocale on), and would
 * abort on ENOSYS. With one thread there is never a waiter to wake, and a FUTEX_WAIT whose
 * value matches can only end by its timeout or a signal. Issue 5 replaces this with real
 * wait queues.
 */
final class FutexSyscalls {
    private FutexSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.FUTEX, Support.PARTIAL,
                "single-threaded: FUTEX_WAIT/WAIT_BITSET check the value and sleep until the timeout or a signal,"
                        + " FUTEX_WAKE/WAKE_BITSET wake nobody; other operations ENOSYS", FutexSyscalls::futex);
    }

    static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
    static final int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;

    static long futex(Task t, Args a) {
        long uaddr = a.a0();
        int op = a.i(1), val = a.i(2);
        int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        if ((op & FUTEX_CLOCK_REALTIME) != 0 && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET) throw new LinuxException(Errno.ENOSYS);
        switch (cmd) {
            case FUTEX_WAKE, FUTEX_WAKE_BITSET -> {
                if ((uaddr & 3) != 0) throw new LinuxException(Errno.EINVAL);
                if (cmd == FUTEX_WAKE_BITSET && a.i(5) == 0) throw new LinuxException(Errno.EINVAL);
                return 0;
            }
            case FUTEX_WAIT, FUTEX_WAIT_BITSET -> {
                if ((uaddr & 3) != 0) throw new LinuxException(Errno.EINVAL);
                if (cmd == FUTEX_WAIT_BITSET && a.i(5) == 0) throw new LinuxException(Errno.EINVAL);
                long deadline = deadline(t, a.a3(), cmd == FUTEX_WAIT_BITSET, (op & FUTEX_CLOCK_REALTIME) != 0);
                if (t.memory().readInt(uaddr) != val) throw new LinuxException(Errno.EAGAIN);
                Wakeup w = t.block(() -> false, deadline);
                throw new LinuxException(w == Wakeup.TIMED_OUT ? Errno.ETIMEDOUT : Errno.EINTR);
            }
            default -> throw new LinuxException(Errno.ENOSYS);
        }
    }

    /** The System.nanoTime deadline of a timeout: relative for FUTEX_WAIT, absolute on its clock for WAIT_BITSET. */
    private static long deadline(Task t, long addr, boolean absolute, boolean realtime) {
        if (addr == 0) return Waiter.FOREVER;
        long sec = t.memory().readLong(addr), nsec = t.memory().readLong(addr + 8);
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) throw new LinuxException(Errno.EINVAL);
        long ns = sec > Long.MAX_VALUE / 1_000_000_000L - 1 ? Long.MAX_VALUE / 2 : sec * 1_000_000_000L + nsec;
        long now = System.nanoTime();
        if (absolute) {
            long clockNow = realtime ? System.currentTimeMillis() * 1_000_000L : now;
            ns = ns - clockNow;
        }
        return ns > Long.MAX_VALUE / 2 ? Waiter.FOREVER : now + Math.max(0, ns);
    }
}
