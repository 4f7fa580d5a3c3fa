package dev.jux.platform.interp;

import static dev.jux.platform.interp.BlockTranslator.*;
import static java.lang.constant.ConstantDescs.*;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.List;

/**
 * Emits the bytecode of one block's {@code run(Cpu c, Memory m, Executor x)}, an instruction
 * at a time. Registers stay in {@code c.r} and flags in {@code c.rflags}, so translated code
 * and the interpreter mix freely. Inline instructions use the interpreter's own flag
 * arithmetic ({@link Alu}, {@link Shifts}, {@link MulDiv}, {@link Flags#condition}: static
 * calls with constant operation and size that HotSpot inlines and folds), so their flags are
 * exactly the interpreter's. Rules that keep faults precise:
 * <ul>
 *   <li>RIP is known at every instruction that may fault: stored before a fallback, kept in a
 *       local before an inline memory or stack access and stored by the fault handler;</li>
 *   <li>loads come first and registers are written last; a read-modify-write whose store
 *       faults puts RFLAGS back ({@link JitSupport#storeRestoringFlags});</li>
 *   <li>flags are lazy within a block: an instruction that sets all six from its operands
 *       alone ({@link #flagClass}) leaves the operands in locals, and the flags are computed
 *       only when something can see them: a flag reader, a partial writer, a fallback, the
 *       block's end, or a fault (an exception handler around each instruction that may fault
 *       computes them before the fault leaves the block). A later such instruction simply
 *       replaces them, so most are never computed.</li>
 * </ul>
 * A store into the block's own page (or the next, which its last instruction may cross into)
 * ends the block (after the store), so code that patches the code that follows it runs the
 * new bytes.
 */
final class InlineEmitter {
    private static final ClassDesc CD_ALU = ClassDesc.of("dev.jux.platform.interp.Alu");
    private static final ClassDesc CD_SHIFTS = ClassDesc.of("dev.jux.platform.interp.Shifts");
    private static final ClassDesc CD_MULDIV = ClassDesc.of("dev.jux.platform.interp.MulDiv");
    private static final ClassDesc CD_FLAGS = ClassDesc.of("dev.jux.platform.interp.Flags");
    private static final ClassDesc CD_SUPPORT = ClassDesc.of("dev.jux.platform.interp.JitSupport");
    private static final ClassDesc CD_LONGS = CD_long.arrayType();
    private static final ClassDesc CD_LONG = ClassDesc.of("java.lang.Long");
    private static final ClassDesc CD_JIT_MEMORY = ClassDesc.of("dev.jux.platform.interp.JitMemory");

    /** Local variable slots of run(). */
    private static final int C = 1, M = 2, X = 3, R = 4, ST = 5, A = 6, B = 8, ADDR = 10, RES = 12, SAVED = 14, LOOPS = 22, CARRY = 23,
            TLB = 24, REGS = 26, FAULT_RIP = 58, XMM = 60, T1 = 124, T2 = 126,
            OFF = 128, TAKEN = 130, SITE_PAGES = 132;
    private static final int RSP = Cpu.RSP;

    private final CodeBuilder b;
    private final long blockRip;
    /** The address of the block's last byte: in the next page when its last instruction crosses into it. */
    private final long lastByte;
    private final Label exit;
    /** The block's first instruction, for loops back to it. */
    private final Label top;
    /** Iterations of a loop back to the block's start before the dispatcher runs again. */
    static final int LOOP_BUDGET = Integer.getInteger("jux.jit.loopBudget", 32);
    /**
     * Iterations of this block's loop: {@link #LOOP_BUDGET} for a block of {@link
     * BlockTranslator#MAX_INSTRUCTIONS}, proportionally more for shorter ones, so that at most
     * about 2,048 instructions run between two looks at kicks and TLB flushes whatever the
     * block's length (sieve's inner loop has 4 instructions: 512 iterations, not 32).
     */
    private int loopBudget = LOOP_BUDGET;
    /** RFLAGS before the current instruction is in SAVED (for a store that faults). */
    private boolean flagsSaved;

    /** Guest RAM as a constant of the class, for {@link JitMemory}'s inline TLB hits. */
    private final ConstantDesc ram;

    InlineEmitter(CodeBuilder b, long blockRip, long blockEnd, ConstantDesc ram) {
        this.b = b;
        this.blockRip = blockRip;
        this.lastByte = blockEnd - 1;
        this.ram = ram;
        this.exit = b.newLabel();
        this.top = b.newLabel();
        this.leave = b.newLabel();
    }

    void prologue() {
        b.aload(C).getfield(CD_CPU, "r", CD_LONGS).astore(R);
        b.aload(M).ldc(ram).invokestatic(CD_JIT_MEMORY, "tlbOf", MethodTypeDesc.of(CD_LONGS, CD_MEMORY, CD_MEMORY_SEGMENT));
        b.astore(TLB);
        loadAllRegisters();
        b.lconst_0().lstore(FAULT_RIP);
        b.iconst_0().istore(ST);
        b.loadConstant(loopBudget).istore(LOOPS);
        for (int i = 0; i < cachedSites; i++) {
            b.loadConstant(NO_PAGE).lstore(sitePage(i));
            b.lconst_0().lstore(siteDelta(i));
        }
        switch (entryMode) {
            case SETTLE -> {
                Label none = b.newLabel();
                b.aload(C).getfield(CD_CPU, "pendingFlags", CD_int).ifeq(none);
                b.aload(C).invokestatic(CD_SUPPORT, "settle", MethodTypeDesc.of(CD_void, CD_CPU));
                b.labelBinding(none);
            }
            case DROP -> b.aload(C).iconst_0().putfield(CD_CPU, "pendingFlags", CD_int);
            default -> { }   // HOLD: dropped at the first writer; PASS: they stay pending
        }
        if (loopPending != null) {   // (PA and PB too, for the verifier: read only when CARRY is 1)
            b.iconst_0().istore(CARRY);
            b.lconst_0().lstore(PA).lconst_0().lstore(PB);
        }
        b.labelBinding(top);
        carryPossible = loopPending != null;
    }

    /**
     * The flags the block's closing Jcc back to its start reads, pending from a CMP/SUB/TEST/
     * AND ({@link #loopPending(List, List)}), or null. Such a Jcc decides from the operands and
     * goes round again without computing the flags: local CARRY says they are still pending at
     * the block's start, until the first instruction that writes flags replaces them; anything
     * that needs them before that computes them first (or its fault handler does).
     */
    private Pending loopPending;
    /** Statically: the carried flags may still be pending here (no flag writer since the start). */
    private boolean carryPossible;

    void setLoopPending(Instruction[] insns, long[] rips) {
        loopPending = loopPending(insns, rips, blockRip);
        int n = insns.length, op = insns[n - 1].opcode;
        boolean branch = isJcc(op) || op == 0xe9 || op == 0xeb;
        exitOnMiss = branch && rips[n - 1] + insns[n - 1].length + insns[n - 1].imm == blockRip;   // it loops on itself
    }

    /** The pending flags a fusable closing Jcc back to {@code blockRip} reads, or null. */
    static Pending loopPending(Instruction[] insns, long[] rips, long blockRip) {
        int n = insns.length;
        Instruction jcc = insns[n - 1];
        int op = jcc.opcode;
        if (!isJcc(op)) return null;
        if (rips[n - 1] + jcc.length + jcc.imm != blockRip || !fusable(op & 15)) return null;
        for (int j = n - 2; j >= 0; j--) {
            Instruction in = insns[j];
            if (!inline(in) || rotateByConstant(in)) return null;
            int fc = flagClass(in);
            if (fc == NEUTRAL) continue;
            if (fc != LAZY) return null;
            int o = in.opcode, size = in.opSize, aluOp;
            if (o == 0x84 || o == 0x85 || o == 0xa8 || o == 0xa9) {
                aluOp = Alu.AND;
                size = o == 0x84 || o == 0xa8 ? 1 : size;
            } else if (o == 0xf6 || o == 0xf7) {
                if (in.regField > 1) return null;
                aluOp = Alu.AND;
                size = o == 0xf6 ? 1 : size;
            } else if (o == 0x80 || o == 0x81 || o == 0x83) {
                aluOp = in.regField;
                size = o == 0x80 ? 1 : size;
            } else if (o < 0x40) {
                aluOp = o >> 3;
                size = (o & 1) == 0 ? 1 : size;
            } else {
                return null;
            }
            return decidable(aluOp) ? new Pending(P_ALU, aluOp, size, 0) : null;
        }
        return null;
    }

    /** ALU operations whose pending operands decide a condition ({@link #pendingCondition}). */
    private static boolean decidable(int aluOp) {
        return aluOp == Alu.SUB || aluOp == Alu.CMP || aluOp == Alu.AND;
    }

    /** Pushes condition {@code cc} (a boolean) decided from {@code p}'s operands in PA/PB, without the flags. */
    private void pendingCondition(Pending p, int cc) {
        b.lload(PA).lload(PB).loadConstant(p.size).loadConstant(cc);
        b.invokestatic(CD_SUPPORT, p.op == Alu.AND ? "andCondition" : "subCondition",
                MethodTypeDesc.of(CD_boolean, CD_long, CD_long, CD_int, CD_int));
    }

    /** Conditions {@link JitSupport#subCondition} and {@link JitSupport#andCondition} decide (not O, P). */
    private static boolean fusable(int cc) {
        int k = cc >> 1;
        return k != 0 && k != 5;
    }

    /** If the carried flags may be pending at runtime, computes them into RFLAGS. */
    private void computeCarried() {
        Label skip = b.newLabel();
        b.iload(CARRY).ifeq(skip);
        computeFlags(loopPending);
        b.labelBinding(skip);
    }

    /**
     * A branch back to the block's first instruction: loops inside the block up to
     * {@link #loopBudget} times before returning to the dispatcher (which checks kicks and TLB
     * flushes between blocks), saving the dispatch and the code check of each iteration.
     * Flags are exact here (the branch read them, or JMP follows a materialized block end).
     */
    private void branchTo(long target) {
        if (target == blockRip) {
            Label leave = b.newLabel();
            b.iinc(LOOPS, -1);
            b.iload(LOOPS).ifle(leave);
            if (loopPending != null) b.iconst_0().istore(CARRY);   // RFLAGS is exact: nothing carried
            b.goto_(top);
            b.labelBinding(leave);
        } else if (targets.containsKey(target)) {
            jumpInside(target);
            return;
        }
        setRip(target);
        leave();
    }

    // ---- branches inside the block --------------------------------------------------------

    /**
     * Instructions of the block (other than its first) that a Jcc or JMP of the block branches
     * to, by RIP: such a branch jumps there inside the method instead of leaving the block
     * (an if/else, or a loop whose head is not the block's start, runs without the dispatcher:
     * 16% of xz's block runs used to leave into their own block). Flags are exact at a target
     * (computed on every way in), unless {@link #flagsDeadAt} says the instructions after it
     * replace them all before anything can see them.
     */
    private final java.util.Map<Long, Label> targets = new java.util.HashMap<>();
    private final java.util.Set<Long> flagsDead = new java.util.HashSet<>();
    /** The RIP of the instruction being emitted. */
    private long here;

    /**
     * Declares the branch targets inside the block ({@code insns[k]} at {@code rips[k]}, k > 0)
     * of the branches that can run ({@code reachable}, see {@link BlockTranslator}).
     */
    void setTargets(Instruction[] insns, long[] rips, boolean[] reachable) {
        java.util.Map<Long, Integer> index = new java.util.HashMap<>();
        for (int k = 1; k < rips.length; k++) index.put(rips[k], k);
        for (int j = 0; j < insns.length; j++) {
            int op = insns[j].opcode;
            if (!reachable[j] || !isJcc(op) && op != 0xe9 && op != 0xeb) continue;
            long target = rips[j] + insns[j].length + insns[j].imm;
            Integer k = index.get(target);
            if (k != null && k <= j) innerLoop = true;
            if (k == null || targets.containsKey(target)) continue;
            targets.put(target, b.newLabel());
            if (flagsDeadAt(insns, k)) flagsDead.add(target);
        }
    }

