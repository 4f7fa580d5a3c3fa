package dev.jux.platform.interp;

import static dev.jux.platform.interp.Flags.*;

import dev.jux.platform.Trap;

/**
 * Executes decoded instructions of the one-byte map on a {@link Cpu}; the 0F maps go to
 * {@link Executor0F}. An instruction either completes (RIP advances or branches), stops
 * the CPU with {@link #SYSCALL}, or throws {@link CpuFault} with RIP unchanged (traps such
 * as INT3 advance RIP first, as hardware reports them after the instruction).
 */
public final class Executor {
    public static final int CONTINUE = 0, SYSCALL = 1;

    private final Cpu c;
    private final Operands o;
    private final Executor0F twoByte;
    private final X87Executor x87;
    private final Memory memory;
    private final LockedAccess locked;

    public Executor(Cpu cpu, Memory memory) {
        c = cpu;
        o = new Operands(cpu, memory);
        twoByte = new Executor0F(o);
        x87 = new X87Executor(o);
        this.memory = memory;
        locked = new LockedAccess(memory, cpu);
    }

    /**
     * Locked instructions that cannot be one compare-and-set on an aligned 8-byte word (split
     * locks, CMPXCHG16B, or every locked instruction on a memory without atomic words) run one
     * at a time under this lock, as plain reads and writes: atomic against each other and
     * against the kernel's read-modify-writes (InterpPlatform.atomically takes it too), but not
     * against a plain store from another guest thread. Linux treats split locks as a bug to
     * detect (split_lock_detect); Java has no 128-bit compare-and-set.
     */
    static final Object BUS_LOCK = new Object();

    /**
     * Executes one instruction. The JIT calls this for every LOCK-prefixed instruction (and
     * XCHG with memory), which are made atomic here (see {@link LockedAccess}).
     */
    public int execute(Instruction in) {
        o.begin(in);
        if (in.lock() && !Lockable.allowed(in)) throw CpuFault.ud();
        int op = in.opcode;
        int result;
        // Faults are precise: an instruction whose write faults after it computed its flags
        // (ADC/SBB/RCL/RCR to memory) must restart with the flags it began with, or the
        // restart after a copy-on-write or demand fault would use the new CF.
        long flags = c.rflags;
        try {
            if (in.lock() || ((op == 0x86 || op == 0x87) && in.mod != 3)) {
                result = executeLocked(in, op);
            } else {
                result = dispatch(in, op);
            }
        } catch (CpuFault f) {
            // A REP CMPS/SCAS that faults part-way keeps the flags of its last completed
            // iteration, as on hardware (string instructions fault only before they compare).
            // INT3/INT1 trap after the instruction but change no flag either.
            if (!StringOps.isString(op)) c.rflags = flags;
            throw f;
        }
        if (result == Executor0F.RESTART) return CONTINUE;
        c.rip = o.next;
        return result;
    }

    private int dispatch(Instruction in, int op) {
        return op >= Instruction.MAP_0F ? twoByte.execute(in) : oneByte(in, op);
    }

    /**
     * A locked read-modify-write: against the {@link LockedAccess} view, committed by a
     * compare-and-set and retried from the saved registers until it commits; under
     * {@link #BUS_LOCK} if its operand is not within one aligned 8-byte word.
     */
    private int executeLocked(Instruction in, int op) {
        boolean cmpxchg16b = op == 0x1c7 && in.rexW();
        if (locked.available() && !cmpxchg16b) {
            locked.save();
            o.mem = locked;
            try {
                for (;;) {
                    int result = dispatch(in, op);
                    if (locked.commit()) return result;
                    locked.restore();
                    Thread.onSpinWait();
                }
            } catch (LockedAccess.Split split) {
                locked.restore();
            } finally {
                o.mem = memory;
            }
        }
        int result;
        synchronized (BUS_LOCK) {
            result = dispatch(in, op);
        }
        java.lang.invoke.VarHandle.fullFence(); // a locked instruction is a full fence on x86
        return result;
    }

