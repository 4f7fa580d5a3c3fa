package dev.jux.mm;

import static dev.jux.mm.AddressSpace.PAGE;
import static dev.jux.mm.AddressSpace.Placement.FIXED;
import static dev.jux.mm.Vma.READ;
import static dev.jux.mm.Vma.WRITE;
import static org.junit.jupiter.api.Assertions.*;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Madvise;
import dev.jux.mm.AddressSpace.FaultResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Stack growth, madvise's per-VMA advice, mlock accounting and the limits of an address space. */
class MemoryPolicyTest {
    private static final int RW = READ | WRITE;
    private static final long TOP = 0x4000_0000L;

    private final FakePlatform platform = new FakePlatform();
    private final FrameAllocator frames = new FrameAllocator(platform.ram());
    private final AddressSpace as = new AddressSpace(platform, frames);

    @AfterEach
    void close() {
        platform.close();
    }

    private static void assertErrno(Errno expected, Executable call) {
        assertEquals(expected, assertThrows(LinuxException.class, call).errno());
    }

    private static MemoryLimits limits(long as, long data, long stack) {
        return new MemoryLimits() {
            @Override public long addressSpace() { return as; }
            @Override public long data() { return data; }
            @Override public long stack() { return stack; }
        };
    }

    @Test
    void aFaultBelowAStackGrowsItUpToTheStackLimit() {
        as.adoptLimits(limits(-1, -1, 64 * PAGE));
        as.map(TOP - 4 * PAGE, 4 * PAGE, RW, FIXED, Vma.GROWS_DOWN, "[stack]");
        assertEquals(FaultResult.RESOLVED, as.handleFault(TOP - 10 * PAGE + 8, true, false));
        assertEquals(TOP - 10 * PAGE, as.stackStart());
        as.write(TOP - 20 * PAGE, new byte[] {1}, 0, 1);          // the kernel's access grows it too
        assertEquals(TOP - 20 * PAGE, as.stackStart());
        assertEquals(FaultResult.MAPERR, as.handleFault(TOP - 65 * PAGE, true, false));
        assertEquals(FaultResult.RESOLVED, as.handleFault(TOP - 64 * PAGE, true, false));
    }

    @Test
    void aStackDoesNotGrowIntoTheGuardGapOfAMappingBelow() {
        as.map(TOP - PAGE, PAGE, RW, FIXED, Vma.GROWS_DOWN, "");
        as.map(TOP - 200 * PAGE, PAGE, READ, FIXED, 0, "");
        assertEquals(FaultResult.MAPERR, as.handleFault(TOP - 2 * PAGE, false, false));
        as.protect(TOP - 200 * PAGE, PAGE, 0);                    // an inaccessible mapping has no gap
        assertEquals(FaultResult.RESOLVED, as.handleFault(TOP - 2 * PAGE, false, false));
    }

    @Test
    void forkLeavesOutDontforkAreasAndWipesWipeonforkOnes() {
        long a = as.map(TOP, 2 * PAGE, RW, FIXED, 0, "");
        long b = as.map(TOP + 4 * PAGE, PAGE, RW, FIXED, 0, "");
        as.write(a, new byte[] {7}, 0, 1);
        as.write(a + PAGE, new byte[] {8}, 0, 1);
        as.write(b, new byte[] {9}, 0, 1);
        as.advise(a, PAGE, Madvise.MADV_WIPEONFORK);
        as.advise(b, PAGE, Madvise.MADV_DONTFORK);
        AddressSpace child = as.fork(0);
        byte[] one = new byte[1];
        child.read(a, one, 0, 1);
        assertEquals(0, one[0]);
        child.read(a + PAGE, one, 0, 1);
        assertEquals(8, one[0]);
        assertNull(child.findVma(b));
        as.read(a, one, 0, 1);
        assertEquals(7, one[0]);
        child.destroy();
    }

    @Test
    void lockedBytesCountLockedAreasOnceAndForkDropsThem() {
        long a = as.map(TOP, 8 * PAGE, RW, FIXED, 0, "");
        as.lock(a, 4 * PAGE, Vma.LOCKED);
        as.lock(a, 2 * PAGE, Vma.LOCKED);
        assertEquals(4 * PAGE, as.lockedBytes());
        assertEquals(4, as.residentPages());
        as.lock(a + 4 * PAGE, 4 * PAGE, Vma.LOCKED | Vma.LOCK_ON_FAULT);
        assertEquals(8 * PAGE, as.lockedBytes());
        assertEquals(4, as.residentPages());
        AddressSpace child = as.fork(0);
        assertEquals(0, child.lockedBytes());
        child.destroy();
        as.unmap(a, 2 * PAGE);
        assertEquals(6 * PAGE, as.lockedBytes());
        assertErrno(Errno.ENOMEM, () -> as.lock(a, 4 * PAGE, 0));  // starts in a hole: nothing changes
        assertEquals(6 * PAGE, as.lockedBytes());
        as.lock(a + 2 * PAGE, 2 * PAGE, 0);
        assertEquals(4 * PAGE, as.lockedBytes());
    }

    @Test
    void limitsAndTheOvercommitHeuristicRefuseMappingsWithEnomem() {
        // 64 MiB of guest RAM: one accountable mapping may not be bigger.
        assertErrno(Errno.ENOMEM, () -> as.map(0, 128L << 20, RW, AddressSpace.Placement.HINT, 0, ""));
        as.map(0, 128L << 20, RW, AddressSpace.Placement.HINT, Vma.NORESERVE, "");
        as.map(0, 128L << 20, READ, AddressSpace.Placement.HINT, 0, "");
        AddressSpace limited = new AddressSpace(platform, frames);
        limited.adoptLimits(limits(16 * PAGE, 8 * PAGE, 8L << 20));
        limited.map(TOP, 8 * PAGE, RW, FIXED, 0, "");
        assertErrno(Errno.ENOMEM, () -> limited.map(0, PAGE, RW, AddressSpace.Placement.HINT, 0, ""));   // RLIMIT_DATA
        limited.map(0, 4 * PAGE, READ, AddressSpace.Placement.HINT, 0, "");
        assertErrno(Errno.ENOMEM, () -> limited.map(0, 8 * PAGE, READ, AddressSpace.Placement.HINT, 0, ""));  // RLIMIT_AS
        limited.map(TOP, 8 * PAGE, RW, FIXED, 0, "");                                          // replaces: no growth
        limited.setBrkStart(0x1000_0000L);
        assertEquals(0x1000_0000L, limited.brk(0x1000_0000L + PAGE));                          // refused
        limited.destroy();
    }

    @Test
    void protectingAWholeSharedMappingKeepsItsPages() {
        long a = as.map(TOP, PAGE, RW, FIXED, Vma.SHARED, "");
        as.write(a, new byte[] {5}, 0, 1);
        as.protect(a, PAGE, READ);
        AddressSpace child = as.fork(0);
        byte[] one = new byte[1];
        child.read(a, one, 0, 1);
        assertEquals(5, one[0]);
        child.destroy();
    }
}