    /** A branch of the block goes back to one of its instructions other than the first: a loop inside it. */
    private boolean innerLoop;

    /** True if {@code rip} is a branch target inside the block ({@link #setTargets}). */
    boolean isTarget(long rip) {
        return targets.containsKey(rip);
    }

    /**
     * True if an instruction from {@code insns[k]} on writes all six status flags from its
     * operands before anything reads flags, may fault, calls out or leaves the block: the
     * flags at {@code k} are never seen, so no way in needs to compute them.
     */
    static boolean flagsDeadAt(Instruction[] insns, int k) {
        for (int j = k; j < insns.length - 1; j++) {   // the block's last instruction exits: flags seen
            Instruction in = insns[j];
            if (!inline(in)) return false;
            if (flagClass(in) == LAZY && !in.isMemory()) return true;
            if (!quiet(in)) return false;
        }
        return false;
    }

    /**
     * What a block does at its entry with flags the block before it left pending in {@link
     * Cpu#pendingFlags} (see {@link #leave}): {@link #SETTLE} computes them into RFLAGS (the
     * block may read them); {@link #DROP} clears them, as its first instructions write all six
     * status flags before anything can see them; {@link #HOLD} keeps them until its first flag
     * writer has run, which clears them, because an instruction before it (or the writer's own
     * memory read) may fault or leave the block (a load, a store, a PUSH), and whoever sees
     * RFLAGS then must see them; {@link #PASS} keeps them: the block never touches flags, so
     * they are still pending after it.
     */
    enum EntryMode { SETTLE, DROP, HOLD, PASS }

    /**
     * The block's {@link EntryMode}; for {@link EntryMode#HOLD}, the index of its first flag
     * writer. Like {@link #flagsDeadAt} for the first instruction, but before the writer there
     * may also be rotates by a constant (their CF and OF are replaced before anything reads
     * them) or, for HOLD, NEUTRAL loads, stores, PUSHes and POPs (sha256's loop exit starts
     * with loads, its compress with PUSHes), though not after such a rotate (a fault would show
     * its CF and OF), nor in a block that branches back to the writer or before it (the drop
     * would run on every iteration). A writer that reads memory (CMP with a memory operand, an
     * ALU operation into a register from memory: xz's match finder starts blocks with them)
     * makes it HOLD too: its read may fault before it writes the flags.
     */
    record EntryFlags(EntryMode mode, int writer) {}

    static EntryFlags entryFlags(Instruction[] insns, long[] rips) {
        boolean leaves = false, rotated = false;
        for (int j = 0; j < insns.length - 1; j++) {   // the block's last instruction exits: flags seen
            Instruction in = insns[j];
            if (!inline(in)) return new EntryFlags(EntryMode.SETTLE, -1);
            if (flagClass(in) == LAZY) {
                if (!leaves && !in.isMemory()) return new EntryFlags(EntryMode.DROP, j);
                return branchesBackTo(insns, rips, rips[j]) ? new EntryFlags(EntryMode.SETTLE, -1) : new EntryFlags(EntryMode.HOLD, j);
            }
            if (quiet(in)) continue;
            if (rotateByConstant(in) && !leaves) {
                rotated = true;
            } else if (leavesQuietly(in) && !rotated) {
                leaves = true;
            } else {
                return new EntryFlags(EntryMode.SETTLE, -1);
            }
        }
        return untouched(insns) ? new EntryFlags(EntryMode.PASS, -1) : new EntryFlags(EntryMode.SETTLE, -1);
    }

    /** Neither reads nor writes flags, but may fault or leave the block (a NEUTRAL load, store, PUSH or POP). */
    private static boolean leavesQuietly(Instruction in) {
        int op = in.opcode;
        return inline(in) && flagClass(in) == NEUTRAL && !endsBlock(in) && !isJcc(op) && op != 0xe9 && op != 0xeb && op != 0xff;
    }

    /** No instruction of the block reads or writes flags (a call, a return or a jump may end it). */
    private static boolean untouched(Instruction[] insns) {
        for (Instruction in : insns) {
            int op = in.opcode;
            boolean leavesNeutrally = op == 0xc2 || op == 0xc3 || op == 0xe8 || op == 0xe9 || op == 0xeb
                    || op == 0xff && (in.regField == 2 || in.regField == 4);
            if (!inline(in) || flagClass(in) != NEUTRAL || !(quiet(in) || leavesQuietly(in) || leavesNeutrally)) return false;
        }
        return true;
    }

    /** True if a Jcc or JMP of the block goes to {@code rip} or before it (within the block). */
    private static boolean branchesBackTo(Instruction[] insns, long[] rips, long rip) {
        for (int i = 0; i < insns.length; i++) {
            int op = insns[i].opcode;
            if (!isJcc(op) && op != 0xe9 && op != 0xeb) continue;
            long target = rips[i] + insns[i].length + insns[i].imm;
            if (Long.compareUnsigned(target - rips[0], rip - rips[0]) <= 0) return true;
        }
        return false;
    }

    private EntryMode entryMode = EntryMode.SETTLE;
    /** For {@link EntryMode#HOLD}: the RIP of the first flag writer, which drops the held flags; else -1. */
    private long dropHeldFlagsAt = -1;

    void setEntryFlags(EntryFlags entry, long[] rips) {
        entryMode = entry.mode();
        dropHeldFlagsAt = entry.mode() == EntryMode.HOLD ? rips[entry.writer()] : -1;
    }

    /** Neither touches flags nor can fault, call out or leave the block ({@link #flagsUnused}). */
    private static boolean quiet(Instruction in) {
        int op = in.opcode;
        return flagClass(in) == NEUTRAL && (!in.isMemory() || op == 0x8d) && !endsBlock(in) && !isJcc(op)
                && !(op >= 0x50 && op <= 0x5f) && op != 0x68 && op != 0x6a && op != 0xff;
    }

    /**
     * Where the straight line reaches a branch target: the flags become exact (or are dropped
     * if dead there), as on every branch into it, so the code after the label has one state.
     */
    void reachTarget(long rip) {
        Label l = targets.get(rip);
        if (l == null) return;
        if (flagsDead.contains(rip) || !fallsThrough) {   // (no straight line into it: only branches, which did the work)
            pending = null;
            carryPossible = false;
            faultExits.current = null;
            missExits.current = null;
        } else {
            materialize();
        }
        b.labelBinding(l);
        fallsThrough = true;
    }

    /** False right after a JMP the block went on past ({@link BlockTranslator}): the next instruction is reached only by branches. */
    private boolean fallsThrough = true;

    /**
     * Jumps to the branch target {@code target} inside the block; flags are exact here, or the
     * caller computes them first unless they are dead there. A branch backward spends one of
     * the block's loop iterations ({@link #LOOPS}, as a loop to the block's start does) and
     * leaves the block at the target when none is left, so kicks and TLB flushes are still
     * seen between blocks.
     */
    private void jumpInside(long target) {
        Label l = targets.get(target);
        if (Long.compareUnsigned(target, here) > 0) {
            b.goto_(l);
            return;
        }
        Label out = b.newLabel();
        b.iinc(LOOPS, -1);
        b.iload(LOOPS).ifle(out);
        b.goto_(l);
        b.labelBinding(out);
        materializeOnExit();   // flags exact when leaving, even if dead at the target
        setRip(target);
        b.goto_(leave);   // (a loop's exit, once per budget: computed here, where C2 specialises them)
    }

    void epilogue() {
        b.labelBinding(exit);
        b.iload(ST).ireturn();
        b.labelBinding(leave);
        writeBackRegisters();
        b.iconst_0().ireturn();
        emitHandlers();
        emitMissExits();
    }

    // ---- guest registers in locals --------------------------------------------------------

    /**
     * Registers the block may touch (a bit per register), kept in JVM locals from the block's
     * entry on, so HotSpot can keep them in host registers (the fences of every guest load and
     * store stop it from keeping array elements there). They are written back to {@code c.r}
     * at every exit ({@link #leave}), before every fallback call (and loaded again after
     * it), around MUL/IMUL one-operand's call, and by the fault handlers, so whatever runs
     * next (interpreter, kernel, signal delivery) sees them exact.
     */
    private int usedRegisters;
    /** Writes the registers back and returns 0 (RIP already set). */
    private final Label leave;

    /** Plans the registers for {@code insns} (every register any of them names, and the implicit ones) and the loop budget. */
    void setRegisters(Instruction[] insns) {
        int used = 0, xmm = 0;
        for (Instruction in : insns) {
            used |= registersOf(in);
            if (JitSse.inlinable(in)) xmm |= xmmRegistersOf(in);
        }
        usedRegisters = used;
        usedXmm = xmm;
        loopBudget = Math.max(1, LOOP_BUDGET * BlockTranslator.MAX_INSTRUCTIONS / insns.length);
    }

    /** A superset of the general registers {@code in} reads or writes (inline or as a fallback's address). */
    static int registersOf(Instruction in) {
        int m = 0;
        for (int r : new int[] {in.reg, in.rm, in.base, in.index, opcodeReg(in)}) {
            if (r < 0 || r > 15) continue;
            m |= 1 << r;
            if (r >= 4 && r < 8) m |= 1 << (r - 4);   // AH..BH
        }
        int op = in.opcode;
        if (op >= 0x50 && op <= 0x5f || op == 0x68 || op == 0x6a || op == 0xc2 || op == 0xc3 || op == 0xe8 || op == 0xff) {
            m |= 1 << RSP;
        }
        if (op >= 0x90 && op <= 0x99 || op == 0xa8 || op == 0xa9 || op < 0x40 || op == 0xf6 || op == 0xf7) {
            m |= 1 << Cpu.RAX | 1 << Cpu.RDX;
        }
        if (op >= 0xd0 && op <= 0xd3) m |= 1 << Cpu.RCX;
        return m;
    }

    /**
     * XMM registers the block's inline SSE instructions name (a bit per register), kept in
     * locals as two longs each (low, high quadword) under the same rules as {@link
     * #usedRegisters}: loaded at entry, written back at every exit, before every fallback (and
     * loaded again after it) and by the fault handlers; a {@link JitSse} helper that works on
     * {@code c.xmm} gets the registers it reads written back first and reloads the one it writes.
     */
    private int usedXmm;

    /** The XMM registers an inline SSE instruction reads or writes ({@link #sse} spells out which operand is which). */
    static int xmmRegistersOf(Instruction in) {
        int op = in.opcode & 0xff;
        boolean reg = in.mod == 3;
        return switch (op) {
            case 0x6e -> 1 << in.reg;
            case 0x7e -> 1 << in.reg | (Sse.prefix(in) == Sse.PF3 && reg ? 1 << in.rm : 0);
            case 0xd7, 0x71, 0x72, 0x73 -> 1 << in.rm;
            default -> 1 << in.reg | (reg ? 1 << in.rm : 0);
        };
    }

    private int xmmSlot(int reg) {
        if ((usedXmm & (1 << reg)) == 0) {
            throw new IllegalStateException("jit: xmm" + reg + " not planned at 0x" + Long.toHexString(blockRip));
        }
        return XMM + 4 * reg;
    }

    private void loadXmm(int reg) {
        int slot = xmmSlot(reg);
        xmm();
        b.loadConstant(2 * reg).laload().lstore(slot);
        xmm();
        b.loadConstant(2 * reg + 1).laload().lstore(slot + 2);
    }

    private void writeBackXmm(int reg) {
        int slot = xmmSlot(reg);
        xmm();
        b.loadConstant(2 * reg).lload(slot).lastore();
        xmm();
        b.loadConstant(2 * reg + 1).lload(slot + 2).lastore();
    }

    private int regSlot(int reg) {
        if ((usedRegisters & (1 << reg)) == 0) {
            throw new IllegalStateException("jit: register " + reg + " not planned at 0x" + Long.toHexString(blockRip));
        }
        return REGS + 2 * reg;
    }

    /** Pushes guest register {@code reg} (all 64 bits). */
    private void pushReg(int reg) {
        b.lload(regSlot(reg));
    }

