package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.Futexes;
import dev.jux.kernel.Task;
import dev.jux.wait.Waiter;

/**
 * futex(2) over the kernel's wait queues ({@link Futexes}): WAIT, WAKE, the BITSET variants,
 * REQUEUE, CMP_REQUEUE and WAKE_OP, private or shared, with FUTEX_CLOCK_REALTIME; the PI
 * operations ({@link dev.jux.kernel.PiFutexes}); futex_waitv.
 */
final class FutexSyscalls {
    private FutexSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.FUTEX, Support.FULL,
                "every operation, private and shared (keyed by frame), FUTEX_CLOCK_REALTIME; PI operations with Linux's TID-word"
                        + " protocol (priority inheritance itself is nominal)", FutexSyscalls::futex);
        t.add(SyscallNumbers.FUTEX_WAITV, Support.FULL, "32-bit words, private or shared, absolute timeout on CLOCK_MONOTONIC or REALTIME",
                FutexSyscalls::futexWaitv);
    }

    static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
            FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10,
            FUTEX_WAIT_REQUEUE_PI = 11, FUTEX_CMP_REQUEUE_PI = 12, FUTEX_LOCK_PI2 = 13;
    static final int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
    static final int BITSET_MATCH_ANY = -1;

    static long futex(Task t, Args a) {
        long uaddr = a.a0();
        int op = a.i(1), val = a.i(2);
        int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        boolean priv = (op & FUTEX_PRIVATE_FLAG) != 0;
        boolean realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
        if (realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2) {
            throw new LinuxException(Errno.ENOSYS);
        }
        Futexes f = t.kernel().futexes();
        switch (cmd) {
            case FUTEX_WAKE, FUTEX_WAKE_BITSET -> {
                // futex_wake: a WAIT_REQUEUE_PI sleeper on the word is EINVAL (only
                // CMP_REQUEUE_PI may move it on).
                if (t.kernel().piFutexes().hasRequeueWaiter(t, uaddr, priv)) throw new LinuxException(Errno.EINVAL);
                return f.wake(t, uaddr, priv, val, cmd == FUTEX_WAKE ? BITSET_MATCH_ANY : a.i(5));
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
            case FUTEX_LOCK_PI, FUTEX_LOCK_PI2 -> {
                // LOCK_PI's timeout is absolute on CLOCK_REALTIME; LOCK_PI2's on CLOCK_MONOTONIC unless asked otherwise.
                long deadline = deadline(t, a.a3(), true, cmd == FUTEX_LOCK_PI || realtime);
                t.kernel().piFutexes().lock(t, uaddr, priv, deadline, false);
                return 0;
            }
            case FUTEX_TRYLOCK_PI -> {
                t.kernel().piFutexes().lock(t, uaddr, priv, Waiter.FOREVER, true);
                return 0;
            }
            case FUTEX_UNLOCK_PI -> {
                t.kernel().piFutexes().unlock(t, uaddr, priv);
                return 0;
            }
            case FUTEX_WAIT_REQUEUE_PI -> {
                long deadline = deadline(t, a.a3(), true, realtime);
                t.kernel().piFutexes().waitRequeuePi(t, uaddr, priv, val, deadline, a.a4());
                return 0;
            }
            case FUTEX_CMP_REQUEUE_PI -> {
                return t.kernel().piFutexes().cmpRequeuePi(t, uaddr, a.a4(), priv, val, (int) a.a3(), a.i(5));
            }
            default -> throw new LinuxException(Errno.ENOSYS);
        }
    }

    static final int FUTEX_WAITV_MAX = 128, FUTEX2_SIZE_MASK = 3, FUTEX2_SIZE_U32 = 2, FUTEX2_PRIVATE = 128;
    static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1;

    /**
     * futex_waitv(waiters, nr, flags, timeout, clockid): EINVAL for flags, no or more than 128
     * waiters, a clock other than REALTIME/MONOTONIC (with a timeout), an entry with unknown
     * flags, a size other than 32 bits, reserved bits or a value wider than 32 bits; returns the
     * index of a woken word, EAGAIN if a value differs, ETIMEDOUT, or ERESTARTSYS on a signal.
     */
    static long futexWaitv(Task t, Args a) {
        long vec = a.a0();
        int nr = a.i(1);
        if (a.i(2) != 0) throw new LinuxException(Errno.EINVAL);
        if (vec == 0 || nr <= 0 || nr > FUTEX_WAITV_MAX) throw new LinuxException(Errno.EINVAL);
        long deadline = Waiter.FOREVER;
        if (a.a3() != 0) {
            int clock = a.i(4);
            if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) throw new LinuxException(Errno.EINVAL);
            deadline = deadline(t, a.a3(), true, clock == CLOCK_REALTIME);
        }
        long[] uaddrs = new long[nr];
        boolean[] priv = new boolean[nr];
        int[] values = new int[nr];
        for (int i = 0; i < nr; i++) {
            long e = vec + 24L * i;   // struct futex_waitv { u64 val; u64 uaddr; u32 flags; u32 __reserved; }
            long val = t.memory().readLong(e);
            uaddrs[i] = t.memory().readLong(e + 8);
            int flags = t.memory().readInt(e + 16), reserved = t.memory().readInt(e + 20);
            if ((flags & ~(FUTEX2_SIZE_MASK | FUTEX2_PRIVATE)) != 0 || reserved != 0) throw new LinuxException(Errno.EINVAL);
            if ((flags & FUTEX2_SIZE_MASK) != FUTEX2_SIZE_U32 || Long.compareUnsigned(val, 0xffffffffL) > 0) throw new LinuxException(Errno.EINVAL);
            priv[i] = (flags & FUTEX2_PRIVATE) != 0;
            values[i] = (int) val;
        }
        return t.kernel().futexes().awaitAny(t, uaddrs, priv, values, deadline, Errno.ERESTARTSYS);
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
