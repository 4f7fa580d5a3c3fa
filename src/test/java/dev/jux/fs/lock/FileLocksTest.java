package dev.jux.fs.lock;

import static org.junit.jupiter.api.Assertions.*;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.File;
import dev.jux.fs.pipe.PipeEnd;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Blocking lock requests: woken when the conflicting lock goes, ERESTARTSYS when a signal comes. */
class FileLocksTest {
    /** A waiter on a plain thread: sleeps until woken and the condition holds. */
    static final class ThreadWaiter implements Waiter {
        private volatile Thread thread;

        @Override
        public Wakeup block(BooleanSupplier ready, long deadline) {
            thread = Thread.currentThread();
            while (!ready.getAsBoolean()) java.util.concurrent.locks.LockSupport.parkNanos(this, 10_000_000L);
            return Wakeup.READY;
        }

        @Override
        public void wake() {
            Thread t = thread;
            if (t != null) java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }

    /** A waiter whose task always has a signal pending. */
    static final Waiter SIGNALLED = new Waiter() {
        @Override
        public Wakeup block(BooleanSupplier ready, long deadline) {
            return ready.getAsBoolean() ? Wakeup.READY : Wakeup.INTERRUPTED;
        }

        @Override
        public void wake() {}
    };

    private final PipeEnd[] ends = PipeEnd.create(0, 0, 0);
    private final File a = ends[0], b = ends[1];

    @Test
    void setlkwWaitsForTheConflictingLockToGo() throws Exception {
        FileLocks.set(new ThreadWaiter(), a, a, -1, FileLocks.F_WRLCK, 0, 9, false);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(
                () -> FileLocks.set(new ThreadWaiter(), b, b, -1, FileLocks.F_RDLCK, 5, 20, true));
        Thread.sleep(50);
        assertFalse(waiting.isDone());
        FileLocks.set(new ThreadWaiter(), a, a, -1, FileLocks.F_UNLCK, 0, 4, false);
        Thread.sleep(50);
        assertFalse(waiting.isDone(), "5..9 is still locked");
        FileLocks.released(a);
        waiting.get(5, TimeUnit.SECONDS);
        assertNotNull(FileLocks.test(a, a, true, 0, FileLocks.OFFSET_MAX));
        FileLocks.released(b);
        assertNull(FileLocks.test(a, a, true, 0, FileLocks.OFFSET_MAX));
    }

    @Test
    void blockingFlockWaitsAndIsInterrupted() throws Exception {
        FileLocks.flock(new ThreadWaiter(), a, true, false);
        LinuxException e = assertThrows(LinuxException.class, () -> FileLocks.flock(SIGNALLED, b, false, false));
        assertEquals(Errno.ERESTARTSYS, e.errno(), "EINTR or a restart, decided at signal delivery");
        // flock locks and record locks do not see each other.
        FileLocks.set(SIGNALLED, b, b, -1, FileLocks.F_WRLCK, 0, 0, true);
        assertNotNull(FileLocks.test(a, a, true, 0, 0));
        FileLocks.set(SIGNALLED, b, b, -1, FileLocks.F_UNLCK, 0, FileLocks.OFFSET_MAX, false);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> FileLocks.flock(new ThreadWaiter(), b, false, false));
        Thread.sleep(50);
        assertFalse(waiting.isDone());
        FileLocks.funlock(a);
        waiting.get(5, TimeUnit.SECONDS);
        FileLocks.released(b);
    }

    @Test
    void recordLockInterruptedBySignal() {
        FileLocks.set(new ThreadWaiter(), a, a, -1, FileLocks.F_WRLCK, 0, FileLocks.OFFSET_MAX, false);
        LinuxException e = assertThrows(LinuxException.class, () -> FileLocks.set(SIGNALLED, b, b, -1, FileLocks.F_RDLCK, 3, 3, true));
        assertEquals(Errno.ERESTARTSYS, e.errno(), "EINTR or a restart, decided at signal delivery");
        FileLocks.released(a);
    }
}