    private int oneByte(Instruction in, int op) {
        int size = in.opSize;
        if (op < 0x40) {
            alu(in, op);
            return CONTINUE;
        }
        switch (op) {
            case 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57 -> o.push(size, c.r[o.opcodeReg()]);
            case 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f -> c.set(o.opcodeReg(), size, false, o.pop(size));
            case 0x63 -> o.setReg(size, sext(o.rm(size == 8 ? 4 : size), size == 8 ? 4 : size));
            case 0x68, 0x6a -> o.push(size, in.imm);
            case 0x69, 0x6b -> o.setReg(size, MulDiv.imul(c, o.rm(size), in.imm, size));
            case 0x6c, 0x6d, 0x6e, 0x6f, 0xe4, 0xe5, 0xe6, 0xe7, 0xec, 0xed, 0xee, 0xef,
                 0xf4, 0xfa, 0xfb -> throw CpuFault.gp(); // I/O, HLT, CLI/STI: privileged at IOPL 0
            case 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
                 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f -> {
                if (condition(c.rflags, op & 15)) o.next += in.imm;
            }
            case 0x80, 0x81, 0x83 -> {
                int s = op == 0x80 ? 1 : size;
                long r = Alu.op(c, in.regField, o.rm(s), in.imm, s);
                if (in.regField != Alu.CMP) o.setRm(s, r);
            }
            case 0x84, 0x85 -> {
                int s = op == 0x84 ? 1 : size;
                Alu.logic(c, o.rm(s) & o.reg(s), s);
            }
            case 0x86, 0x87 -> {
                int s = op == 0x86 ? 1 : size;
                long a = o.rm(s), b = o.reg(s);
                o.setRm(s, b);
                o.setReg(s, a);
            }
            case 0x88, 0x89 -> {
                int s = op == 0x88 ? 1 : size;
                o.setRm(s, o.reg(s));
            }
            case 0x8a, 0x8b -> {
                int s = op == 0x8a ? 1 : size;
                o.setReg(s, o.rm(s));
            }
            case 0x8c -> o.setRm(in.mod == 3 ? size : 2, selector(in.regField));
            case 0x8d -> {
                if (in.mod == 3) throw CpuFault.ud();
                o.setReg(size, o.offset());
            }
            case 0x8f -> {
                if (in.regField != 0) throw CpuFault.ud();
                long v = o.mem.read(c.r[Cpu.RSP], size);
                long sp = c.r[Cpu.RSP];
                c.r[Cpu.RSP] += size; // an RSP-based address is computed after the pop
                try {
                    o.ea = o.offset() + o.segmentBase();
                    o.setRm(size, v);
                } catch (CpuFault f) {
                    c.r[Cpu.RSP] = sp;
                    throw f;
                }
            }
            case 0x90 -> {
                if ((in.rex & 1) != 0) xchgAccumulator(in, 8); // REX.B 90 is XCHG r8, rAX, not NOP
            }
            case 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97 -> xchgAccumulator(in, o.opcodeReg());
            case 0x98 -> c.set(Cpu.RAX, size, false, sext(c.r[Cpu.RAX], size / 2));
            case 0x99 -> c.set(Cpu.RDX, size, false, sign(c.r[Cpu.RAX], size) != 0 ? -1 : 0);
            case 0x9b -> { } // FWAIT: unmasked x87 exceptions do not fault here (see X87Executor)
            case 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf -> x87.execute(in);
            case 0x9c -> o.push(size, c.rflags & 0xfcffffL); // RF and VM read as 0
            case 0x9d -> {
                long v = o.pop(size);
                long changeable = size == 2 ? USER_MASK & 0xffff : USER_MASK;
                c.rflags = (c.rflags & ~(changeable | 0x4000)) | (v & (changeable | 0x4000)) | 2;
            }
            case 0x9e -> c.rflags = (c.rflags & ~(SF | ZF | AF | PF | CF))
                    | ((c.r[Cpu.RAX] >>> 8) & (SF | ZF | AF | PF | CF));
            case 0x9f -> c.set(Cpu.RAX + 4, 1, true, (c.rflags & 0xd5) | 2);
            case 0xa0, 0xa1, 0xa2, 0xa3 -> {
                int s = (op & 1) == 0 ? 1 : size;
                long addr = in.imm + o.segmentBase();
                if (op < 0xa2) c.set(Cpu.RAX, s, false, o.mem.read(addr, s));
                else o.mem.write(addr, s, c.r[Cpu.RAX]);
            }
            case 0xa4, 0xa5, 0xa6, 0xa7, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf -> {
                if (!StringOps.execute(o, op)) return Executor0F.RESTART;
            }
            case 0xa8, 0xa9 -> {
                int s = op == 0xa8 ? 1 : size;
                Alu.logic(c, c.r[Cpu.RAX] & in.imm, s);
            }
            case 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7 ->
                    c.set(o.opcodeReg(), 1, in.highByteRegs(), in.imm);
            case 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf -> c.set(o.opcodeReg(), size, false, in.imm);
            case 0xc0, 0xc1, 0xd0, 0xd1, 0xd2, 0xd3 -> {
                int s = (op & 1) == 0 ? 1 : size;
                long count = op <= 0xc1 ? in.imm : op <= 0xd1 ? 1 : c.r[Cpu.RCX];
                int n = Shifts.maskCount(count, s);
                long a = o.rm(s);
                long r = Shifts.shift(c, in.regField | (op <= 0xc1 ? Shifts.BY_IMMEDIATE : 0), a, n, s);
                o.setRm(s, r);
            }
            case 0xc2, 0xc3 -> {
                long target = o.pop(8);
                if (op == 0xc2) c.r[Cpu.RSP] += in.imm;
                o.next = target;
            }
            case 0xc6, 0xc7 -> {
                if (in.regField != 0) throw CpuFault.ud(); // XABORT/XBEGIN: no TSX
                o.setRm(op == 0xc6 ? 1 : size, in.imm);
            }
            case 0xc8 -> enter(in, size);
            case 0xc9 -> {
                long v = o.mem.read(c.r[Cpu.RBP], size);
                c.r[Cpu.RSP] = c.r[Cpu.RBP] + size;
                c.set(Cpu.RBP, size, false, v);
            }
            case 0xcc -> {
                c.rip = o.next; // a trap: reported after the instruction
                throw new CpuFault(Trap.BP, 0, 0);
            }
            case 0xcd -> throw new CpuFault(Trap.GP, ((in.imm & 0xff) << 3) | 2, 0); // no user gate but int3
            case 0xd7 -> {
                long addr = ((c.r[Cpu.RBX] + (c.r[Cpu.RAX] & 0xff)) & mask(in.addrSize)) + o.segmentBase();
                c.set(Cpu.RAX, 1, false, o.mem.read8(addr));
            }
            case 0xe0, 0xe1, 0xe2 -> {
                long am = mask(in.addrSize);
                long count = (c.r[Cpu.RCX] - 1) & am;
                c.r[Cpu.RCX] = in.addrSize == 4 ? count : c.r[Cpu.RCX] - 1;
                boolean zf = (c.rflags & ZF) != 0;
                boolean take = count != 0 && (op == 0xe2 || (op == 0xe1) == zf);
                if (take) o.next += in.imm;
            }
            case 0xe3 -> {
                if ((c.r[Cpu.RCX] & mask(in.addrSize)) == 0) o.next += in.imm;
            }
            case 0xe8 -> {
                o.push(8, o.next);
                o.next += in.imm;
            }
            case 0xe9, 0xeb -> o.next += in.imm;
            case 0xf1 -> {
                c.rip = o.next;
                throw new CpuFault(Trap.DB, 0, 0);
            }
            case 0xf5 -> c.rflags ^= CF;
            case 0xf6, 0xf7 -> group3(in, op == 0xf6 ? 1 : size);
            case 0xf8 -> c.rflags &= ~CF;
            case 0xf9 -> c.rflags |= CF;
            case 0xfc -> c.rflags &= ~DF;
            case 0xfd -> c.rflags |= DF;
            case 0xfe -> {
                if (in.regField > 1) throw CpuFault.ud();
                long a = o.rm(1);
                o.setRm(1, in.regField == 0 ? Alu.inc(c, a, 1) : Alu.dec(c, a, 1));
            }
            case 0xff -> group5(in, size);
            default -> throw CpuFault.ud(); // invalid, far transfers, IRET, INT
        }
        return CONTINUE;
    }

