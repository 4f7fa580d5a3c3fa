package dev.jux.platform.interp;

import java.util.function.IntConsumer;

/**
 * Fetch, decode, execute: one guest CPU over one {@link Memory}, one instruction per
 * {@link #step}. Instructions come from {@link DecodedBlocks}, pre-classified for
 * {@link FastPath}; a block's next instructions run as long as RIP arrives where the block
 * goes on, so the per-instruction fetch and cache lookup are paid once per block entry.
 *
 * <p>Code checks. A block runs only if its bytes were compared with memory (one execute
 * translation and a compare per 8 bytes) in the current watch period of its page
 * ({@link CodeWatch}: a write by this CPU to the page, the interpreter's or a translated
 * block's, ends the period). So a block entered again (a loop, a function called again, the
 * block after a translated one) with its page unwritten is not compared again. All trust ends
 * (every block is compared again on its next entry):
 * <ul>
 *   <li>when {@link Cpu#epoch} changes: the registers were loaded (the kernel ran: a system
 *       call, a fault, a kick; it may have written code) or the TLB was flushed;</li>
 *   <li>after CPUID: x86 asks a thread to run a serializing instruction before it runs code
 *       another thread wrote (which this CPU's watch cannot see); system calls do too;</li>
 *   <li>every {@link #TRUST} block entries (some 30,000 instructions), for programs that
 *       count on the hardware seeing such code without serializing (it does, soon).</li>
 * </ul>
 * The block being run is left when RIP is not its next instruction (a taken branch, a REP
 * chunk that restarts, anything that moved RIP), when its page is written (self-modifying
 * code sees its stores at the next instruction, as on x86), or when the epoch changes.
 * A step allocates nothing unless it decodes a new block or faults. The fast path leaves status
 * flags pending (see {@link FastPath}); RFLAGS is current when a step returns or throws, or a
 * run throws; after a run returns, only after {@link #materialiseFlags}.
 */
public final class Interpreter {
    /** Block entries between two ends of all trust (see the class comment). */
    static final int TRUST = 4096;
    private static final int CPUID = 0x1a2;

    private final Cpu cpu;
    /** Where every access goes: the memory itself if it reports writes to watched code, else a {@link WatchedMemory} over it. */
    private final Memory memory;
    private final CodeWatch watch;
    private final Decoder decoder = new Decoder();
    private final Instruction insn = new Instruction();
    private final Executor executor;
    private final FastPath fast;
    private final DecodedBlocks blocks = new DecodedBlocks(decoder);

    /** The block being run and the index and RIP of its next instruction; null when none. */
    private DecodedBlock block;
    private int index;
    private long nextRip;
    /** The block's watch slot and period: it goes on only while its page is unwritten. */
    private int slot, period;
    /** {@link Cpu#epoch} when trust began; block entries left before it ends. */
    private int epoch;
    private int trust;
    private int lastLength;
    /** Instructions the last {@link #run} ran (or started). */
    private int lastCount;
    private final InterpStats stats = InterpStats.ON ? InterpStats.register() : null;

    public Interpreter(Cpu cpu, Memory memory) {
        this.cpu = cpu;
        if (memory instanceof PagedMemory paged) {
            this.memory = paged;
            this.watch = paged.codeWatch();
        } else {
            WatchedMemory watched = new WatchedMemory(memory);
            this.memory = watched;
            this.watch = watched.codeWatch();
        }
        this.executor = new Executor(cpu, this.memory);
        this.fast = new FastPath(cpu, this.memory, stats);
        this.epoch = cpu.epoch;
    }

    /** The executor the JIT's fallback calls use for instructions it does not translate. */
    public Executor executor() {
        return executor;
    }

    public Cpu cpu() {
        return cpu;
    }

    /**
     * Has {@code grown} told the new length of the decoded-block table each time it grows:
     * the code this CPU runs outgrew it ({@link DecodedBlocks}).
     */
    void onDecodedBlocksGrowth(IntConsumer grown) {
        blocks.onGrowth(grown);
    }

    /** The memory this interpreter's accesses go through: translated blocks must use it too, so their writes to code are seen. */
    Memory memory() {
        return memory;
    }

