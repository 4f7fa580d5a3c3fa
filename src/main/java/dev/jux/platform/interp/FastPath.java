package dev.jux.platform.interp;

import static dev.jux.platform.interp.Instruction.*;

/**
 * The interpreter's short path for the instruction forms real programs run most (cc1 -O2:
 * Jcc, MOV loads/stores/copies, ALU with a register or an immediate, PUSH/POP, CALL/RET/JMP,
 * TEST, LEA, MOVZX, shifts by a constant, MOV of an immediate: ~85% of its instructions).
 * {@link #classify} gives each decoded instruction of a {@link DecodedBlock} a {@link
 * Instruction#fast} kind once, with its operands pre-resolved (absolute branch targets and
 * RIP-relative addresses, since a block's instructions never move); {@link #execute} then runs
 * it without {@link Executor#execute}'s generic machinery (operand objects, LOCK checks, the
 * map dispatch). Excluded and left to the executor: LOCK, FS/GS and 67 prefixes, 16-bit
 * operands, anything else.
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
 * the generic executor, and when its run or step ends (a return, a system call, a fault).
 * Outside those calls nothing is ever pending.
 */
final class FastPath {
    static final int NONE = 0, JCC = 1, JMP = 2, CALL = 3, RET = 4, PUSH = 5, POP = 6,
            LOAD = 7, STORE = 8, MOV_RR = 9, ALU_RM_R = 10, ALU_R_RM = 11, ALU_IMM = 12,
            TEST = 13, LEA = 14, MOVZX = 15, SHIFT_IMM = 16, MOV_IMM = 17, MOV_REG_IMM = 18,
            ALU_ACC_IMM = 19, TEST_IMM = 20, SETCC = 21, JMP_IND = 22, CALL_IND = 23, MOVSXD = 24,
            NOP = 25, SHIFT_CL = 26, TEST_ACC_IMM = 27, SHIFT_ONE = 28, NOT = 29;

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
    /** Null unless {@link InterpStats#ON}. */
    private final InterpStats stats;

    FastPath(Cpu cpu, Memory mem, InterpStats stats) {
        this.c = cpu;
        this.r = cpu.r;
        this.mem = mem;
        this.stats = stats;
    }

    /** Sets {@code in.fast} (and its pre-resolved operands) for the instruction at {@code rip}. */
    static void classify(Instruction in, long rip) {
        in.fast = NONE;
        int op = in.opcode;
        if (op == INVALID || (in.prefixes & (P_LOCK | P_ADDRSIZE)) != 0 || in.segment != SEG_NONE) return;
        long next = rip + in.length;
        if (in.hasModrm && in.mod != 3) {
            in.fastBase = in.base == BASE_RIP ? Instruction.NONE : in.base;
            in.fastDisp = in.base == BASE_RIP ? in.disp + next : in.disp;
        }
        in.fastTarget = next + in.imm;
        int size = in.opSize;
        boolean wide = size == 4 || size == 8;
        boolean mem = in.isMemory();
        int kind = NONE;
        if ((op >= 0x70 && op <= 0x7f) || (op >= 0x180 && op <= 0x18f)) kind = JCC;
        else if (op == 0xe9 || op == 0xeb) kind = JMP;
        else if (op == 0xe8) kind = CALL;
        else if (op == 0xc3) kind = RET;
        else if (op >= 0x50 && op <= 0x57 && size == 8) kind = PUSH;
        else if (op >= 0x58 && op <= 0x5f && size == 8) kind = POP;
        else if (op < 0x40 && (op & 7) < 6) {
            // ALU r/m, r (forms 0, 1), r, r/m (2, 3), AL/eAX, imm (4, 5); to memory not ADC/SBB
            // (they compute flags before the write, which a fault would have to undo).
            boolean bytes = (op & 1) == 0;
            if ((op & 7) >= 4) kind = ALU_ACC_IMM;
            else if ((op & 2) == 0) kind = !mem || !carries(op >> 3) ? ALU_RM_R : NONE;
            else kind = ALU_R_RM;
            in.fastSize = (byte) (bytes ? 1 : size);
        } else if (op == 0x80 || op == 0x81 || op == 0x83) {
            if (mem && carries(in.regField)) return;
            kind = ALU_IMM;
            in.fastSize = (byte) (op == 0x80 ? 1 : size);
        } else if (op == 0x84 || op == 0x85) {
            kind = TEST;
            in.fastSize = (byte) (op == 0x84 ? 1 : size);
        } else if (op == 0x8b && wide) kind = mem ? LOAD : MOV_RR;
        else if (op == 0x89 && wide) kind = mem ? STORE : MOV_RR;
        else if (op == 0x8d && wide && mem) kind = LEA;
        else if ((op == 0x1b6 || op == 0x1b7) && wide) {
            kind = MOVZX;
            in.fastSize = (byte) (op == 0x1b6 ? 1 : 2);
        } else if (op == 0xc1 && wide && !mem && (in.regField == Shifts.SHL || in.regField == Shifts.SHR
                || in.regField == Shifts.SAR)) kind = SHIFT_IMM;
        else if (op == 0xc7 && wide && in.regField == 0) kind = MOV_IMM;
        else if (op == 0xc6 && mem && in.regField == 0) kind = MOV_IMM;   // a byte: c6 sizes below
        else if ((op == 0xf6 || op == 0xf7) && in.regField < 2) {
            kind = TEST_IMM;
            in.fastSize = (byte) (op == 0xf6 ? 1 : size);
        } else if (op >= 0x190 && op <= 0x19f) kind = SETCC;
        else if (op == 0xff && in.regField == 4) kind = JMP_IND;
        else if (op == 0xff && in.regField == 2) kind = CALL_IND;
        else if (op == 0x63 && size == 8) kind = MOVSXD;
        else if ((op == 0x90 && (in.rex & 1) == 0) || (op >= 0x119 && op <= 0x11f)) kind = NOP;  // padding, ENDBR64
        else if (op == 0xd3 && wide && !mem && (in.regField == Shifts.SHL || in.regField == Shifts.SHR
                || in.regField == Shifts.SAR)) kind = SHIFT_CL;
        else if (op >= 0xb8 && op <= 0xbf && wide) kind = MOV_REG_IMM;
        else if (op == 0xa8 || op == 0xa9) {
            kind = TEST_ACC_IMM;
            in.fastSize = (byte) (op == 0xa8 ? 1 : size);
        } else if (op == 0xd1 && wide && !mem && (in.regField == Shifts.SHL || in.regField == Shifts.SHR
                || in.regField == Shifts.SAR)) kind = SHIFT_ONE;
        else if (op == 0xf7 && wide && !mem && in.regField == 2) kind = NOT;
        if (kind == MOV_RR && op == 0x8b) {
            // 8B reg, rm copies rm into reg; 89 rm, reg the other way: normalise to 89's order.
            byte t = in.reg;
            in.fastSrc = in.rm;
            in.fastDst = t;
        } else if (kind == MOV_RR) {
            in.fastSrc = in.reg;
            in.fastDst = in.rm;
        }
        in.fast = (byte) kind;
        in.fastWritesNothing = kind != NONE && !writesMemory(kind, mem);
    }

