package dev.jux.platform.interp;

import static dev.jux.platform.interp.Instruction.*;

/**
 * The interpreter's short path for the instruction forms real programs run most (cc1 -O2:
 * Jcc, MOV loads/stores/copies, ALU with a register or an immediate, PUSH/POP, CALL/RET/JMP,
 * TEST, LEA, MOVZX, shifts by a constant, MOV of an immediate: ~85% of its instructions).
 * {@link #classify} gives each decoded instruction of a {@link DecodedBlock} a {@link
 * Instruction#fast} kind once, with its operands pre-resolved (absolute branch targets and
 * RIP-relative addresses, since a block's instructions never move), packed into the block's
 * {@link DecodedBlock#code}; {@link #run} then runs a straight line of them in one call,
 * without {@link Executor#execute}'s generic machinery (operand objects, LOCK checks, the
 * map dispatch). Excluded and left to the executor: LOCK, FS/GS and 67 prefixes, 16-bit
 * operands but the ALU/TEST forms, anything else.
 *
 * <p>Faults stay precise: every form reads memory before it changes anything, and the
 * read-modify-writes of memory record their flags only after the write succeeded (ADC and SBB,
 * which would compute flags first, are left to the executor). RIP changes only when the
 * instruction completes.
 *
 * <p>Lazy status flags. ADD, SUB, CMP, AND, OR, XOR, TEST and the shifts do not compute the six
 * status flags: they record the operation, its size and operands (the <em>pending</em> flags)
 * and the next flag writer replaces the record, so most flags are never computed (an ADD's are
 * overwritten by the next writer, a CMP's are read only by the Jcc after it). Jcc and SETcc
 * decide from the record ({@link #condition}); ADC and SBB (which read CF) materialise it
 * first. {@link Cpu#rflags}' status bits are stale while flags are pending, so the
 * {@link Interpreter} calls {@link #materialise} before anything else can see RFLAGS: before
 * the generic executor, when a step ends or a run throws, and (through {@link
 * Interpreter#materialiseFlags}) when {@code BlockRunner} runs a translated block or the
 * context stores the registers. Flags stay pending from one run to the next.
 */
final class FastPath {
    /**
     * The fast kinds, split at classify time by register or memory operand and (for the most
     * frequent) by operand size, so that each arm of {@link #run}'s switch does only its own
     * work: "_R" a register operand, "_M" a memory one, "_S" 8/16-bit register operands (which
     * merge, and may name AH..BH), the others 32/64-bit. NONE: the executor runs it.
     */
    static final int NONE = 0, JCC = 1, JMP = 2, CALL = 3, RET = 4, PUSH = 5, POP = 6,
            LOAD64 = 7, LOAD32 = 8, STORE64 = 9, STORE32 = 10, MOV_RR64 = 11, MOV_RR32 = 12,
            ALU_RR = 13, ALU_RR_S = 14, ALU_RI = 15, ALU_RI_S = 16, ALU_RM = 17, ALU_RM_S = 18,
            ALU_MR = 19, ALU_MI = 20, TEST_RR = 21, TEST_RR_S = 22, TEST_RI = 23, TEST_RI_S = 24,
            TEST_MR = 25, TEST_MI = 26, LEA = 27, MOVZX_R = 28, MOVZX_M = 29, SHIFT_I = 30,
            SHIFT_CL = 31, MOV_RI = 32, MOV_MI = 33, SETCC_R = 34, SETCC_M = 35, JMP_IND_R = 36,
            JMP_IND_M = 37, CALL_IND_R = 38, CALL_IND_M = 39, MOVSXD_R = 40, MOVSXD_M = 41,
            NOP = 42, NOT = 43;

    /** Why {@link #run} returned: the last instruction branched (RIP is its target), ... */
    static final int BRANCHED = 0,
    /** ... the limit was reached, ... */
            ENDED = 1,
    /** ... RIP reached the stop, or the block's page was written (the block may go on later), ... */
            PAUSED = 2,
    /** ... or the next instruction is not a fast form (RIP is at it). */
            SLOW = 3;

