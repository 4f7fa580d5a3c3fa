package dev.jux.testing;

import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiters for testing blocking file code without a guest task. */
public final class TestWaiters {
    private TestWaiters() {}

    /**
     * A waiter for a plain Java thread: parks until woken or the deadline passes, checking the
     * condition again at least every 10 ms (so a lost wake-up shows as a delay, not a hang).
     * It never has a signal pending.
     */
    public static final class Parking implements Waiter {
        private volatile Thread thread;

        @Override
        public Wakeup block(BooleanSupplier ready, long deadline) {
            thread = Thread.currentThread();
            while (true) {
                if (ready.getAsBoolean()) return Wakeup.READY;
                long left = deadline == FOREVER ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) return Wakeup.TIMED_OUT;
                LockSupport.parkNanos(this, Math.min(left, 10_000_000L));
            }
        }

        @Override
        public void wake() {
            Thread t = thread;
            if (t != null) LockSupport.unpark(t);
        }
    }

    /** A waiter whose task always has a signal pending: any wait that is not ready is interrupted. */
    public static final Waiter SIGNALLED = new Waiter() {
        @Override
        public Wakeup block(BooleanSupplier ready, long deadline) {
            return ready.getAsBoolean() ? Wakeup.READY : Wakeup.INTERRUPTED;
        }

        @Override
        public void wake() {}
    };
}
