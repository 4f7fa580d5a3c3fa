package dev.jux.fs.lock;

import static dev.jux.testing.TestWaiters.SIGNALLED;

import static org.junit.jupiter.api.Assertions.*;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.File;
import dev.jux.fs.pipe.PipeEnd;
import dev.jux.testing.TestWaiters.Parking;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Blocking lock requests: woken when the conflicting lock goes, ERESTARTSYS when a signal comes. */
class FileLocksTest {
    private final PipeEnd[] ends = PipeEnd.create(0, 0, 0);
    private final File a = ends[0], b = ends[1];

    @Test
    void setlkwWaitsForTheConflictingLockToGo() throws Exception {
        FileLocks.set(new Parking(), a, a, -1, FileLocks.F_WRLCK, 0, 9, false);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(
                () -> FileLocks.set(new Parking(), b, b, -1, FileLocks.F_RDLCK, 5, 20, true));
        Thread.sleep(50);
        assertFalse(waiting.isDone());
        FileLocks.set(new Parking(), a, a, -1, FileLocks.F_UNLCK, 0, 4, false);
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
        FileLocks.flock(new Parking(), a, true, false);
        LinuxException e = assertThrows(LinuxException.class, () -> FileLocks.flock(SIGNALLED, b, false, false));
        assertEquals(Errno.ERESTARTSYS, e.errno(), "EINTR or a restart, decided at signal delivery");
        // flock locks and record locks do not see each other.
        FileLocks.set(SIGNALLED, b, b, -1, FileLocks.F_WRLCK, 0, 0, true);
        assertNotNull(FileLocks.test(a, a, true, 0, 0));
        FileLocks.set(SIGNALLED, b, b, -1, FileLocks.F_UNLCK, 0, FileLocks.OFFSET_MAX, false);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> FileLocks.flock(new Parking(), b, false, false));
        Thread.sleep(50);
        assertFalse(waiting.isDone());
        FileLocks.funlock(a);
        waiting.get(5, TimeUnit.SECONDS);
        FileLocks.released(b);
    }

    @Test
    void recordLockInterruptedBySignal() {
        FileLocks.set(new Parking(), a, a, -1, FileLocks.F_WRLCK, 0, FileLocks.OFFSET_MAX, false);
        LinuxException e = assertThrows(LinuxException.class, () -> FileLocks.set(SIGNALLED, b, b, -1, FileLocks.F_RDLCK, 3, 3, true));
        assertEquals(Errno.ERESTARTSYS, e.errno(), "EINTR or a restart, decided at signal delivery");
        FileLocks.released(a);
    }
}
