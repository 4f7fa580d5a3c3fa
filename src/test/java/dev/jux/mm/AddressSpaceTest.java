package dev.jux.mm;

import static dev.jux.mm.AddressSpace.MMAP_BASE;
import static dev.jux.mm.AddressSpace.PAGE;
import static dev.jux.mm.AddressSpace.Placement.FIXED;
import static dev.jux.mm.AddressSpace.Placement.FIXED_NOREPLACE;
import static dev.jux.mm.AddressSpace.Placement.HINT;
import static dev.jux.mm.Vma.EXEC;
import static dev.jux.mm.Vma.READ;
import static dev.jux.mm.Vma.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.mm.AddressSpace.FaultResult;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AddressSpaceTest {
    private static final int RW = READ | WRITE;
    private static final long A = 0x2000_0000L;   // a free, aligned address for fixed mappings

    private final FakePlatform platform = new FakePlatform();
    private final FrameAllocator frames = new FrameAllocator(platform.ram());
    private final long baseline = frames.usedFrames();
    private final AddressSpace as = new AddressSpace(platform, frames);

    @AfterEach
    void close() {
        platform.close();
    }

    private static void assertErrno(Errno expected, Executable call) {
        assertEquals(expected, assertThrows(LinuxException.class, call).errno());
    }

    private static byte[] bytes(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private long fixed(long addr, long len, int prot) {
        return as.map(addr, len, prot, FIXED, 0, "");
    }

    /** The leaf page-table entry for {@code va}, read straight from guest RAM (0 if absent). */
    private long leaf(long va) {
        long table = as.pageTableRoot();
        for (int level = 3; level >= 0; level--) {
            long e = platform.ram().getLong(table + 8 * ((va >>> (12 + 9 * level)) & 511));
            if (level == 0) return e;
            if ((e & PageTable.PRESENT) == 0) return 0;
            table = e & PageTable.ADDRESS_MASK;
        }
        throw new AssertionError();
    }

    private boolean present(long va) {
        return (leaf(va) & PageTable.PRESENT) != 0;
    }

    // ---- mmap ----

    @Test
    void aFreeHintIsTakenAsIs() {
        assertEquals(A, as.map(A, 3 * PAGE, RW, HINT, 0, ""));
        assertEquals(List.of(new Vma(A, A + 3 * PAGE, RW, 0, "")), as.vmas());
    }

    @Test
    void withoutAUsableHintMappingsGoTopDownBelowMmapBase() {
        assertEquals(MMAP_BASE - PAGE, as.map(0, 1, RW, HINT, 0, ""));
        assertEquals(MMAP_BASE - 3 * PAGE, as.map(0, 2 * PAGE, RW, HINT, 0, ""));
        // A hint that overlaps a mapping is only a hint: the next free gap is used instead.
        assertEquals(MMAP_BASE - 4 * PAGE, as.map(MMAP_BASE - 2 * PAGE, PAGE, RW, HINT, 0, ""));
    }

    @Test
    void anUnalignedHintIsRoundedDown() {
        assertEquals(A, as.map(A + 0x123, PAGE, RW, HINT, 0, ""));
    }

    @Test
    void aHintBelowMmapMinIsRaisedToIt() {
        // Linux's round_hint_to_min: a non-zero hint under mmap_min_addr becomes mmap_min_addr.
        assertEquals(AddressSpace.MMAP_MIN, as.map(0x1000, PAGE, RW, HINT, 0, ""));
    }

    @Test
    void fixedReplacesWhatWasThere() {
        fixed(A, 3 * PAGE, RW);
        as.write(A, bytes(3 * (int) PAGE, 7));
        long used = frames.usedFrames();
        assertEquals(A + PAGE, fixed(A + PAGE, PAGE, READ));
        assertEquals(List.of(new Vma(A, A + PAGE, RW, 0, ""), new Vma(A + PAGE, A + 2 * PAGE, READ, 0, ""),
                new Vma(A + 2 * PAGE, A + 3 * PAGE, RW, 0, "")), as.vmas());
        assertEquals(used - 1, frames.usedFrames());
        assertArrayEquals(new byte[16], as.read(A + PAGE, 16));
        assertArrayEquals(bytes(16, 7), as.read(A + 2 * PAGE, 16));
    }

    @Test
    void fixedNoReplaceFailsWithEexistOverAMapping() {
        fixed(A, 2 * PAGE, RW);
        assertErrno(Errno.EEXIST, () -> as.map(A + PAGE, 2 * PAGE, RW, FIXED_NOREPLACE, 0, ""));
        assertEquals(A + 2 * PAGE, as.map(A + 2 * PAGE, PAGE, RW, FIXED_NOREPLACE, 0, ""));
    }

    @Test
    void fixedAddressesMustBeAlignedAndInsideUserSpace() {
        assertErrno(Errno.EINVAL, () -> fixed(A + 1, PAGE, RW));
        assertErrno(Errno.ENOMEM, () -> fixed(AddressSpace.TASK_SIZE - PAGE, 2 * PAGE, RW));
        assertErrno(Errno.EINVAL, () -> as.map(A, 0, RW, HINT, 0, ""));
    }

    @Test
    void nothingIsMappedBelowMmapMin() {
        assertErrno(Errno.EPERM, () -> fixed(AddressSpace.MMAP_MIN - PAGE, PAGE, RW));
        assertErrno(Errno.EPERM, () -> as.map(0, PAGE, RW, FIXED_NOREPLACE, 0, ""));
        assertEquals(AddressSpace.MMAP_MIN, fixed(AddressSpace.MMAP_MIN, PAGE, RW));
    }

    // ---- munmap ----

    @Test
    void unmappingTheMiddleSplitsTheVmaAndFreesItsFrames() {
        fixed(A, 3 * PAGE, RW);
        as.write(A, bytes(3 * (int) PAGE, 1));
        long used = frames.usedFrames();
        as.unmap(A + PAGE, PAGE);
        assertEquals(List.of(new Vma(A, A + PAGE, RW, 0, ""), new Vma(A + 2 * PAGE, A + 3 * PAGE, RW, 0, "")), as.vmas());
        assertEquals(used - 1, frames.usedFrames());
        assertFalse(present(A + PAGE));
        assertErrno(Errno.EFAULT, () -> as.read(A + PAGE, 1));
        assertArrayEquals(bytes(1, 1), as.read(A + 2 * PAGE, 1));
    }

    @Test
    void unmappingHolesIsFineButTheAddressMustBeAligned() {
        fixed(A, PAGE, RW);
        as.unmap(A - 4 * PAGE, 10 * PAGE);
        assertTrue(as.vmas().isEmpty());
        assertErrno(Errno.EINVAL, () -> as.unmap(A + 1, PAGE));
        assertErrno(Errno.EINVAL, () -> as.unmap(A, 0));
    }

    @Test
    void unmappingOutsideUserSpaceIsEinval() {
        // Linux: start > TASK_SIZE or len > TASK_SIZE - start.
        assertErrno(Errno.EINVAL, () -> as.unmap(FakePlatform.KERNEL_PAGE, PAGE));
        assertErrno(Errno.EINVAL, () -> as.unmap(AddressSpace.TASK_SIZE, PAGE));
        assertErrno(Errno.EINVAL, () -> as.unmap(AddressSpace.TASK_SIZE - PAGE, 2 * PAGE));
        as.unmap(AddressSpace.TASK_SIZE - PAGE, PAGE);
    }

    // ---- mprotect ----

    @Test
    void protectingAHoleIsEnomem() {
        fixed(A, PAGE, RW);
        assertErrno(Errno.ENOMEM, () -> as.protect(A + PAGE, PAGE, READ));
        assertErrno(Errno.EINVAL, () -> as.protect(A + 1, PAGE, READ));
    }

    @Test
    void protectingAcrossAHoleChangesThePagesBeforeIt() {
        // Linux changes VMA after VMA and stops with ENOMEM at the first hole, keeping what it
        // changed; a range that starts in a hole changes nothing.
        fixed(A, 2 * PAGE, RW);
        fixed(A + 3 * PAGE, PAGE, RW);
        assertErrno(Errno.ENOMEM, () -> as.protect(A + PAGE, 3 * PAGE, READ));
        assertEquals(List.of(new Vma(A, A + PAGE, RW, 0, ""), new Vma(A + PAGE, A + 2 * PAGE, READ, 0, ""),
                new Vma(A + 3 * PAGE, A + 4 * PAGE, RW, 0, "")), as.vmas());
        assertErrno(Errno.ENOMEM, () -> as.protect(A - PAGE, 2 * PAGE, READ));
        assertEquals(RW, as.findVma(A).prot());
    }

    @Test
    void protectingPartOfAVmaSplitsIt() {
        fixed(A, 3 * PAGE, RW);
        as.protect(A + PAGE, 1, READ);
        assertEquals(List.of(new Vma(A, A + PAGE, RW, 0, ""), new Vma(A + PAGE, A + 2 * PAGE, READ, 0, ""),
                new Vma(A + 2 * PAGE, A + 3 * PAGE, RW, 0, "")), as.vmas());
    }

    @Test
    void protNoneKeepsTheDataForLater() {
        fixed(A, PAGE, RW);
        as.write(A, "hello".getBytes(StandardCharsets.US_ASCII));
        as.protect(A, PAGE, 0);
        assertFalse(present(A));
        assertErrno(Errno.EFAULT, () -> as.read(A, 5));
        assertEquals(FaultResult.ACCERR, as.handleFault(A, false, false));
        as.protect(A, PAGE, RW);
        assertEquals("hello", new String(as.read(A, 5), StandardCharsets.US_ASCII));
    }

    @Test
    void readOnlyPagesCanBeReadButNotWrittenByTheKernel() {
        fixed(A, PAGE, RW);
        as.writeInt(A, 42);
        as.protect(A, PAGE, READ);
        assertEquals(42, as.readInt(A));
        assertErrno(Errno.EFAULT, () -> as.writeInt(A, 1));
        assertEquals(0, leaf(A) & PageTable.WRITABLE);
        // The loader writes read-only segments regardless.
        as.load(A, new byte[] {9}, 0, 1);
        assertEquals(9, as.read(A, 1)[0]);
    }

    // ---- brk ----

    @Test
    void brkGrowsAndShrinksTheHeap() {
        as.setBrkStart(0x600123);
        assertEquals(0x601000, as.brkStart());
        assertEquals(0x601000, as.brk(0));
        assertEquals(0x603800, as.brk(0x603800));
        assertEquals(List.of(new Vma(0x601000, 0x604000, RW, 0, "[heap]")), as.vmas());
        as.write(0x603fff, new byte[] {1});
        assertEquals(0x605000, as.brk(0x605000));
        assertEquals(List.of(new Vma(0x601000, 0x605000, RW, 0, "[heap]")), as.vmas());
        assertEquals(0x602000, as.brk(0x602000));
        assertEquals(List.of(new Vma(0x601000, 0x602000, RW, 0, "[heap]")), as.vmas());
        assertErrno(Errno.EFAULT, () -> as.read(0x603fff, 1));
        // Growing again brings zeros back, not the old bytes.
        as.brk(0x604000);
        assertArrayEquals(new byte[1], as.read(0x603fff, 1));
    }

    @Test
    void brkBelowItsStartIsRefused() {
        as.setBrkStart(0x601000);
        as.brk(0x602000);
        assertEquals(0x602000, as.brk(0x600000));
    }

    @Test
    void brkRefusesToRunIntoAMapping() {
        as.setBrkStart(0x601000);
        fixed(0x610000, PAGE, RW);
        assertEquals(0x601000, as.brk(0x611000));
        assertEquals(0x601000, as.brk(0x620000));
        assertEquals(List.of(new Vma(0x610000, 0x611000, RW, 0, "")), as.vmas());
    }

    @Test
    void brkKeepsAFreePageBelowTheNextMapping() {
        // Linux's brk fails unless newbrk + PAGE_SIZE <= the next VMA's start (measured).
        as.setBrkStart(0x601000);
        fixed(0x610000, PAGE, RW);
        assertEquals(0x601000, as.brk(0x610000));
        assertEquals(0x601000, as.brk(0x60f001));
        assertEquals(0x60f000, as.brk(0x60f000));
    }

    @Test
    void brkKeepsTheStackGuardGapBelowAStack() {
        as.setBrkStart(0x601000);
        as.map(0x800000, 16 * PAGE, RW, FIXED, Vma.GROWS_DOWN, "[stack]");
        assertEquals(0x601000, as.brk(0x800000 - 0x100000));
        assertEquals(0x800000 - 0x101000, as.brk(0x800000 - 0x101000));
    }

    // ---- madvise(MADV_DONTNEED) ----

    @Test
    void discardedPagesReadAsZeros() {
        fixed(A, 2 * PAGE, RW);
        as.write(A, bytes(2 * (int) PAGE, 3));
        long used = frames.usedFrames();
        as.discard(A, 2 * PAGE);
        assertEquals(used - 2, frames.usedFrames());
        assertEquals(List.of(new Vma(A, A + 2 * PAGE, RW, 0, "")), as.vmas());
        assertArrayEquals(new byte[2 * (int) PAGE], as.read(A, 2 * (int) PAGE));
    }

    @Test
    void discardingAHoleIsEnomem() {
        fixed(A, PAGE, RW);
        assertErrno(Errno.ENOMEM, () -> as.discard(A, 2 * PAGE));
    }

    @Test
    void discardingAcrossHolesDropsTheMappedPagesAndIsEnomem() {
        // Linux's madvise walks every VMA in the range, then reports the holes with ENOMEM.
        fixed(A + PAGE, PAGE, RW);
        fixed(A + 3 * PAGE, PAGE, RW);
        as.write(A + PAGE, new byte[] {5});
        as.write(A + 3 * PAGE, new byte[] {6});
        assertErrno(Errno.ENOMEM, () -> as.discard(A, 4 * PAGE));
        assertArrayEquals(new byte[1], as.read(A + PAGE, 1));
        assertArrayEquals(new byte[1], as.read(A + 3 * PAGE, 1));
    }

    // ---- page faults ----

    @Test
    void faultsOutsideEveryVmaAreMaperr() {
        fixed(A, PAGE, RW);
        assertEquals(FaultResult.MAPERR, as.handleFault(A + PAGE, false, false));
        assertEquals(FaultResult.MAPERR, as.handleFault(0, true, false));
        assertEquals(FaultResult.MAPERR, as.handleFault(-4096, false, false));
    }

    @Test
    void faultsTheVmaForbidsAreAccerr() {
        fixed(A, PAGE, READ);
        fixed(A + PAGE, PAGE, 0);
        fixed(A + 2 * PAGE, PAGE, WRITE);
        assertEquals(FaultResult.ACCERR, as.handleFault(A, true, false));
        assertEquals(FaultResult.ACCERR, as.handleFault(A, false, true));
        assertEquals(FaultResult.ACCERR, as.handleFault(A + PAGE, false, false));
        // On x86 a write-only mapping can be read.
        assertEquals(FaultResult.RESOLVED, as.handleFault(A + 2 * PAGE, false, false));
        assertEquals(FaultResult.RESOLVED, as.handleFault(A, false, false));
    }

    @Test
    void aFaultMapsTheAlignedWindowAroundItWithinTheVma() {
        int w = AddressSpace.FAULT_AROUND_PAGES, n = w + 4;
        fixed(A, n * PAGE, RW);
        assertEquals(FaultResult.RESOLVED, as.handleFault(A + (w + 1) * PAGE + 5, true, false));
        for (int i = 0; i < n; i++) assertEquals(i >= w, present(A + i * PAGE), "page " + i);
        assertEquals(FaultResult.RESOLVED, as.handleFault(A + 3 * PAGE, false, false));
        for (int i = 0; i < n; i++) assertTrue(present(A + i * PAGE), "page " + i);
        assertFalse(present(A + n * PAGE));
    }

    @Test
    void filledPagesCarryTheVmasPermissions() {
        fixed(A, PAGE, RW);
        fixed(A + PAGE, PAGE, READ | EXEC);
        as.populate(A, A + 2 * PAGE);
        long rw = leaf(A), rx = leaf(A + PAGE);
        long u = PageTable.PRESENT | PageTable.USER;
        assertEquals(u | PageTable.WRITABLE | PageTable.NO_EXECUTE, rw & (u | PageTable.WRITABLE | PageTable.NO_EXECUTE));
        assertEquals(u, rx & (u | PageTable.WRITABLE | PageTable.NO_EXECUTE));
    }

    @Test
    void aFaultOnAPresentPageFlushesStaleTranslations() {
        fixed(A, PAGE, RW);
        as.populate(A, A + PAGE);
        assertEquals(0, platform.invalidations);
        assertEquals(FaultResult.RESOLVED, as.handleFault(A, true, false));
        assertEquals(1, platform.invalidations);
    }

    @Test
    void aSingleThreadedProcessNarrowsOnFreshTablesInsteadOfFlushing() {
        platform.freshTables = true;
        var cpu = new FakePlatform.RootRecorder();
        as.attach(cpu);
        fixed(A, 4 * PAGE, RW);
        as.populate(A, A + 4 * PAGE);
        long before = as.pageTableRoot();
        assertEquals(before, cpu.root);
        as.protect(A, PAGE, READ);
        as.unmap(A + PAGE, PAGE);
        assertEquals(FaultResult.RESOLVED, as.handleFault(A + 2 * PAGE, true, false));   // a stale translation
        assertEquals(0, platform.invalidations);
        assertNotEquals(before, as.pageTableRoot());
        assertEquals(as.pageTableRoot(), cpu.root, "the CPU is pointed at the new tables");
        assertEquals(3 * 4, platform.retiredFrames, "each change replaced the root and the three tables of its path");
        assertEquals(0, leaf(A) & PageTable.WRITABLE);
        assertEquals(0, leaf(A + PAGE));
        assertEquals(FaultResult.ACCERR, as.handleFault(A, true, false));
        as.destroy();
        platform.releaseRetired();
        assertEquals(baseline, frames.usedFrames());
    }

    @Test
    void anotherThreadsChangeOrASecondCpuStillFlushes() throws Exception {
        platform.freshTables = true;
        var cpu = new FakePlatform.RootRecorder();
        Thread other = new Thread(() -> as.attach(cpu));
        other.start();
        other.join();
        fixed(A, 2 * PAGE, RW);
        as.populate(A, A + 2 * PAGE);
        long root = as.pageTableRoot();
        as.protect(A, PAGE, READ);                   // the CPU runs on another thread: it may be in the guest
        assertEquals(1, platform.invalidations);
        assertEquals(root, as.pageTableRoot());
        var second = new FakePlatform.RootRecorder();
        as.attach(second);
        as.detach(cpu);
        as.attach(cpu);                              // now two CPUs, both of this thread
        long used = frames.usedFrames();
        as.unmap(A + PAGE, PAGE);
        assertEquals(2, platform.invalidations);
        // The other CPU may still store into the unmapped page until the flush: its frame is
        // not free before then (a frame allocated meanwhile would receive those stores).
        assertEquals(1, platform.retiredFrames);
        assertEquals(used, frames.usedFrames());
        platform.releaseRetired();
        assertEquals(used - 1, frames.usedFrames());
    }

    @Test
    void aDiscardFreesItsFrameOnlyAfterTheFlush() {
        platform.freshTables = true;
        var cpu = new FakePlatform.RootRecorder();
        as.attach(cpu);
        as.attach(new FakePlatform.RootRecorder());   // two CPUs: changes cannot go to fresh tables
        fixed(A, 2 * PAGE, RW);
        as.populate(A, A + 2 * PAGE);
        long used = frames.usedFrames();
        as.discard(A, PAGE);
        assertEquals(1, platform.invalidations);
        assertEquals(used, frames.usedFrames());
        platform.releaseRetired();
        assertEquals(used - 1, frames.usedFrames());
    }

    // ---- kernel access to user memory ----

    @Test
    void copiesCrossPageBoundaries() {
        fixed(A, 2 * PAGE, RW);
        byte[] data = new byte[100];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        as.write(A + PAGE - 50, data);
        assertArrayEquals(data, as.read(A + PAGE - 50, 100));
        as.writeLong(A + PAGE - 3, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, as.readLong(A + PAGE - 3));
        assertEquals(0x55667788, as.readInt(A + PAGE - 3));
    }

    @Test
    void untouchedPagesReadAsZerosWithoutAFault() {
        fixed(A, PAGE, READ);
        assertArrayEquals(new byte[8], as.read(A + 100, 8));
        assertTrue(present(A));
    }

    @Test
    void unmappedOrReadOnlyMemoryIsEfault() {
        fixed(A, PAGE, RW);
        fixed(A + PAGE, PAGE, READ);
        assertErrno(Errno.EFAULT, () -> as.read(A - 4, 8));            // runs in from a hole
        assertErrno(Errno.EFAULT, () -> as.read(A + 2 * PAGE - 4, 8));  // runs off the end
        assertErrno(Errno.EFAULT, () -> as.write(A + PAGE - 4, new byte[8]));
        assertErrno(Errno.EFAULT, () -> as.read(0, 1));
        assertErrno(Errno.EFAULT, () -> as.read(-8, 16));
        assertErrno(Errno.EFAULT, () -> as.checkAccess(A, 2 * PAGE, true));
        as.checkAccess(A, 2 * PAGE, false);
    }

    @Test
    void theKernelHalfIsNeverUserMemory() {
        // FakePlatform maps KERNEL_PAGE present and writable (not user) in every page table,
        // as KVM maps its descriptor tables: a system call must not reach it.
        assertErrno(Errno.EFAULT, () -> as.read(FakePlatform.KERNEL_PAGE, 8));
        assertErrno(Errno.EFAULT, () -> as.write(FakePlatform.KERNEL_PAGE, new byte[8]));
        assertErrno(Errno.EFAULT, () -> as.checkAccess(FakePlatform.KERNEL_PAGE, 8, false));
        assertErrno(Errno.EFAULT, () -> as.pageSegment(FakePlatform.KERNEL_PAGE, 8, false));
        assertEquals(0, platform.ram().getLong(FakePlatform.KERNEL_FRAME));
    }

    @Test
    void partialCopiesStopAtTheFirstBadPage() {
        fixed(A, PAGE, RW);
        as.write(A + PAGE - 3, new byte[] {1, 2, 3});
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(16);
            assertEquals(3, as.copyFromUserPartial(A + PAGE - 3, dst));
            assertEquals(2, dst.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 1));
            assertEquals(0, as.copyFromUserPartial(A + PAGE, dst));
        }
    }

    @Test
    void cStringsAreReadUpToTheirNulAcrossPages() {
        fixed(A, PAGE, RW);
        fixed(A + PAGE, PAGE, READ);
        as.write(A + PAGE - 3, "ab".getBytes(StandardCharsets.US_ASCII));
        as.load(A + PAGE - 1, "cd\0".getBytes(StandardCharsets.US_ASCII), 0, 3);
        assertEquals("abcd", as.readCString(A + PAGE - 3, 4096, Errno.ENAMETOOLONG));
        assertEquals("", as.readCString(A, 4096, Errno.ENAMETOOLONG));
    }

    @Test
    void aCStringWithoutNulBeforeAHoleIsEfault() {
        fixed(A, PAGE, RW);
        as.write(A, bytes((int) PAGE, 'x'));
        assertErrno(Errno.EFAULT, () -> as.readCString(A + 10, 8192, Errno.ENAMETOOLONG));
    }

    @Test
    void aCStringThatDoesNotFitTheLimitFailsWithTheCallersErrno() {
        fixed(A, 3 * PAGE, RW);
        as.write(A, bytes(5000, 'x'));
        assertErrno(Errno.ENAMETOOLONG, () -> as.readCString(A, 4096, Errno.ENAMETOOLONG));
        as.write(A + 10, new byte[1]);
        assertErrno(Errno.E2BIG, () -> as.readCString(A, 10, Errno.E2BIG));
        assertEquals("xxxxxxxxxx", as.readCString(A, 11, Errno.E2BIG));
    }

    @Test
    void theLimitCountsTheNulAsPathMaxDoes() {
        // Linux: a path of 4095 bytes opens, one of 4096 is ENAMETOOLONG (measured).
        fixed(A, 3 * PAGE, RW);
        as.write(A, bytes(4096, 'x'));
        as.write(A + 4096, new byte[1]);
        assertErrno(Errno.ENAMETOOLONG, () -> as.readCString(A, 4096, Errno.ENAMETOOLONG));
        assertEquals(4095, as.readCString(A + 1, 4096, Errno.ENAMETOOLONG).length());
    }

    // ---- translation flushes ----

    @Test
    void addingPagesNeverFlushesTranslations() {
        fixed(A, 4 * PAGE, RW);
        as.map(0, PAGE, RW, HINT, 0, "");
        as.populate(A, A + PAGE);
        as.handleFault(A + 2 * PAGE, true, false);
        as.write(A + 3 * PAGE, new byte[1]);
        fixed(A + 8 * PAGE, PAGE, RW);
        as.protect(A + 8 * PAGE, PAGE, READ);  // no page was filled in yet
        as.setBrkStart(0x601000);
        as.brk(0x700000);
        as.unmap(0x10_0000_0000L, PAGE);      // nothing there
        assertEquals(0, platform.invalidations);
    }

    @Test
    void removingOrRestrictingPagesFlushesTranslations() {
        fixed(A, 4 * PAGE, RW);
        as.populate(A, A + 4 * PAGE);
        as.protect(A, PAGE, READ);
        assertEquals(1, platform.invalidations);
        as.unmap(A + PAGE, PAGE);
        assertEquals(2, platform.invalidations);
        as.discard(A + 2 * PAGE, PAGE);
        assertEquals(3, platform.invalidations);
        fixed(A + 3 * PAGE, PAGE, RW);          // replaces a filled page
        assertEquals(4, platform.invalidations);
    }

    // ---- teardown ----

    @Test
    void destroyGivesEveryFrameBack() {
        fixed(A, 8 * PAGE, RW);
        as.map(0, 100 * PAGE, RW, HINT, 0, "");
        as.populate(A, A + 8 * PAGE);
        as.handleFault(MMAP_BASE - PAGE, true, false);
        as.setBrkStart(0x601000);
        as.brk(0x640000);
        as.write(0x63f000, new byte[] {1});
        as.protect(A, PAGE, 0);
        as.destroy();
        assertEquals(baseline, frames.usedFrames());
    }
}
