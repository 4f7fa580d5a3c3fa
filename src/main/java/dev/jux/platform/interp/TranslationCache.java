package dev.jux.platform.interp;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JIT's translated blocks, one cache per {@link InterpPlatform}, shared by every context
 * and process, keyed by RIP. A block keeps the bytes it was translated from and is used only
 * while memory holds them ({@link JitBlock#matches}), so rewritten code (JITs, self-modifying
 * code), another program at the same address or an exec need no invalidation, and a fork or
 * another run of the same binary at the same addresses reuses the translations. A RIP keeps
 * up to {@link #VARIANTS} blocks with different bytes (the newest first). Thread-safe:
 * lookups read an immutable array; two threads may translate the same block at once, and
 * both results are good.
 */
final class TranslationCache {
    /** Block entries of a RIP (counted per context) before it is translated. */
    static final int DEFAULT_THRESHOLD = 200;
    static final int VARIANTS = 4;

    private final ConcurrentHashMap<Long, JitBlock[]> blocks = new ConcurrentHashMap<>();
    private final int threshold;
    private final AtomicLong translated = new AtomicLong(), translateNanos = new AtomicLong(),
            failed = new AtomicLong();

    TranslationCache(int threshold) {
        this.threshold = threshold;
    }

    /** The cache for a new platform: null if {@code -Djux.jit=off}; threshold from {@code -Djux.jit.threshold}. */
    static TranslationCache fromSystemProperties() {
        if ("off".equals(System.getProperty("jux.jit"))) return null;
        return new TranslationCache(Integer.getInteger("jux.jit.threshold", DEFAULT_THRESHOLD));
    }

    int threshold() {
        return threshold;
    }

    /**
     * The block at {@code rip} whose bytes memory holds now, translated now if there is none;
     * null if nothing can be translated there (the interpreter runs that instruction). Faults
     * as a fetch of {@code rip} would.
     */
    JitBlock lookup(Memory memory, long rip, long stop) {
        JitBlock[] have = blocks.get(rip);
        if (have != null) {
            for (JitBlock b : have) {
                if (b.matches(memory)) return b;
            }
        }
        long t0 = System.nanoTime();
        JitBlock b = BlockTranslator.translate(memory, rip, stop);
        if (b == null) {
            failed.incrementAndGet();
            return null;
        }
        translateNanos.addAndGet(System.nanoTime() - t0);
        translated.incrementAndGet();
        blocks.merge(rip, new JitBlock[] {b}, (old, one) -> {
            JitBlock[] next = new JitBlock[Math.min(old.length + 1, VARIANTS)];
            next[0] = one[0];
            System.arraycopy(old, 0, next, 1, next.length - 1);
            return next;
        });
        return b;
    }

    /** Blocks translated so far, and the time spent translating them. */
    long translatedCount() {
        return translated.get();
    }

    long translateNanos() {
        return translateNanos.get();
    }

    @Override
    public String toString() {
        return "jit: " + translated.get() + " blocks translated in " + translateNanos.get() / 1_000_000 + " ms, "
                + failed.get() + " not translatable";
    }
}
