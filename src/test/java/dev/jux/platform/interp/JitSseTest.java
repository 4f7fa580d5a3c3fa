package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link JitSse}'s branch-free lane arithmetic against a plain per-lane statement of the instruction. */
class JitSseTest {
    /** PACKUSWB of four words as the manual states it: each signed word saturated to 0..255. */
    private static long packUnsignedReference(long v) {
        long r = 0;
        for (int i = 0; i < 4; i++) {
            long w = (short) (v >>> (16 * i));
            r |= (long) Math.clamp(w, 0, 255) << (8 * i);
        }
        return r;
    }

    @Test
    void packWordsUnsignedSaturatesEveryWordInEveryLane() {
        Random rnd = new Random(7);
        for (int w = 0; w < 65536; w++) {
            for (int lane = 0; lane < 4; lane++) {
                long v = rnd.nextLong() & ~(0xffffL << (16 * lane)) | (long) w << (16 * lane);
                assertEquals(packUnsignedReference(v), JitSse.packWordsUnsigned(v), () -> Long.toHexString(v));
            }
        }
    }
}
