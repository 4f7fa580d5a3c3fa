package dev.jux.wait;

import java.util.function.BooleanSupplier;

/**
 * The one way kernel code waits: a task blocks until a condition holds, a signal needs
 * delivering (Linux's TASK_INTERRUPTIBLE), or a deadline passes. kernel/Task implements it;
 * it lives below fs/ so that files (pipes, terminals, sockets) can block through it.
 */
public interface Waiter {
    /** For {@link #block}: no deadline. */
    long FOREVER = Long.MAX_VALUE;

    /**
     * Waits until {@code ready} is true, a signal is pending, or {@link System#nanoTime()}
     * reaches {@code deadline}. {@code ready} is evaluated again after every {@link #wake()}.
     */
    Wakeup block(BooleanSupplier ready, long deadline);

    /** Makes a {@link #block} in progress look at its condition again. Any thread. */
    void wake();

    /**
     * A wake that says which poll(2) bits may have changed (Linux's wake-up "key"; 0: any).
     * An epoll watch uses it to ignore wakes it is not interested in; a task just wakes.
     */
    default void wake(int events) {
        wake();
    }
}
