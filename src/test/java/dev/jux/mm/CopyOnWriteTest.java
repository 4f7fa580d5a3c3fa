package dev.jux.mm;

import static dev.jux.mm.AddressSpace.PAGE;
import static dev.jux.mm.AddressSpace.Placement.FIXED;
import static dev.jux.mm.Vma.READ;
import static dev.jux.mm.Vma.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.mm.AddressSpace.FaultResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** fork's copy-on-write: frames shared with reference counts, copied on the first write. */
class CopyOnWriteTest {
    private static final int RW = READ | WRITE;
    private static final long A = 0x2000_0000L;

    private final FakePlatform platform = new FakePlatform();
    private final FrameAllocator frames = new FrameAllocator(platform.ram());
    private final long baseline = frames.usedFrames();
    private final AddressSpace parent = new AddressSpace(platform, frames);

    @AfterEach
    void close() {
        platform.close();
    }

    private long leaf(AddressSpace as, long va) {
        long table = as.pageTableRoot();
        for (int level = 3; level >= 0; level--) {
            long e = platform.ram().getLong(table + 8 * ((va >>> (12 + 9 * level)) & 511));
            if (level == 0) return e;
            if ((e & PageTable.PRESENT) == 0) return 0;
            table = e & PageTable.ADDRESS_MASK;
        }
        throw new AssertionError();
    }

    private long frame(AddressSpace as, long va) {
        return leaf(as, va) & PageTable.ADDRESS_MASK;
    }

    private boolean writable(AddressSpace as, long va) {
        return (leaf(as, va) & PageTable.WRITABLE) != 0;
    }

    private AddressSpace forkWithData() {
        parent.map(A, 2 * PAGE, RW, FIXED, 0, "");
        parent.write(A, new byte[] {1, 2, 3});
        parent.write(A + PAGE, new byte[] {4});
        return parent.fork(0);
    }

    @Test
    void forkSharesEveryFrameReadOnlyAndCountsTheReferences() {
        int flushes = platform.invalidations;
        AddressSpace child = forkWithData();
        for (long va : new long[] {A, A + PAGE}) {
            assertEquals(frame(parent, va), frame(child, va));
            assertEquals(2, frames.references(frame(parent, va)));
            assertTrue(!writable(parent, va) && !writable(child, va));
        }
        assertTrue(platform.invalidations > flushes, "the parent's writable translations are dropped");
        assertArrayEquals(new byte[] {1, 2, 3}, child.read(A, 3));
    }

    @Test
    void aSmallProcessIsCopiedAtOnceAndTheParentKeepsItsWritablePages() {
        parent.map(A, 2 * PAGE, RW, FIXED, 0, "");
        parent.write(A, new byte[] {1, 2, 3});
        int flushes = platform.invalidations;
        AddressSpace child = parent.fork();
        assertNotEquals(frame(parent, A), frame(child, A));
        assertEquals(1, frames.references(frame(parent, A)));
        assertTrue(writable(parent, A) && writable(child, A));
        assertEquals(flushes, platform.invalidations, "nothing of the parent changed");
        child.write(A, new byte[] {9});
        assertArrayEquals(new byte[] {1, 2, 3}, parent.read(A, 3));
        assertArrayEquals(new byte[] {9, 2, 3}, child.read(A, 3));
        child.destroy();
    }

    @Test
    void aWriteFaultCopiesTheFrameAndTheOtherSideKeepsTheOld() {
        AddressSpace child = forkWithData();
        long shared = frame(parent, A);
        assertEquals(FaultResult.RESOLVED, parent.handleFault(A + 1, true, false));
        assertNotEquals(shared, frame(parent, A));
        assertTrue(writable(parent, A));
        assertEquals(shared, frame(child, A));
        assertEquals(1, frames.references(shared));
        assertEquals(1, frames.references(frame(parent, A)));
        parent.write(A, new byte[] {9});
        assertArrayEquals(new byte[] {9, 2, 3}, parent.read(A, 3));
        assertArrayEquals(new byte[] {1, 2, 3}, child.read(A, 3));
    }