    /** Opcodes 00-3F: row = ADD OR ADC SBB AND SUB XOR CMP, column = operand form. */
    private void alu(Instruction in, int op) {
        if (op == Instruction.INVALID || (op & 7) > 5) throw CpuFault.ud();
        int aluOp = op >> 3;
        int form = op & 7;
        int size = (form & 1) == 0 ? 1 : in.opSize;
        long r;
        switch (form) {
            case 0, 1 -> {
                r = Alu.op(c, aluOp, o.rm(size), o.reg(size), size);
                if (aluOp != Alu.CMP) o.setRm(size, r);
            }
            case 2, 3 -> {
                r = Alu.op(c, aluOp, o.reg(size), o.rm(size), size);
                if (aluOp != Alu.CMP) o.setReg(size, r);
            }
            default -> {
                r = Alu.op(c, aluOp, c.r[Cpu.RAX], in.imm, size);
                if (aluOp != Alu.CMP) c.set(Cpu.RAX, size, false, r);
            }
        }
    }

    private void xchgAccumulator(Instruction in, int reg) {
        int size = in.opSize;
        long a = c.get(reg, size, false);
        c.set(reg, size, false, c.r[Cpu.RAX]);
        c.set(Cpu.RAX, size, false, a);
    }

    private void group3(Instruction in, int size) {
        switch (in.regField) {
            case 0, 1 -> Alu.logic(c, o.rm(size) & in.imm, size);
            case 2 -> o.setRm(size, ~o.rm(size)); // NOT changes no flags
            case 3 -> o.setRm(size, Alu.neg(c, o.rm(size), size));
            case 4 -> MulDiv.mul(c, o.rm(size), size);
            case 5 -> MulDiv.imul1(c, o.rm(size), size);
            case 6 -> MulDiv.div(c, o.rm(size), size);
            default -> MulDiv.idiv(c, o.rm(size), size);
        }
    }