    /*
     * The packed operands of a fast instruction (the first of its longs in DecodedBlock.code),
     * so an arm loads one long (and the displacement / value when it has a memory operand or
     * an immediate) instead of a dozen byte fields: the kind, the length, registers A (usually
     * the destination) and B, the memory operand's base and index (NO_REG: none; Cpu.r's slot 16 is always zero, so
     * the address is disp + r[base] + (r[index] << scale) without tests), the scale, the
     * operand size (1, 2, 4, 8; bit 3 of it, W, tells 64 from 32 bits), the operation (ALU
     * op, shift op or condition code), whether byte registers 4..7 are AH..BH, whether the
     * form never stores, and MOVZX's source size.
     */
    private static final int LEN = 8, A = 12, B = 17, BASE = 22, INDEX = 27, SCALE = 32, SIZE = 36,
            OP = 40, HIGH = 44, NOWRITE = 45, SIZE2 = 48;
    private static final int W = SIZE + 3;
    static final int NO_REG = 16;
    /**
     * Longs per instruction in a block's {@link DecodedBlock#code}: the packed word, the
     * displacement, the immediate or branch target. 24 bytes, where an {@link Instruction}
     * object takes ~80: a block's fast instructions touch ~3 cache lines instead of ~10, and
     * the run loop never touches the objects (the executor's instructions use them).
     */
    static final int STRIDE = 3;

    /** Kinds of pending flags: none (RFLAGS is current), ADD, SUB/CMP, a logic result, a shift. */
    private static final int FLAGS_CURRENT = 0, PENDING_ADD = 1, PENDING_SUB = 2, PENDING_LOGIC = 3,
            PENDING_SHIFT = 4;

    private final Cpu c;
    private final long[] r;
    private final Memory mem;
    /** The pending flags: their kind, operand size and operands (a logic op: its result in
     *  {@link #pendingA}; a shift: the operand and the count, {@link #pendingShift} the operation). */
    private int pending = FLAGS_CURRENT, pendingSize, pendingShift;
    private long pendingA, pendingB;
    /** Where the last {@link #run} ended: the index of the last instruction it ran, and the RIP after it on the straight line. */
    int lastIndex;
    long lastEnd;
    /** Null unless {@link InterpStats#ON}. */
    private final InterpStats stats;

    FastPath(Cpu cpu, Memory mem, InterpStats stats) {
        this.c = cpu;
        this.r = cpu.r;
        this.mem = mem;
        this.stats = stats;
        if (r.length <= NO_REG) throw new IllegalArgumentException("Cpu.r needs a zero slot at " + NO_REG);
    }

