package dev.jux.platform;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The JIT's view of guest RAM: the same bytes, then zeros up to a power of two plus a page. */
class GuestRamTest {
    @Test
    void theJitViewStartsWithRamAndEndsAPageAfterAPowerOfTwo() {
        for (long pages : new long[] {13, 16, 17}) {
            try (GuestRam ram = new GuestRam(pages * GuestRam.PAGE, GuestRam.PAGE)) {
                long pow2 = Long.highestOneBit(pages - 1) * 2 * GuestRam.PAGE;
                assertEquals(pages * GuestRam.PAGE, ram.size());
                assertEquals(pow2 + GuestRam.PAGE, ram.jitView().byteSize(), "pages " + pages);
                assertEquals(ram.segment().address(), ram.jitView().address());
                ram.putLong(ram.size() - 8, 0x1122_3344_5566_7788L);
                assertEquals(0x1122_3344_5566_7788L, ram.jitView().get(ValueLayout.JAVA_LONG_UNALIGNED, ram.size() - 8));
                assertEquals(0, ram.jitView().get(ValueLayout.JAVA_LONG_UNALIGNED, ram.jitView().byteSize() - 8), "never used: zero");
            }
        }
    }
}
