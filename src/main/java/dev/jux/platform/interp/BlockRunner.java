package dev.jux.platform.interp;

/**
 * Runs one CPU a block or an instruction at a time: the JIT's dispatcher. Counts the
 * instructions interpreted from each RIP where a straight line starts (in a direct-mapped
 * table of counters tagged with their RIP: a RIP that takes another's slot starts again from
 * zero, so cold code is not translated because it shares a slot with hot code), and once
 * {@link TranslationCache#threshold()} instructions ran from a RIP runs the translated block
 * there instead of interpreting. Instructions, not entries: what a translation saves grows
 * with the block's length, what it costs (translating, HotSpot's compiles) much less, so a
 * long block is worth translating after fewer entries than a short one. The next block is
 * looked for first through the previous one's chain links, then in the shared cache's table.
 * Without a cache it only interprets.
 */
final class BlockRunner {
    /**
     * The entry counters' table: up to 1 << MAX_HEAT_BITS (cc1 -O2 starts blocks at ~84,000
     * RIPs: a smaller table's collisions kept resetting hot counters), from 1 << MIN_HEAT_BITS.
     */
    static final int MIN_HEAT_BITS = DecodedBlocks.MIN_BITS + 1, MAX_HEAT_BITS = DecodedBlocks.MAX_BITS + 1;
    /** A RIP where nothing could be translated waits until this many more instructions ran from it before the next try. */
    private static final int RETRY = 1 << 20;
    /** Instructions run from a RIP between two looks for the block the background translator is making there. */
    private static final int POLL = 512;
    /** {@code -Djux.jit.stats=true}: count interpreter runs and block runs, for the kernel log's jit line (-Djux.interp.stats counts instructions). */
    static final boolean STATS = Boolean.getBoolean("jux.jit.stats");
    static final java.util.concurrent.atomic.LongAdder interpretedSteps = new java.util.concurrent.atomic.LongAdder(),
            blockRuns = new java.util.concurrent.atomic.LongAdder(), blockInstructions = new java.util.concurrent.atomic.LongAdder();

    private final Cpu cpu;
    private final Memory memory;
    private final Interpreter interpreter;
    private final Executor executor;
    private final TranslationCache cache;
    /**
     * Entry counters: the low 32 bits of the RIP counted (two RIPs that agree there share a
     * count: harmless) in the high half, the count in the low half; one array, so a lookup
     * touches one cache line. Only with a cache. It starts at 16 KiB and grows, its counts
     * kept, with the interpreter's decoded-block table (as many counters as that holds
     * blocks, up to 512 KiB), which grows once this CPU runs more code than it holds: every
     * thread of every process has one, and at full size each new thread and fork zeroed 512
     * KiB (200 threads: 105 MB of the JVM's heap). Grown from the decoder's path rather than
     * by counting evictions here: that took {@link #step(long)} over HotSpot's size for
     * inlining a hot method (325 bytes of bytecode, FreqInlineSize) into the context's loop.
     */
    private long[] heat;
    private long lastRip;
    /**
     * RIP may start a block: the last step branched (RIP is not the next instruction's), ran
     * a block, or left the page it started on (see {@link #boundaryAfter}). Only such RIPs
     * are counted and looked up; straight-line interpreted code pays nothing for the JIT.
     */
    private boolean boundary = true;
    /** The block the previous step ran (null if it interpreted): where the next block is looked for first. */
    private JitBlock previous;
    /**
     * Translated blocks this CPU compared with memory, and the watch period of their page
     * then ({@link Interpreter#enterPeriod}): direct-mapped by RIP. A block entered again in
     * the same period is not compared again, as the interpreter's decoded blocks are not.
     */
    private final JitBlock[] checked;
    private final int[] checkedPeriods;
    private static final int CHECKED_BITS = 12;

    BlockRunner(Cpu cpu, Memory memory, TranslationCache cache) {
        this.cpu = cpu;
        this.interpreter = new Interpreter(cpu, memory);
        this.memory = interpreter.memory();   // its writes to code are seen by the interpreter's watch
        this.executor = interpreter.executor();
        this.cache = cache;
        this.heat = cache != null ? new long[1 << MIN_HEAT_BITS] : null;
        if (cache != null) interpreter.onDecodedBlocksGrowth(this::growHeat);
        this.checked = cache != null ? new JitBlock[1 << CHECKED_BITS] : null;
        this.checkedPeriods = cache != null ? new int[1 << CHECKED_BITS] : null;
    }

    private static final long TAG = 0xffff_ffff_0000_0000L;

    /** The slot of {@code rip}'s counter in a table of {@code length}: from the RIP's low 32 bits only, so a grown table can place a counter by its tag. */
    private static int heatSlot(long rip, int length) {
        return (int) (rip ^ (rip >>> MAX_HEAT_BITS)) & (length - 1);
    }

