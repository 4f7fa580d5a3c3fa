package dev.jux.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link HostRandom}: the host's getrandom(2) fills exactly the range asked for. */
class HostRandomTest {
    @Test
    void fillsOnlyTheRangeAskedFor() {
        byte[] b = new byte[4 + 64 + 4];
        HostRandom.fill(b, 4, 64);
        for (int i : new int[] {0, 1, 2, 3, 68, 69, 70, 71}) assertEquals(0, b[i], "byte " + i);
        // 64 random bytes all zero: 2^-512.
        assertFalse(Arrays.equals(new byte[64], Arrays.copyOfRange(b, 4, 68)));
    }

    @Test
    void nativeMemoryIsFilledInPlaceWithinItsSlice() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(4 + 64 + 4);
            HostRandom.fill(m.asSlice(4, 64));
            for (int i : new int[] {0, 1, 2, 3, 68, 69, 70, 71}) assertEquals(0, m.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
            // Each half all zero: 2^-256. Both checked, so a fill that stops short is seen.
            assertFalse(Arrays.equals(new byte[32], m.asSlice(4, 32).toArray(ValueLayout.JAVA_BYTE)));
            assertFalse(Arrays.equals(new byte[32], m.asSlice(36, 32).toArray(ValueLayout.JAVA_BYTE)));
        }
    }

    @Test
    void twoFillsDiffer() {
        byte[] a = new byte[32], b = new byte[32];
        HostRandom.fill(a);
        HostRandom.fill(b);
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void aLargeFillIsComplete() {
        // More than one getrandom call may return for large requests; the tail must be filled too.
        byte[] b = new byte[3 << 20];
        HostRandom.fill(b);
        assertFalse(Arrays.equals(new byte[4096], Arrays.copyOfRange(b, b.length - 4096, b.length)));
    }

    @Test
    void anEmptyFillDoesNothing() {
        HostRandom.fill(new byte[0]);
    }
}