    /**
     * Sets {@code in.fast} for the instruction at {@code rip}, and writes its fast form as
     * {@link #STRIDE} longs at {@code code[at]}: the packed word, the displacement (absolute if
     * RIP-relative), the immediate or branch target (all zero if it has none).
     */
    static void classify(Instruction in, long rip, long[] code, int at) {
        in.fast = NONE;
        int op = in.opcode;
        if (op == INVALID || (in.prefixes & (P_LOCK | P_ADDRSIZE)) != 0 || in.segment != SEG_NONE) return;
        long next = rip + in.length;
        boolean mem = in.isMemory();
        long w = 0;
        if (mem) {
            int base = in.base == BASE_RIP || in.base == Instruction.NONE ? NO_REG : in.base;
            int index = in.index == Instruction.NONE ? NO_REG : in.index;
            w |= (long) base << BASE | (long) index << INDEX | (long) (in.scale & 3) << SCALE;
            code[at + 1] = in.base == BASE_RIP ? in.disp + next : in.disp;
        }
        int size = in.opSize;
        boolean wide = size == 4 || size == 8;
        int kind = NONE, a = 0, b = 0, s = size, aluOp = 0, size2 = 0;
        long value = in.imm;
        if ((op >= 0x70 && op <= 0x7f) || (op >= 0x180 && op <= 0x18f)) {
            kind = JCC;
            aluOp = op & 15;
            value = next + in.imm;
        } else if (op == 0xe9 || op == 0xeb) {
            kind = JMP;
            value = next + in.imm;
        } else if (op == 0xe8) {
            kind = CALL;
            value = next + in.imm;
        } else if (op == 0xc3) kind = RET;
        else if (op >= 0x50 && op <= 0x57 && size == 8) {
            kind = PUSH;
            a = (op & 7) | ((in.rex & 1) << 3);
        } else if (op >= 0x58 && op <= 0x5f && size == 8) {
            kind = POP;
            a = (op & 7) | ((in.rex & 1) << 3);
        } else if (op < 0x40 && (op & 7) < 6) {
            // ALU r/m, r (forms 0, 1), r, r/m (2, 3), AL/eAX, imm (4, 5); to memory not ADC/SBB
            // (they compute flags before the write, which a fault would have to undo).
            s = (op & 1) == 0 ? 1 : size;
            boolean w32 = s == 4 || s == 8;
            aluOp = op >> 3;
            if ((op & 7) >= 4) {
                kind = w32 ? ALU_RI : ALU_RI_S;
                a = Cpu.RAX;
            } else if ((op & 2) == 0) {
                if (!mem) {
                    kind = w32 ? ALU_RR : ALU_RR_S;
                    a = in.rm;
                    b = in.reg;
                } else if (!carries(aluOp)) {
                    kind = ALU_MR;
                    b = in.reg;
                }
            } else {
                a = in.reg;
                if (!mem) {
                    kind = w32 ? ALU_RR : ALU_RR_S;
                    b = in.rm;
                } else kind = w32 ? ALU_RM : ALU_RM_S;
            }
        } else if (op == 0x80 || op == 0x81 || op == 0x83) {
            s = op == 0x80 ? 1 : size;
            aluOp = in.regField;
            if (!mem) {
                kind = s == 4 || s == 8 ? ALU_RI : ALU_RI_S;
                a = in.rm;
            } else if (!carries(aluOp)) kind = ALU_MI;
        } else if (op == 0x84 || op == 0x85) {
            s = op == 0x84 ? 1 : size;
            b = in.reg;
            if (!mem) {
                kind = s == 4 || s == 8 ? TEST_RR : TEST_RR_S;
                a = in.rm;
            } else kind = TEST_MR;
        } else if ((op == 0x8b || op == 0x89) && wide) {
            if (mem) {
                kind = op == 0x8b ? (size == 8 ? LOAD64 : LOAD32) : (size == 8 ? STORE64 : STORE32);
                a = in.reg;
            } else {
                // 8B reg, rm copies rm into reg; 89 rm, reg the other way.
                kind = size == 8 ? MOV_RR64 : MOV_RR32;
                a = op == 0x8b ? in.reg : in.rm;
                b = op == 0x8b ? in.rm : in.reg;
            }
        } else if (op == 0x8d && wide && mem) {
            kind = LEA;
            a = in.reg;
        } else if ((op == 0x1b6 || op == 0x1b7) && wide) {
            kind = mem ? MOVZX_M : MOVZX_R;
            size2 = op == 0x1b6 ? 1 : 2;
            a = in.reg;
            b = in.rm;
        } else if ((op == 0xc1 || op == 0xd1) && wide && !mem && isPlainShift(in.regField)) {
            kind = SHIFT_I;
            aluOp = in.regField;
            a = in.rm;
            value = op == 0xd1 ? 1 : Shifts.maskCount(in.imm, size);
        } else if (op == 0xd3 && wide && !mem && isPlainShift(in.regField)) {
            kind = SHIFT_CL;
            aluOp = in.regField;
            a = in.rm;
        } else if (op == 0xc7 && wide && in.regField == 0) {
            kind = mem ? MOV_MI : MOV_RI;
            a = in.rm;
        } else if (op == 0xc6 && mem && in.regField == 0) {
            kind = MOV_MI;
            s = 1;
        } else if (op >= 0xb8 && op <= 0xbf && wide) {
            kind = MOV_RI;
            a = (op & 7) | ((in.rex & 1) << 3);
        } else if ((op == 0xf6 || op == 0xf7) && in.regField < 2) {
            s = op == 0xf6 ? 1 : size;
            if (!mem) {
                kind = s == 4 || s == 8 ? TEST_RI : TEST_RI_S;
                a = in.rm;
            } else kind = TEST_MI;
        } else if (op == 0xa8 || op == 0xa9) {
            s = op == 0xa8 ? 1 : size;
            kind = s == 4 || s == 8 ? TEST_RI : TEST_RI_S;
            a = Cpu.RAX;
        } else if (op >= 0x190 && op <= 0x19f) {
            kind = mem ? SETCC_M : SETCC_R;
            aluOp = op & 15;
            s = 1;
            a = in.rm;
        } else if (op == 0xff && in.regField == 4) {
            kind = mem ? JMP_IND_M : JMP_IND_R;
            a = in.rm;
        } else if (op == 0xff && in.regField == 2) {
            kind = mem ? CALL_IND_M : CALL_IND_R;
            a = in.rm;
        } else if (op == 0x63 && size == 8) {
            kind = mem ? MOVSXD_M : MOVSXD_R;
            a = in.reg;
            b = in.rm;
        } else if ((op == 0x90 && (in.rex & 1) == 0) || (op >= 0x119 && op <= 0x11f)) kind = NOP;  // padding, ENDBR64
        else if (op == 0xf7 && wide && !mem && in.regField == 2) {
            kind = NOT;
            a = in.rm;
        }
        if (kind == NONE) return;
        in.fast = (byte) kind;
        code[at + 2] = value;
        code[at] = w | kind | (long) in.length << LEN | (long) (a & 31) << A | (long) (b & 31) << B
                | (long) s << SIZE | (long) aluOp << OP | (in.highByteRegs() ? 1L << HIGH : 0)
                | (writesMemory(kind) ? 0 : 1L << NOWRITE) | (long) size2 << SIZE2;
    }

