package dev.jux.platform.interp;

import static dev.jux.platform.interp.Instruction.*;

/**
 * Operand access for the instruction being executed: the ModRM register and r/m operands,
 * the effective address, and the stack. One per CPU; {@link #begin} points it at an
 * instruction, so no per-instruction objects are made.
 */
final class Operands {
    final Cpu c;
    /** Guest memory; during a locked instruction the {@link LockedAccess} view of it. */
    Memory mem;
    Instruction in;
    /** RIP of the next instruction: where RIP-relative addresses and relative branches start. */
    long next;
    /** Linear address of the memory operand, segment base included. */
    long ea;

    Operands(Cpu c, Memory mem) {
        this.c = c;
        this.mem = mem;
    }

    void begin(Instruction in) {
        this.in = in;
        next = c.rip + in.length;
        if (in.isMemory()) ea = offset() + segmentBase();
    }

    /** The effective address without the segment base (what LEA stores). */
    long offset() {
        long a = in.disp;
        if (in.base == BASE_RIP) a += next;
        else if (in.base != NONE) a += c.r[in.base];
        if (in.index != NONE) a += c.r[in.index] << in.scale;
        return in.addrSize == 4 ? a & 0xffff_ffffL : a;
    }

    /** FS and GS have bases in 64-bit mode; every other segment is flat. */
    long segmentBase() {
        return switch (in.segment) {
            case SEG_FS -> c.fsBase;
            case SEG_GS -> c.gsBase;
            default -> 0;
        };
    }

    long rm(int size) {
        return in.mod == 3 ? c.get(in.rm, size, in.highByteRegs()) : mem.read(ea, size);
    }

    void setRm(int size, long v) {
        if (in.mod == 3) c.set(in.rm, size, in.highByteRegs(), v);
        else mem.write(ea, size, v);
    }

    long reg(int size) {
        return c.get(in.reg, size, in.highByteRegs());
    }

    void setReg(int size, long v) {
        c.set(in.reg, size, in.highByteRegs(), v);
    }

    /** The register in the low three opcode bits (PUSH r, MOV r, imm, BSWAP...), extended by REX.B. */
    int opcodeReg() {
        return (in.opcode & 7) | ((in.rex & 1) << 3);
    }

    void push(int size, long v) {
        long sp = c.r[Cpu.RSP] - size;
        mem.write(sp, size, v); // memory first: a fault leaves RSP as it was
        c.r[Cpu.RSP] = sp;
    }

    long pop(int size) {
        long v = mem.read(c.r[Cpu.RSP], size);
        c.r[Cpu.RSP] += size;
        return v;
    }
}
