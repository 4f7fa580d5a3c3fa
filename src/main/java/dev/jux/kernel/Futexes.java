package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.mm.AddressSpace;
import dev.jux.mm.Vma;
import dev.jux.wait.Wakeup;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The futex wait queues (Linux's kernel/futex): hashed buckets of waiters, each waiter keyed by
 * what its futex word is. A private futex (FUTEX_PRIVATE_FLAG, or a word in a private
 * mapping) is keyed by its address space and virtual address; a shared one in a MAP_SHARED
 * mapping by the guest-RAM byte it lives in, so processes that map the same page at different
 * addresses meet on it (Linux keys those by inode and offset; a shared page keeps its frame in
 * Jux, so the frame is as good). The value check of a wait and the enqueue happen under the
 * bucket's lock, which every wake takes too: a wake can never slip between them.
 */
public final class Futexes {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int BUCKETS = 64;

    /** {@code space} is the address space for a private key, null for a shared one (then {@code address} is a host address). */
    public record Key(Object space, long address) {
        // Written out, not the record's own: see docs/design.md, "Start-up".
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.space == space && k.address == address;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(space) + Long.hashCode(address);
        }
    }

    private static final class Waiter {
        final Task task;
        final int bitset;
        volatile Key key;
        volatile boolean woken;

        Waiter(Task task, int bitset, Key key) {
            this.task = task;
            this.bitset = bitset;
            this.key = key;
        }
    }

    private final List<List<Waiter>> buckets = new ArrayList<>();

    Futexes() {
        for (int i = 0; i < BUCKETS; i++) buckets.add(new ArrayList<>());
    }

    private static int index(Key k) {
        return Math.floorMod(k.hashCode() * 0x9E3779B9, BUCKETS);
    }

    private List<Waiter> bucket(Key k) {
        return buckets.get(index(k));
    }

    /** EINVAL unless the word is 4-byte aligned (get_futex_key). */
    private static void checkAligned(long uaddr) {
        if ((uaddr & 3) != 0) throw new LinuxException(Errno.EINVAL);
    }

    /** get_futex_key: a shared word in a MAP_SHARED mapping is keyed by its frame; EFAULT if it cannot be reached. */
    public Key key(Task t, long uaddr, boolean isPrivate) {
        checkAligned(uaddr);
        AddressSpace memory = t.memory();
        if (!isPrivate) {
            Vma v = memory.findVma(uaddr);
            if (v == null) throw new LinuxException(Errno.EFAULT);
            if ((v.flags() & Vma.SHARED) != 0) return new Key(null, memory.pageSegment(uaddr, 4, false).address());
        } else if (Long.compareUnsigned(uaddr, AddressSpace.TASK_SIZE) >= 0) {
            throw new LinuxException(Errno.EFAULT);
        }
        return new Key(memory, uaddr);
    }

    /** The word's current value, read as the guest's other CPUs write it (EFAULT if unmapped). */
    static int read(Task t, long uaddr) {
        MemorySegment s = t.memory().pageSegment(uaddr, 4, false);
        return (int) INT.getVolatile(s, 0L);
    }

    /** An atomic compare-and-set of the word, as a locked cmpxchg on another CPU would see it. */
    static boolean compareAndSet(Task t, long uaddr, int expected, int value) {
        MemorySegment s = t.memory().pageSegment(uaddr, 4, true);
        return t.kernel().platform().atomically(() -> INT.compareAndSet(s, 0L, expected, value));
    }

    /**
     * FUTEX_WAIT(_BITSET): sleeps if the word still holds {@code expected}, until a wake that
     * matches {@code bitset}, the deadline (a System.nanoTime value or Waiter.FOREVER), or a
     * signal. EAGAIN if the value differs, ETIMEDOUT, or {@code interrupted}'s errno.
     */
    public void await(Task t, long uaddr, boolean isPrivate, int expected, int bitset, long deadline, Errno interrupted) {
        Key key = key(t, uaddr, isPrivate);
        Waiter w = new Waiter(t, bitset, key);
        List<Waiter> b = bucket(key);
        synchronized (b) {
            if (read(t, uaddr) != expected) throw new LinuxException(Errno.EAGAIN);
            b.add(w);
        }
        Wakeup r = t.block(() -> w.woken, deadline);
        if (r == Wakeup.READY || !unqueue(w)) return;   // woken (perhaps just as the wait ended)
        throw new LinuxException(r == Wakeup.TIMED_OUT ? Errno.ETIMEDOUT : interrupted);
    }

    /**
     * futex_waitv: waits on several words at once (each private or not), as one waiter per word
     * that any wake of its word ends. EAGAIN if a word does not hold its value when it is
     * queued; otherwise the index of the lowest word that was woken, ETIMEDOUT, or
     * {@code interrupted}'s errno.
     */
    public int awaitAny(Task t, long[] uaddrs, boolean[] isPrivate, int[] expected, long deadline, Errno interrupted) {
        int n = uaddrs.length;
        Waiter[] ws = new Waiter[n];
        for (int i = 0; i < n; i++) ws[i] = new Waiter(t, -1, key(t, uaddrs[i], isPrivate[i]));
        for (int i = 0; i < n; i++) {
            List<Waiter> b = bucket(ws[i].key);
            boolean mismatch;
            synchronized (b) {
                mismatch = read(t, uaddrs[i]) != expected[i];
                if (!mismatch) b.add(ws[i]);
            }
            if (mismatch) {
                int woken = unqueueAll(ws, i);
                if (woken >= 0) return woken;
                throw new LinuxException(Errno.EAGAIN);
            }
        }
        Wakeup r = t.block(() -> {
            for (Waiter w : ws) if (w.woken) return true;
            return false;
        }, deadline);
        int woken = unqueueAll(ws, n);
        if (woken >= 0) return woken;
        throw new LinuxException(r == Wakeup.TIMED_OUT ? Errno.ETIMEDOUT : interrupted);
    }

    /** Takes the first {@code count} waiters off their queues; the lowest index a waker took, or -1. */
    private int unqueueAll(Waiter[] ws, int count) {
        int first = -1;
        for (int i = 0; i < count; i++) {
            if (!unqueue(ws[i]) && first < 0) first = i;
        }
        return first;
    }

    /** Takes {@code w} off its queue; false if a waker already did (it was woken). */
    private boolean unqueue(Waiter w) {
        while (true) {
            Key k = w.key;
            List<Waiter> b = bucket(k);
            synchronized (b) {
                if (w.key != k) continue;   // requeued meanwhile: try its new bucket
                return b.remove(w);
            }
        }
    }

    /** FUTEX_WAKE(_BITSET): wakes up to {@code count} waiters of the word; returns how many. */
    public int wake(Task t, long uaddr, boolean isPrivate, int count, int bitset) {
        if (bitset == 0) throw new LinuxException(Errno.EINVAL);
        Key key = key(t, uaddr, isPrivate);
        List<Waiter> b = bucket(key);
        synchronized (b) {
            return wakeLocked(b, key, count, bitset);
        }
    }

    /** Wakes a thread that died holding nothing else (clear_child_tid, robust lists); faults are ignored. */
    void wakeQuietly(Task t, long uaddr, int count) {
        try {
            wake(t, uaddr, false, count, -1);
        } catch (LinuxException e) {
            // Linux ignores a bad clear_child_tid or robust-list address at exit.
        }
    }

    private static int wakeLocked(List<Waiter> b, Key key, int count, int bitset) {
        int woken = 0;
        for (Iterator<Waiter> it = b.iterator(); it.hasNext() && woken < count; ) {
            Waiter w = it.next();
            if (!w.key.equals(key) || (w.bitset & bitset) == 0) continue;
            it.remove();
            w.woken = true;
            LockSupport.unpark(w.task.thread());
            woken++;
        }
        return woken;
    }

    /**
     * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE: wakes up to {@code wakeCount} waiters of uaddr1 and
     * moves up to {@code requeueCount} others to uaddr2. With {@code compare}, EAGAIN unless
     * uaddr1 still holds {@code expected}. Returns the woken plus the moved, as Linux does.
     */
    public int requeue(Task t, long uaddr1, long uaddr2, boolean isPrivate, int wakeCount, int requeueCount,
                       boolean compare, int expected) {
        if (wakeCount < 0 || requeueCount < 0) throw new LinuxException(Errno.EINVAL);
        Key k1 = key(t, uaddr1, isPrivate), k2 = key(t, uaddr2, isPrivate);
        List<Waiter> b1 = bucket(k1), b2 = bucket(k2);
        return withBoth(k1, k2, () -> {
            if (compare && read(t, uaddr1) != expected) throw new LinuxException(Errno.EAGAIN);
            int woken = wakeLocked(b1, k1, wakeCount, -1);
            int moved = 0;
            for (Iterator<Waiter> it = b1.iterator(); it.hasNext() && moved < requeueCount; ) {
                Waiter w = it.next();
                if (!w.key.equals(k1)) continue;
                if (b1 != b2) {
                    it.remove();
                    b2.add(w);
                }
                w.key = k2;
                moved++;
            }
            return woken + moved;
        });
    }

    /**
     * FUTEX_WAKE_OP: atomically applies {@code encodedOp}'s operation to the word at uaddr2,
     * wakes up to {@code count1} waiters of uaddr1 and, if the old value of uaddr2 passes the
     * comparison, up to {@code count2} of uaddr2. Returns the number woken.
     */
    public int wakeOp(Task t, long uaddr1, long uaddr2, boolean isPrivate, int count1, int count2, int encodedOp) {
        int op = (encodedOp >>> 28) & 7, cmp = (encodedOp >>> 24) & 15;
        boolean shift = (encodedOp & (8 << 28)) != 0;
        int oparg = (encodedOp << 8) >> 20, cmparg = (encodedOp << 20) >> 20;
        if (shift) oparg = 1 << (oparg & 31);
        if (op > 4 || cmp > 5) throw new LinuxException(Errno.ENOSYS);
        Key k1 = key(t, uaddr1, isPrivate), k2 = key(t, uaddr2, isPrivate);
        List<Waiter> b1 = bucket(k1), b2 = bucket(k2);
        final int arg = oparg;
        return withBoth(k1, k2, () -> {
            checkAligned(uaddr2);
            MemorySegment s = t.memory().pageSegment(uaddr2, 4, true);
            int old = t.kernel().platform().atomically(() -> {
                int was;
                do {
                    was = (int) INT.getVolatile(s, 0L);
                } while (!INT.compareAndSet(s, 0L, was, apply(op, was, arg)));
                return was;
            });
            int woken = wakeLocked(b1, k1, count1, -1);
            if (compare(cmp, old, cmparg)) woken += wakeLocked(b2, k2, count2, -1);
            return woken;
        });
    }

    private static int apply(int op, int old, int arg) {
        return switch (op) {
            case 0 -> arg;            // FUTEX_OP_SET
            case 1 -> old + arg;      // FUTEX_OP_ADD
            case 2 -> old | arg;      // FUTEX_OP_OR
            case 3 -> old & ~arg;     // FUTEX_OP_ANDN
            default -> old ^ arg;     // FUTEX_OP_XOR
        };
    }

    private static boolean compare(int cmp, int old, int arg) {
        return switch (cmp) {
            case 0 -> old == arg;
            case 1 -> old != arg;
            case 2 -> old < arg;
            case 3 -> old <= arg;
            case 4 -> old > arg;
            default -> old >= arg;
        };
    }

    /** Runs {@code body} holding both buckets' locks, taken in a fixed order (no deadlock between two requeues). */
    private <T> T withBoth(Key k1, Key k2, java.util.function.Supplier<T> body) {
        int i1 = index(k1), i2 = index(k2);
        if (i1 == i2) {
            synchronized (buckets.get(i1)) {
                return body.get();
            }
        }
        List<Waiter> first = buckets.get(Math.min(i1, i2)), second = buckets.get(Math.max(i1, i2));
        synchronized (first) {
            synchronized (second) {
                return body.get();
            }
        }
    }
}