    private static boolean isPlainShift(int op) {
        return op == Shifts.SHL || op == Shifts.SHR || op == Shifts.SAR;
    }

    /** The fast kinds that store: to the stack, or to a memory operand. */
    private static boolean writesMemory(int kind) {
        return switch (kind) {
            case CALL, CALL_IND_R, CALL_IND_M, PUSH, STORE64, STORE32, ALU_MR, ALU_MI, MOV_MI, SETCC_M -> true;
            default -> false;   // ALU_MR/ALU_MI include CMP to memory, which stores nothing: rarely matters
        };
    }

    /** ADC and SBB: ALU operations that read CF. */
    private static boolean carries(int aluOp) {
        return aluOp == Alu.ADC || aluOp == Alu.SBB;
    }

    /**
     * Runs {@code ins[i]} and the fast instructions after it, from RIP, along the straight line:
     * until one branches ({@link #BRANCHED}), index {@code limit} is reached ({@link #ENDED}), RIP
     * reaches {@code stop} or an instruction that stores finds the watch period of the block's
     * page ({@code periods[slot]}) no longer {@code period} ({@link #PAUSED}), or the next
     * instruction is not a fast form ({@link #SLOW}). {@code ins[i]} must be a fast form.
     * Afterwards {@link #lastIndex} is the index of the last instruction run and {@link
     * #lastEnd} the RIP after it on the straight line; RIP is set (the branch target, or
     * lastEnd). One call per straight line instead of one per instruction: the loop's values
     * stay in registers across instructions (HotSpot does not inline this method: too big).
     * A fault leaves RIP on the faulting instruction, which changed nothing.
     */
    int run(DecodedBlock block, int i, int limit, long stop, int[] periods, int slot, int period) {
        long rip = c.rip;
        long[] r = this.r;
        long[] code = block.code;
        try {
            while (true) {
                int at = STRIDE * i;
                long w = code[at];
                int kind = (int) w & 0xff;
                if (InterpStats.ON && kind != NONE) stats.count(block.instructions[i]);
                long next = rip + ((w >>> LEN) & 15);
                switch (kind) {
                    case JCC -> {
                        if (condition(op(w))) return branch(i, next, code[at + 2]);
                    }
                    case JMP -> {
                        return branch(i, next, code[at + 2]);
                    }
                    case CALL -> {
                        push(next);
                        return branch(i, next, code[at + 2]);
                    }
                    case RET -> {
                        long target = mem.read64(r[Cpu.RSP]);
                        r[Cpu.RSP] += 8;
                        return branch(i, next, target);
                    }
                    case PUSH -> push(r[ra(w)]);
                    case POP -> {
                        long v = mem.read64(r[Cpu.RSP]);
                        r[Cpu.RSP] += 8;
                        r[ra(w)] = v;   // POP RSP: the value read wins
                    }
                    case LOAD64 -> r[ra(w)] = mem.read64(ea(w, code[at + 1]));
                    case LOAD32 -> r[ra(w)] = mem.read32(ea(w, code[at + 1])) & 0xffff_ffffL;
                    case STORE64 -> mem.write64(ea(w, code[at + 1]), r[ra(w)]);
                    case STORE32 -> mem.write32(ea(w, code[at + 1]), (int) r[ra(w)]);
                    case MOV_RR64 -> r[ra(w)] = r[rb(w)];
                    case MOV_RR32 -> r[ra(w)] = r[rb(w)] & 0xffff_ffffL;
                    case ALU_RR -> {
                        int o = op(w), d = ra(w);
                        long m = wideMask(w);
                        long v = alu(o, r[d] & m, r[rb(w)] & m, wideSize(w));
                        if (o != Alu.CMP) r[d] = v;
                    }
                    case ALU_RI -> {
                        int o = op(w), d = ra(w);
                        long m = wideMask(w);
                        long v = alu(o, r[d] & m, code[at + 2] & m, wideSize(w));
                        if (o != Alu.CMP) r[d] = v;
                    }
                    case ALU_RM -> {
                        int o = op(w), d = ra(w), s = wideSize(w);
                        long b = s == 8 ? mem.read64(ea(w, code[at + 1])) : mem.read32(ea(w, code[at + 1])) & 0xffff_ffffL;
                        long v = alu(o, r[d] & wideMask(w), b, s);
                        if (o != Alu.CMP) r[d] = v;
                    }
                    case ALU_RR_S -> {
                        int o = op(w), s = size(w);
                        boolean h = high(w);
                        long v = alu(o, c.get(ra(w), s, h), c.get(rb(w), s, h), s);
                        if (o != Alu.CMP) c.set(ra(w), s, h, v);
                    }
                    case ALU_RI_S -> {
                        int o = op(w), s = size(w);
                        boolean h = high(w);
                        long v = alu(o, c.get(ra(w), s, h), code[at + 2] & Flags.mask(s), s);
                        if (o != Alu.CMP) c.set(ra(w), s, h, v);
                    }
                    case ALU_RM_S -> {
                        int o = op(w), s = size(w);
                        boolean h = high(w);
                        long b = mem.read(ea(w, code[at + 1]), s);
                        long v = alu(o, c.get(ra(w), s, h), b, s);
                        if (o != Alu.CMP) c.set(ra(w), s, h, v);
                    }
                    case ALU_MR -> {
                        int s = size(w);
                        aluToMemory(op(w), ea(w, code[at + 1]), c.get(rb(w), s, high(w)), s);
                    }
                    case ALU_MI -> aluToMemory(op(w), ea(w, code[at + 1]), code[at + 2], size(w));
                    case TEST_RR -> {
                        long m = wideMask(w);
                        logic(r[ra(w)] & r[rb(w)] & m, wideSize(w));
                    }
                    case TEST_RI -> logic(r[ra(w)] & code[at + 2] & wideMask(w), wideSize(w));
                    case TEST_RR_S -> {
                        int s = size(w);
                        boolean h = high(w);
                        logic(c.get(ra(w), s, h) & c.get(rb(w), s, h), s);
                    }
                    case TEST_RI_S -> {
                        int s = size(w);
                        logic(c.get(ra(w), s, high(w)) & code[at + 2], s);
                    }
                    case TEST_MR -> {
                        int s = size(w);
                        long a = mem.read(ea(w, code[at + 1]), s);
                        logic(a & c.get(rb(w), s, high(w)), s);
                    }
                    case TEST_MI -> {
                        int s = size(w);
                        logic(mem.read(ea(w, code[at + 1]), s) & code[at + 2], s);
                    }
                    case LEA -> r[ra(w)] = ea(w, code[at + 1]) & wideMask(w);
                    case MOVZX_R -> r[ra(w)] = c.get(rb(w), size2(w), high(w)) & wideMask(w);
                    case MOVZX_M -> {
                        long v = size2(w) == 1 ? mem.read8(ea(w, code[at + 1])) : mem.read16(ea(w, code[at + 1]));
                        r[ra(w)] = v & 0xffff;
                    }
                    case SHIFT_I -> {
                        int d = ra(w);
                        r[d] = shift(op(w), r[d], (int) code[at + 2], wideSize(w));
                    }
                    case SHIFT_CL -> {
                        int d = ra(w), s = wideSize(w);
                        r[d] = shift(op(w), r[d], Shifts.maskCount(r[Cpu.RCX], s), s);
                    }
                    case MOV_RI -> r[ra(w)] = code[at + 2] & wideMask(w);
                    case MOV_MI -> {
                        long addr = ea(w, code[at + 1]);
                        switch (size(w)) {
                            case 1 -> mem.write8(addr, (int) code[at + 2]);
                            case 4 -> mem.write32(addr, (int) code[at + 2]);
                            default -> mem.write64(addr, code[at + 2]);
                        }
                    }
                    case SETCC_R -> c.set(ra(w), 1, high(w), condition(op(w)) ? 1 : 0);
                    case SETCC_M -> {
                        int v = condition(op(w)) ? 1 : 0;
                        mem.write8(ea(w, code[at + 1]), v);
                    }
                    case JMP_IND_R -> {
                        return branch(i, next, r[ra(w)]);
                    }
                    case JMP_IND_M -> {
                        return branch(i, next, mem.read64(ea(w, code[at + 1])));
                    }
                    case CALL_IND_R, CALL_IND_M -> {
                        long target = kind == CALL_IND_R ? r[ra(w)] : mem.read64(ea(w, code[at + 1]));
                        push(next);
                        return branch(i, next, target);
                    }
                    case MOVSXD_R -> r[ra(w)] = (int) r[rb(w)];
                    case MOVSXD_M -> r[ra(w)] = mem.read32(ea(w, code[at + 1]));
                    case NOP -> { }
                    case NOT -> {
                        int d = ra(w);
                        r[d] = ~r[d] & wideMask(w);
                    }
                    case NONE -> {
                        return end(i - 1, rip, SLOW);
                    }
                    default -> throw new IllegalStateException("not a fast instruction: " + block.instructions[i]);
                }
                if (++i == limit) return end(i - 1, next, ENDED);
                // Only a store can end the block's watch period here.
                if (next == stop || ((w & 1L << NOWRITE) == 0 && periods[slot] != period)) return end(i - 1, next, PAUSED);
                rip = next;
            }
        } catch (Throwable t) {
            c.rip = rip;   // on the faulting instruction, which changed nothing
            lastIndex = i;
            lastEnd = rip;
            throw t;
        }
    }