    /** Pops the long on the stack into guest register {@code reg} (all 64 bits). */
    private void popReg(int reg) {
        b.lstore(regSlot(reg));
        writtenRegisters |= 1 << reg;
    }

    private void loadRegisters(int which) {
        for (int r = 0; r < 16; r++) {
            if ((which & usedRegisters & (1 << r)) != 0) b.aload(R).loadConstant(r).laload().lstore(REGS + 2 * r);
        }
    }

    /**
     * The registers the block's own code writes ({@link #popReg}, the reload after a helper
     * that changed {@code c.r}), known once the block is emitted. Every other register's local
     * always equals {@code c.r}: loaded at entry, loaded again after every call that may
     * change {@code c.r}, never stored. So it needs no write-back, and once the block has read
     * it for the last time its local is dead, instead of live to every exit: a loop that only
     * reads a register (sieve's stride and limit) or names one it never touches keeps fewer
     * values live, which left C2 registers for the loop's own values. {@link BlockTranslator}
     * emits a block twice, the second time with {@link #writeBackOnly} set to the first pass's
     * answer.
     */
    private int writtenRegisters;
    /** The registers the write-backs store: all planned ones, or (second pass) those the block writes. */
    private int writeBackMask = -1;

    int writtenRegisters() {
        return writtenRegisters;
    }

    void writeBackOnly(int registers) {
        writeBackMask = registers;
    }

    /** All the planned registers, general and XMM. */
    private void loadAllRegisters() {
        loadRegisters(-1);
        for (int r = 0; r < 16; r++) {
            if ((usedXmm & (1 << r)) != 0) loadXmm(r);
        }
    }

    private void writeBackRegisters(int which) {
        for (int r = 0; r < 16; r++) {
            if ((which & usedRegisters & writeBackMask & (1 << r)) != 0) b.aload(R).loadConstant(r).lload(REGS + 2 * r).lastore();
        }
    }

    /** All the planned registers, general and XMM. */
    private void writeBackRegisters() {
        writeBackRegisters(-1);
        for (int r = 0; r < 16; r++) {
            if ((usedXmm & (1 << r)) != 0) writeBackXmm(r);
        }
    }

    /**
     * Leaves the block (RIP is set) through the register write-back. Flags still pending here
     * are not computed: their operands go to {@link Cpu#pendingA}/{@link Cpu#pendingB} and
     * their code to {@link Cpu#pendingFlags}, and the next block computes them only if it may
     * read them ({@link EntryMode}); the dispatcher computes them before the interpreter runs
     * or anything else sees RFLAGS. Most blocks end at a branch that read its flags, and the
     * next block writes new ones first.
     */
    private void leave() {
        if (pending != null) {
            handOver(pending);
        } else if (carryPossible) {   // the loop's carried flags, pending only if CARRY
            b.iload(CARRY).ifeq(leave);
            handOver(loopPending);
        }
        b.goto_(leave);
    }

    /** Stores {@code p}'s flags, pending, for whatever runs next. */
    private void handOver(Pending p) {
        b.aload(C).lload(PA).putfield(CD_CPU, "pendingA", CD_long);
        if (p.kind == P_ALU) b.aload(C).lload(PB).putfield(CD_CPU, "pendingB", CD_long);
        b.aload(C).loadConstant(JitSupport.pendingFlagsCode(p.kind, p.op, p.size, p.count)).putfield(CD_CPU, "pendingFlags", CD_int);
    }

    // ---- classification -------------------------------------------------------------------

    /**
     * A control transfer, or an instruction that may not finish in one go: the block's last.
     * Not a conditional branch (Jcc): a block goes on past it and leaves where it is taken
     * ({@link #body}), as the interpreter's decoded blocks do (a block that ended at every Jcc
     * returned to the dispatcher every ~9 instructions in xz's LZMA encoder); but see
     * {@link #endsBlockAt}.
     */
    static boolean endsBlock(Instruction in) {
        int op = in.opcode;
        if (op == Instruction.INVALID) return true;
        if (op >= 0xe0 && op <= 0xe3) return true;
        if (op >= 0xa4 && op <= 0xa7 || op >= 0xaa && op <= 0xaf || op >= 0x6c && op <= 0x6f) return true; // string ops restart
        if (op == 0xff) return in.regField >= 2 && in.regField <= 5;
        return switch (op) {
            case 0xe8, 0xe9, 0xea, 0xeb, 0x9a, 0xc2, 0xc3, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xf1, 0xf4,
                 0x9d, 0x105, 0x107, 0x10b, 0x134, 0x135 -> true;
            default -> false;
        };
    }

    /** Jcc, short or near. */
    static boolean isJcc(int op) {
        return op >= 0x70 && op <= 0x7f || op >= 0x180 && op <= 0x18f;
    }

    /**
     * {@code in}, whose next instruction is at {@code next}, is the last of the block that
     * starts at {@code blockRip}: it {@link #endsBlock}, or it is a Jcc back to the block's
     * start (a loop: as the last instruction it gets the loop's fused branch and its TLB miss
     * exits, see {@link #setLoopPending}; in the middle of a longer block sha256's round loop
     * ran 25% slower), or a Jcc to a non-canonical address, whose #GP must be reported on the
     * Jcc: at the block's last RIP ({@link BlockRunner#lastRip}).
     */
    static boolean endsBlockAt(Instruction in, long next, long blockRip) {
        if (!isJcc(in.opcode)) return endsBlock(in);
        long target = next + in.imm;
        return target == blockRip || !Cpu.canonical(target);
    }

    /** True if {@link #emit} compiles the instruction itself (false: a call to the Executor). */
    static boolean inline(Instruction in) {
        if (in.lock()) return false;
        int op = in.opcode;
        if (op == Instruction.INVALID) return false;
        if (op < 0x40) return (op & 7) <= 5;
        if (op >= 0x50 && op <= 0x5f || op >= 0x70 && op <= 0x7f || op >= 0x88 && op <= 0x8b
                || op >= 0x90 && op <= 0x99 || op >= 0xb0 && op <= 0xbf
                || op >= 0x140 && op <= 0x14f || op >= 0x180 && op <= 0x19f || op >= 0x119 && op <= 0x11f) return true;
        return switch (op) {
            case 0x63, 0x68, 0x6a, 0x69, 0x6b, 0x80, 0x81, 0x83, 0x84, 0x85, 0xa8, 0xa9,
                 0xc0, 0xc1, 0xd0, 0xd1, 0xd2, 0xd3, 0xc2, 0xc3, 0xe8, 0xe9, 0xeb,
                 0x1af, 0x1b6, 0x1b7, 0x1be, 0x1bf -> true;
            case 0x86, 0x87 -> in.mod == 3;
            case 0x8d -> in.mod != 3;
            case 0xc6, 0xc7 -> in.regField == 0;
            case 0xf6, 0xf7 -> in.regField <= 5;
            case 0xfe -> in.regField <= 1;
            case 0xff -> in.regField <= 2 || in.regField == 4 || in.regField == 6;
            default -> JitSse.inlinable(in);
        };
    }

    /** The current instruction is the closing Jcc that decides from {@link #loopPending}'s operands. */
    private boolean fusedJcc;
    /**
     * The current instruction is a Jcc inside the block (not its last) that decides from the
     * pending CMP/SUB/TEST/AND's operands: the flags are computed only on the way out when it
     * is taken, and stay pending when the block goes on.
     */
    private boolean lazyJcc;
    /** The current instruction is a ROL/ROR whose flags nobody sees: emitted without them. */
    private boolean rotateOnly;
    /** The current instruction is an ADC/SBB whose flags nobody sees: emitted with CF as its only flag input. */
    private boolean carryOnly;

    /** ROL/ROR of a register by a constant that is not 0 (so it writes CF and OF, and reads no flag). */
    static boolean rotateByConstant(Instruction in) {
        int op = in.opcode;
        if (op != 0xc0 && op != 0xc1 && op != 0xd0 && op != 0xd1 || in.mod != 3 || in.regField > Shifts.ROR) return false;
        return Shifts.maskCount(op <= 0xc1 ? in.imm : 1, (op & 1) == 0 ? 1 : in.opSize) != 0;
    }

    /**
     * A {@link #rotateByConstant} writes OF as well as CF: always on AMD; on Intel only by a
     * count of 1, as ROL/ROR by a larger immediate keep OF there ({@link Shifts#shift}). So a
     * later rotate hides an earlier one's flags unless only the earlier writes OF (a ROR by 1
     * then a ROL by 29 lost the ROR's OF on Intel hosts; sha256's RORs by 6, 11 and 25 write
     * only CF, each hiding the one before).
     */
    static boolean rotateWritesOf(Instruction in) {
        int op = in.opcode;
        return !HostVendor.INTEL || op == 0xd0 || op == 0xd1
                || Shifts.maskCount(in.imm, (op & 1) == 0 ? 1 : in.opSize) == 1;
    }

    /**
     * ADC/SBB into a register (reads CF, writes all six status flags and no memory): when its
     * flags are dead it only needs CF ({@link #flagsUnused}). sieve's count: CMP, ADC, ADD.
     */
    static boolean carryIntoRegister(Instruction in) {
        int op = in.opcode;
        int aluOp;
        boolean toRegister;
        if (op < 0x40 && (op & 7) <= 5) {
            aluOp = op >> 3;
            toRegister = (op & 7) >= 2 || in.mod == 3;
        } else if (op == 0x80 || op == 0x81 || op == 0x83) {
            aluOp = in.regField;
            toRegister = in.mod == 3;
        } else {
            return false;
        }
        return toRegister && (aluOp == Alu.ADC || aluOp == Alu.SBB);
    }

    /**
     * For each instruction of a block: true if it is a {@link #rotateByConstant} or a {@link
     * #carryIntoRegister} whose flags nobody can see, because a later instruction overwrites
     * them (all of those it writes) before anything reads flags, may fault, calls the
     * interpreter or leaves the block (sha256's rounds: ROR, ROR, AND; sieve's CMP, ADC, ADD).
     * Only instructions that neither touch flags nor can fault may come in between, and no
     * branch target inside the block ({@code target[j]}: other paths meet there).
     */
    static boolean[] flagsUnused(List<Instruction> insns, boolean[] target) {
        boolean[] unused = new boolean[insns.size()];
        for (int i = 0; i < insns.size(); i++) {
            boolean rotate = rotateByConstant(insns.get(i));
            if (!rotate && !carryIntoRegister(insns.get(i))) continue;
            for (int j = i + 1; j < insns.size() - 1; j++) {   // the block's last instruction exits: flags seen
                Instruction in = insns.get(j);
                if (!inline(in) || target[j]) break;
                if (rotate && rotateByConstant(in) && (!rotateWritesOf(insns.get(i)) || rotateWritesOf(in))
                        || flagClass(in) == LAZY && !in.isMemory()) {
                    unused[i] = true;
                    break;
                }
                if (!quiet(in)) break;
            }
        }
        return unused;
    }

    /**
     * A block's last instruction that leaves it without reading flags: RET, CALL, an indirect
     * JMP or CALL, or a JMP out of the block (not to its start or one of its branch targets,
     * where the flags must be exact). Flags pending before it are handed over at the exit
     * ({@link #leave}) instead of computed.
     */
    private boolean leavesWithoutFlags(Instruction in, long rip) {
        int op = in.opcode;
        if (op == 0xe9 || op == 0xeb) {
            long target = rip + in.length + in.imm;
            return target != blockRip && !targets.containsKey(target);
        }
        return op == 0xc2 || op == 0xc3 || op == 0xe8 || op == 0xff && (in.regField == 2 || in.regField == 4);
    }

    /** How an inline instruction treats RFLAGS. */
    private static final int NEUTRAL = 0, LAZY = 1, OTHER = 2;