    /** A counter table of {@code length} (at most {@link #MAX_HEAT_BITS}'s), holding this one's counters (see {@link #heat}). */
    void growHeat(int length) {
        long[] old = heat;
        int size = Math.min(length, 1 << MAX_HEAT_BITS);
        if (size <= old.length) return;
        heat = new long[size];
        for (long e : old) {
            if (e != 0) heat[heatSlot(e >>> 32, heat.length)] = e;
        }
    }

    /** The counter table's length now (tests). */
    int heatCapacity() {
        return heat.length;
    }

    /** The instructions counted from {@code rip}, 0 if its slot holds another RIP's (tests). */
    int heatOf(long rip) {
        long e = heat[heatSlot(rip, heat.length)];
        return (e & TAG) == rip << 32 ? (int) e : 0;
    }

    /** The RIP of the last instruction the previous {@link #step} ran (a branch that leaves RIP non-canonical). */
    long lastRip() {
        return lastRip;
    }

    /** Runs the block at RIP, or one instruction; returns {@link Executor#CONTINUE} or {@link Executor#SYSCALL}. */
    int step() {
        return step(-1);
    }

    /** Exactly one instruction, never a translated block (the trap flag: single-stepping). */
    int stepOne() {
        JitSupport.settle(cpu);
        long rip = cpu.rip;
        lastRip = rip;
        int r = interpreter.step();
        boundary = boundaryAfter(rip);
        return r;
    }

    /** Like {@link #step()}, but no block runs past {@code stop} (an unsigned bound; -1 for none). */
    int step(long stop) {
        long rip = cpu.rip;
        lastRip = rip;
        if (cache != null && boundary) {
            // Chaining: the block that followed the previous one last time, else the cache's table.
            JitBlock before = previous, b = before != null ? before.successor(rip) : null;
            if (b == null || !matches(b)) {
                b = cache.direct(rip);
                if (b != null && !matches(b)) b = null;
                if (b != null && before != null) before.chain(b);
            }
            if (b != null) {
                JitBlock h = b.promoted;   // the same bytes, translated for C2
                return run(h != null ? h : b, stop);
            }
            long[] heat = this.heat;
            int i = heatSlot(rip, heat.length);
            long tag = rip << 32;
            int count = (heat[i] & TAG) == tag ? (int) heat[i] : 0;
            if (count >= cache.threshold()) {
                b = cache.lookup(memory, rip, stop);
                if (b != null) {
                    if (before != null) before.chain(b);
                    return run(b, stop);
                }
                // Being translated in the background: look again a little later. Else untranslatable.
                count = cache.inFlight(rip) ? cache.threshold() - POLL : -RETRY;
            }
            int r = interpret(stop, rip);
            heat[i] = tag | ((count + interpreter.lastCount()) & 0xffff_ffffL);   // into the old table if it grew meanwhile: one count lost
            return r;
        }
        return interpret(stop, rip);
    }

    /** Runs the straight line at {@code rip} in the interpreter. */
    private int interpret(long stop, long rip) {
        JitSupport.settle(cpu);   // flags the last translated block left pending
        boundary = false;
        previous = null;
        if (STATS) interpretedSteps.increment();
        int r = interpreter.run(stop);
        boundary = boundaryAfter(rip);
        return r;
    }

    /**
     * Whether RIP may start a block after the interpreter ran from {@code start}: it branched,
     * or went on into another page. A translated block ends at its page's end (or with an
     * instruction crossing it); when the interpreter ran such an instruction alone (the next
     * page could not be fetched when the block was made), the code after it must still be
     * counted, or a hot loop that spans two pages runs interpreted from there to its next
     * branch forever (xz's match finder: 9 million times in a 4.5 MB file).
     */
    private boolean boundaryAfter(long start) {
        long rip = cpu.rip;
        return rip != start + interpreter.lastLength() || ((rip ^ start) & ~0xfffL) != 0;
    }

    /**
     * Memory still holds {@code b}'s bytes: nothing this CPU watches changed since it last found
     * {@code b} current ({@link JitBlock#checkedAt}), or compared earlier in its page's current
     * watch period, or compared now.
     */
    private boolean matches(JitBlock b) {
        if (!b.crossesPage && interpreter.unchangedSince(b.checkedAt())) return true;   // nothing changed since this CPU compared it
        if (!b.tailMatches(memory)) return false;   // bytes in the next page: no watch period covers them
        int period = interpreter.enterPeriod(b.rip);
        int k = (int) (b.rip ^ (b.rip >>> CHECKED_BITS)) & ((1 << CHECKED_BITS) - 1);
        if (checked[k] != b || checkedPeriods[k] != period) {
            if (!b.headMatches(memory)) return false;
            checked[k] = b;
            checkedPeriods[k] = period;
        }
        b.checkedAt(interpreter.watchChanges());
        return true;
    }