    /** Pushes {@code v}: memory first, so a fault leaves RSP as it was. */
    private void push(long v) {
        long sp = r[Cpu.RSP] - 8;
        mem.write64(sp, v);
        r[Cpu.RSP] = sp;
    }

    private int branch(int i, long next, long target) {
        c.rip = target;
        lastIndex = i;
        lastEnd = next;
        return BRANCHED;
    }

    private int end(int i, long next, int why) {
        c.rip = next;
        lastIndex = i;
        lastEnd = next;
        return why;
    }

    private static int ra(long w) {
        return (int) (w >>> A) & 31;
    }

    private static int rb(long w) {
        return (int) (w >>> B) & 31;
    }

    private static int op(long w) {
        return (int) (w >>> OP) & 15;
    }

    private static int size(long w) {
        return (int) (w >>> SIZE) & 15;
    }

    private static int size2(long w) {
        return (int) (w >>> SIZE2) & 15;
    }

    private static boolean high(long w) {
        return (w & 1L << HIGH) != 0;
    }

    /** A 32/64-bit form's operand size: 4 or 8. */
    private static int wideSize(long w) {
        return 4 << ((int) (w >>> W) & 1);
    }

    /** A 32/64-bit form's operand mask (a 32-bit result also zeroes the upper half of its register). */
    private static long wideMask(long w) {
        return -1L >>> (((int) (w >>> W) & 1 ^ 1) << 5);
    }