    /**
     * {@link #LAZY}: writes all six status flags from its operands alone and no memory (so its
     * flags can wait in locals until someone needs them); {@link #NEUTRAL}: neither reads nor
     * writes flags; {@link #OTHER}: reads them, writes some of them, or writes memory after
     * computing them.
     */
    private static int flagClass(Instruction in) {
        int op = in.opcode;
        boolean noStore = in.mod == 3 || !in.hasModrm;
        if (op >= 0 && op < 0x40) {
            int aluOp = op >> 3;
            if (aluOp == Alu.ADC || aluOp == Alu.SBB) return OTHER;
            int form = op & 7;
            return form >= 2 || noStore || aluOp == Alu.CMP ? LAZY : OTHER;
        }
        if (op >= 0x88 && op <= 0x8b || op >= 0x90 && op <= 0x99 || op >= 0xb0 && op <= 0xbf
                || op >= 0x50 && op <= 0x5f || op >= 0x119 && op <= 0x11f || JitSse.inlinable(in)) return NEUTRAL;
        return switch (op) {
            case 0x80, 0x81, 0x83 -> in.regField == Alu.ADC || in.regField == Alu.SBB ? OTHER
                    : noStore || in.regField == Alu.CMP ? LAZY : OTHER;
            case 0x84, 0x85, 0xa8, 0xa9 -> LAZY;
            case 0xf6, 0xf7 -> in.regField <= 1 || in.regField == 3 && noStore ? LAZY : in.regField == 2 ? NEUTRAL : OTHER;
            case 0xc0, 0xc1, 0xd0, 0xd1 -> noStore && in.regField >= Shifts.SHL
                    && Shifts.maskCount(op <= 0xc1 ? in.imm : 1, (op & 1) == 0 ? 1 : in.opSize) != 0 ? LAZY : OTHER;
            case 0x63, 0x68, 0x6a, 0x86, 0x87, 0x8d, 0x1b6, 0x1b7, 0x1be, 0x1bf, 0xc6, 0xc7,
                 0xe8, 0xe9, 0xeb, 0xc2, 0xc3 -> NEUTRAL;
            case 0xff -> in.regField == 6 || in.regField == 2 || in.regField == 4 ? NEUTRAL : OTHER;
            default -> OTHER;
        };
    }

    // ---- lazy flags -----------------------------------------------------------------------

    /** The flags computation waiting in locals PA/PB: what it is, or null. */
    private record Pending(int kind, int op, int size, int count) {
        // Written out, not the record's own: see docs/design.md, "Start-up".
        @Override
        public boolean equals(Object o) {
            return o instanceof Pending p && p.kind == kind && p.op == op && p.size == size && p.count == count;
        }

        @Override
        public int hashCode() {
            return ((kind * 31 + op) * 31 + size) * 31 + count;
        }
    }

    private static final int P_ALU = JitSupport.PENDING_ALU, P_NEG = JitSupport.PENDING_NEG, P_SHIFT = JitSupport.PENDING_SHIFT;
    /** Slots of the pending flags' operands, and of a caught exception. */
    private static final int PA = 16, PB = 18, EXC = 20;

    private Pending pending;

    /**
     * The entry points of one kind of exit (the fault handlers, the TLB miss exits), one per
     * state of the flags at the instruction that may leave: none pending ({@link #plain}),
     * only the carried ones, or the computation pending now (a new one after each {@link
     * #setPending} or {@link #materialize}). The code behind them is emitted after the method's.
     */
    private final class Exits {
        Label plain, carry, current;
        /** The labels of the flag states other than plain, and their pending computation (null: the carried flags). */
        final List<Label> labels = new java.util.ArrayList<>();
        final List<Pending> pendings = new java.util.ArrayList<>();

        /** The entry for the flags' state at this point of the block. */
        Label here() {
            if (plain == null) plain = b.newLabel();
            if (pending == null && carryPossible) {
                if (carry == null) carry = add(null);
                return carry;
            }
            if (pending == null) return plain;
            if (current == null) current = add(pending);
            return current;
        }

        private Label add(Pending p) {
            Label l = b.newLabel();
            labels.add(l);
            pendings.add(p);
            return l;
        }
    }

    private final Exits faultExits = new Exits(), missExits = new Exits();

    /** The instruction whose operands are in A (and B) leaves its flags pending. */
    private void setPending(int kind, int op, int size, int count) {
        carryPossible = false;
        b.lload(A).lstore(PA);
        if (kind == P_ALU) b.lload(B).lstore(PB);
        pending = new Pending(kind, op, size, count);
        faultExits.current = null;
        missExits.current = null;
    }

    /** Emits the computation of {@code p}'s flags into RFLAGS. */
    private void computeFlags(Pending p) {
        b.aload(C);
        switch (p.kind) {
            case P_ALU -> {
                b.loadConstant(p.op).lload(PA).lload(PB).loadConstant(p.size);
                b.invokestatic(CD_ALU, "op", MethodTypeDesc.of(CD_long, CD_CPU, CD_int, CD_long, CD_long, CD_int));
            }
            case P_NEG -> {
                b.lload(PA).loadConstant(p.size);
                b.invokestatic(CD_ALU, "neg", MethodTypeDesc.of(CD_long, CD_CPU, CD_long, CD_int));
            }
            default -> {
                b.loadConstant(p.op).lload(PA).loadConstant(p.count).loadConstant(p.size);
                b.invokestatic(CD_SHIFTS, "shift", MethodTypeDesc.of(CD_long, CD_CPU, CD_int, CD_long, CD_int, CD_int));
            }
        }
        b.pop2();
    }

    /** Makes RFLAGS exact: computes the pending flags, if any. */
    private void materialize() {
        if (pending != null) computeFlags(pending);
        else if (carryPossible) computeCarried();
        carryPossible = false;
        pending = null;
        faultExits.current = null;
        missExits.current = null;
    }

    /** Like {@link #materialize} on a path that leaves the block, while the flags stay pending on the other. */
    private void materializeOnExit() {
        if (pending != null) computeFlags(pending);
        else if (carryPossible) computeCarried();
    }

    /** After a fault's flags are computed: writes the registers back and rethrows the exception in EXC. */
    private Label rethrow;

    /** The exception handler for code that may fault: computes the flags if pending, writes the registers back. */
    private Label faultHandler() {
        if (rethrow == null) rethrow = b.newLabel();
        return faultExits.here();
    }

    /** The handlers, after the method's code: compute the pending flags, write the registers back, rethrow. */
    private void emitHandlers() {
        for (int i = 0; i < faultExits.labels.size(); i++) {
            b.labelBinding(faultExits.labels.get(i));
            b.astore(EXC);
            if (faultExits.pendings.get(i) == null) computeCarried();
            else computeFlags(faultExits.pendings.get(i));
            b.goto_(rethrow);
        }
        if (rethrow != null) {
            b.labelBinding(faultExits.plain);
            b.astore(EXC);
            b.labelBinding(rethrow);
            writeBackRegisters();
            b.aload(C).lload(FAULT_RIP).putfield(CD_CPU, "rip", CD_long);
            b.aload(EXC).athrow();
        }
    }

    // ---- TLB misses that leave a loop -----------------------------------------------------

    /**
     * In a block that loops on itself, a load or store that misses the TLB leaves the block
     * instead of calling {@link Memory}: the state goes back as a fault handler leaves it
     * (registers written back, RIP = the instruction's; flags still pending are handed to the
     * dispatcher, which computes them), and the dispatcher runs the instruction through the
     * interpreter, whose walk fills the TLB for the next pass. Why: HotSpot's calling convention saves no register across a call,
     * so a call anywhere in the loop made C2 keep the loop's values in stack slots, and where
     * it put the spills depended on how often its profile had seen the call (sieve's marking
     * loop: ~55 instructions with ~20 stack accesses an iteration when the block was compiled
     * on its own, against 31 with none now, as when C2 happened to inline it into the dispatcher).
     * With the exit the loop has no call on any path that comes back into it. A miss costs a
     * block exit and an interpreted instruction instead of a call, and loops miss rarely (the
     * TLB grows to their working set: {@link PagedMemory}). Not for the store of a
     * read-modify-write whose flags are already in RFLAGS (its call restores them on a fault),
     * nor for the 16-byte SSE stores ({@link JitSse#store128}), which still call {@link Memory}
     * on a miss.
     */
    private boolean exitOnMiss;

    /** Where a miss of the current instruction leaves the block, for the flags' state before it. */
    private Label missExit() {
        return missExits.here();
    }

    /**
     * The miss exits, after the method's code: the answer in ST ({@link BlockCode#TLB_MISS},
     * with a code for flags still pending, whose operands go to {@link Cpu#pendingA}/{@link
     * Cpu#pendingB}: the dispatcher computes them, not the block), then, shared by all, the
     * registers written back, RIP = FAULT_RIP, and the return of ST.
     */
    private void emitMissExits() {
        if (missExits.plain == null) return;
        Label leaveMissed = b.newLabel();
        for (int i = 0; i < missExits.labels.size(); i++) {
            b.labelBinding(missExits.labels.get(i));
            Pending p = missExits.pendings.get(i);
            if (p == null) {   // the carried flags: pending only if CARRY
                b.iload(CARRY).ifeq(missExits.plain);
                p = loopPending;
            }
            b.aload(C).lload(PA).putfield(CD_CPU, "pendingA", CD_long);
            if (p.kind == P_ALU) b.aload(C).lload(PB).putfield(CD_CPU, "pendingB", CD_long);
            b.loadConstant(JitSupport.missWithPending(p.kind, p.op, p.size, p.count)).istore(ST);
            b.goto_(leaveMissed);
        }
        b.labelBinding(missExits.plain);
        b.loadConstant(BlockCode.TLB_MISS).istore(ST);
        b.labelBinding(leaveMissed);
        writeBackRegisters();
        b.aload(C).lload(FAULT_RIP).putfield(CD_CPU, "rip", CD_long);
        b.goto_(exit);
    }

    /**
     * A {@code size}-byte access of {@code kind} at the address in local {@code addrSlot}
     * through the TLB: {@code host} performs it from OFF, its offset in guest RAM, on a hit; on
     * a miss a block that loops on itself leaves through {@link #missExit}, any other
     * {@code call}s {@link Memory}. A cached site ({@link #cachedSites}) looks at its own page
     * first and refills it from a TLB hit. Blocks that neither loop on themselves nor cache
     * the site just {@code call}.
     */
    private void access(int addrSlot, int size, int kind, Runnable host, Runnable call) {
        int site = sites++;
        boolean cached = site < cachedSites;
        if (!exitOnMiss && !cached) {
            call.run();
            return;
        }
        Label lookUp = b.newLabel(), found = b.newLabel(), done = b.newLabel();
        if (cached) {
            cachedOffsetOr(site, addrSlot, size, lookUp);
            b.goto_(found);
        }
        b.labelBinding(lookUp);
        b.aload(TLB).ldc(ram).lload(addrSlot).loadConstant(size).loadConstant(kind);
        b.invokestatic(CD_JIT_MEMORY, "hit", MethodTypeDesc.of(CD_long, CD_LONGS, CD_MEMORY_SEGMENT, CD_long, CD_int, CD_int));
        b.lstore(OFF);
        Label miss = exitOnMiss ? missExit() : b.newLabel();
        b.lload(OFF).lconst_0().lcmp().iflt(miss);
        if (cached) refill(site, addrSlot);
        b.labelBinding(found);
        host.run();
        if (!exitOnMiss) {
            b.goto_(done);
            b.labelBinding(miss);
            call.run();
            b.labelBinding(done);
        }
    }

    /** OFF = the offset of the access at {@code addrSlot} through {@code site}'s cached page, or a jump to {@code lookUp}. */
    private void cachedOffsetOr(int site, int addrSlot, int size, Label lookUp) {
        b.lload(addrSlot).loadConstant(PAGE_MASK).land().lload(sitePage(site)).lcmp().ifne(lookUp);
        if (size > 1) b.lload(addrSlot).loadConstant(~PAGE_MASK).land().loadConstant((long) (4096 - size)).lcmp().ifgt(lookUp);
        b.ldc(ram).lload(addrSlot).lload(siteDelta(site));
        b.invokestatic(CD_JIT_MEMORY, "offset", MethodTypeDesc.of(CD_long, CD_MEMORY_SEGMENT, CD_long, CD_long));
        b.lstore(OFF);
    }

