package dev.jux.platform.interp;

/**
 * The pages of code one CPU trusts, watched for its own writes. Each watched page has a watch
 * period (a number never used before); the first write this CPU makes to the page ends the
 * period and the watch, so a decoded block compared with memory in an earlier period is
 * compared again before it runs (and the block being run stops after the write). On x86 a
 * store to the next instructions takes effect for them ("self-modifying code",
 * isa_selfmod.c); this is how decoded blocks see it. Whole-page granularity: a store to data
 * that shares the page costs one re-check.
 *
 * <p>Who reports the writes: {@link PagedMemory} keeps the write tag of a watched page's
 * software-TLB entry empty, as qemu's softmmu does for pages holding translated code, so every
 * store to it, the interpreter's or a translated block's inline one, misses the TLB and is
 * reported by the walk; stores to other pages pay nothing. Other memories (the tests'
 * {@link FlatMemory}) are wrapped in {@link WatchedMemory}, which reports every write.
 *
 * <p>{@link #forgetAll} ends every period at once without touching the slots: a slot watched
 * in an older generation is watched anew (with a new period) on its next {@link #watch}.
 */
final class CodeWatch {
    /** Pages watched at once, direct-mapped by page number (cc1's code runs on ~1,000 pages in a compile phase). */
    static final int WAYS = 1024;
    /** A page number no address has (non-canonical). */
    private static final long NO_PAGE = -1L >>> 1;

    /** The page number each slot watches, or {@link #NO_PAGE}. */
    private final long[] pages = new long[WAYS];
    /** The current watch period of each slot's page. */
    final int[] periods = new int[WAYS];
    /** The {@link #generation} each slot's period began in. */
    private final int[] generations = new int[WAYS];
    private int lastPeriod, generation;
    /**
     * Bumped whenever any slot's period changes or ends ({@link #watch} of a page not watched,
     * {@link #wrote}, {@link #forgetAll}): code compared while this had its current value is
     * still current, whatever its page ({@link Interpreter#unchangedSince}). Each watch counts
     * from its own multiple of 2^40, so that a value one CPU left in a shared block ({@link
     * JitBlock#checkedAt}) never equals another CPU's (nor, in practice, an earlier one of its own).
     */
    long changes = OWNERS.incrementAndGet() << 40;
    private static final java.util.concurrent.atomic.AtomicLong OWNERS = new java.util.concurrent.atomic.AtomicLong();
    /** The memory whose TLB write tags must stay empty for watched pages, or null. */
    private final PagedMemory memory;

    CodeWatch(PagedMemory memory) {
        this.memory = memory;
        java.util.Arrays.fill(pages, NO_PAGE);
    }

    /** Watches the page of {@code addr}, keeping its period if it is watched already; returns its slot. */
    int watch(long addr) {
        long p = addr >>> 12;
        int k = (int) p & (WAYS - 1);
        if (pages[k] != p || generations[k] != generation) {
            pages[k] = p;
            periods[k] = ++lastPeriod;
            changes++;
            generations[k] = generation;
            if (memory != null) memory.forbidWrites(p);   // its next store walks, and is seen
        }
        return k;
    }

    /** This CPU is about to write page number {@code page}: its period and watch end. */
    void wrote(long page) {
        int k = (int) page & (WAYS - 1);
        if (pages[k] == page) {
            pages[k] = NO_PAGE;
            periods[k] = ++lastPeriod;
            changes++;
        }
    }

    /** Page number {@code page} is watched: its TLB write tag must stay empty. */
    boolean watches(long page) {
        return pages[(int) page & (WAYS - 1)] == page;
    }

    /** Ends every watch period: nothing checked before is trusted any more. */
    void forgetAll() {
        generation++;
        changes++;
    }
}