    /** The memory operand's address: 64-bit addressing, no segment base (classify made sure). */
    private long ea(long w, long disp) {
        return disp + r[(int) (w >>> BASE) & 31] + (r[(int) (w >>> INDEX) & 31] << ((int) (w >>> SCALE) & 3));
    }

    /**
     * ALU operation {@code op} ({@link Alu}'s numbering) of {@code a} and {@code b}, masked to
     * {@code size}; its flags left pending, except ADC and SBB, which read CF and so compute
     * theirs at once.
     */
    private long alu(int op, long a, long b, int size) {
        long m = Flags.mask(size);
        switch (op) {
            case Alu.ADD -> {
                pend(PENDING_ADD, a, b, size);
                return (a + b) & m;
            }
            case Alu.SUB, Alu.CMP -> {
                pend(PENDING_SUB, a, b, size);
                return (a - b) & m;
            }
            case Alu.AND -> {
                return logic(a & b, size);
            }
            case Alu.OR -> {
                return logic(a | b, size);
            }
            case Alu.XOR -> {
                return logic(a ^ b, size);
            }
            default -> {   // ADC, SBB
                materialise();
                return Alu.op(c, op, a, b, size);
            }
        }
    }

    /**
     * ALU operation {@code op} (not ADC/SBB) of the memory operand at {@code addr} and {@code b}:
     * read, then write (CMP: no write), then the flags, so a faulting write leaves the flags as
     * they were, as on hardware.
     */
    private void aluToMemory(int op, long addr, long b, int size) {
        long a = mem.read(addr, size);
        if (op != Alu.CMP) {
            long v = switch (op) {
                case Alu.ADD -> a + b;
                case Alu.OR -> a | b;
                case Alu.AND -> a & b;
                case Alu.XOR -> a ^ b;
                default -> a - b;   // SUB
            };
            mem.write(addr, size, v & Flags.mask(size));
        }
        alu(op, a, b, size);
    }