    /** After a TLB hit at {@code addrSlot} (its offset in OFF): {@code site} caches that page. */
    private void refill(int site, int addrSlot) {
        b.lload(addrSlot).loadConstant(PAGE_MASK).land().lstore(sitePage(site));
        b.lload(OFF).lload(addrSlot).lsub().lstore(siteDelta(site));
    }

    /**
     * Per-site translations of a loop block (session 18). An access of a block that loops on
     * itself ({@link #exitOnMiss}) or has a loop inside ({@link #innerLoop}) remembers, in two
     * locals of its own, the page its last hit was in and that page's offset in guest RAM;
     * while the loop stays in the page it goes straight to RAM (a mask and a compare; two for a
     * wider access, which must not cross the page) instead of indexing the TLB array: two loads and their index arithmetic, which C2
     * cannot hoist out of the loop past the fences of the loop's own guest accesses. A hit
     * stays valid for the rest of the block's run, as the TLB array the block fetched at entry
     * does: mappings are narrowed or moved only by the kernel, whose changes reach this CPU
     * as a flush between blocks (docs/platform-interp.md "Software TLB"); a fault (the kernel
     * breaking copy-on-write, paging in) ends the block by its exception; a page that becomes
     * watched code ({@link CodeWatch}, which empties its write tag) does so on this CPU's
     * dispatch, between blocks; what a fallback's walk fills or evicts in the TLB changes no
     * mapping. So the locals start empty at each entry and are never invalidated inside it.
     * The offset is masked like every hit's ({@link JitMemory#offset}): whatever the locals
     * held, an access would stay inside guest RAM.
     */
    private int cachedSites;
    /** The accesses emitted so far ({@link #access}). */
    private int sites;
    private static final long PAGE_MASK = ~0xfffL;
    /** A site's page before its first hit: has low bits set, so no address's page equals it. */
    private static final long NO_PAGE = -1L;

    private static int sitePage(int site) {
        return SITE_PAGES + 4 * site;
    }

    private static int siteDelta(int site) {
        return SITE_PAGES + 4 * site + 2;
    }

    /**
     * First pass: how many of the block's sites (the first ones) the second caches: all of a
     * loop's while the values C2 must keep live across it stay within {@link #LIVE_BUDGET}
     * longs, counting each general register the block names, each XMM register's two halves
     * and each cached site's two. Past that C2 spills, and the cache costs more than the TLB:
     * sha256's round loop (14 registers, two sites) ran 6% slower with its sites cached.
     */
    int cacheableSites() {
        if (!exitOnMiss && !innerLoop) return 0;
        int live = Integer.bitCount(usedRegisters) + 2 * Integer.bitCount(usedXmm);
        return Math.max(0, Math.min(sites, (LIVE_BUDGET - live) / 2));
    }

    static final int LIVE_BUDGET = Integer.getInteger("jux.jit.siteBudget", 10);

    /** Second pass: gives the first {@code n} sites their own cached translation. */
    void cacheSites(int n) {
        cachedSites = n;
    }

    // ---- instructions ---------------------------------------------------------------------

    /** Compiles {@code in} if it can ({@link #inline}); false if the caller must emit a fallback. */
    boolean emit(Instruction in, long rip, boolean last) {
        return emit(in, rip, last, false);
    }

    /**
     * Like {@link #emit(Instruction, long, boolean)}; {@code flagsUnused}: nothing can see the
     * flags this instruction writes ({@link #flagsUnused}), so a rotate leaves them alone.
     */
    boolean emit(Instruction in, long rip, boolean last, boolean flagsUnused) {
        if (!inline(in)) return false;
        here = rip;
        flagsSaved = false;
        rotateOnly = flagsUnused && rotateByConstant(in);
        carryOnly = flagsUnused && carryIntoRegister(in);
        int flagClass = rotateOnly || carryOnly ? NEUTRAL : flagClass(in);
        fusedJcc = last && loopPending != null && loopPending.equals(pending)
                && isJcc(in.opcode) && rip + in.length + in.imm == blockRip;
        lazyJcc = !last && isJcc(in.opcode) && pending != null && pending.kind == P_ALU
                && decidable(pending.op) && fusable(in.opcode & 15)
                && rip + in.length + in.imm != blockRip;
        boolean followedJump = !last && (in.opcode == 0xe9 || in.opcode == 0xeb);   // decides its flags itself
        boolean handsOver = last && leavesWithoutFlags(in, rip);   // its exit hands pending flags over (leave)
        if ((flagClass == OTHER || last && !handsOver) && !fusedJcc && !lazyJcc && !followedJump) materialize();
        boolean dead = flagClass == LAZY && !last;
        long next = rip + in.length;
        int op = in.opcode;
        int size = in.opSize;
        boolean stack = op >= 0x50 && op <= 0x5f || op == 0x68 || op == 0x6a || op == 0xc2 || op == 0xc3
                || op == 0xe8 || op == 0xff && (in.regField == 2 || in.regField == 6);
        Label handler = in.isMemory() && op != 0x8d || stack ? faultHandler() : null;
        Label start = b.newLabel(), end = b.newLabel();
        b.labelBinding(start);
        body(in, rip, next, last, dead, stack);
        b.labelBinding(end);
        // The held flags are replaced once this instruction has run (its memory operand, read
        // first, may fault: then its handler leaves them held).
        if (rip == dropHeldFlagsAt) b.aload(C).iconst_0().putfield(CD_CPU, "pendingFlags", CD_int);
        if (handler != null) b.exceptionCatchAll(start, end, handler);
        if (dead) {
            switch (op) {
                case 0x84, 0x85, 0xa8, 0xa9 -> setPending(P_ALU, Alu.AND, op == 0x84 || op == 0xa8 ? 1 : size, 0);
                case 0xf6, 0xf7 -> {
                    int s = op == 0xf6 ? 1 : size;
                    if (in.regField == 3) setPending(P_NEG, 0, s, 0);
                    else setPending(P_ALU, Alu.AND, s, 0);
                }
                case 0xc0, 0xc1, 0xd0, 0xd1 -> {
                    int s = (op & 1) == 0 ? 1 : size;
                    setPending(P_SHIFT, in.regField, s, Shifts.maskCount(op <= 0xc1 ? in.imm : 1, s));
                }
                case 0x80, 0x81, 0x83 -> setPending(P_ALU, in.regField, op == 0x80 ? 1 : size, 0);
                default -> setPending(P_ALU, op >> 3, (op & 1) == 0 ? 1 : size, 0); // 00-3F
            }
        }
        return true;
    }

    private void body(Instruction in, long rip, long next, boolean last, boolean dead, boolean stack) {
        int op = in.opcode;
        int size = in.opSize;
        if (in.isMemory() || stack) b.loadConstant(rip).lstore(FAULT_RIP);   // RIP for the fault handler
        if (in.isMemory() && op != 0x8d) {
            effectiveAddress(in, next, true);
            b.lstore(ADDR);
        }
        boolean high = in.highByteRegs();
        if (op >= Instruction.MAP_0F && JitSse.inlinable(in)) {
            sse(in, next, last);
        } else if (op < 0x40) {
            aluForm(in, op, next, dead);
        } else if (op >= 0x50 && op <= 0x57) {
            pushReg(opcodeReg(in));
            b.lstore(A);
            push(size);
        } else if (op >= 0x58 && op <= 0x5f) {
            pop(size);
            storeReg(opcodeReg(in), size, false, A);
        } else if (fusedJcc) {
            Pending p = pending;
            pendingCondition(p, op & 15);
            // One branch decides whether the loop goes round (taken and budget left, the two
            // combined without a branch of their own): a branch on the condition alone is never
            // seen falling through while a loop runs (sieve's marking loop runs millions of times
            // before its first exit), so C2 made that side an uncommon trap, and each loop's
            // first exit threw its compiled code away (back to C1 for the next pass). Budget
            // ends are seen, so this branch keeps both sides. Both ways out then compute the flags in one place, with
            // the RIP to leave at in RES: when each computed them on its own, C2 commoned the
            // two computations into one at their dominator, inside the loop (sha256's round loop
            // computed all six flags every iteration).
            Label out = b.newLabel();
            b.istore(TAKEN);
            b.iinc(LOOPS, -1);
            b.iload(TAKEN).iload(LOOPS).ineg().loadConstant(31).iushr().iand();   // taken && LOOPS > 0
            b.ifeq(out);
            b.iconst_1().istore(CARRY);
            b.goto_(top);
            b.labelBinding(out);
            // RES = taken ? blockRip : next, as arithmetic for the same reason.
            b.iload(TAKEN).i2l().loadConstant(blockRip - next).lmul().loadConstant(next).ladd().lstore(RES);
            // When the budget is spent this block runs next: if it writes all flags first (sha256's
            // round loop), they are handed over (leave) and never computed; else they are computed
            // here, specialised, which beat the dispatcher's generic computation (sieve's count).
            if (entryMode == EntryMode.DROP) {
                b.aload(C).lload(RES).putfield(CD_CPU, "rip", CD_long);
                leave();
            } else {
                computeFlags(p);
                b.aload(C).lload(RES).putfield(CD_CPU, "rip", CD_long);
                b.goto_(leave);
            }
            pending = null;
            return;
        } else if (isJcc(op)) {
            Label notTaken = b.newLabel();
            if (lazyJcc) {
                pendingCondition(pending, op & 15);
                b.ifeq(notTaken);
                long target = next + in.imm;
                if (targets.containsKey(target)) {
                    if (!flagsDead.contains(target)) materializeOnExit();
                    jumpInside(target);
                } else {
                    setRip(target);
                    leave();
                }
            } else {
                condition(op & 15);
                b.ifeq(notTaken);
                branchTo(next + in.imm);
            }
            b.labelBinding(notTaken);
            if (last) {   // else the block goes on with the next instruction
                setRip(next);
                leave();
            }
            return;
        } else if (op >= 0x88 && op <= 0x8b) {
            int s = (op & 1) == 0 ? 1 : size;
            if (op <= 0x89) {
                loadReg(in.reg, s, high);
                b.lstore(RES);
                storeRm(in, s, next, RES, false, last);
            } else {
                loadRm(in, s);
                b.lstore(RES);
                storeReg(in.reg, s, high, RES);
            }
        } else if (op == 0x90 && (in.rex & 1) == 0 || op >= 0x119 && op <= 0x11f) {
            // NOP, PAUSE, multi-byte NOPs and hints
        } else if (op >= 0x90 && op <= 0x97) {
            int reg = op == 0x90 ? 8 : opcodeReg(in);
            loadReg(reg, size, false);
            b.lstore(A);
            loadReg(Cpu.RAX, size, false);
            b.lstore(B);
            storeReg(reg, size, false, B);
            storeReg(Cpu.RAX, size, false, A);
        } else if (op == 0x98) {
            loadReg(Cpu.RAX, 8, false);
            signExtend(size / 2);
            b.lstore(RES);
            storeReg(Cpu.RAX, size, false, RES);
        } else if (op == 0x99) {
            loadReg(Cpu.RAX, 8, false);
            b.loadConstant(64 - 8 * size).lshl().loadConstant(63).lshr().lstore(RES);
            storeReg(Cpu.RDX, size, false, RES);
        } else if (op >= 0xb0 && op <= 0xb7) {
            b.loadConstant(in.imm).lstore(RES);
            storeReg(opcodeReg(in), 1, high, RES);
        } else if (op >= 0xb8 && op <= 0xbf) {
            b.loadConstant(in.imm).lstore(RES);
            storeReg(opcodeReg(in), size, false, RES);
        } else if (op >= 0x140 && op <= 0x14f) {
            loadRm(in, size);   // read (and maybe fault) whatever the condition
            b.lstore(A);
            condition(op & 15);
            Label keep = b.newLabel();
            b.ifne(keep);
            loadReg(in.reg, size, high);
            b.lstore(A);
            b.labelBinding(keep);
            storeReg(in.reg, size, high, A);   // a false condition still zero-extends a 32-bit destination
        } else if (op >= 0x190 && op <= 0x19f) {
            condition(op & 15);
            b.i2l().lstore(RES);
            storeRm(in, 1, next, RES, false, last);
        } else {
            if (!other(in, op, size, next, last, dead)) return; // it ended the block itself
        }
        if (last) {
            setRip(next);
            leave();
        }
    }

