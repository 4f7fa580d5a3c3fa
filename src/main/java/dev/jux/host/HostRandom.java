package dev.jux.host;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Random bytes from the host kernel's pool, by getrandom(2): what Jux gives the guest for
 * getrandom, /dev/random and /dev/urandom, and AT_RANDOM. Not java.security.SecureRandom,
 * whose first use costs every start-up ~10 ms in a fresh JVM (its provider's classes, a seed
 * read, a SHA-1 mixer: docs/design.md, "Start-up") for bytes from the same pool.
 */
public final class HostRandom {
    private HostRandom() {}

    private static final long SYS_GETRANDOM = 318;
    private static final int EINTR = 4;

    /**
     * Fills {@code dst}; never blocks once the host's pool is initialized (at boot). Native
     * memory (guest RAM) is filled in place, anything else through a native buffer.
     */
    public static void fill(MemorySegment dst) {
        if (dst.isNative()) {
            getrandom(dst);
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, dst.byteSize())).asSlice(0, dst.byteSize());
            getrandom(buf);
            dst.copyFrom(buf);
        }
    }

    /** Fills {@code b[off, off + len)}. */
    public static void fill(byte[] b, int off, int len) {
        fill(MemorySegment.ofArray(b).asSlice(off, len));
    }

    public static void fill(byte[] b) {
        fill(b, 0, b.length);
    }

    private static void getrandom(MemorySegment dst) {
        long done = 0, len = dst.byteSize();
        while (done < len) {
            // getrandom returns fewer bytes than asked when a signal interrupts a large read.
            long r = Libc.syscall(SYS_GETRANDOM, Libc.address(dst) + done, len - done, 0);
            if (r == -EINTR) continue;
            if (r < 0) throw new HostException("getrandom", (int) -r);
            done += r;
        }
    }
}