    /** The fast kinds that store: to the stack, or to a memory operand. */
    private static boolean writesMemory(int kind, boolean memoryOperand) {
        return switch (kind) {
            case CALL, CALL_IND, PUSH, STORE -> true;
            case ALU_RM_R, ALU_IMM, MOV_IMM, SETCC -> memoryOperand;   // CMP to memory stores nothing, but rarely matters
            default -> false;
        };
    }

    /** ADC and SBB: ALU operations that read CF. */
    private static boolean carries(int aluOp) {
        return aluOp == Alu.ADC || aluOp == Alu.SBB;
    }

    /** Runs an instruction {@link #classify} gave a kind; RIP moves on (or branches) when it completes. */
    void execute(Instruction in) {
        long next = c.rip + in.length;
        switch (in.fast) {
            case JCC -> {
                c.rip = condition(in.opcode & 15) ? in.fastTarget : next;
                return;
            }
            case JMP -> {
                c.rip = in.fastTarget;
                return;
            }
            case CALL -> {
                long sp = r[Cpu.RSP] - 8;
                mem.write64(sp, next);   // memory first: a fault leaves RSP as it was
                r[Cpu.RSP] = sp;
                c.rip = in.fastTarget;
                return;
            }
            case RET -> {
                long target = mem.read64(r[Cpu.RSP]);
                r[Cpu.RSP] += 8;
                c.rip = target;
                return;
            }
            case PUSH -> {
                long v = r[(in.opcode & 7) | ((in.rex & 1) << 3)];
                long sp = r[Cpu.RSP] - 8;
                mem.write64(sp, v);
                r[Cpu.RSP] = sp;
            }
            case POP -> {
                long v = mem.read64(r[Cpu.RSP]);
                r[Cpu.RSP] += 8;
                r[(in.opcode & 7) | ((in.rex & 1) << 3)] = v;   // POP RSP: the value read wins
            }
            case LOAD -> set(in.reg, in.opSize, read(ea(in), in.opSize));
            case STORE -> write(ea(in), in.opSize, r[in.reg]);
            case MOV_RR -> set(in.fastDst, in.opSize, r[in.fastSrc]);
            case ALU_RM_R -> {
                int s = in.fastSize;
                int aluOp = in.opcode >> 3;
                long b = c.get(in.reg, s, in.highByteRegs());
                if (in.mod == 3) {
                    long v = alu(aluOp, c.get(in.rm, s, in.highByteRegs()), b, s);
                    if (aluOp != Alu.CMP) c.set(in.rm, s, in.highByteRegs(), v);
                } else aluToMemory(aluOp, ea(in), b, s);
            }
            case ALU_R_RM -> {
                int s = in.fastSize;
                long b = in.mod == 3 ? c.get(in.rm, s, in.highByteRegs()) : mem.read(ea(in), s);
                int aluOp = in.opcode >> 3;
                long v = alu(aluOp, c.get(in.reg, s, in.highByteRegs()), b, s);
                if (aluOp != Alu.CMP) c.set(in.reg, s, in.highByteRegs(), v);
            }
            case ALU_IMM -> {
                int s = in.fastSize;
                if (in.mod == 3) {
                    long v = alu(in.regField, c.get(in.rm, s, in.highByteRegs()), in.imm, s);
                    if (in.regField != Alu.CMP) c.set(in.rm, s, in.highByteRegs(), v);
                } else aluToMemory(in.regField, ea(in), in.imm, s);
            }
            case TEST -> {
                int s = in.fastSize;
                long a = in.mod == 3 ? c.get(in.rm, s, in.highByteRegs()) : mem.read(ea(in), s);
                logic(a & c.get(in.reg, s, in.highByteRegs()), s);
            }
            case LEA -> set(in.reg, in.opSize, ea(in));
            case MOVZX -> {
                int s = in.fastSize;
                long v = in.mod == 3 ? c.get(in.rm, s, in.highByteRegs()) : mem.read(ea(in), s);
                set(in.reg, in.opSize, v);
            }
            case SHIFT_IMM -> {
                int s = in.opSize;
                set(in.rm, s, shift(in.regField, r[in.rm], Shifts.maskCount(in.imm, s), s));
            }
            case MOV_IMM -> {
                if (in.mod == 3) set(in.rm, in.opSize, in.imm);
                else if (in.opcode == 0xc6) mem.write8(ea(in), (int) in.imm);
                else write(ea(in), in.opSize, in.imm);
            }
            case ALU_ACC_IMM -> {
                int s = in.fastSize;
                int aluOp = in.opcode >> 3;
                long v = alu(aluOp, r[Cpu.RAX], in.imm, s);
                if (aluOp != Alu.CMP) c.set(Cpu.RAX, s, false, v);
            }
            case TEST_IMM -> {
                int s = in.fastSize;
                long a = in.mod == 3 ? c.get(in.rm, s, in.highByteRegs()) : mem.read(ea(in), s);
                logic(a & in.imm, s);
            }
            case SETCC -> {
                int v = condition(in.opcode & 15) ? 1 : 0;
                if (in.mod == 3) c.set(in.rm, 1, in.highByteRegs(), v);
                else mem.write8(ea(in), v);
            }
            case JMP_IND -> {
                c.rip = in.mod == 3 ? r[in.rm] : mem.read64(ea(in));
                return;
            }
            case CALL_IND -> {
                long target = in.mod == 3 ? r[in.rm] : mem.read64(ea(in));
                long sp = r[Cpu.RSP] - 8;
                mem.write64(sp, next);
                r[Cpu.RSP] = sp;
                c.rip = target;
                return;
            }
            case MOVSXD -> {
                long v = in.mod == 3 ? r[in.rm] : mem.read32(ea(in));
                r[in.reg] = (int) v;
            }
            case NOP -> { }
            case SHIFT_CL -> {
                int s = in.opSize;
                set(in.rm, s, shift(in.regField, r[in.rm], Shifts.maskCount(r[Cpu.RCX], s), s));
            }
            case MOV_REG_IMM -> set((in.opcode & 7) | ((in.rex & 1) << 3), in.opSize, in.imm);
            case TEST_ACC_IMM -> logic(r[Cpu.RAX] & in.imm, in.fastSize);
            case SHIFT_ONE -> set(in.rm, in.opSize, shift(in.regField, r[in.rm], 1, in.opSize));
            case NOT -> set(in.rm, in.opSize, ~r[in.rm]);
            default -> throw new IllegalStateException("not a fast instruction: " + in);
        }
        c.rip = next;
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

    /** The memory operand's address: 64-bit addressing, no segment base (classify made sure). */
    private long ea(Instruction in) {
        long a = in.fastDisp;
        if (in.fastBase != Instruction.NONE) a += r[in.fastBase];
        if (in.index != Instruction.NONE) a += r[in.index] << in.scale;
        return a;
    }

    /** A 32- or 64-bit register write (a 32-bit one zeroes the upper half). */
    private void set(int reg, int size, long v) {
        r[reg] = size == 8 ? v : v & 0xffff_ffffL;
    }

    private long read(long addr, int size) {
        return size == 8 ? mem.read64(addr) : mem.read32(addr) & 0xffff_ffffL;
    }

    private void write(long addr, int size, long v) {
        if (size == 8) mem.write64(addr, v);
        else mem.write32(addr, (int) v);
    }
}