    /** The rest of the inline instructions; false if it emitted the block's exit (a branch). */
    private boolean other(Instruction in, int op, int size, long next, boolean last, boolean dead) {
        boolean high = in.highByteRegs();
        switch (op) {
            case 0x63 -> {
                int s = size == 8 ? 4 : size;
                loadRm(in, s);
                signExtend(s);
                b.lstore(RES);
                storeReg(in.reg, size, high, RES);
            }
            case 0x68, 0x6a -> {
                b.loadConstant(in.imm).lstore(A);
                push(size);
            }
            case 0x69, 0x6b, 0x1af -> {
                if (op == 0x1af) {
                    loadReg(in.reg, size, high);
                    b.lstore(A);
                    loadRm(in, size);
                    b.lstore(B);
                } else {
                    loadRm(in, size);
                    b.lstore(A);
                    b.loadConstant(in.imm).lstore(B);
                }
                b.aload(C).lload(A).lload(B).loadConstant(size);
                b.invokestatic(CD_MULDIV, "imul", MethodTypeDesc.of(CD_long, CD_CPU, CD_long, CD_long, CD_int));
                b.lstore(RES);
                storeReg(in.reg, size, high, RES);
            }
            case 0x80, 0x81, 0x83 -> {
                int s = op == 0x80 ? 1 : size;
                loadRm(in, s);
                b.lstore(A);
                b.loadConstant(in.imm).lstore(B);
                aluOp(in.regField, s, dead, in.isMemory());
                if (in.regField != Alu.CMP) storeRm(in, s, next, RES, true, last);
            }
            case 0x84, 0x85 -> {
                int s = op == 0x84 ? 1 : size;
                loadRm(in, s);
                b.lstore(A);
                loadReg(in.reg, s, high);
                b.lstore(B);
                if (!dead) {
                    b.lload(A).lload(B).land();
                    logicFlags(s);
                }
            }
            case 0x86, 0x87 -> {
                int s = op == 0x86 ? 1 : size;
                loadRm(in, s);
                b.lstore(A);
                loadReg(in.reg, s, high);
                b.lstore(B);
                storeRm(in, s, next, B, false, last);
                storeReg(in.reg, s, high, A);
            }
            case 0x8d -> {
                effectiveAddress(in, next, false);
                b.lstore(RES);
                storeReg(in.reg, size, high, RES);
            }
            case 0xa8, 0xa9 -> {
                loadReg(Cpu.RAX, 8, false);
                b.lstore(A);
                b.loadConstant(in.imm).lstore(B);
                if (!dead) {
                    b.lload(A).lload(B).land();
                    logicFlags(op == 0xa8 ? 1 : size);
                }
            }
            case 0xc0, 0xc1, 0xd0, 0xd1, 0xd2, 0xd3 -> {
                int s = (op & 1) == 0 ? 1 : size;
                loadRm(in, s);
                b.lstore(A);
                if (rotateOnly) {
                    int bits = 8 * s;
                    int n = Shifts.maskCount(op <= 0xc1 ? in.imm : 1, s) % bits;
                    b.lload(A);
                    if (n != 0) {
                        int left = in.regField == Shifts.ROL ? n : bits - n;
                        if (s == 8 || s == 4) {
                            // Long/Integer.rotateLeft: C2 emits one ROL (sha256's rounds; the
                            // shifts, OR and mask of longs below were five instructions)
                            if (s == 4) b.l2i();
                            b.loadConstant(left);
                            if (s == 8) {
                                b.invokestatic(CD_Long, "rotateLeft", MethodTypeDesc.of(CD_long, CD_long, CD_int));
                            } else {
                                b.invokestatic(CD_Integer, "rotateLeft", MethodTypeDesc.of(CD_int, CD_int, CD_int));
                                b.i2l().loadConstant(mask(4)).land();
                            }
                        } else {
                            b.loadConstant(left).lshl().lload(A).loadConstant(bits - left).lushr().lor();
                            b.loadConstant(mask(s)).land();
                        }
                    }
                    b.lstore(RES);
                    storeRm(in, s, next, RES, false, last);
                    return true;
                }
                if (dead) { // SHL/SHR/SAR by a constant, to a register
                    int n = Shifts.maskCount(op <= 0xc1 ? in.imm : 1, s);
                    switch (in.regField) {
                        case Shifts.SHR -> b.lload(A).loadConstant(n).lushr();
                        case Shifts.SAR -> {
                            b.lload(A);
                            signExtend(s);
                            b.loadConstant(n).lshr();
                        }
                        default -> b.lload(A).loadConstant(n).lshl();
                    }
                    b.lstore(RES);
                    storeRm(in, s, next, RES, false, last);
                    return true;
                }
                saveFlagsIf(in.isMemory());
                b.aload(C).loadConstant(in.regField | (op <= 0xc1 ? Shifts.BY_IMMEDIATE : 0)).lload(A);
                if (op <= 0xd1) {
                    b.loadConstant(Shifts.maskCount(op <= 0xc1 ? in.imm : 1, s));
                } else {
                    pushReg(Cpu.RCX);
                    b.l2i().loadConstant(s == 8 ? 63 : 31).iand();
                }
                b.loadConstant(s);
                b.invokestatic(CD_SHIFTS, "shift", MethodTypeDesc.of(CD_long, CD_CPU, CD_int, CD_long, CD_int, CD_int));
                b.lstore(RES);
                storeRm(in, s, next, RES, true, last);
            }
            case 0xc2, 0xc3 -> {
                pop(8);
                if (op == 0xc2) {
                    pushReg(RSP);
                    b.loadConstant(in.imm).ladd();
                    popReg(RSP);
                }
                b.aload(C).lload(A).putfield(CD_CPU, "rip", CD_long);
                leave();
                return false;
            }
            case 0xc6, 0xc7 -> {
                b.loadConstant(in.imm).lstore(RES);
                storeRm(in, op == 0xc6 ? 1 : size, next, RES, false, last);
            }
            case 0xe8 -> {
                b.loadConstant(next).lstore(A);
                push(8);
                setRip(next + in.imm);
                leave();
                return false;
            }
            case 0xe9, 0xeb -> {
                long target = next + in.imm;
                if (last) {
                    branchTo(target);
                } else {
                    // A JMP forward the block goes on past (BlockTranslator.follows): to its
                    // target inside the block, with the flags it needs there, or out.
                    if (targets.containsKey(target)) {
                        if (!flagsDead.contains(target)) materialize();
                        b.goto_(targets.get(target));
                    } else {
                        setRip(target);
                        leave();
                    }
                    fallsThrough = false;
                }
                return false;
            }
            case 0xf6, 0xf7 -> {
                int s = op == 0xf6 ? 1 : size;
                switch (in.regField) {
                    case 0, 1 -> {
                        loadRm(in, s);
                        b.lstore(A);
                        b.loadConstant(in.imm).lstore(B);
                        if (!dead) {
                            b.lload(A).lload(B).land();
                            logicFlags(s);
                        }
                    }
                    case 2 -> {
                        loadRm(in, s);
                        b.loadConstant(-1L).lxor().lstore(RES);
                        storeRm(in, s, next, RES, false, last);
                    }
                    case 3 -> {
                        loadRm(in, s);
                        b.lstore(A);
                        if (dead) {
                            b.lload(A).lneg().lstore(RES);
                        } else {
                            saveFlagsIf(in.isMemory());
                            b.aload(C).lload(A).loadConstant(s);
                            b.invokestatic(CD_ALU, "neg", MethodTypeDesc.of(CD_long, CD_CPU, CD_long, CD_int));
                            b.lstore(RES);
                        }
                        storeRm(in, s, next, RES, true, last);
                    }
                    default -> {
                        loadRm(in, s);
                        b.lstore(A);
                        int rdxRax = 1 << Cpu.RAX | 1 << Cpu.RDX;   // MulDiv reads and writes them in c.r
                        writeBackRegisters(rdxRax);
                        b.aload(C).lload(A).loadConstant(s);
                        b.invokestatic(CD_MULDIV, in.regField == 4 ? "mul" : "imul1", MethodTypeDesc.of(CD_void, CD_CPU, CD_long, CD_int));
                        loadRegisters(rdxRax);
                        writtenRegisters |= rdxRax;
                    }
                }
            }
            case 0xfe, 0xff -> {
                int s = op == 0xfe ? 1 : size;
                switch (in.regField) {
                    case 0, 1 -> {
                        loadRm(in, s);
                        b.lstore(A);
                        if (dead) {
                            b.lload(A).loadConstant(in.regField == 0 ? 1L : -1L).ladd().lstore(RES);
                        } else {
                            saveFlagsIf(in.isMemory());
                            b.aload(C).lload(A).loadConstant(s);
                            b.invokestatic(CD_ALU, in.regField == 0 ? "inc" : "dec", MethodTypeDesc.of(CD_long, CD_CPU, CD_long, CD_int));
                            b.lstore(RES);
                        }
                        storeRm(in, s, next, RES, true, last);
                    }
                    case 2, 4 -> {
                        loadRm(in, 8);
                        b.lstore(RES);
                        if (in.regField == 2) {
                            b.loadConstant(next).lstore(A);
                            push(8);
                        }
                        b.aload(C).lload(RES).putfield(CD_CPU, "rip", CD_long);
                        leave();
                        return false;
                    }
                    default -> { // 6: PUSH r/m
                        loadRm(in, s);
                        b.lstore(A);
                        push(s);
                    }
                }
            }
            case 0x1b6, 0x1b7 -> {
                loadRm(in, op == 0x1b6 ? 1 : 2);
                b.lstore(RES);
                storeReg(in.reg, size, high, RES);
            }
            case 0x1be, 0x1bf -> {
                int s = op == 0x1be ? 1 : 2;
                loadRm(in, s);
                signExtend(s);
                b.lstore(RES);
                storeReg(in.reg, size, high, RES);
            }
            default -> throw new IllegalStateException("jit: no inline form for opcode 0x" + Integer.toHexString(op));
        }
        return true;
    }

    /** Opcodes 00-3F: row = ALU operation, column = operand form. */
    private void aluForm(Instruction in, int op, long next, boolean dead) {
        int aluOp = op >> 3;
        int form = op & 7;
        int size = (form & 1) == 0 ? 1 : in.opSize;
        boolean high = in.highByteRegs();
        switch (form) {
            case 0, 1 -> {
                loadRm(in, size);
                b.lstore(A);
                loadReg(in.reg, size, high);
                b.lstore(B);
                aluOp(aluOp, size, dead, in.isMemory());
                if (aluOp != Alu.CMP) storeRm(in, size, next, RES, true, false);
            }
            case 2, 3 -> {
                loadReg(in.reg, size, high);
                b.lstore(A);
                loadRm(in, size);
                b.lstore(B);
                aluOp(aluOp, size, dead, false);
                if (aluOp != Alu.CMP) storeReg(in.reg, size, high, RES);
            }
            default -> {
                loadReg(Cpu.RAX, size, false);
                b.lstore(A);
                b.loadConstant(in.imm).lstore(B);
                aluOp(aluOp, size, dead, false);
                if (aluOp != Alu.CMP) storeReg(Cpu.RAX, size, false, RES);
            }
        }
    }