    /** AND, OR, XOR, TEST: the result masked to {@code size}, its flags pending. */
    private long logic(long v, int size) {
        long result = v & Flags.mask(size);
        pend(PENDING_LOGIC, result, 0, size);
        return result;
    }

    /**
     * SHL, SHR or SAR of {@code a} by a masked {@code count}: the result masked to {@code size};
     * a count of 0 changes no flags, any other leaves them all pending (as {@link Shifts#shift}
     * would set them).
     */
    private long shift(int op, long a, int count, int size) {
        long m = Flags.mask(size);
        a &= m;
        if (count == 0) return a;
        pendingShift = op;
        pend(PENDING_SHIFT, a, count, size);
        return switch (op) {
            case Shifts.SHL -> (a << count) & m;   // count <= 63 (masked)
            case Shifts.SHR -> a >>> count;
            default -> (Flags.sext(a, size) >> count) & m;   // SAR
        };
    }

    private void pend(int kind, long a, long b, int size) {
        if (InterpStats.ON) stats.lazyFlags++;
        pending = kind;
        pendingA = a;
        pendingB = b;
        pendingSize = size;
    }

    /**
     * Condition code {@code cc} (Jcc/SETcc's low nibble) of the current flags: from the pending
     * operands where that is cheap (SUB/CMP, logic: every condition but O and P), else from
     * RFLAGS, materialised.
     */
    private boolean condition(int cc) {
        int k = pending;
        int test = cc >> 1;
        if (test != 0 && test != 5) {
            if (k == PENDING_SUB) return JitSupport.subCondition(pendingA, pendingB, pendingSize, cc);
            if (k == PENDING_LOGIC) return JitSupport.andCondition(pendingA, -1L, pendingSize, cc);
        }
        materialise();
        return Flags.condition(c.rflags, cc);
    }

    /**
     * Computes the pending flags into {@link Cpu#rflags} (with the same helpers the executor
     * uses, so they are exactly its flags); nothing pending afterwards. Cheap when nothing is.
     */
    void materialise() {
        if (pending == FLAGS_CURRENT) return;
        if (InterpStats.ON) stats.materialised++;
        switch (pending) {
            case PENDING_ADD -> Alu.add(c, pendingA, pendingB, 0, pendingSize);
            case PENDING_SUB -> Alu.sub(c, pendingA, pendingB, 0, pendingSize);
            case PENDING_LOGIC -> Alu.logic(c, pendingA, pendingSize);
            default -> Shifts.shift(c, pendingShift, pendingA, (int) pendingB, pendingSize);
        }
        pending = FLAGS_CURRENT;
    }
}
