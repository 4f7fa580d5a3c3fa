package dev.jux.platform.interp;

/**
 * Runs one CPU a block or an instruction at a time: the JIT's dispatcher. Counts the entries
 * of each RIP (in a direct-mapped table of counters tagged with their RIP: a RIP that takes
 * another's slot starts again from one, so cold code is not translated because it shares a
 * slot with hot code), and once a RIP has been
 * entered {@link TranslationCache#threshold()} times runs the translated block there instead
 * of interpreting; recently used blocks are kept in a small per-CPU table in front of the
 * shared cache. Without a cache it only interprets.
 */
final class BlockRunner {
    private static final int BITS = 14, SIZE = 1 << BITS;
    /** A RIP where nothing could be translated waits this many more entries before the next try. */
    private static final int RETRY = 1 << 16;
    /** Entries between two looks for a block the background translator is making. */
    private static final int POLL = 64;

    private final Cpu cpu;
    private final Memory memory;
    private final Interpreter interpreter;
    private final Executor executor;
    private final TranslationCache cache;
    private final JitBlock[] recent = new JitBlock[SIZE];
    private final int[] heat = new int[SIZE];
    private final long[] heatRip = new long[SIZE];
    private long lastRip;
    /**
     * RIP may start a block: the last step branched (RIP is not the next instruction's) or
     * ran a block. Only such RIPs are counted and looked up; straight-line interpreted code
     * pays nothing for the JIT.
     */
    private boolean boundary = true;

    BlockRunner(Cpu cpu, Memory memory, TranslationCache cache) {
        this.cpu = cpu;
        this.memory = memory;
        this.interpreter = new Interpreter(cpu, memory);
        this.executor = interpreter.executor();
        this.cache = cache;
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
        long rip = cpu.rip;
        lastRip = rip;
        int r = interpreter.step();
        boundary = cpu.rip != rip + interpreter.lastLength();
        return r;
    }

    /** Like {@link #step()}, but no block runs past {@code stop} (an unsigned bound; -1 for none). */
    int step(long stop) {
        long rip = cpu.rip;
        lastRip = rip;
        if (cache != null && boundary) {
            int i = (int) (rip ^ (rip >>> BITS)) & (SIZE - 1);
            JitBlock b = recent[i];
            if (b != null && b.rip == rip && b.matches(memory)) return run(b);
            if (heatRip[i] != rip) {
                heatRip[i] = rip;
                heat[i] = 0;
            }
            if (++heat[i] > cache.threshold()) {
                b = cache.lookup(memory, rip, stop);
                if (b != null) {
                    recent[i] = b;
                    return run(b);
                }
                // Being translated in the background: look again a little later. Else untranslatable.
                heat[i] = cache.inFlight(rip) ? cache.threshold() - POLL : -RETRY;
            }
        }
        boundary = false;
        int r = interpreter.run(stop);
        boundary = cpu.rip != rip + interpreter.lastLength();
        return r;
    }

    private int run(JitBlock b) {
        lastRip = b.lastRip;
        boundary = true;
        cpu.epoch++;   // its stores bypass the interpreter's write watch
        return b.code.run(cpu, memory, executor);
    }

    /** Steps until RIP reaches {@code stop}, a SYSCALL, or {@code limit} steps. */
    int runUntil(long stop, long limit) {
        for (long i = 0; i < limit && cpu.rip != stop; i++) {
            int r = step(stop);
            if (r != Executor.CONTINUE) return r;
        }
        return Executor.CONTINUE;
    }
}