    /** RES = A op B with the operation's flags ({@link Alu#op}), or without them if they are dead. */
    private void aluOp(int aluOp, int size, boolean dead, boolean memoryDestination) {
        if (carryOnly) {   // ADC/SBB whose flags are dead: A op B op CF, the pending flags left as they are
            b.lload(A).lload(B);
            if (aluOp == Alu.ADC) b.ladd();
            else b.lsub();
            pushCarry();
            if (aluOp == Alu.ADC) b.ladd();
            else b.lsub();
            b.lstore(RES);
            return;
        }
        if (dead && aluOp != Alu.ADC && aluOp != Alu.SBB) {
            if (aluOp == Alu.CMP) return;
            saveFlagsIf(memoryDestination);
            b.lload(A).lload(B);
            switch (aluOp) {
                case Alu.ADD -> b.ladd();
                case Alu.OR -> b.lor();
                case Alu.AND -> b.land();
                case Alu.SUB -> b.lsub();
                default -> b.lxor();
            }
            b.lstore(RES);
            return;
        }
        saveFlagsIf(memoryDestination && aluOp != Alu.CMP);
        b.aload(C).loadConstant(aluOp).lload(A).lload(B).loadConstant(size);
        b.invokestatic(CD_ALU, "op", MethodTypeDesc.of(CD_long, CD_CPU, CD_int, CD_long, CD_long, CD_int));
        if (aluOp == Alu.CMP) b.pop2();
        else b.lstore(RES);
    }

    /**
     * Pushes CF (0 or 1, a long) as the flags are now: from the pending ALU operands when
     * there are some ({@link JitSupport#carry}), else from RFLAGS (made exact first).
     */
    private void pushCarry() {
        if (pending != null && pending.kind == P_ALU) {
            b.loadConstant(pending.op).lload(PA).lload(PB).loadConstant(pending.size);
            b.invokestatic(CD_SUPPORT, "carry", MethodTypeDesc.of(CD_long, CD_int, CD_long, CD_long, CD_int));
            return;
        }
        materialize();
        b.aload(C).getfield(CD_CPU, "rflags", CD_long).lconst_1().land();
    }

    /** The flags of AND/OR/XOR/TEST for the value on the stack ({@link Alu#logic}). */
    private void logicFlags(int size) {
        b.lstore(RES);
        b.aload(C).lload(RES).loadConstant(size);
        b.invokestatic(CD_ALU, "logic", MethodTypeDesc.of(CD_long, CD_CPU, CD_long, CD_int));
        b.pop2();
    }

    private void saveFlagsIf(boolean save) {
        if (!save) return;
        flagsSaved = true;
        b.aload(C).getfield(CD_CPU, "rflags", CD_long).lstore(SAVED);
    }

    // ---- fallback -------------------------------------------------------------------------

    /**
     * A call of the interpreter's executor for {@code in} (the constant {@code insn}). After
     * it the block goes on only if the instruction finished normally at the next RIP (not a
     * SYSCALL, a branch, a REP chunk that restarts) and wrote no memory of the block's pages.
     */
    void fallback(Instruction in, long rip, boolean last, ConstantDesc insn) {
        long next = rip + in.length;
        if (last && in.opcode == 0x105 && !in.lock()) {
            syscall(next);
            return;
        }
        materialize();
        setRip(rip);
        boolean check = !last && in.isMemory() && in.opcode != 0x8d;
        if (check) {
            effectiveAddress(in, next, true);
            b.lstore(ADDR);
        }
        writeBackRegisters();
        b.aload(X).ldc(insn).invokevirtual(CD_EXECUTOR, "execute", MethodTypeDesc.of(CD_int, CD_INSTRUCTION));
        if (last) {
            b.ireturn();   // the registers are the interpreter's now
            return;
        }
        b.istore(ST);
        b.iload(ST).ifne(exit);
        b.aload(C).getfield(CD_CPU, "rip", CD_long).loadConstant(next).lcmp().ifne(exit);
        if (check) ifAddressInBlockPages(exit);
        loadAllRegisters();
    }

    /**
     * SYSCALL, the block's last instruction: {@link JitSupport#syscall} (the executor's own
     * semantics) without the executor's generic call (every system call's block ends with one);
     * the block returns {@link Executor#SYSCALL}.
     */
    private void syscall(long next) {
        materialize();
        writeBackRegisters();
        b.aload(C).loadConstant(next);
        b.invokestatic(CD_SUPPORT, "syscall", MethodTypeDesc.of(CD_int, CD_CPU, CD_long));
        b.ireturn();
    }

    // ---- operands -------------------------------------------------------------------------

    private void setRip(long rip) {
        b.aload(C).loadConstant(rip).putfield(CD_CPU, "rip", CD_long);
    }

    private void condition(int cc) {
        b.aload(C).getfield(CD_CPU, "rflags", CD_long).loadConstant(cc);
        b.invokestatic(CD_FLAGS, "condition", MethodTypeDesc.of(CD_boolean, CD_long, CD_int));
    }

    static int opcodeReg(Instruction in) {
        return (in.opcode & 7) | ((in.rex & 1) << 3);
    }

    /** Pushes the linear address of the memory operand (with the FS/GS base if {@code segment}). */
    private void effectiveAddress(Instruction in, long next, boolean segment) {
        if (in.base == Instruction.BASE_RIP) {
            b.loadConstant(next + in.disp);
        } else {
            b.loadConstant(in.disp);
            if (in.base != Instruction.NONE) {
                pushReg(in.base);
                b.ladd();
            }
        }
        if (in.index != Instruction.NONE) {
            pushReg(in.index);
            if (in.scale != 0) b.loadConstant(in.scale).lshl();
            b.ladd();
        }
        if (in.addrSize == 4) b.loadConstant(0xffff_ffffL).land();
        if (segment && in.segment == Instruction.SEG_FS) b.aload(C).getfield(CD_CPU, "fsBase", CD_long).ladd();
        if (segment && in.segment == Instruction.SEG_GS) b.aload(C).getfield(CD_CPU, "gsBase", CD_long).ladd();
    }

    private static long mask(int size) {
        return Flags.mask(size);
    }

    /** Pushes a register operand, zero-extended ({@link Cpu#get}). */
    private void loadReg(int reg, int size, boolean high) {
        if (size == 1 && high && reg >= 4 && reg < 8) {
            pushReg(reg - 4);
            b.loadConstant(8).lushr().loadConstant(0xffL).land();
            return;
        }
        pushReg(reg);
        if (size < 8) b.loadConstant(mask(size)).land();
    }

    /** Writes local {@code slot} to a register as {@link Cpu#set} does. */
    private void storeReg(int reg, int size, boolean high, int slot) {
        if (size == 8) {
            b.lload(slot);
            popReg(reg);
        } else if (size == 4) {
            b.lload(slot).loadConstant(0xffff_ffffL).land();
            popReg(reg);
        } else {
            int shift = 0;
            if (size == 1 && high && reg >= 4 && reg < 8) {
                reg -= 4;
                shift = 8;
            }
            long m = mask(size);
            pushReg(reg);
            b.loadConstant(~(m << shift)).land();
            b.lload(slot).loadConstant(m).land();
            if (shift != 0) b.loadConstant(shift).lshl();
            b.lor();
            popReg(reg);
        }
    }

    private void loadRm(Instruction in, int size) {
        if (in.mod == 3) loadReg(in.rm, size, in.highByteRegs());
        else loadMem(size);
    }

    /** Pushes the {@code size}-byte value at ADDR, zero-extended. */
    private void loadMem(int size) {
        readAt(size, ADDR);
        switch (size) {
            case 1, 2 -> b.i2l();
            case 4 -> b.i2l().loadConstant(0xffff_ffffL).land();
            default -> {}
        }
    }

    /**
     * Writes local {@code slot} to the r/m operand. A memory store whose instruction changed
     * the flags ({@code flagsChanged}) puts them back if it faults; a store into the block's
     * page ends the block unless it is the last instruction anyway.
     */
    private void storeRm(Instruction in, int size, long next, int slot, boolean flagsChanged, boolean last) {
        if (in.mod == 3) {
            storeReg(in.rm, size, in.highByteRegs(), slot);
            return;
        }
        if (flagsChanged && flagsSaved) {
            memoryArgs();
            b.aload(C).lload(ADDR).loadConstant(size).lload(slot).lload(SAVED);
            b.invokestatic(CD_SUPPORT, "storeRestoringFlags",
                    MethodTypeDesc.of(CD_void, CD_LONGS, CD_MEMORY_SEGMENT, CD_MEMORY, CD_CPU, CD_long, CD_int, CD_long, CD_long));
            endIfStoreHitBlock(next, last);
        } else {
            writeAt(size, ADDR, slot);
            endIfStoreHitBlock(next, last);
        }
    }

    /** After a store to ADDR: a store into the block's own pages ends the block (unless it ends anyway). */
    private void endIfStoreHitBlock(long next, boolean last) {
        if (!last) {
            Label hit = b.newLabel(), other = b.newLabel();
            ifAddressInBlockPages(hit);
            b.goto_(other);
            b.labelBinding(hit);
            setRip(next);
            leave();
            b.labelBinding(other);
        }
    }

    /** Jumps to {@code hit} if ADDR is in a page that holds the block's bytes (two if its last instruction crosses into the next). */
    private void ifAddressInBlockPages(Label hit) {
        b.lload(ADDR).loadConstant(blockRip).lxor().loadConstant(12).lushr().lconst_0().lcmp().ifeq(hit);
        if (((blockRip ^ lastByte) >>> 12) != 0) {
            b.lload(ADDR).loadConstant(lastByte).lxor().loadConstant(12).lushr().lconst_0().lcmp().ifeq(hit);
        }
    }

    // ---- SSE (JitSse) ---------------------------------------------------------------------

    private static final ClassDesc CD_JIT_SSE = ClassDesc.of("dev.jux.platform.interp.JitSse");

    private void xmm() {
        b.aload(C).getfield(CD_CPU, "xmm", CD_LONGS);
    }

    private void sseCall(String name, ClassDesc ret, ClassDesc... args) {
        b.invokestatic(CD_JIT_SSE, name, MethodTypeDesc.of(ret, args));
    }

