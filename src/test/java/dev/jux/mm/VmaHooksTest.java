package dev.jux.mm;

import static dev.jux.mm.AddressSpace.PAGE;
import static dev.jux.mm.Vma.READ;
import static dev.jux.mm.Vma.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link VmaHooks}: the count of VMAs that map a counted object (System V shared memory's
 * shm_nattch) through every change of the VMA map: a new mapping, splits by mprotect and
 * munmap, fork, mremap (moved, grown in place, shrunk), mlock and madvise rewrites, shmdt's
 * walk, and the end of an address space. The count never passes 0 while a VMA maps it.
 */
class VmaHooksTest {
    private static final int RW = READ | WRITE;
    private static final long A = 0x2000_0000L;

    private final FakePlatform platform = new FakePlatform();
    private final FrameAllocator frames = new FrameAllocator(platform.ram());
    private final long baseline = frames.usedFrames();
    private final AddressSpace as = new AddressSpace(platform, frames);

    /** Counts as shm_open/shm_close do and records whether it ever dropped to 0 while mapped. */
    private static final class Counter implements VmaHooks {
        final long size;
        int vmas, opened, closed;
        /** Set when a close left no VMA: a rewrite that passes 0 would let shm_close free a removed segment. */
        boolean reachedZero;

        Counter(long size) {
            this.size = size;
        }

        @Override
        public void opened() {
            vmas++;
            opened++;
        }

        @Override
        public void closed() {
            vmas--;
            closed++;
            if (vmas < 0) throw new AssertionError("closed more than opened");
            if (vmas == 0) reachedZero = true;
        }

        @Override
        public long size() {
            return size;
        }
    }

    private final Counter counter = new Counter(4 * PAGE);
    private final SharedPages segment = SharedPages.segment(frames, counter);

    @AfterEach
    void close() {
        platform.close();
    }

    private long attach(long addr) {
        return as.attachShared(addr, counter.size, RW, false, "/SYSV00000000 (deleted)", segment);
    }

    @Test
    void aNewMappingOpensOnceAndShmdtClosesIt() {
        long a = attach(0);
        assertEquals(1, counter.vmas);
        as.write(a, new byte[] {7}, 0, 1);
        assertFalse(as.unmapAttachment(a + PAGE));
        assertTrue(as.unmapAttachment(a));
        assertEquals(0, counter.vmas);
        assertFalse(as.unmapAttachment(a));
        // The segment's own hold keeps the data.
        long b = attach(0);
        byte[] got = new byte[1];
        as.read(b, got, 0, 1);
        assertEquals(7, got[0]);
    }

    @Test
    void splitsCountEveryPieceAndShmdtTakesThemAll() {
        long a = attach(A);
        as.protect(a + PAGE, PAGE, READ);
        assertEquals(3, counter.vmas);
        as.protect(a, 4 * PAGE, READ);            // rewrites every piece: never through 0
        assertEquals(3, counter.vmas);
        assertFalse(counter.reachedZero);
        as.unmap(a + 3 * PAGE, PAGE);              // the last piece shrinks
        assertEquals(3, counter.vmas);
        assertTrue(as.unmapAttachment(a));
        assertEquals(0, counter.vmas);
        assertTrue(as.vmas().isEmpty());
    }

    @Test
    void shmdtFindsAnAttachmentWhoseFirstPageWasUnmapped() {
        long a = attach(A);
        as.unmap(a, PAGE);
        assertEquals(1, counter.vmas);
        assertFalse(as.unmapAttachment(a + PAGE));  // its offset says it was attached at a
        assertTrue(as.unmapAttachment(a));
        assertEquals(0, counter.vmas);
    }

    @Test
    void anAddressInTheWayIsEinvalUnlessReplaced() {
        as.map(A, 2 * PAGE, RW, AddressSpace.Placement.FIXED, 0, "");
        assertEquals(Errno.EINVAL, assertThrows(LinuxException.class, () -> attach(A)).errno());
        assertEquals(0, counter.vmas);
        assertEquals(A, as.attachShared(A, counter.size, READ, true, "", segment));
        assertEquals(1, counter.vmas);
        assertEquals(Errno.EACCES, assertThrows(LinuxException.class, () -> as.protect(A, PAGE, RW)).errno());
    }

    @Test
    void forkOpensTheChildsCopiesAndItsEndClosesThem() {
        long a = attach(A);
        as.protect(a, PAGE, READ);
        AddressSpace child = as.fork();
        assertEquals(4, counter.vmas);
        child.destroy();
        assertEquals(2, counter.vmas);
        as.destroy();
        assertEquals(0, counter.vmas);
    }

    @Test
    void mremapMovesGrowsAndShrinksWithoutPassingZero() {
        long a = attach(A);
        long moved = as.remap(a, 4 * PAGE, 4 * PAGE, true, A + 16 * PAGE, false);
        assertEquals(1, counter.vmas);
        assertEquals(2, counter.opened);
        assertFalse(as.unmapAttachment(a));
        long grown = as.remap(moved, 4 * PAGE, 6 * PAGE, false, -1, false);   // in place
        assertEquals(moved, grown);
        assertEquals(1, counter.vmas);
        as.remap(moved, 6 * PAGE, 2 * PAGE, false, -1, false);
        assertEquals(1, counter.vmas);
        assertFalse(counter.reachedZero);
        assertTrue(as.unmapAttachment(moved));
        assertEquals(0, counter.vmas);
    }

    @Test
    void locksAndAdviceRewriteWithoutPassingZero() {
        long a = attach(A);
        as.lock(a, 2 * PAGE, Vma.LOCKED);
        assertEquals(2, counter.vmas);
        as.advise(a + 2 * PAGE, PAGE, dev.jux.abi.Madvise.MADV_DONTFORK);
        assertEquals(3, counter.vmas);
        as.lock(A, 4 * PAGE, 0);
        assertEquals(3, counter.vmas);
        assertFalse(counter.reachedZero);
        as.unmap(A, 4 * PAGE);
        assertEquals(0, counter.vmas);
    }

    @Test
    void theFramesGoWithTheLastOfTheHoldAndTheMappings() {
        long a = attach(A);
        as.write(a, new byte[] {1}, 0, 1);
        segment.release();                        // IPC_RMID while attached
        assertTrue(segment.residentPages() > 0);
        as.unmap(a, 4 * PAGE);
        assertEquals(0, segment.residentPages());
        as.destroy();
        assertEquals(baseline, frames.usedFrames());
    }
}
