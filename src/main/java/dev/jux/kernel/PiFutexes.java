package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.wait.Wakeup;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Priority-inheritance futexes (kernel/futex/pi.c and requeue.c) with Linux's user-space word
 * protocol: the word holds the owner's TID, FUTEX_WAITERS when someone sleeps in the kernel
 * for it, FUTEX_OWNER_DIED after an owner died. An uncontended lock and unlock never enter the
 * kernel (user space's cmpxchg); a contended one creates a {@link PiState} for the word, whose
 * sleepers are handed the lock one by one, in arrival order, by UNLOCK_PI (the word then names
 * the new owner with FUTEX_WAITERS). Priority inheritance itself is nominal: the host schedules
 * the threads. One monitor guards every state; the word is changed by CAS, since user space
 * changes it concurrently.
 */
public final class PiFutexes {
    static final int FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;
    /** How long a locker waits for an owner that has left but not yet released its robust list (handle_exit_race). */
    private static final int EXIT_RACE_RETRIES = 50;

    /** A sleeper for the lock: its task, the word as it addresses it, and whether it got the lock. */
    private static final class Sleeper {
        final Task task;
        final long uaddr;
        volatile boolean granted;

        Sleeper(Task task, long uaddr) {
            this.task = task;
            this.uaddr = uaddr;
        }
    }

    /** The kernel's side of one contended word: the owner (null once it died) and its sleepers. */
    private static final class PiState {
        Task owner;
        final ArrayDeque<Sleeper> sleepers = new ArrayDeque<>();

        PiState(Task owner) {
            this.owner = owner;
        }
    }

    /** A WAIT_REQUEUE_PI sleeper on its condition word, waiting for CMP_REQUEUE_PI. */
    private static final class RequeueSleeper {
        final Sleeper sleeper;
        final Futexes.Key target;
        volatile PiState movedTo;

        RequeueSleeper(Sleeper sleeper, Futexes.Key target) {
            this.sleeper = sleeper;
            this.target = target;
        }
    }

    private final Futexes futexes;
    private final Map<Futexes.Key, PiState> states = new HashMap<>();
    private final Map<Futexes.Key, ArrayDeque<RequeueSleeper>> requeueWaiters = new HashMap<>();

    PiFutexes(Futexes futexes) {
        this.futexes = futexes;
    }

    /**
     * FUTEX_LOCK_PI / LOCK_PI2 / TRYLOCK_PI: takes the lock if the word has no owner (keeping
     * OWNER_DIED), else sets FUTEX_WAITERS and sleeps until an unlock hands it over, the
     * deadline passes (ETIMEDOUT) or a signal comes (ERESTARTNOINTR: Linux restarts the lock).
     * EDEADLK if the caller owns it already, ESRCH if the owner TID names no live thread,
     * EAGAIN for a trylock that would sleep.
     */
    public void lock(Task t, long uaddr, boolean isPrivate, long deadline, boolean trylock) {
        Futexes.Key key = futexes.key(t, uaddr, isPrivate);
        Sleeper me = new Sleeper(t, uaddr);
        int exitRace = 0;
        while (true) {
            Task missingOwner;
            synchronized (this) {
                missingOwner = null;
                int uval = Futexes.read(t, uaddr);
                int owner = uval & FUTEX_TID_MASK;
                if (owner == t.tid()) throw new LinuxException(Errno.EDEADLK);
                PiState state = states.get(key);
                if (state != null && !state.sleepers.isEmpty()) {
                    // attach_to_pi_state: the word must still name the state's owner.
                    if (state.owner != null && owner != state.owner.tid()) throw new LinuxException(Errno.EINVAL);
                    if ((uval & FUTEX_WAITERS) == 0 && !Futexes.compareAndSet(t, uaddr, uval, uval | FUTEX_WAITERS)) continue;
                    if (trylock) throw new LinuxException(Errno.EAGAIN);
                    state.sleepers.add(me);
                } else if (owner == 0) {
                    if (!Futexes.compareAndSet(t, uaddr, uval, (uval & FUTEX_OWNER_DIED) | t.tid())) continue;
                    return;
                } else {
                    // The first sleeper: FUTEX_WAITERS goes in before it attaches to the owner.
                    if ((uval & FUTEX_WAITERS) == 0 && !Futexes.compareAndSet(t, uaddr, uval, uval | FUTEX_WAITERS)) continue;
                    Task ownerTask = t.kernel().task(owner);
                    if (ownerTask == null) {
                        if (++exitRace > EXIT_RACE_RETRIES) throw new LinuxException(Errno.ESRCH);
                        missingOwner = t;   // wait a little outside the lock, then look again
                    } else {
                        if (trylock) throw new LinuxException(Errno.EAGAIN);
                        state = new PiState(ownerTask);
                        states.put(key, state);
                        state.sleepers.add(me);
                    }
                }
            }
            if (missingOwner == null) break;
            // The owner left: its robust list may not have been walked yet (Linux waits for that too).
            LockSupport.parkNanos(1_000_000L);
        }
        Wakeup r = t.block(() -> me.granted, deadline);
        if (r == Wakeup.READY) return;
        synchronized (this) {
            if (me.granted) return;   // handed over just as the wait ended
            leave(key, me);
        }
        throw new LinuxException(r == Wakeup.TIMED_OUT ? Errno.ETIMEDOUT : Errno.ERESTARTNOINTR);
    }

    /** A sleeper gives up: off the queue; a state without sleepers is dropped (the WAITERS bit stays, as on Linux). */
    private void leave(Futexes.Key key, Sleeper me) {
        PiState state = states.get(key);
        if (state == null) return;
        state.sleepers.remove(me);
        if (state.sleepers.isEmpty()) states.remove(key);
    }

    /**
     * FUTEX_UNLOCK_PI: EPERM unless the word names the caller; hands the lock to the first
     * sleeper (the word becomes its TID with FUTEX_WAITERS) or, with none, sets the word to 0.
     */
    public void unlock(Task t, long uaddr, boolean isPrivate) {
        Futexes.Key key = futexes.key(t, uaddr, isPrivate);
        synchronized (this) {
            while (true) {
                int uval = Futexes.read(t, uaddr);
                if ((uval & FUTEX_TID_MASK) != t.tid()) throw new LinuxException(Errno.EPERM);
                PiState state = states.get(key);
                Sleeper next = state == null ? null : state.sleepers.peek();
                if (next == null) {
                    if (!Futexes.compareAndSet(t, uaddr, uval, 0)) continue;
                    states.remove(key);
                    return;
                }
                if (!Futexes.compareAndSet(t, uaddr, uval, FUTEX_WAITERS | next.task.tid())) continue;
                handOver(key, state, next);
                return;
            }
        }
    }

    private void handOver(Futexes.Key key, PiState state, Sleeper next) {
        state.sleepers.remove(next);
        state.owner = next.task;
        if (state.sleepers.isEmpty()) states.remove(key);
        next.granted = true;
        LockSupport.unpark(next.task.thread());
    }

    /**
     * exit_pi_state_list: a dying thread's contended PI locks go to their first sleeper, whose
     * word becomes its TID | FUTEX_WAITERS | FUTEX_OWNER_DIED (fixup_pi_state_owner for an owner
     * that is gone), so a robust mutex reports EOWNERDEAD.
     */
    void ownerExited(Task dead) {
        synchronized (this) {
            for (Iterator<Map.Entry<Futexes.Key, PiState>> it = states.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Futexes.Key, PiState> e = it.next();
                PiState state = e.getValue();
                if (state.owner != dead) continue;
                state.owner = null;
                Sleeper next = state.sleepers.peek();
                if (next == null) {
                    it.remove();
                    continue;
                }
                try {
                    while (true) {
                        int uval = Futexes.read(next.task, next.uaddr);
                        int value = (uval & FUTEX_OWNER_DIED) | FUTEX_OWNER_DIED | FUTEX_WAITERS | next.task.tid();
                        if (Futexes.compareAndSet(next.task, next.uaddr, uval, value)) break;
                    }
                } catch (LinuxException fault) {
                    // The word went away: the sleeper still gets the (now meaningless) lock.
                }
                state.sleepers.remove(next);
                state.owner = next.task;
                if (state.sleepers.isEmpty()) it.remove();
                next.granted = true;
                LockSupport.unpark(next.task.thread());
            }
        }
    }

    /**
     * FUTEX_WAIT_REQUEUE_PI: waits on the condition word {@code uaddr} (EAGAIN unless it holds
     * {@code expected}) until CMP_REQUEUE_PI moves the caller to the PI lock {@code uaddr2} and it
     * gets that lock (returns 0, owning it). EINVAL if both words are the same.
     */
    public void waitRequeuePi(Task t, long uaddr, boolean isPrivate, int expected, long deadline, long uaddr2) {
        Futexes.Key key = futexes.key(t, uaddr, isPrivate), target = futexes.key(t, uaddr2, isPrivate);
        if (key.equals(target)) throw new LinuxException(Errno.EINVAL);
        RequeueSleeper me = new RequeueSleeper(new Sleeper(t, uaddr2), target);
        synchronized (this) {
            if (Futexes.read(t, uaddr) != expected) throw new LinuxException(Errno.EAGAIN);
            requeueWaiters.computeIfAbsent(key, k -> new ArrayDeque<>()).add(me);
        }
        Wakeup r = t.block(() -> me.sleeper.granted, deadline);
        if (r == Wakeup.READY) return;
        synchronized (this) {
            if (me.sleeper.granted) return;
            if (me.movedTo != null) {
                // Requeued onto the lock but not yet its owner: leave that queue (Linux then returns the wait's error too).
                me.movedTo.sleepers.remove(me.sleeper);
                if (me.movedTo.sleepers.isEmpty()) states.values().remove(me.movedTo);
            } else {
                ArrayDeque<RequeueSleeper> q = requeueWaiters.get(key);
                if (q != null) {
                    q.remove(me);
                    if (q.isEmpty()) requeueWaiters.remove(key);
                }
            }
        }
        throw new LinuxException(r == Wakeup.TIMED_OUT ? Errno.ETIMEDOUT : Errno.ERESTARTNOINTR);
    }

    /** True if a WAIT_REQUEUE_PI sleeper waits on {@code uaddr} (FUTEX_WAKE on it is EINVAL). */
    public synchronized boolean hasRequeueWaiter(Task t, long uaddr, boolean isPrivate) {
        return requeueWaiters.containsKey(futexes.key(t, uaddr, isPrivate));
    }

    /**
     * FUTEX_CMP_REQUEUE_PI: EAGAIN unless {@code uaddr} holds {@code expected}; the first
     * WAIT_REQUEUE_PI sleeper takes the lock {@code uaddr2} at once if it is free (and is woken),
     * the next {@code requeueCount} become sleepers of that lock. Returns woken + moved. EINVAL
     * unless wakeCount is 1, for the same word twice, or a sleeper waiting for another lock.
     */
    public int cmpRequeuePi(Task t, long uaddr, long uaddr2, boolean isPrivate, int wakeCount, int requeueCount, int expected) {
        if (wakeCount != 1 || requeueCount < 0) throw new LinuxException(Errno.EINVAL);
        Futexes.Key key = futexes.key(t, uaddr, isPrivate), target = futexes.key(t, uaddr2, isPrivate);
        if (key.equals(target)) throw new LinuxException(Errno.EINVAL);
        synchronized (this) {
            if (Futexes.read(t, uaddr) != expected) throw new LinuxException(Errno.EAGAIN);
            ArrayDeque<RequeueSleeper> q = requeueWaiters.get(key);
            if (q == null || q.isEmpty()) return 0;
            for (RequeueSleeper w : q) if (!w.target.equals(target)) throw new LinuxException(Errno.EINVAL);
            int done = 0;
            RequeueSleeper first = q.peek();
            // futex_proxy_trylock_atomic: the lock is taken on the first sleeper's behalf if it is free.
            int uval = Futexes.read(t, uaddr2);
            PiState state = states.get(target);
            if ((uval & FUTEX_TID_MASK) == 0 && (state == null || state.sleepers.isEmpty())) {
                int value = (uval & FUTEX_OWNER_DIED) | first.sleeper.task.tid() | (q.size() > 1 && requeueCount > 0 ? FUTEX_WAITERS : 0);
                if (Futexes.compareAndSet(t, uaddr2, uval, value)) {
                    q.poll();
                    first.sleeper.granted = true;
                    LockSupport.unpark(first.sleeper.task.thread());
                    done++;
                }
            }
            int moved = 0;
            while (moved < requeueCount && !q.isEmpty()) {
                uval = Futexes.read(t, uaddr2);
                int owner = uval & FUTEX_TID_MASK;
                state = states.get(target);
                if (state == null) {
                    Task ownerTask = owner == 0 ? null : t.kernel().task(owner);
                    if (ownerTask == null) break;   // free or ownerless: nothing to requeue behind
                    state = new PiState(ownerTask);
                    states.put(target, state);
                }
                if ((uval & FUTEX_WAITERS) == 0 && !Futexes.compareAndSet(t, uaddr2, uval, uval | FUTEX_WAITERS)) continue;
                RequeueSleeper w = q.poll();
                w.movedTo = state;
                state.sleepers.add(w.sleeper);
                moved++;
            }
            if (q.isEmpty()) requeueWaiters.remove(key);
            return done + moved;
        }
    }
}
