package dev.jux.mm;

import static dev.jux.mm.PageTable.NO_EXECUTE;
import static dev.jux.mm.PageTable.PRESENT;
import static dev.jux.mm.PageTable.USER;
import static dev.jux.mm.PageTable.WRITABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
    void destroyGivesBackTheRootAndEveryIntermediateTable() {
        long baseline = frames.usedFrames();
        PageTable pt = new PageTable(frames, platform.kernelPml4Entries());
        long[] addresses = {0x10000, 0x400000, 0x4000_0000L, 0x7fff_ffff_e000L, 0x1234_5678_9000L};
        for (long va : addresses) pt.set(va, frames.allocate() | PRESENT | USER);
        for (long va : addresses) frames.release(pt.set(va, 0) & PageTable.ADDRESS_MASK);
        for (long table : pt.destroy()) frames.release(table);
        assertEquals(baseline, frames.usedFrames());
    }

    @Test
    void whileCopyingTheOldTreeStaysAsItWasAndOnlyTheChangedPathIsNew() {
        PageTable pt = new PageTable(frames, platform.kernelPml4Entries());
        long a = 0x400000, b = 0x7fff_ffff_e000L;           // different PML4 slots
        pt.set(a, 0x234000 | PRESENT | WRITABLE | USER);
        pt.set(b, 0x235000 | PRESENT | WRITABLE | USER);
        long oldRoot = pt.root();
        long oldB = platform.ram().getLong(oldRoot + 8 * 255);
        pt.startCopying();
        pt.set(a, 0x234000 | PRESENT | USER);               // read-only now
        pt.set(a + 0x1000, 0);                              // absent already: nothing to copy for it
        long[] replaced = pt.stopCopying();
        assertEquals(4, replaced.length, "the root and the three tables on a's path");
        assertNotEquals(oldRoot, pt.root());
        assertEquals(0x234000 | PRESENT | USER, pt.lookup(a));
        assertEquals(0x235000 | PRESENT | WRITABLE | USER, pt.lookup(b));
        // b's subtree is shared, not copied; the kernel half is carried over.
        assertEquals(oldB, platform.ram().getLong(pt.root() + 8 * 255));
        assertEquals(FakePlatform.KERNEL_PML4_ENTRY, platform.ram().getLong(pt.root() + 8 * 511));
        // The old tree (as a CPU may have cached it) still says writable.
        long table = oldRoot;
        for (int level = 3; level > 0; level--) table = platform.ram().getLong(table + 8L * ((a >>> (12 + 9 * level)) & 511)) & PageTable.ADDRESS_MASK;
        assertEquals(0x234000 | PRESENT | WRITABLE | USER, platform.ram().getLong(table + 8L * ((a >>> 12) & 511)));
        // A second change in one copying session copies nothing twice.
        pt.startCopying();
        pt.set(a, 0x234000 | PRESENT | WRITABLE | USER);
        pt.set(a + 0x1000, 0x236000 | PRESENT | USER);
        assertEquals(4, pt.stopCopying().length);
    }
}