    /**
     * Executes one instruction at RIP. Returns {@link Executor#CONTINUE} or {@link
     * Executor#SYSCALL}; throws {@link CpuFault} for an exception.
     */
    public int step() {
        long rip = cpu.rip;
        DecodedBlock b = block;
        int i = index;
        if (b == null || rip != nextRip || !stillTrusted()) {
            b = enter(rip);
            if (b == null) return stepUncached(rip);
            i = 0;
        }
        Instruction in = b.instructions[i];
        lastLength = in.length;
        block = null;   // a fault or a system call leaves no block to go on with
        int r;
        try {
            if (in.fast != FastPath.NONE) {
                fast.run(b, i, i + 1, -1, null, 0, 0);   // exactly this one
                r = Executor.CONTINUE;
            } else {
                if (InterpStats.ON) stats.count(in);
                r = executeSlow(in);
            }
        } finally {
            fast.materialise();   // no flags pending outside a step or a run (see FastPath)
        }
        if (r == Executor.CONTINUE && ++i < b.instructions.length) {
            block = b;
            index = i;
            nextRip = rip + in.length;
        }
        return r;
    }

    /**
     * Runs instructions from RIP along the straight line of its block: until one leaves it (a
     * taken branch, a REP chunk that restarts), the block ends, a system call, a write to the
     * block's page, or RIP reaches {@code stop} (-1 for none). Returns {@link
     * Executor#CONTINUE} or {@link Executor#SYSCALL}; throws {@link CpuFault} with RIP on the
     * faulting instruction. Afterwards {@link #lastLength} is the distance from the starting
     * RIP to the end of the last instruction run, so RIP differs from start + lastLength
     * exactly when the last instruction branched (the JIT's dispatcher counts block entries
     * at such RIPs). A branch to a non-canonical address faults (#GP) on the branch, as on
     * hardware. Saves the per-instruction round trip through the dispatcher and the context's
     * loop: kicks and TLB flushes are seen between these runs, at most
     * {@link DecodedBlocks#MAX_INSTRUCTIONS} instructions apart.
     */
    public int run(long stop) {
        try {
            return runBlock(stop);
        } catch (Throwable t) {
            fast.materialise();   // a fault: RFLAGS current for the fault's handler (the signal frame)
            throw t;
        }
    }

    /**
     * Computes the status flags the fast path left pending after {@link #run} (see {@link
     * FastPath}): RFLAGS is current afterwards. Flags stay pending across runs, so the next
     * run's Jcc can still decide from the operands; whoever looks at RFLAGS between runs (the
     * context storing the registers, a translated block) calls this first.
     */
    public void materialiseFlags() {
        fast.materialise();
    }

    private int runBlock(long stop) {
        long rip = cpu.rip;
        DecodedBlock b = block;
        int i = index;
        if (b == null || rip != nextRip || !stillTrusted()) {
            b = enter(rip);
            if (b == null) return stepUncached(rip);
            i = 0;
        }
        block = null;   // a fault or a system call leaves no block to go on with
        Instruction[] instructions = b.instructions;
        long start = rip;
        int first = i;
        long[] code = b.code;
        while (true) {
            Instruction in;
            if (code[FastPath.STRIDE * i] != 0) {   // a fast form (kind != NONE)
                // The fast instructions from here on run in one call (see FastPath.run).
                int why = fast.run(b, i, instructions.length, stop, watch.periods, slot, period);
                i = fast.lastIndex;
                long end = fast.lastEnd;
                lastLength = (int) (end - start);
                lastCount = i - first + 1;
                switch (why) {
                    case FastPath.BRANCHED -> {
                        faultIfNotCanonical(cpu.rip, end - instructions[i].length);
                        return Executor.CONTINUE;
                    }
                    case FastPath.ENDED -> {
                        return Executor.CONTINUE;
                    }
                    case FastPath.PAUSED -> {
                        block = b;
                        index = i + 1;
                        nextRip = end;
                        return Executor.CONTINUE;
                    }
                    default -> {   // SLOW: RIP is at the next instruction, which the executor runs
                        rip = end;
                        in = instructions[++i];
                    }
                }
            } else in = instructions[i];
            if (InterpStats.ON) stats.count(in);
            long end = rip + in.length;
            lastLength = (int) (end - start);
            lastCount = i - first + 1;
            int r = executeSlow(in);
            if (r != Executor.CONTINUE) return r;
            long now = cpu.rip;
            if (now != end) {
                faultIfNotCanonical(now, rip);
                return Executor.CONTINUE;
            }
            if (++i == instructions.length) return Executor.CONTINUE;
            // Only a store can end the block's watch period here; the epoch changes between runs
            // (or at a CPUID, which ends its block).
            if (now == stop || watch.periods[slot] != period) {
                block = b;
                index = i;
                nextRip = now;
                return Executor.CONTINUE;
            }
            rip = now;
        }
    }

