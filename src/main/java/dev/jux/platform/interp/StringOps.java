package dev.jux.platform.interp;

import static dev.jux.platform.interp.Flags.*;

/**
 * MOVS, CMPS, STOS, LODS, SCAS with REP/REPE/REPNE and the direction flag. The source is
 * [RSI] in DS (FS/GS may override), the destination [RDI] in ES (never overridden). With a 67
 * prefix RSI/RDI/RCX are used as 32-bit registers. A repeated instruction runs at most
 * {@link #CHUNK} iterations per step and then leaves RIP on itself, so that a long REP
 * cannot starve a kick; resuming continues where it stopped, as after an interrupt.
 */
final class StringOps {
    /** MOVS, CMPS, STOS, LODS, SCAS (one-byte map A4-A7, AA-AF). */
    static boolean isString(int opcode) {
        return opcode >= 0xa4 && opcode <= 0xaf && opcode != 0xa8 && opcode != 0xa9;
    }

    static final int CHUNK = 1 << 16;

    private StringOps() {}

    /**
     * Executes one string instruction; returns true when it is finished (RIP may advance). A
     * fault leaves RSI, RDI and RCX at the faulting iteration; a repeated CMPS/SCAS that faults
     * after some iterations leaves the flags of the last one (AMD) or those from before the
     * instruction (Intel, {@link HostVendor}: its microcode commits them only at the end).
     */
    static boolean execute(Operands o, int opcode) {
        long flagsBefore = o.c.rflags;
        try {
            return run(o, opcode);
        } catch (CpuFault f) {
            if (HostVendor.INTEL) o.c.rflags = flagsBefore;
            throw f;
        }
    }

    private static boolean run(Operands o, int opcode) {
        Instruction in = o.in;
        Cpu c = o.c;
        Memory mem = o.mem;
        int size = (opcode & 1) == 0 ? 1 : in.opSize;
        long am = Flags.mask(in.addrSize);
        long step = (c.rflags & DF) != 0 ? -size : size;
        boolean repeat = (in.prefixes & (Instruction.P_REP | Instruction.P_REPNE)) != 0;
        boolean compares = opcode == 0xa6 || opcode == 0xa7 || opcode == 0xae || opcode == 0xaf;
        long srcBase = o.segmentBase();
        for (int n = 0; n < CHUNK; n++) {
            if (repeat && (c.r[Cpu.RCX] & am) == 0) return true;
            long si = c.r[Cpu.RSI] & am, di = c.r[Cpu.RDI] & am;
            switch (opcode) {
                case 0xa4, 0xa5 -> {
                    mem.write(di, size, mem.read(srcBase + si, size));
                    advance(c, Cpu.RSI, step, in.addrSize);
                    advance(c, Cpu.RDI, step, in.addrSize);
                }
                case 0xa6, 0xa7 -> {
                    long a = mem.read(srcBase + si, size), b = mem.read(di, size);
                    Alu.sub(c, a, b, 0, size);
                    advance(c, Cpu.RSI, step, in.addrSize);
                    advance(c, Cpu.RDI, step, in.addrSize);
                }
                case 0xaa, 0xab -> {
                    mem.write(di, size, c.r[Cpu.RAX]);
                    advance(c, Cpu.RDI, step, in.addrSize);
                }
                case 0xac, 0xad -> {
                    c.set(Cpu.RAX, size, false, mem.read(srcBase + si, size));
                    advance(c, Cpu.RSI, step, in.addrSize);
                }
                default -> { // SCAS
                    Alu.sub(c, c.r[Cpu.RAX], mem.read(di, size), 0, size);
                    advance(c, Cpu.RDI, step, in.addrSize);
                }
            }
            if (!repeat) return true;
            advance(c, Cpu.RCX, -1, in.addrSize);
            if (compares) {
                boolean zf = (c.rflags & ZF) != 0;
                // REPE stops on a difference, REPNE on a match; MOVS/STOS/LODS take either as REP.
                if (in.rep() ? !zf : zf) return true;
            }
        }
        return (c.r[Cpu.RCX] & am) == 0;
    }

    /** Adds {@code delta} to an address-sized register; a 32-bit one is zero-extended. */
    private static void advance(Cpu c, int reg, long delta, int addrSize) {
        long v = c.r[reg] + delta;
        c.r[reg] = addrSize == 4 ? v & 0xffff_ffffL : v;
    }
}