    @Test
    void theLastHolderTakesTheFrameBackWithoutCopying() {
        AddressSpace child = forkWithData();
        long shared = frame(child, A);
        parent.handleFault(A, true, false);
        long used = frames.usedFrames();
        assertEquals(FaultResult.RESOLVED, child.handleFault(A, true, false));
        assertEquals(shared, frame(child, A));
        assertTrue(writable(child, A));
        assertEquals(used, frames.usedFrames());
    }

    @Test
    void kernelWritesBreakCopyOnWriteToo() {
        AddressSpace child = forkWithData();
        int flushes = platform.invalidations;
        child.write(A + PAGE, new byte[] {7});
        assertTrue(platform.invalidations > flushes, "the old frame's translation is dropped");
        assertArrayEquals(new byte[] {7}, child.read(A + PAGE, 1));
        assertArrayEquals(new byte[] {4}, parent.read(A + PAGE, 1));
    }

    @Test
    void readOnlyPagesShareAndMprotectDoesNotMakeASharedFrameWritable() {
        parent.map(A, PAGE, READ, FIXED, 0, "");
        parent.load(A, new byte[] {5}, 0, 1);
        AddressSpace child = parent.fork(0);
        assertEquals(frame(parent, A), frame(child, A));
        parent.protect(A, PAGE, RW);
        assertTrue(!writable(parent, A), "still shared: the first write must copy");
        parent.write(A, new byte[] {6});
        assertArrayEquals(new byte[] {5}, child.read(A, 1));
        child.protect(A, PAGE, RW);
        assertTrue(writable(child, A), "no one else holds the frame any more");
    }

    @Test
    void pagesNotYetPresentAreFilledSeparatelyWithFaultAround() {
        parent.map(A, 128 * PAGE, RW, FIXED, 0, "");
        parent.write(A, new byte[] {1});
        AddressSpace child = parent.fork(0);
        long used = frames.usedFrames();
        child.handleFault(A + 70 * PAGE, true, false);
        assertEquals(used + AddressSpace.FAULT_AROUND_PAGES, frames.usedFrames());
        assertEquals(0, leaf(parent, A + 70 * PAGE));
    }

    @Test
    void sharedAnonymousMemoryStaysSharedAcrossFork() {
        parent.map(A, 2 * PAGE, RW, FIXED, Vma.SHARED, "");
        parent.write(A, new byte[] {1});
        AddressSpace child = parent.fork(0);
        assertTrue(writable(child, A));
        child.write(A, new byte[] {2});
        assertArrayEquals(new byte[] {2}, parent.read(A, 1));
        // A page neither had touched before fork is one page for both.
        parent.write(A + PAGE, new byte[] {3});
        assertArrayEquals(new byte[] {3}, child.read(A + PAGE, 1));
        child.destroy();
        parent.destroy();
        assertEquals(baseline, frames.usedFrames());
    }

    @Test
    void forkOfManyMappingsGivesEveryFrameBackWhenBothGo() {
        for (int i = 0; i < 50; i++) {
            long at = A + i * 4 * PAGE;
            parent.map(at, 3 * PAGE, i % 3 == 0 ? READ : RW, FIXED, i % 5 == 0 ? Vma.SHARED : 0, "");
            parent.populate(at, at + 2 * PAGE);
        }
        parent.protect(A + 4 * PAGE, PAGE, 0);
        AddressSpace child = parent.fork(0);
        assertEquals(parent.vmas(), child.vmas());
        for (int i = 0; i < 50; i += 7) {
            long at = A + i * 4 * PAGE;
            child.handleFault(at + PAGE, (i % 3) != 0, false);
            parent.handleFault(at, (i % 3) != 0, false);
        }
        parent.destroy();
        child.destroy();
        assertEquals(baseline, frames.usedFrames());
    }

    @Test
    void protNonePagesKeepTheirDataInTheChild() {
        parent.map(A, PAGE, RW, FIXED, 0, "");
        parent.write(A, new byte[] {8});
        parent.protect(A, PAGE, 0);
        AddressSpace child = parent.fork(0);
        child.protect(A, PAGE, RW);
        assertArrayEquals(new byte[] {8}, child.read(A, 1));
        child.write(A, new byte[] {9});
        parent.protect(A, PAGE, READ);
        assertArrayEquals(new byte[] {8}, parent.read(A, 1));
    }
}