    /** A branch (at {@code branchRip}) to a non-canonical {@code target} faults (#GP) on the branch, as on hardware. */
    private void faultIfNotCanonical(long target, long branchRip) {
        if (!Cpu.canonical(target)) {
            cpu.rip = branchRip;
            throw CpuFault.gp();
        }
    }

    /** An instruction that is not a fast form, through the generic executor. */
    private int executeSlow(Instruction in) {
        fast.materialise();   // the executor reads and writes RFLAGS itself
        int r = executor.execute(in);
        if (in.opcode == CPUID) cpu.epoch++;   // serializing: code other threads wrote is seen after it
        return r;
    }

    /** The current block may go on: no write to its page and no epoch change since it was entered. */
    private boolean stillTrusted() {
        return watch.periods[slot] == period && cpu.epoch == epoch;
    }

    /** The block at {@code rip}, its bytes compared with memory unless they were in this watch period. */
    private DecodedBlock enter(long rip) {
        if (InterpStats.ON) stats.entries++;
        int k = watchEntered(rip);
        int p = watch.periods[k];
        DecodedBlock b = blocks.find(rip);
        if (b == null || b.checkedIn != p || b.crossesPage) {
            if (InterpStats.ON) stats.checks++;
            b = blocks.lookup(memory, rip, stats);
            if (b == null) return null;
            b.checkedIn = p;
        }
        slot = k;
        period = p;
        return b;
    }

    /**
     * Code at {@code rip} is entered: ends all trust first if the epoch changed or {@link
     * #TRUST} entries passed (see the class comment), then watches its page; returns the slot.
     */
    private int watchEntered(long rip) {
        if (cpu.epoch != epoch || --trust <= 0) {
            watch.forgetAll();
            epoch = cpu.epoch;
            trust = TRUST;
        }
        return watch.watch(rip);
    }

    /**
     * For the JIT's dispatcher, which enters translated blocks under the same rules: the
     * current watch period of the page of {@code rip}. Code compared with memory in this
     * period needs no new compare: this CPU has not written the page since, nor has the
     * epoch changed.
     */
    int enterPeriod(long rip) {
        return watch.periods[watchEntered(rip)];
    }

    /** {@link CodeWatch#changes} now: what {@link #unchangedSince} compares with. */
    long watchChanges() {
        return watch.changes;
    }

    /**
     * For the JIT's dispatcher: code compared with memory when {@link #watchChanges} was
     * {@code changes} is still current, and entering it counts against the trust as {@link
     * #enterPeriod} would: no watch period of this CPU changed since, the epoch did not change
     * and trust has not run out (false: ask {@link #enterPeriod}, which ends it).
     */
    boolean unchangedSince(long changes) {
        if (watch.changes != changes || cpu.epoch != epoch || trust <= 1) return false;
        trust--;
        return true;
    }

    /** An instruction the block cache could not decode (over 15 bytes): decoded from memory, to fault as it should. */
    private int stepUncached(long rip) {
        fast.materialise();   // flags a previous run left pending: the executor reads RFLAGS itself
        block = null;
        lastCount = 1;
        decoder.decode(memory, rip, insn);
        if (InterpStats.ON) stats.count(insn);
        lastLength = insn.length;
        return executor.execute(insn);
    }

    /** The length of the instruction the last {@link #step} ran (or started). */
    int lastLength() {
        return lastLength;
    }

    /** The number of instructions the last {@link #run} ran, the last one included. */
    int lastCount() {
        return lastCount;
    }

    /** Steps until RIP reaches {@code stop}, a SYSCALL, or {@code limit} instructions. */
    public int runUntil(long stop, long limit) {
        for (long i = 0; i < limit && cpu.rip != stop; i++) {
            int r = step();
            if (r != Executor.CONTINUE) return r;
        }
        return Executor.CONTINUE;
    }
}
