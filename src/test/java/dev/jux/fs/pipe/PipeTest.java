package dev.jux.fs.pipe;

import static dev.jux.testing.TestWaiters.SIGNALLED;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Poll;
import dev.jux.testing.TestWaiters.Parking;
import dev.jux.wait.ReadinessWait;
import dev.jux.wait.Waiter;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pipe readiness and wake-ups, and the FIFO open rules, without a guest. */
class PipeTest {
    private static MemorySegment bytes(String s) {
        return MemorySegment.ofArray(s.getBytes());
    }

    @Test
    void readinessFollowsDataAndClosedEnds() {
        PipeEnd[] ends = PipeEnd.create(0, 0, 0);
        assertEquals(0, ends[0].poll(null));
        assertEquals(Poll.POLLOUT | Poll.POLLWRNORM, ends[1].poll(null));
        ends[1].write(SIGNALLED, bytes("x"));
        assertEquals(Poll.POLLIN | Poll.POLLRDNORM, ends[0].poll(null));
        ends[1].release();
        assertEquals(Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLHUP, ends[0].poll(null));
        PipeEnd[] other = PipeEnd.create(0, 0, 0);
        other[0].release();
        assertEquals(Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLERR, other[1].poll(null));
    }

    @Test
    void aPollWaitWakesWhenAnotherThreadWrites() throws Exception {
        PipeEnd[] ends = PipeEnd.create(0, 0, 0);
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> ReadinessWait.await(new Parking(),
                table -> (ends[0].poll(table) & Poll.POLLIN) != 0 ? 1 : 0, Waiter.FOREVER));
        Thread.sleep(50);
        assertFalse(waiting.isDone());
        ends[1].write(SIGNALLED, bytes("wake"));
        assertEquals(1, waiting.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aPollWaitTimesOut() {
        PipeEnd[] ends = PipeEnd.create(0, 0, 0);
        long start = System.nanoTime();
        int r = ReadinessWait.await(new Parking(), t -> ends[0].poll(t) != 0 ? 1 : 0, start + 20_000_000L);
        assertEquals(0, r);
        assertTrue(System.nanoTime() - start >= 20_000_000L);
        assertEquals(ReadinessWait.INTERRUPTED, ReadinessWait.await(SIGNALLED, t -> ends[0].poll(t) != 0 ? 1 : 0, Waiter.FOREVER));
    }

    @Test
    void blockingCallsInterruptedBySignalsAskForARestart() {
        PipeEnd[] ends = PipeEnd.create(0, 0, 0);
        LinuxException e = assertThrows(LinuxException.class, () -> ends[0].read(SIGNALLED, MemorySegment.ofArray(new byte[4])));
        assertEquals(Errno.ERESTARTSYS, e.errno());
        ends[1].write(SIGNALLED, MemorySegment.ofArray(new byte[65536]));
        e = assertThrows(LinuxException.class, () -> ends[1].write(SIGNALLED, bytes("x")));
        assertEquals(Errno.ERESTARTSYS, e.errno());
    }

    @Test
    void fifoOpenRules() throws Exception {
        Object inode = new Object();
        LinuxException e = assertThrows(LinuxException.class, () -> FifoEnd.open(inode, OpenFlags.O_WRONLY | OpenFlags.O_NONBLOCK, null));
        assertEquals(Errno.ENXIO, e.errno());
        assertFalse(FifoEnd.hasPipe(inode));

        // O_RDONLY waits for a writer; a signal undoes the open.
        e = assertThrows(LinuxException.class, () -> FifoEnd.open(inode, OpenFlags.O_RDONLY, SIGNALLED));
        assertEquals(Errno.ERESTARTSYS, e.errno());
        assertFalse(FifoEnd.hasPipe(inode));

        CompletableFuture<FifoEnd> reader = CompletableFuture.supplyAsync(() -> FifoEnd.open(inode, OpenFlags.O_RDONLY, new Parking()));
        Thread.sleep(50);
        assertFalse(reader.isDone());
        FifoEnd writer = FifoEnd.open(inode, OpenFlags.O_WRONLY, null); // a reader is there: no wait
        FifoEnd r = reader.get(5, TimeUnit.SECONDS);
        assertEquals(r.pipe(), writer.pipe());
        writer.write(SIGNALLED, bytes("hi"), 0);
        assertEquals(2, r.pipe().available());

        FifoEnd rw = FifoEnd.open(inode, OpenFlags.O_RDWR, SIGNALLED); // never waits
        writer.release();
        r.release();
        assertTrue(FifoEnd.hasPipe(inode));
        rw.release();
        assertFalse(FifoEnd.hasPipe(inode), "the last opener takes the pipe with it");
    }

    @Test
    void aNonBlockingReaderSeesNoHangUpBeforeAnyWriter() {
        Object inode = new Object();
        FifoEnd r = FifoEnd.open(inode, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK, null);
        assertEquals(0, r.poll(null));
        FifoEnd w = FifoEnd.open(inode, OpenFlags.O_WRONLY | OpenFlags.O_NONBLOCK, null);
        w.release();
        assertEquals(Poll.POLLHUP, r.poll(null));
        r.release();
    }

    @Test
    void packetsAndCapacity() {
        PipeEnd[] ends = PipeEnd.create(OpenFlags.O_DIRECT | OpenFlags.O_NONBLOCK, 0, 0);
        ends[1].write(SIGNALLED, bytes("abc"));
        ends[1].write(SIGNALLED, bytes("de"));
        assertEquals(2, ends[0].read(SIGNALLED, MemorySegment.ofArray(new byte[2])));
        assertEquals(2, ends[0].read(SIGNALLED, MemorySegment.ofArray(new byte[10])), "the rest of packet 1 was dropped");
        Pipe p = ends[0].pipe();
        assertEquals(8192, p.setCapacity(5000));
        assertEquals(4096, p.setCapacity(0));
        assertThrows(LinuxException.class, () -> p.setCapacity((1L << 31) + 1));
    }
}