    private void group5(Instruction in, int size) {
        switch (in.regField) {
            case 0 -> o.setRm(size, Alu.inc(c, o.rm(size), size));
            case 1 -> o.setRm(size, Alu.dec(c, o.rm(size), size));
            case 2 -> {
                long target = o.rm(8);
                o.push(8, o.next);
                o.next = target;
            }
            case 4 -> o.next = o.rm(8);
            case 6 -> o.push(size, o.rm(size));
            default -> throw CpuFault.ud(); // far CALL/JMP: not supported in a flat user space
        }
    }

    /** ENTER size, level: builds a frame with {@code level} display pointers (level mod 32). */
    private void enter(Instruction in, int size) {
        int level = in.imm2 & 31;
        long rsp = c.r[Cpu.RSP], rbp = c.r[Cpu.RBP];
        rsp -= size;
        o.mem.write(rsp, size, rbp);
        long frame = rsp;
        if (level > 0) {
            for (int i = 1; i < level; i++) {
                rbp -= size;
                rsp -= size;
                o.mem.write(rsp, size, o.mem.read(rbp, size));
            }
            rsp -= size;
            o.mem.write(rsp, size, frame);
        }
        c.set(Cpu.RBP, size, false, frame);
        c.r[Cpu.RSP] = rsp - in.imm;
    }

    /** The selectors user code sees in 64-bit Linux: CS 0x33, SS 0x2b, data segments null. */
    static long selector(int sreg) {
        return switch (sreg) {
            case 1 -> 0x33;
            case 2 -> 0x2b;
            default -> 0;
        };
    }
}
