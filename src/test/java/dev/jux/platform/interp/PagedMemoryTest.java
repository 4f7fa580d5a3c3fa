package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import dev.jux.platform.GuestRam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The software TLB's size and flushes ({@link PagedMemory}): it grows for a working set larger
 * than it maps, and a flush drops every translation whether it clears the entries filled since
 * the last one by one or the whole TLB, before and after growing. Every virtual page maps to
 * frame X (its first long 'X'); the remap points them all at frame Y: a stale entry reads 'X'.
 */
class PagedMemoryTest {
    private static final long PML4 = 0x1000, PDPT = 0x2000, PD = 0x3000, PT0 = 0x4000, X = 0xa000, Y = 0xb000;
    private static final int TABLES = 6, PAGES = TABLES * 512;
    /** The first virtual page: PD entry 1 onwards (2 MiB). */
    private static final long BASE_VA = 0x20_0000;

    private final GuestRam ram = new GuestRam(16 * GuestRam.PAGE, GuestRam.PAGE);

    @AfterEach
    void close() {
        ram.close();
    }

    private PagedMemory mapAllTo(long frame) {
        ram.putLong(PML4, PDPT | 7);
        ram.putLong(PDPT, PD | 7);
        for (int t = 0; t < TABLES; t++) ram.putLong(PD + 8 * (1 + t), (PT0 + t * GuestRam.PAGE) | 7);
        remapAllTo(frame);
        ram.putLong(X, 'X');
        ram.putLong(Y, 'Y');
        PagedMemory m = new PagedMemory(ram);
        m.setRoot(PML4);
        return m;
    }

    private void remapAllTo(long frame) {
        for (int p = 0; p < PAGES; p++) ram.putLong(PT0 + 8L * p, frame | 7);
    }

    private static long page(int p) {
        return BASE_VA + (long) p * GuestRam.PAGE;
    }

    /** Reads the first {@code pages} pages {@code passes} times; each must read {@code want}. */
    private static void readAll(PagedMemory m, int pages, int passes, char want) {
        for (int pass = 0; pass < passes; pass++) {
            for (int p = 0; p < pages; p++) assertEquals(want, m.read64(page(p)), "page " + p + ", pass " + pass);
        }
    }

    @Test
    void aFlushAfterAFewFillsDropsThem() {
        PagedMemory m = mapAllTo(X);
        readAll(m, 20, 2, 'X');
        remapAllTo(Y);
        m.flush();
        readAll(m, 20, 1, 'Y');
    }

    @Test
    void aFlushAfterMoreFillsThanItLogsDropsThemAll() {
        PagedMemory m = mapAllTo(X);
        readAll(m, PAGES, 1, 'X');   // 3,072 fills: more than a flush clears one by one
        remapAllTo(Y);
        m.flush();
        readAll(m, PAGES, 1, 'Y');
    }

    @Test
    void theTlbGrowsForALargeWorkingSetAndStillFlushes() {
        PagedMemory m = mapAllTo(X);
        int before = m.tlb().length;
        readAll(m, PAGES, 8, 'X');   // each pass evicts the last one's entries until it holds them all
        assertTrue(m.tlb().length > before, "grew from " + before);
        assertTrue(m.tlb().length >= PagedMemory.ENTRY * PAGES, "holds the working set: " + m.tlb().length);
        int grown = m.tlb().length;
        remapAllTo(Y);
        m.flush();   // more fills than it logs: the whole (grown) TLB
        readAll(m, 20, 2, 'Y');
        ram.putLong(PT0 + 8 * 7, X | 7);   // one page back to X: a few fills since the flush, cleared one by one
        m.flush();
        assertEquals('X', m.read64(page(7)));
        assertEquals('Y', m.read64(page(8)));
        assertEquals(grown, m.tlb().length, "no growth from hits");
    }

    @Test
    void aSmallWorkingSetKeepsTheSmallTlb() {
        PagedMemory m = mapAllTo(X);
        int before = m.tlb().length;
        readAll(m, 100, 1000, 'X');
        assertEquals(before, m.tlb().length);
    }
}
