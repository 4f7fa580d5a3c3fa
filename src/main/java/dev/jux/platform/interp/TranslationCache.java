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
 * both results are good. Translation (about 0.3 ms of CPU a block, plus HotSpot compiling the
 * class later) happens on one background thread per platform, from a snapshot of the bytes
 * the guest thread takes, so the guest goes on interpreting meanwhile.
 */
final class TranslationCache {
    /**
     * Block entries of a RIP (counted per context) before it is translated. cc1 -O2 on 300
     * lines took 21-22 s of CPU at 5000 (2,200 blocks translated), 18.8 s at 20000 (310),
     * 16.8 s without the JIT, while sha256 and sieve run their loops translated as soon.
     */
    static final int DEFAULT_THRESHOLD = 20000;
    static final int VARIANTS = 4;
    /** Blocks waiting for the background translator; more requests are dropped (and come again). */
    static final int QUEUE = 256;

    private final ConcurrentHashMap<Long, JitBlock[]> blocks = new ConcurrentHashMap<>();
    private final int threshold;
    /** The background translator, or null to translate on the guest's thread. */
    private final java.util.concurrent.ThreadPoolExecutor translator;
    private final java.util.Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    /** RIPs where the background translator found nothing to translate: not asked for again. */
    private final java.util.Set<Long> untranslatable = ConcurrentHashMap.newKeySet();
    private volatile Throwable firstError;
    private final AtomicLong translated = new AtomicLong(), translateNanos = new AtomicLong(),
            failed = new AtomicLong();

    /** A cache that translates on the guest's thread, when a RIP has been entered {@code threshold} times. */
    TranslationCache(int threshold) {
        this(threshold, false);
    }

    TranslationCache(int threshold, boolean asynchronous) {
        this.threshold = threshold;
        this.translator = asynchronous ? new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "jux-jit");
                    t.setDaemon(true);
                    return t;
                }) : null;
    }

    /**
     * The cache for a new platform: null if {@code -Djux.jit=off}; threshold from {@code
     * -Djux.jit.threshold}; translated on a background thread unless {@code -Djux.jit.async=false}
     * or the threshold is 0 (tests that want every block translated before it runs).
     */
    static TranslationCache fromSystemProperties() {
        if ("off".equals(System.getProperty("jux.jit"))) return null;
        int threshold = Integer.getInteger("jux.jit.threshold", DEFAULT_THRESHOLD);
        return new TranslationCache(threshold, threshold > 0 && !"false".equals(System.getProperty("jux.jit.async")));
    }

    int threshold() {
        return threshold;
    }

    /**
     * The block at {@code rip} whose bytes memory holds now; if there is none, translates one
     * (now, or on the background thread when asynchronous, returning null meanwhile). Null
     * also if nothing can be translated there (the interpreter runs that instruction). Faults
     * as a fetch of {@code rip} would.
     */
    JitBlock lookup(Memory memory, long rip, long stop) {
        JitBlock[] have = blocks.get(rip);
        if (have != null) {
            for (JitBlock b : have) {
                if (b.matches(memory)) return b;
            }
        }
        if (translator != null && untranslatable.contains(rip)) return null;
        byte[] code = BlockTranslator.snapshot(memory, rip, stop);
        if (code == null) return null;
        java.lang.foreign.MemorySegment ram = JitMemory.ramOf(memory);
        if (translator == null) return translate(code, rip, ram);
        if (inFlight.add(rip)) {
            try {
                translator.execute(() -> {
                    try {
                        translate(code, rip, ram);
                    } finally {
                        inFlight.remove(rip);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                inFlight.remove(rip);   // the queue is full (or the platform closed): asked again later
            }
        }
        return null;
    }

    /** True while the background translator has the block at {@code rip} to do (the caller asks again later). */
    boolean inFlight(long rip) {
        return inFlight.contains(rip);
    }

    private JitBlock translate(byte[] code, long rip, java.lang.foreign.MemorySegment ram) {
        long t0 = System.nanoTime();
        JitBlock b;
        try {
            b = BlockTranslator.translate(code, rip, ram);
        } catch (RuntimeException | LinkageError e) {
            // A translator bug must not take the guest down: that RIP stays interpreted.
            failed.incrementAndGet();
            if (firstError == null) firstError = e;
            untranslatable.add(rip);
            return null;
        }
        if (b == null) {
            failed.incrementAndGet();
            untranslatable.add(rip);
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

    /** Stops the background translator (the platform is closing). */
    void close() {
        if (translator != null) translator.shutdownNow();
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
        return "jit: " + translated.get() + " blocks translated (at " + blocks.size() + " addresses) in "
                + translateNanos.get() / 1_000_000 + " ms, " + failed.get() + " not translatable"
                + (firstError != null ? "; first translator error: " + firstError : "");
    }
}