    /** A {@link JitSse#inlinable} instruction; ADDR holds a memory operand's address. */
    private void sse(Instruction in, long next, boolean last) {
        int op = in.opcode & 0xff;
        int p = Sse.prefix(in);
        boolean mem = in.mod != 3;
        int d = in.reg, s = in.rm;
        switch (op) {
            case 0x10, 0x28, 0x6f -> {   // MOVUPS/MOVUPD, MOVAPS/MOVAPD, MOVDQA/MOVDQU xmm, xmm/m128
                boolean aligned = op == 0x28 || op == 0x6f && p == Sse.P66;
                if (mem) load128(aligned);
                else pushXmm(s);
                popXmm(d);
            }
            case 0x11, 0x29, 0x7f -> {   // the stores
                boolean aligned = op == 0x29 || op == 0x7f && p == Sse.P66;
                if (mem) {
                    memoryArgs();
                    b.lload(ADDR).loadConstant(aligned ? 1 : 0);
                    pushXmm(d);
                    sseCall("store128", CD_void, CD_LONGS, CD_MEMORY_SEGMENT, CD_MEMORY, CD_long, CD_boolean, CD_long, CD_long);
                    endIfStoreHitBlock(next, last);
                } else {
                    pushXmm(d);
                    popXmm(s);
                }
            }
            case 0x6e -> {   // MOVD/MOVQ xmm, r/m32/64
                loadRm(in, in.rexW() ? 8 : 4);
                b.lconst_0();
                popXmm(d);
            }
            case 0x7e -> {
                if (p == Sse.P66) {   // MOVD/MOVQ r/m32/64, xmm
                    b.lload(xmmSlot(d)).lstore(RES);
                    storeRm(in, in.rexW() ? 8 : 4, next, RES, false, last);
                } else {   // MOVQ xmm, xmm/m64
                    if (mem) loadMem(8);
                    else b.lload(xmmSlot(s));
                    b.lconst_0();
                    popXmm(d);
                }
            }
            case 0xd6 -> {   // MOVQ xmm/m64, xmm
                b.lload(xmmSlot(d)).lstore(RES);
                if (mem) {
                    writeAt(8, ADDR, RES);
                    endIfStoreHitBlock(next, last);
                } else {
                    b.lload(RES).lconst_0();
                    popXmm(s);
                }
            }
            case 0xd7 -> {   // PMOVMSKB r32, xmm
                pushXmm(s);
                sseCall("byteMask", CD_long, CD_long, CD_long);
                b.lstore(RES);
                storeReg(in.reg, 8, false, RES);
            }
            case 0x73 -> {
                int n = (int) (in.imm & 0xff);
                if (in.regField == 3 || in.regField == 7) {   // PSRLDQ/PSLLDQ xmm, imm8
                    writeBackXmm(s);
                    xmm();
                    b.loadConstant(2 * s).loadConstant(n).loadConstant(in.regField == 3 ? 1 : 0);
                    sseCall("byteShift", CD_void, CD_LONGS, CD_int, CD_int, CD_boolean);
                    loadXmm(s);
                } else {   // PSRLQ/PSLLQ xmm, imm8
                    for (int half = 0; half < 4; half += 2) {
                        if (n >= 64) b.lconst_0();
                        else {
                            b.lload(xmmSlot(s) + half).loadConstant(n);
                            if (in.regField == 6) b.lshl();
                            else b.lushr();
                        }
                        b.lstore(xmmSlot(s) + half);
                    }
                }
            }
            case 0x70 -> {   // PSHUFD xmm, xmm/m128, imm8
                int imm = (int) (in.imm & 0xff);
                if (mem) load128(true);
                else pushXmm(s);
                b.lstore(B).lstore(A);
                for (int half = 0; half < 2; half++) {
                    b.lload(A).lload(B).loadConstant(half == 0 ? imm : imm >> 4);
                    sseCall("shuffledHalf", CD_long, CD_long, CD_long, CD_int);
                    b.lstore(half == 0 ? T1 : T2);
                }
                b.lload(T1).lload(T2);
                popXmm(d);
            }
            case 0x60, 0x61, 0x62, 0x63, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d -> {   // PUNPCK*, PACK*
                int operation = JitSse.wholeOperation(in);
                if (mem) load128(true);
                else pushXmm(s);
                b.lstore(B).lstore(A);   // the source's halves
                int dl = xmmSlot(d), dh = dl + 2;
                if ((operation & (JitSse.UNPCK_L | JitSse.UNPCK_H)) != 0) {
                    boolean low = (operation & JitSse.UNPCK_L) != 0;
                    int x = low ? dl : dh, y = low ? A : B;   // the halves that interleave
                    switch (operation & 0xff) {
                        case 8, 16 -> {
                            String f = (operation & 0xff) == 8 ? "interleaveBytes" : "interleaveWords";
                            b.lload(x).lload(y);
                            sseCall(f, CD_long, CD_long, CD_long);
                            b.lstore(T1);
                            b.lload(x).loadConstant(32).lushr().lload(y).loadConstant(32).lushr();
                            sseCall(f, CD_long, CD_long, CD_long);
                            b.lstore(T2);
                        }
                        case 32 -> {
                            b.lload(x).loadConstant(0xffff_ffffL).land().lload(y).loadConstant(32).lshl().lor().lstore(T1);
                            b.lload(x).loadConstant(32).lushr().lload(y).loadConstant(0xffff_ffff_0000_0000L).land().lor().lstore(T2);
                        }
                        default -> {
                            b.lload(x).lstore(T1);
                            b.lload(y).lstore(T2);
                        }
                    }
                } else {
                    String f = operation == JitSse.PACKSSWB ? "packSignedBytes"
                            : operation == JitSse.PACKUSWB ? "packUnsignedBytes" : "packSignedWords";
                    b.lload(dl).lload(dh);
                    sseCall(f, CD_long, CD_long, CD_long);
                    b.lstore(T1);
                    b.lload(A).lload(B);
                    sseCall(f, CD_long, CD_long, CD_long);
                    b.lstore(T2);
                }
                b.lload(T1).lload(T2);
                popXmm(d);
            }
            case 0x71, 0x72 -> {   // PSRL/PSRA/PSLL xmm, imm8
                int bits = op == 0x71 ? 16 : 32;
                int kind = in.regField == 6 ? 0 : in.regField == 2 ? 1 : 2;
                int n = (int) (in.imm & 0xff);
                if (n < bits && kind != 2) {
                    // A logical shift of every lane by n below the lane's width: the whole
                    // quadword shifted, then the bits that crossed into the next lane masked off.
                    long lane = bits == 32 ? 0xffff_ffffL : 0xffffL;
                    long m = kind == 0 ? (lane << n) & lane : lane >>> n;
                    long mask = bits == 32 ? m | m << 32 : m | m << 16 | m << 32 | m << 48;
                    for (int half = 0; half < 4; half += 2) {
                        b.lload(xmmSlot(s) + half).loadConstant(n);
                        if (kind == 0) b.lshl();
                        else b.lushr();
                        b.loadConstant(mask).land().lstore(xmmSlot(s) + half);
                    }
                } else if (n < bits && bits == 32) {   // PSRAD
                    for (int half = 0; half < 4; half += 2) {
                        b.lload(xmmSlot(s) + half).loadConstant(n);
                        sseCall("shiftArithmeticDwords", CD_long, CD_long, CD_int);
                        b.lstore(xmmSlot(s) + half);
                    }
                } else {   // counts past the lane, PSRAW
                    writeBackXmm(s);
                    xmm();
                    b.loadConstant(2 * s).loadConstant(bits).loadConstant(n).loadConstant(kind);
                    sseCall("shiftImmediate", CD_void, CD_LONGS, CD_int, CD_int, CD_int, CD_int);
                    loadXmm(s);
                }
            }
            default -> laneOperation(in, JitSse.operation(in), mem, d, s);
        }
    }

    /** Pushes both halves of XMM register {@code reg} (low, then high). */
    private void pushXmm(int reg) {
        b.lload(xmmSlot(reg)).lload(xmmSlot(reg) + 2);
    }

    /** Pops (low, high) into XMM register {@code reg}. */
    private void popXmm(int reg) {
        b.lstore(xmmSlot(reg) + 2).lstore(xmmSlot(reg));
    }

    /** Pushes the 16 bytes at ADDR (low, high quadword), #GP first if {@code aligned} and ADDR is not. */
    private void load128(boolean aligned) {
        if (aligned) {
            b.lload(ADDR);
            sseCall("checkAligned", CD_void, CD_long);
        }
        b.lload(ADDR).loadConstant(8L).ladd().lstore(T1);
        loadMemAt(ADDR);
        b.lstore(T2);
        loadMemAt(T1);
        b.lstore(T1);
        b.lload(T2).lload(T1);
    }

    /**
     * A lane operation on (d, s or the aligned m128 at ADDR): the common ones (logic, PADDD/
     * PSUBD/PADDQ/PSUBQ, PCMPEQB/PCMPEQD) on the locals, the rest by {@link JitSse#opReg}/{@link JitSse#opMem}
     * on {@code c.xmm}.
     */
    private void laneOperation(Instruction in, int operation, boolean mem, int d, int s) {
        boolean local = switch (operation) {
            case SseInteger.PAND, SseInteger.POR, SseInteger.PXOR, SseInteger.PANDN,
                 SseInteger.PADDQ, SseInteger.PSUBQ, SseInteger.PADDD, SseInteger.PSUBD,
                 SseInteger.PCMPEQB, SseInteger.PCMPEQD -> true;
            default -> false;
        };
        if (!local) {
            writeBackXmm(d);
            if (mem) {
                b.aload(M).lload(ADDR);
                xmm();
                b.loadConstant(2 * d).loadConstant(operation);
                sseCall("opMem", CD_void, CD_MEMORY, CD_long, CD_LONGS, CD_int, CD_int);
            } else {
                writeBackXmm(s);
                xmm();
                b.loadConstant(2 * d).loadConstant(2 * s).loadConstant(operation);
                sseCall("opReg", CD_void, CD_LONGS, CD_int, CD_int, CD_int);
            }
            loadXmm(d);
            return;
        }
        if (mem) load128(true);
        else pushXmm(s);
        b.lstore(B).lstore(A);   // the source's halves
        for (int half = 0; half < 4; half += 2) {
            int dst = xmmSlot(d) + half, src = half == 0 ? A : B;
            switch (operation) {
                case SseInteger.PAND -> b.lload(dst).lload(src).land();
                case SseInteger.POR -> b.lload(dst).lload(src).lor();
                case SseInteger.PXOR -> b.lload(dst).lload(src).lxor();
                case SseInteger.PANDN -> b.lload(dst).ldc(-1L).lxor().lload(src).land();
                case SseInteger.PADDQ -> b.lload(dst).lload(src).ladd();
                case SseInteger.PSUBQ -> b.lload(dst).lload(src).lsub();
                case SseInteger.PADDD -> {
                    b.lload(dst).lload(src);
                    sseCall("addDwords", CD_long, CD_long, CD_long);
                }
                case SseInteger.PCMPEQB -> {
                    b.lload(dst).lload(src);
                    sseCall("equalBytes", CD_long, CD_long, CD_long);
                }
                case SseInteger.PCMPEQD -> {
                    b.lload(dst).lload(src);
                    sseCall("equalDwords", CD_long, CD_long, CD_long);
                }
                default -> {
                    b.lload(dst).lload(src);
                    sseCall("subDwords", CD_long, CD_long, CD_long);
                }
            }
            b.lstore(dst);
        }
    }

    /** Pushes the 8 bytes at the address in local {@code addrSlot}. */
    private void loadMemAt(int addrSlot) {
        readAt(8, addrSlot);
    }

    /** Pushes the {@code size}-byte value at the address in local {@code addrSlot}: an int below 8 bytes, else a long. */
    private void readAt(int size, int addrSlot) {
        ClassDesc type = size == 8 ? CD_long : CD_int;
        access(addrSlot, size, PagedMemory.READ, () -> {
            b.ldc(ram).lload(OFF);
            b.invokestatic(CD_JIT_MEMORY, "hostRead" + 8 * size, MethodTypeDesc.of(type, CD_MEMORY_SEGMENT, CD_long));
        }, () -> {
            memoryArgs();
            b.lload(addrSlot);
            b.invokestatic(CD_JIT_MEMORY, "read" + 8 * size, MethodTypeDesc.of(type, CD_LONGS, CD_MEMORY_SEGMENT, CD_MEMORY, CD_long));
        });
    }

    /** Writes local {@code slot} to the address in local {@code addrSlot}. */
    private void writeAt(int size, int addrSlot, int slot) {
        ClassDesc v = size == 8 ? CD_long : CD_int;
        access(addrSlot, size, PagedMemory.WRITE, () -> {
            b.ldc(ram).lload(OFF).lload(slot);
            if (size != 8) b.l2i();
            b.invokestatic(CD_JIT_MEMORY, "hostWrite" + 8 * size, MethodTypeDesc.of(CD_void, CD_MEMORY_SEGMENT, CD_long, v));
        }, () -> {
            memoryArgs();
            b.lload(addrSlot).lload(slot);
            if (size != 8) b.l2i();
            b.invokestatic(CD_JIT_MEMORY, "write" + 8 * size, MethodTypeDesc.of(CD_void, CD_LONGS, CD_MEMORY_SEGMENT, CD_MEMORY, CD_long, v));
        });
    }

    /** Pushes the first three arguments of {@link JitMemory}'s accesses: the TLB, guest RAM, the memory. */
    private void memoryArgs() {
        b.aload(TLB).ldc(ram).aload(M);
    }

    /** Sign-extends the low {@code size} bytes of the long on the stack. */
    private void signExtend(int size) {
        if (size == 8) return;
        int s = 64 - 8 * size;
        b.loadConstant(s).lshl().loadConstant(s).lshr();
    }

    /** PUSH of local A: the store first, so a fault leaves RSP as it was. */
    private void push(int size) {
        pushReg(RSP);
        b.loadConstant((long) size).lsub().lstore(B);
        writeAt(size, B, A);   // no "store into the block's page" check of its own
        b.lload(B);
        popReg(RSP);
    }

    /** POP into local A. */
    private void pop(int size) {
        pushReg(RSP);
        b.lstore(ADDR);
        loadMem(size);
        b.lstore(A);
        b.lload(ADDR).loadConstant((long) size).ladd();
        popReg(RSP);
    }
}
