package dev.jux.wait;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The waiters interested in one object (a pipe's readers, say). Waiting registers the waiter
 * before testing the condition, so a {@link #wakeAll()} between the test and the sleep is
 * never lost.
 */
public final class WaitQueue {
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

    public Wakeup await(Waiter w, BooleanSupplier ready, long deadline) {
        waiters.add(w);
        try {
            return w.block(ready, deadline);
        } finally {
            waiters.remove(w);
        }
    }

    /** Adds a waiter that stays until {@link #remove}: a poll that watches several queues at once. */
    public void add(Waiter w) {
        waiters.add(w);
    }

    public void remove(Waiter w) {
        waiters.remove(w);
    }

    public void wakeAll() {
        wakeAll(0);
    }

    /** Wakes every waiter, saying which poll bits may have changed (0: any). Never call it holding a lock a waiter's wake takes. */
    public void wakeAll(int events) {
        for (Waiter w : waiters) w.wake(events);
    }
}