    /**
     * Runs {@code b}, then (see {@link #chainBlocks}) the translated blocks that follow it
     * through their chain links, up to {@link #CHAIN} of them, without going back to the
     * context between them.
     */
    private int run(JitBlock b, long stop) {
        interpreter.materialiseFlags();   // translated code reads and writes Cpu.rflags itself
        boundary = true;
        // lastRip and previous are written when the chain ends (left), not for every block: three
        // stores and a GC card mark less a block run (a loop of calls, three block runs an
        // iteration: 22.4 -> 22.1 ns). A fault leaves them as the step found them: the context
        // reads lastRip only after a normal return, and previous is a hint checked before use.
        for (int chained = 0; ; chained++) {
            if (STATS) {
                blockRuns.increment();
                blockInstructions.add(b.instructions);
            }
            int r = b.code.run(cpu, memory, executor);
            if (TransitionCensus.ON) TransitionCensus.count(b, cpu.rip);
            boolean missed = (r & 0xff) == BlockCode.TLB_MISS;
            if (!b.hot) countRuns(b, missed);
            if (missed) {
                // The loop left on a TLB miss before an instruction (InlineEmitter.missExit): the
                // flags it left pending are computed, then the interpreter runs the instruction (its
                // walk fills the TLB, or it faults, exactly there) and the rest of the straight line.
                JitSupport.computePending(cpu, r);
                lastRip = cpu.rip;
                return interpret(stop, cpu.rip);
            }
            if (r != Executor.CONTINUE || !chains || stop != -1 || chained == CHAIN) return left(b, r);
            // What the context checks between steps: a branch to a non-canonical address (its
            // #GP, at lastRip), the trap flag (single steps), a kick or a TLB flush.
            long rip = cpu.rip;
            if (!Cpu.canonical(rip) || (cpu.rflags & Flags.TF) != 0 || attention) return left(b, r);
            JitBlock next = b.successor(rip);
            if (next == null || !matches(next)) return left(b, r);   // the context's next step looks it up
            JitBlock h = next.promoted;
            b = h != null ? h : next;
        }
    }

    /**
     * The chain ends after {@code b}, which returned {@code r}: the next step looks for its
     * successor through {@code b}'s links, and a branch {@code b} took to a non-canonical
     * address faults on {@code b}'s last instruction.
     */
    private int left(JitBlock b, int r) {
        lastRip = b.lastRip;
        previous = b;
        return r;
    }

    /** Blocks run one after another through their links before the context's loop runs again. */
    private static final int CHAIN = 64;
    /** Whether a step may run chained blocks ({@link #chainBlocks}); else one block a step. */
    private boolean chains;
    /**
     * Set by any thread when the context must see the CPU now (a kick, a TLB flush to
     * acknowledge): the chain stops before its next block. One field the chain loop reads, so
     * the check costs a load, not a call (InterpContext's kick and generation tests were ~1 ns
     * of a chained step).
     */
    private volatile boolean attention;

    /**
     * Lets a step run a translated block's chained successors too, as long as nobody asks for
     * {@link #attention}: the round trip through the context's loop was ~4% of xz's samples.
     */
    void chainBlocks() {
        this.chains = true;
    }

    /** The context has work (a kick, a new generation), written before this call: chained blocks stop. Any thread. */
    void needAttention() {
        attention = true;
    }

    /**
     * The context is about to look at its kicks and generation: a request made before this is
     * seen there (its writes came before {@link #needAttention}'s), a later one stops the next chain.
     */
    void attentionSeen() {
        if (attention) attention = false;
    }

    /**
     * Promotes a block once it has done {@link TranslationCache#hotEntries} runs' work. A
     * block that returns on its own start, or on a loop head inside it (a branch back inside
     * the block leaves only when its budget is spent), used its whole loop budget: that many
     * iterations, so loops are promoted by iterations run, not entries (an entry that left the
     * loop earlier, or on a TLB miss, counts one, a lower bound).
     */
    private void countRuns(JitBlock b, boolean missed) {
        int hot = cache.hotEntries;
        if (hot <= 0) return;
        boolean looped = !missed && Long.compareUnsigned(cpu.rip - b.rip, b.length) < 0;
        int runs = b.runs + (looped ? b.loopBudget : 1);
        if (runs >= hot) {
            runs = Integer.MIN_VALUE;   // asked once (promote resets it if its queue was full)
            b.runs = runs;
            cache.promote(b);
            return;
        }
        b.runs = runs;
    }

    /** Steps until RIP reaches {@code stop}, a SYSCALL, or {@code limit} steps. */
    int runUntil(long stop, long limit) {
        try {
            for (long i = 0; i < limit && cpu.rip != stop; i++) {
                int r = step(stop);
                if (r != Executor.CONTINUE) return r;
            }
            return Executor.CONTINUE;
        } finally {
            materialiseFlags();
        }
    }

    /**
     * RFLAGS current: flags a translated block ({@link Cpu#pendingFlags}) or the interpreter
     * (see {@link Interpreter#materialiseFlags}) left pending across {@link #step}s computed.
     */
    void materialiseFlags() {
        JitSupport.settle(cpu);
        interpreter.materialiseFlags();
    }
}
