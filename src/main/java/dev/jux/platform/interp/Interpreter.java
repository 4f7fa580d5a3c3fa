package dev.jux.platform.interp;

/**
 * Fetch, decode, execute: one guest CPU over one {@link Memory}. Decoded instructions come
 * from a {@link DecodedCache} (checked against the bytes in memory on every use); a step
 * allocates nothing unless it faults.
 */
public final class Interpreter {
    private final Cpu cpu;
    private final Memory memory;
    private final Decoder decoder = new Decoder();
    private final Instruction insn = new Instruction();
    private final Executor executor;
    private final DecodedCache cache = new DecodedCache(decoder);

    public Interpreter(Cpu cpu, Memory memory) {
        this.cpu = cpu;
        this.memory = memory;
        this.executor = new Executor(cpu, memory);
    }

    /** The executor the JIT's fallback calls use for instructions it does not translate. */
    public Executor executor() {
        return executor;
    }

    public Cpu cpu() {
        return cpu;
    }

    /**
     * Executes one instruction at RIP. Returns {@link Executor#CONTINUE} or {@link
     * Executor#SYSCALL}; throws {@link CpuFault} for an exception.
     */
    public int step() {
        Instruction in = cache.lookup(memory, cpu.rip);
        if (in == null) {
            decoder.decode(memory, cpu.rip, insn);
            in = insn;
        }
        lastLength = in.length;
        return executor.execute(in);
    }

    private int lastLength;

    /** The length of the instruction the last {@link #step} ran (or started). */
    int lastLength() {
        return lastLength;
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
