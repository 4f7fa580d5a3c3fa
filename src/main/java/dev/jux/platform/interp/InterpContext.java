package dev.jux.platform.interp;

import dev.jux.platform.Context;
import dev.jux.platform.ExtendedState;
import dev.jux.platform.Trap;
import dev.jux.platform.UserRegisters;

/**
 * One guest thread on the interpreter. {@link #run()} loads {@link #registers()} into the
 * {@link Cpu}, steps (an instruction, or a block the JIT translated: {@link BlockRunner})
 * until a trap and stores them back:
 * <ul>
 *   <li>{@code syscall}: {@link Trap#SYSCALL_TRAP}, RIP after the instruction, RCX = that
 *       address and R11 = RFLAGS, as the CPU leaves them (the kernel answers in RAX);</li>
 *   <li>a CPU exception: {@link Trap#exception} with the vector, the hardware's error code and
 *       CR2 for page faults, RIP on the faulting instruction (after it for int3/int1);</li>
 *   <li>{@link #kick()}: {@link Trap#INTERRUPTED_TRAP} at the next instruction boundary. A
 *       REP string instruction is a boundary every {@link StringOps#CHUNK} iterations, and
 *       resumes where it stopped. A kick before run() is kept for it, as on KVM;</li>
 *   <li>an interpreter failure (a bug, a page table pointing outside guest RAM):
 *       {@link Trap#platformError}, which the kernel logs as an oops.</li>
 * </ul>
 */
final class InterpContext implements Context {
    private final InterpPlatform platform;
    private final UserRegisters regs = new UserRegisters();
    private final Cpu cpu = new Cpu();
    private final PagedMemory memory;
    private final BlockRunner runner;
    private volatile boolean kicked;
    /** The platform generation the TLB was last flushed under. */
    private long generation;
    /**
     * For {@link InterpPlatform#invalidateTranslations}: this context is inside {@link #run}
     * (set before it first reads the generation there), and the generation its TLB was last
     * flushed under, published after the flush. A Dekker pair with the invalidating thread,
     * which bumps the generation and then reads these: either it sees the context running and
     * waits for its acknowledgement, or the context's next read sees the new generation.
     */
    private volatile boolean inGuest;
    private volatile long acknowledged;

    InterpContext(InterpPlatform platform) {
        this.platform = platform;
        this.memory = new PagedMemory(platform.ram());
        this.runner = new BlockRunner(cpu, memory, platform.translations());
        runner.chainBlocks();
    }

    @Override
    public UserRegisters registers() {
        return regs;
    }

    @Override
    public void setPageTableRoot(long pml4) {
        memory.setRoot(pml4);
        generation = platform.generation();
        acknowledged = generation;
    }

    /**
     * Returns once this context cannot use a translation from before generation {@code g}: it is
     * not running guest code, or it has flushed under {@code g} or later. Running contexts check
     * at every step, so this waits microseconds (longer only while the host deschedules it).
     */
    void awaitGeneration(long g) {
        runner.needAttention();   // the generation was bumped before: a chain of translated blocks stops for it
        for (int spins = 0; inGuest && acknowledged < g; spins++) {
            if (spins < 1000) Thread.onSpinWait();
            else Thread.yield();
        }
    }

    /** The x87 and SSE registers as XSAVE would store them: the FXSAVE area, XSTATE_BV = x87|SSE. */
    @Override
    public byte[] extendedState() {
        byte[] image = ExtendedState.initial(ExtendedState.MIN_SIZE);
        cpu.fxsave(image, 0);
        java.nio.ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(ExtendedState.XSTATE_BV, ExtendedState.FP_SSE);
        return image;
    }

    /**
     * Loads an XSAVE image as XRSTOR does: a component whose XSTATE_BV bit is clear gets its
     * initial state (x87: FCW 0x37f and empty registers; SSE: zero XMM registers); MXCSR is
     * always taken from the image.
     */
    @Override
    public void setExtendedState(byte[] image) {
        byte[] next = ExtendedState.initial(ExtendedState.MIN_SIZE);
        System.arraycopy(image, 0, next, 0, Math.min(image.length, next.length));
        String bad = ExtendedState.invalidReason(next, extendedFeatures());
        if (bad != null) throw new IllegalArgumentException("XSAVE image: " + bad);
        long present = java.nio.ByteBuffer.wrap(next).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(ExtendedState.XSTATE_BV);
        byte[] initial = ExtendedState.initial(ExtendedState.MIN_SIZE);
        if ((present & 1) == 0) {
            System.arraycopy(initial, 0, next, 0, ExtendedState.MXCSR);          // FCW..FDP
            System.arraycopy(initial, ExtendedState.ST0, next, ExtendedState.ST0, ExtendedState.XMM0 - ExtendedState.ST0);
        }
        if ((present & 2) == 0) {
            System.arraycopy(initial, ExtendedState.XMM0, next, ExtendedState.XMM0, 16 * 16);
        }
        cpu.fxrstor(next, 0);
    }

    @Override
    public long extendedFeatures() {
        return ExtendedState.FP_SSE;
    }

    @Override
    public void kick() {
        kicked = true;
        runner.needAttention();   // after the flag: a chain that sees the request finds it in the loop
    }

    @Override
    public Trap run() {
        if (memory.root() < 0) return Trap.platformError("interp: run() before setPageTableRoot()");
        cpu.loadFrom(regs);
        long rip = cpu.rip;
        inGuest = true;
        try {
            while (true) {
                runner.attentionSeen();
                if (kicked) {
                    kicked = false;   // several kicks before this point are one interruption
                    return Trap.INTERRUPTED_TRAP;
                }
                long g = platform.generation();
                if (g != generation) {
                    generation = g;
                    memory.flush();
                    cpu.epoch++;   // decoded code must be fetched through the new mappings
                    acknowledged = g;
                }
                rip = cpu.rip;
                // TF set before an instruction: a #DB trap after it (a debugger's single step).
                boolean trapFlag = (cpu.rflags & Flags.TF) != 0;
                int r = trapFlag ? runner.stepOne() : runner.step();
                if (!Cpu.canonical(cpu.rip)) {
                    rip = runner.lastRip();
                    // A branch to a non-canonical address faults on the branch, as on hardware.
                    cpu.rip = rip;
                    return Trap.exception(Trap.GP, 0, 0);
                }
                if (r == Executor.SYSCALL) return Trap.SYSCALL_TRAP;
                if (trapFlag) return Trap.exception(Trap.DB, 0, 0);
            }
        } catch (CpuFault f) {
            return f.toTrap();
        } catch (RuntimeException | StackOverflowError e) {
            cpu.rip = rip;
            return Trap.platformError("interp: " + e + " at rip 0x" + Long.toHexString(rip));
        } finally {
            inGuest = false;
            runner.materialiseFlags();   // flags the fast path left pending across runs (see Interpreter.run)
            cpu.storeTo(regs);
        }
    }

    @Override
    public void close() {
        platform.closed(this);   // nothing else to give back: the CPU and its TLB are plain Java objects
    }
}
