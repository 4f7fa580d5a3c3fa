package dev.jux.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.platform.GuestRam;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameAllocatorTest {
    private final GuestRam ram = new GuestRam(2L << 20, 1L << 20);   // 256 frames to hand out
    private final FrameAllocator frames = new FrameAllocator(ram);

    @AfterEach
    void close() {
        ram.close();
    }

    @Test
    void framesComeFromAboveTheReservedArea() {
        long f = frames.allocate();
        assertTrue(f >= ram.reservedBytes() && f < ram.size() && f % FrameAllocator.PAGE == 0);
        assertEquals(1, frames.references(f));
        assertEquals(1, frames.usedFrames());
    }

    @Test
    void aReusedFrameComesBackZeroed() {
        long f = frames.allocate();
        ram.slice(f, FrameAllocator.PAGE).fill((byte) 0x5a);
        frames.release(f);
        assertEquals(0, frames.usedFrames());
        long again = frames.allocate();
        assertEquals(f, again);
        assertArrayEquals(new byte[(int) FrameAllocator.PAGE], ram.slice(again, FrameAllocator.PAGE).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void aFrameIsFreeOnlyWhenItsLastReferenceGoes() {
        long f = frames.allocate();
        frames.retain(f);
        assertEquals(2, frames.references(f));
        frames.release(f);
        assertEquals(1, frames.usedFrames());
        frames.release(f);
        assertEquals(0, frames.usedFrames());
        assertThrows(IllegalStateException.class, () -> frames.release(f));
    }

    @Test
    void exhaustedRamIsEnomemAndFreeingMakesRoomAgain() {
        long last = 0;
        for (int i = 0; i < 256; i++) last = frames.allocate();
        LinuxException e = assertThrows(LinuxException.class, frames::allocate);
        assertEquals(Errno.ENOMEM, e.errno());
        frames.release(last);
        assertEquals(last, frames.allocate());
    }
}
