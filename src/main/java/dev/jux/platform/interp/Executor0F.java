package dev.jux.platform.interp;

import static dev.jux.platform.interp.Flags.*;

/**
 * The integer instructions of the 0F map: SYSCALL, CPUID, RDTSC(P), CMOVcc, SETcc, Jcc rel32,
 * the bit tests and scans, SHLD/SHRD, IMUL r, r/m, MOVZX/MOVSX, CMPXCHG(8B/16B), XADD, BSWAP,
 * the NOP and hint spaces. SSE (and the 0F 38 / 0F 3A maps) go to {@link Sse}.
 */
final class Executor0F {
    /** The instruction has not finished (a REP chunk): leave RIP on it. */
    static final int RESTART = 2;

    private final Operands o;
    private final Cpu c;
    private final Sse sse;

    Executor0F(Operands o) {
        this.o = o;
        this.c = o.c;
        this.sse = new Sse(o);
    }

    int execute(Instruction in) {
        int size = in.opSize;
        int op = in.opcode;
        if (op >= Instruction.MAP_0F38) {
            sse.execute(in);
            return Executor.CONTINUE;
        }
        switch (op & 0xff) {
            case 0x01 -> {
                return group7(in);
            }
            case 0x05 -> {
                return JitSupport.syscall(c, o.next);
            }
            case 0x0b -> throw CpuFault.ud(); // UD2
            case 0x0d, 0x18 -> {
                if (in.mod == 3) throw CpuFault.ud(); // prefetches need a memory operand
            }
            case 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f -> { } // multi-byte NOP, ENDBR64, hints
            case 0x31 -> rdtsc();
            case 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
                 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f -> {
                long v = o.rm(size); // the source is read (and may fault) whatever the condition
                // A false condition still writes a 32-bit destination back, zeroing its upper half.
                o.setReg(size, condition(c.rflags, op & 15) ? v : o.reg(size));
            }
            case 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
                 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f -> {
                if (condition(c.rflags, op & 15)) o.next += in.imm;
            }
            case 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
                 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f -> o.setRm(1, condition(c.rflags, op & 15) ? 1 : 0);
            case 0xa2 -> CpuidModel.cpuid(c);
            case 0xa3 -> bitTest(in, BitOps.BT, o.reg(size), false);
            case 0xab -> bitTest(in, BitOps.BTS, o.reg(size), false);
            case 0xb3 -> bitTest(in, BitOps.BTR, o.reg(size), false);
            case 0xbb -> bitTest(in, BitOps.BTC, o.reg(size), false);
            case 0xba -> {
                if (in.regField < 4) throw CpuFault.ud();
                bitTest(in, in.regField - 4, in.imm, true);
            }
            case 0xa4, 0xa5, 0xac, 0xad -> {
                long count = (op & 1) == 0 ? in.imm : c.r[Cpu.RCX];
                int n = Shifts.maskCount(count, size);
                o.setRm(size, Shifts.doubleShift(c, op < 0x1a8, o.rm(size), o.reg(size), n, size));
            }
            case 0xae -> group15(in);
            case 0xaf -> o.setReg(size, MulDiv.imul(c, o.reg(size), o.rm(size), size));
            case 0xb0, 0xb1 -> cmpxchg(op == 0x1b0 ? 1 : size);
            case 0xb6, 0xb7 -> o.setReg(size, o.rm(op == 0x1b6 ? 1 : 2));
            case 0xbe, 0xbf -> {
                int s = op == 0x1be ? 1 : 2;
                o.setReg(size, sext(o.rm(s), s));
            }
            case 0xb8 -> {
                if (!in.rep()) throw CpuFault.ud(); // JMPE: Itanium only
                o.setReg(size, BitOps.popcnt(c, o.rm(size), size));
            }
            case 0xbc, 0xbd -> {
                long src = o.rm(size);
                boolean reverse = op == 0x1bd;
                if (in.rep()) o.setReg(size, BitOps.count(c, src, size, reverse));
                else bitScan(src, size, reverse);
            }
            case 0xc0, 0xc1 -> {
                int s = op == 0x1c0 ? 1 : size;
                long d = o.rm(s), src = o.reg(s);
                long sum = Alu.add(c, d, src, 0, s);
                o.setReg(s, d);
                o.setRm(s, sum);
            }
            case 0xc7 -> group9(in);
            // Control/debug registers, MSRs, descriptor tables, cache control: privileged.
            case 0x00, 0x06, 0x08, 0x09, 0x20, 0x21, 0x22, 0x23, 0x30, 0x32, 0x33 -> throw CpuFault.gp();
            case 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf -> {
                int r = o.opcodeReg();
                long v = c.r[r];
                // BSWAP of a 16-bit register is undefined; this CPU clears the low word.
                if (size == 8) c.r[r] = Long.reverseBytes(v);
                else if (size == 4) c.r[r] = Integer.reverseBytes((int) v) & 0xffff_ffffL;
                else c.set(r, 2, false, 0);
            }
            default -> sse.execute(in); // SSE/SSE2; anything else there is #UD
        }
        return Executor.CONTINUE;
    }

    private void bitScan(long src, int size, boolean reverse) {
        long old = o.reg(size);
        long r = BitOps.bsf(c, src, old, size, reverse);
        if ((src & mask(size)) != 0 || size != 4) o.setReg(size, r);
        // A zero source leaves even the upper half of a 32-bit destination untouched.
    }

