package dev.jux.fs.vfs;

import java.time.Instant;

/** The wall clock in nanoseconds since the epoch, for timestamps (CLOCK_REALTIME, as current_time()). */
public final class FsClock {
    private FsClock() {}

    public static long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
