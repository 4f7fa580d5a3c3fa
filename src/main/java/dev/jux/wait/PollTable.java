package dev.jux.wait;

import java.util.ArrayList;
import java.util.List;

/**
 * One poll, select or epoll wait watching several files (Linux's poll_table). A file's poll
 * operation calls {@link #watch} with each wait queue its readiness depends on; the waiter
 * then stays on those queues until {@link #close}, so that any change to any watched file
 * wakes it, even between the readiness check and the sleep. A file whose readiness only the
 * host knows (a host fd) cannot wake anyone: it calls {@link #needsPolling} and the wait
 * then sleeps in short slices, asking again after each.
 */
public final class PollTable implements AutoCloseable {
    private final Waiter waiter;
    private final List<WaitQueue> watched = new ArrayList<>();
    private boolean polling;

    public PollTable(Waiter waiter) {
        this.waiter = waiter;
    }

    /** Linux's poll_wait: wake this table's waiter when {@code queue} is woken. */
    public void watch(WaitQueue queue) {
        for (WaitQueue q : watched) if (q == queue) return;
        watched.add(queue);
        queue.add(waiter);
    }

    /** A watched file cannot wake the waiter (its readiness is on the host): poll it again from time to time. */
    public void needsPolling() {
        polling = true;
    }

    public boolean isPolling() {
        return polling;
    }

    @Override
    public void close() {
        for (WaitQueue q : watched) q.remove(waiter);
        watched.clear();
    }
}
