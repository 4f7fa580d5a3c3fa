package dev.jux.mm;

import static dev.jux.mm.PageTable.NO_EXECUTE;
import static dev.jux.mm.PageTable.PRESENT;
import static dev.jux.mm.PageTable.USER;
import static dev.jux.mm.PageTable.WRITABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PageTableTest {
    private final FakePlatform platform = new FakePlatform();
    private final FrameAllocator frames = new FrameAllocator(platform.ram());

    @AfterEach
    void close() {
        platform.close();
    }

    @Test
    void theRootCarriesThePlatformsKernelEntries() {
        PageTable pt = new PageTable(frames, platform.kernelPml4Entries());
        assertEquals(FakePlatform.KERNEL_PML4_ENTRY, platform.ram().getLong(pt.root() + 8 * 511));
        assertEquals(0, platform.ram().getLong(pt.root()));
    }

    @Test
    void setCreatesTheThreeIntermediateTablesAndLookupFindsTheLeaf() {
        PageTable pt = new PageTable(frames, platform.kernelPml4Entries());
        long before = frames.usedFrames();
        long entry = 0x234000 | PRESENT | WRITABLE | USER | NO_EXECUTE;
        assertEquals(0, pt.set(0x400000, entry));
        assertEquals(before + 3, frames.usedFrames());
        assertEquals(entry, pt.lookup(0x400000));
        assertEquals(entry, pt.lookup(0x400fff));
        assertEquals(0, pt.lookup(0x401000));
        // A neighbour under the same page table needs no new table.
        pt.set(0x401000, entry);
        assertEquals(before + 3, frames.usedFrames());
    }

    @Test
    void setReturnsTheOldEntry() {
        PageTable pt = new PageTable(frames, platform.kernelPml4Entries());
        pt.set(0x400000, 0x234000 | PRESENT);
        assertEquals(0x234000 | PRESENT, pt.set(0x400000, 0x235000 | PRESENT));
        assertEquals(0x235000 | PRESENT, pt.set(0x400000, 0));
        assertEquals(0, pt.lookup(0x400000));
    }

    @Test
    void clearingAnAbsentEntryAllocatesNoTables() {
        PageTable pt = new PageTable(frames, platform.kernelPml4Entries());
        long before = frames.usedFrames();
        assertEquals(0, pt.set(0x7fff_0000_0000L, 0));
        assertEquals(before, frames.usedFrames());
    }

    @Test
    void destroyFreesTheRootAndEveryIntermediateTable() {
        long baseline = frames.usedFrames();
        PageTable pt = new PageTable(frames, platform.kernelPml4Entries());
        long[] addresses = {0x10000, 0x400000, 0x4000_0000L, 0x7fff_ffff_e000L, 0x1234_5678_9000L};
        for (long va : addresses) pt.set(va, frames.allocate() | PRESENT | USER);
        for (long va : addresses) frames.release(pt.set(va, 0) & PageTable.ADDRESS_MASK);
        pt.destroy();
        assertEquals(baseline, frames.usedFrames());
    }
}