    /**
     * BT/BTS/BTR/BTC. A register bit offset on a memory operand is signed and may reach any
     * operand-sized word around the address; an immediate offset stays within the operand.
     */
    private void bitTest(Instruction in, int op, long offset, boolean immediate) {
        int size = in.opSize;
        int bits = size * 8;
        if (in.mod == 3 || immediate) {
            int bit = (int) offset & (bits - 1);
            long v = o.rm(size);
            long r = BitOps.bitTest(c, op, v, bit);
            if (op != BitOps.BT) o.setRm(size, r);
            return;
        }
        long s = sext(offset, size);
        long addr = o.ea + (s >> Integer.numberOfTrailingZeros(bits)) * size;
        int bit = (int) (s & (bits - 1));
        long v = o.mem.read(addr, size);
        long r = BitOps.bitTest(c, op, v, bit);
        if (op != BitOps.BT) o.mem.write(addr, size, r);
    }

    private void cmpxchg(int size) {
        long d = o.rm(size);
        Alu.sub(c, c.r[Cpu.RAX], d, 0, size);
        if ((c.rflags & ZF) != 0) {
            o.setRm(size, o.reg(size));
        } else {
            // Memory gets its old value written back (it must be writable); a register is left
            // untouched, even the upper half of a 32-bit one (checked on the host).
            if (o.in.mod != 3) o.setRm(size, d);
            c.set(Cpu.RAX, size, false, d);
        }
    }

    /** 0F C7: /1 CMPXCHG8B, or CMPXCHG16B with REX.W (16-byte aligned, else #GP). */
    private void group9(Instruction in) {
        if (in.regField == 4 && in.mod != 3 && Sse.prefix(in) == Sse.NONE) { // XSAVEC
            Xsave.save(c, o.mem, o.ea, true);
            return;
        }
        if (in.regField != 1 || in.mod == 3) throw CpuFault.ud(); // RDRAND/RDSEED, XSAVES/XRSTORS are not claimed
        Memory mem = o.mem;
        if (in.rexW()) {
            if ((o.ea & 15) != 0) throw CpuFault.gp();
            long lo = mem.read64(o.ea), hi = mem.read64(o.ea + 8);
            if (lo == c.r[Cpu.RAX] && hi == c.r[Cpu.RDX]) {
                mem.write64(o.ea, c.r[Cpu.RBX]);
                mem.write64(o.ea + 8, c.r[Cpu.RCX]);
                c.rflags |= ZF;
            } else {
                mem.write64(o.ea, lo);
                mem.write64(o.ea + 8, hi);
                c.r[Cpu.RAX] = lo;
                c.r[Cpu.RDX] = hi;
                c.rflags &= ~ZF;
            }
        } else {
            long m = mem.read64(o.ea);
            long expected = (c.r[Cpu.RDX] << 32) | (c.r[Cpu.RAX] & 0xffff_ffffL);
            if (m == expected) {
                mem.write64(o.ea, (c.r[Cpu.RCX] << 32) | (c.r[Cpu.RBX] & 0xffff_ffffL));
                c.rflags |= ZF;
            } else {
                mem.write64(o.ea, m);
                c.r[Cpu.RAX] = m & 0xffff_ffffL;
                c.r[Cpu.RDX] = m >>> 32;
                c.rflags &= ~ZF;
            }
        }
    }

    /** 0F 01: of the system group, only RDTSCP and XGETBV are for user mode. */
    private int group7(Instruction in) {
        if (in.mod == 3 && in.regField == 7 && in.rm % 8 == 1) { // 0F 01 F9
            rdtsc();
            c.r[Cpu.RCX] = 0; // TSC_AUX: CPU 0
            return Executor.CONTINUE;
        }
        if (in.mod == 3 && in.regField == 2 && in.rm % 8 == 0) { // 0F 01 D0
            Xsave.xgetbv(c);
            return Executor.CONTINUE;
        }
        if (in.mod == 3 && in.regField == 2 && in.rm % 8 == 1) throw CpuFault.gp(); // XSETBV: ring 0 only
        throw CpuFault.ud(); // SGDT and friends are not for us
    }

    /**
     * 0F AE: the fences, CLFLUSH, FXSAVE/FXRSTOR/LDMXCSR/STMXCSR, XSAVE/XRSTOR/XSAVEOPT.
     * MFENCE orders earlier stores before later loads, the one reordering x86-TSO allows, so
     * it is a full fence; LFENCE and SFENCE order nothing that TSO (kept by PagedMemory's
     * accesses) does not already.
     */
    private void group15(Instruction in) {
        if (in.mod == 3 && in.regField >= 5 && (in.prefixes & ~Instruction.P_LOCK) == 0) { // L/M/SFENCE
            if (in.regField == 6) java.lang.invoke.VarHandle.fullFence();
            return;
        }
        if (in.mod != 3 && in.regField == 7 && (in.prefixes & Instruction.P_OPSIZE) == 0) return; // CLFLUSH
        if (in.mod != 3 && in.regField < 4 && Sse.prefix(in) == Sse.NONE) {
            sse.group15(in, o);
            return;
        }
        if (in.mod != 3 && in.regField >= 4 && in.regField <= 6 && Sse.prefix(in) == Sse.NONE) {
            if (in.regField == 5) Xsave.restore(c, o.mem, o.ea); // XRSTOR
            else Xsave.save(c, o.mem, o.ea, false);               // XSAVE, XSAVEOPT
            return;
        }
        throw CpuFault.ud(); // FS/GS-base access is not claimed
    }

    private void rdtsc() {
        long t = System.nanoTime();
        c.r[Cpu.RAX] = t & 0xffff_ffffL;
        c.r[Cpu.RDX] = t >>> 32;
    }
}
