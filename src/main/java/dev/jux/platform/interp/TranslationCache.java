package dev.jux.platform.interp;

import java.lang.foreign.MemorySegment;

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
 * both results are good. Translation (0.1-0.3 ms of CPU a block, plus HotSpot compiling the
 * class later) happens on one background thread per platform, from a snapshot of the bytes
 * the guest thread takes, so the guest goes on interpreting meanwhile. The newest block of a
 * RIP is also in a direct-mapped table ({@link #direct}); a block run {@link #hotEntries}
 * times is translated again as a hot class ({@link #promote}); the cache is emptied at
 * {@link #MAX_ADDRESSES} addresses.
 */
final class TranslationCache {
    /**
     * Instructions interpreted from a RIP (counted per context, {@link BlockRunner}) before
     * its block is translated. Until session 6 this counted entries (5000): enough for a
     * compute loop, but real programs' blocks are short (cc1 -O2: ~5 instructions a block
     * run) and gain little per run against ~1 ms of translating and compiling each, so at
     * 5000 entries cc1, bash and python3 ran slower with the JIT than without it. Counting
     * instructions, 100,000 translates a 64-instruction block after ~1,600 entries and a
     * 5-instruction one after 20,000: cc1 -O2 on 500 lines 21.5-23.9 -> 16.7 s wall (no JIT:
     * 16.6-17.2), sha256 of 16 MiB 0.58 -> 0.55 s (docs/platform-interp.md "Numbers",
     * session 7).
     */
    static final int DEFAULT_THRESHOLD = 100_000;
    static final int VARIANTS = 4;
    /**
     * Runs of a block before it is translated again for C2 ({@code -Djux.jit.hot}; 0: never):
     * entries, and since session 6 the iterations of a loop back to the block's own start
     * ({@link JitBlock#runs}), so sha256's round loop (~42 iterations an entry) is promoted
     * after 20000 iterations rather than 20000 entries.
     * bin/jux has HotSpot compile JitCode classes with C1 only, so a block costs ~0.3 ms of
     * compiling instead of 10-250 ms; a block run this often gets C2's better code. 20000
     * rather than 200,000: sieve to 5*10^7 0.55 -> 0.45 s, sha256 of 16 MiB 1.0 -> 0.83 s,
     * cc1 no slower (2000 made cc1 30% slower: too many C2 compiles).
     */
    static final int DEFAULT_HOT = 20_000;
    /**
     * Addresses with blocks before the cache is emptied (its size bound): translations take
     * metaspace and HotSpot's code cache (cc1 -O2 at threshold 500 translates ~23,000 blocks,
     * ~50 MB of compiled code); a program that outgrows this starts again from an empty
     * cache, its hot code translated again within its next few thousand entries.
     */
    static final int MAX_ADDRESSES = 1 << 15;
    private final int maxAddresses;
    /** Blocks waiting for the background translator; more requests are dropped (and come again). */
    static final int QUEUE = 256;

    private final ConcurrentHashMap<Long, JitBlock[]> blocks = new ConcurrentHashMap<>();
    /**
     * The newest block of each RIP, direct-mapped by RIP, so that a dispatcher finds a
     * translated block with one array load (the map above is the slow path, for variants and
     * slots another RIP took). Read without locks by every guest thread: a JitBlock's fields
     * are final, so one seen through this array is seen whole.
     */
    private final JitBlock[] direct = new JitBlock[1 << DIRECT_BITS];
    private static final int DIRECT_BITS = 16;
    private final int threshold;
    /** Runs (entries and loop iterations) of a block before its hot translation; 0 for never. */
    final int hotEntries;
    /** The background translator, or null to translate on the guest's thread. */
    private final java.util.concurrent.ThreadPoolExecutor translator;
    private final java.util.Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    /** RIPs where the background translator found nothing to translate: not asked for again. */
    private final java.util.Set<Long> untranslatable = ConcurrentHashMap.newKeySet();
    private volatile Throwable firstError;
    private final AtomicLong translated = new AtomicLong(), translateNanos = new AtomicLong(),
            failed = new AtomicLong(), promotedCount = new AtomicLong(), clears = new AtomicLong();

    /** A cache that translates on the guest's thread, when a RIP has been entered {@code threshold} times. */
    TranslationCache(int threshold) {
        this(threshold, false);
    }

    TranslationCache(int threshold, boolean asynchronous) {
        this(threshold, asynchronous, DEFAULT_HOT);
    }

    TranslationCache(int threshold, boolean asynchronous, int hot) {
        this(threshold, asynchronous, hot, MAX_ADDRESSES);
    }

    TranslationCache(int threshold, boolean asynchronous, int hot, int maxAddresses) {
        this.maxAddresses = maxAddresses;
        this.threshold = threshold;
        this.hotEntries = hot;
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
        return new TranslationCache(threshold, threshold > 0 && !"false".equals(System.getProperty("jux.jit.async")),
                Integer.getInteger("jux.jit.hot", DEFAULT_HOT));
    }

    int threshold() {
        return threshold;
    }

    /** The newest block translated at {@code rip} (its bytes not checked), or null: one array load. */
    JitBlock direct(long rip) {
        JitBlock b = direct[slot(rip)];
        return b != null && b.rip == rip ? b : null;
    }

    private static int slot(long rip) {
        return (int) (rip ^ (rip >>> DIRECT_BITS)) & ((1 << DIRECT_BITS) - 1);
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
                if (b.matches(memory)) {
                    direct[slot(rip)] = b;
                    return b;
                }
            }
        }
        if (translator != null && untranslatable.contains(rip)) return null;
        byte[] code = BlockTranslator.snapshot(memory, rip, stop);
        if (code == null) return null;
        MemorySegment ram = JitMemory.ramOf(memory);
        lastRam = ram;
        if (translator == null) return translate(code, rip, ram, false);
        if (inFlight.add(rip)) {
            try {
                translator.execute(() -> {
                    try {
                        translate(code, rip, ram, false);
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

    /**
     * Asks for the hot translation of {@code b} (on the background translator, or now); when
     * done, {@link JitBlock#promoted} leads the dispatcher to it and it replaces {@code b} in
     * the cache.
     */
    void promote(JitBlock b) {
        if (b.hot || b.promoted != null) return;
        Runnable work = () -> {
            JitBlock h = translate(b.bytes(), b.rip, lastRam, true);
            if (h != null) b.promoted = h;
        };
        if (translator == null) {
            work.run();
            return;
        }
        try {
            translator.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            b.runs = 0;   // the queue is full (or the platform closed): asked again later
        }
    }

    /**
     * Guest RAM of the memory the last lookup came from, for hot translations (a platform has
     * one RAM; a block used with other memory takes {@link Memory}'s path, see {@link JitMemory#tlbOf}).
     */
    private volatile MemorySegment lastRam;

    /** True while the background translator has the block at {@code rip} to do (the caller asks again later). */
    boolean inFlight(long rip) {
        return inFlight.contains(rip);
    }

    private JitBlock translate(byte[] code, long rip, MemorySegment ram, boolean hot) {
        long t0 = System.nanoTime();
        JitBlock b;
        try {
            b = BlockTranslator.translate(code, rip, ram, hot);
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
        if (hot) promotedCount.incrementAndGet();
        if (blocks.size() >= maxAddresses) clear();
        blocks.merge(rip, new JitBlock[] {b}, (old, one) -> {
            JitBlock[] next = new JitBlock[Math.min(old.length + 1, VARIANTS)];
            next[0] = one[0];
            System.arraycopy(old, 0, next, 1, next.length - 1);
            return next;
        });
        direct[slot(rip)] = b;
        return b;
    }

    /**
     * Forgets every block (the size bound). The chain links of the old blocks are cut, so
     * that a dispatcher's last block does not keep them all reachable; their classes are
     * unloaded once no thread runs them.
     */
    private synchronized void clear() {
        if (blocks.size() < maxAddresses) return;   // another thread just did
        for (JitBlock[] have : blocks.values()) {
            for (JitBlock b : have) b.unlink();
        }
        blocks.clear();
        java.util.Arrays.fill(direct, null);
        clears.incrementAndGet();
    }

    /** Stops the background translator (the platform is closing). */
    void close() {
        if (translator != null) translator.shutdownNow();
    }

    /** Blocks translated so far, and the time spent translating them. */
    long translatedCount() {
        return translated.get();
    }

    /** Times the cache was emptied for its size bound. */
    long clearCount() {
        return clears.get();
    }

    /** Blocks translated again as hot so far. */
    long promotedCount() {
        return promotedCount.get();
    }

    long translateNanos() {
        return translateNanos.get();
    }

    @Override
    public String toString() {
        return "jit: " + translated.get() + " blocks translated (" + promotedCount.get() + " of them again as hot; at "
                + blocks.size() + " addresses, emptied " + clears.get() + " times) in "
                + translateNanos.get() / 1_000_000 + " ms, " + failed.get() + " not translatable"
                + (firstError != null ? "; first translator error: " + firstError : "")
                + (BlockRunner.STATS ? "; " + BlockRunner.interpretedSteps.sum() + " interpreter runs (a straight line each), "
                        + BlockRunner.blockRuns.sum() + " block runs (" + BlockRunner.blockInstructions.sum()
                        + " instructions, counting each loop once); CPU seconds by thread: " + threadCpu() : "");
    }

    /** Debugging ({@code -Djux.jit.stats}): user+system CPU of this JVM's threads by name, from /proc (Linux). */
    private static String threadCpu() {
        java.util.Map<String, Long> ticks = new java.util.TreeMap<>();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (var t : (Iterable<java.nio.file.Path>) tasks::iterator) {
                String stat = java.nio.file.Files.readString(t.resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            }
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
        StringBuilder sb = new StringBuilder();
        ticks.forEach((k, v) -> {
            if (v >= 10) sb.append(k).append(' ').append(v / 100.0).append(", ");
        });
        return sb.toString();
    }
}
