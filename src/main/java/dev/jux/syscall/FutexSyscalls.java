package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.Futexes;
import dev.jux.kernel.Task;
import dev.jux.wait.Waiter;

/**
 * futex(2) over the kernel's wait queues ({@link Futexes}): WAIT, WAKE, the BITSET variants,
 * REQUEUE, CMP_REQUEUE and WAKE_OP, private or shared, with FUTEX_CLOCK_REALTIME. The PI
 * operations are ENOSYS (glibc uses them only for PTHREAD_PRIO_INHERIT mutexes).
 */
final class FutexSyscalls {
    private FutexSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.FUTEX, Support.PARTIAL,
                "WAIT, WAKE, WAIT_BITSET, WAKE_BITSET, REQUEUE, CMP_REQUEUE, WAKE_OP, private and shared (keyed by frame),"
                        + " FUTEX_CLOCK_REALTIME; the PI operations and futex_waitv are ENOSYS", FutexSyscalls::futex);
    }

    static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
            FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
    static final int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
    static final int BITSET_MATCH_ANY = -1;

    static long futex(Task t, Args a) {
        long uaddr = a.a0();
        int op = a.i(1), val = a.i(2);
        int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        boolean priv = (op & FUTEX_PRIVATE_FLAG) != 0;
        if ((op & FUTEX_CLOCK_REALTIME) != 0 && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET) throw new LinuxException(Errno.ENOSYS);
        Futexes f = t.kernel().futexes();
        switch (cmd) {
            case FUTEX_WAKE -> {
                return f.wake(t, uaddr, priv, val, BITSET_MATCH_ANY);
            }
            case FUTEX_WAKE_BITSET -> {
                return f.wake(t, uaddr, priv, val, a.i(5));
            }
            case FUTEX_WAIT, FUTEX_WAIT_BITSET -> {
                int bitset = cmd == FUTEX_WAIT ? BITSET_MATCH_ANY : a.i(5);
                if (bitset == 0 || (uaddr & 3) != 0) throw new LinuxException(Errno.EINVAL);
                long deadline = deadline(t, a.a3(), cmd == FUTEX_WAIT_BITSET, (op & FUTEX_CLOCK_REALTIME) != 0);
                return await(t, uaddr, priv, val, bitset, deadline);
            }
            case FUTEX_REQUEUE, FUTEX_CMP_REQUEUE -> {
                // The requeue count travels in the timeout argument's place.
                return f.requeue(t, uaddr, a.a4(), priv, val, (int) a.a3(), cmd == FUTEX_CMP_REQUEUE, a.i(5));
            }
            case FUTEX_WAKE_OP -> {
                return f.wakeOp(t, uaddr, a.a4(), priv, val, (int) a.a3(), a.i(5));
            }
            default -> throw new LinuxException(Errno.ENOSYS);
        }
    }

    /**
     * A wait: without a timeout a signal gives ERESTARTSYS (a handler with SA_RESTART, or none,
     * runs it again); with one, Linux's restart block: EINTR after a handler, otherwise the call
     * goes on to the same deadline (futex_wait_restart).
     */
    private static long await(Task t, long uaddr, boolean priv, int val, int bitset, long deadline) {
        boolean timed = deadline != Waiter.FOREVER;
        try {
            t.kernel().futexes().await(t, uaddr, priv, val, bitset, deadline, timed ? Errno.ERESTART_RESTARTBLOCK : Errno.ERESTARTSYS);
        } catch (LinuxException e) {
            if (e.errno() == Errno.ERESTART_RESTARTBLOCK) t.signals().setRestartBlock(task -> await(task, uaddr, priv, val, bitset, deadline));
            throw e;
        }
        return 0;
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
