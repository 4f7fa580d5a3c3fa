package dev.jux.platform.interp;

/**
 * XMM operand access for the instruction being executed: the ModRM.reg register, the r/m
 * operand as an XMM register or memory (16-byte-aligned where legacy SSE demands it, else #GP),
 * and stores that either complete or fault before changing anything.
 */
final class SseOperands {
    final Cpu c;
    final Operands o;
    final long[] x;
    /** The source operand after {@link #src128}. */
    long lo, hi;

    SseOperands(Operands o) {
        this.o = o;
        this.c = o.c;
        this.x = c.xmm;
    }

    Instruction in() {
        return o.in;
    }

    boolean memory() {
        return o.in.mod != 3;
    }

    /** The destination register's index into {@link Cpu#xmm} (2 * ModRM.reg). */
    int d() {
        return 2 * o.in.reg;
    }

    /** The r/m register's index into {@link Cpu#xmm}. */
    int s() {
        return 2 * o.in.rm;
    }

    void src128(boolean aligned) {
        if (o.in.mod == 3) {
            lo = x[s()];
            hi = x[s() + 1];
        } else {
            if (aligned && (o.ea & 15) != 0) throw CpuFault.gp();
            lo = o.mem.read64(o.ea);
            hi = o.mem.read64(o.ea + 8);
        }
    }

    long src64() {
        return o.in.mod == 3 ? x[s()] : o.mem.read64(o.ea);
    }

    int src32() {
        return o.in.mod == 3 ? (int) x[s()] : o.mem.read32(o.ea);
    }

    void store128(long addr, long l, long h, boolean aligned) {
        if (aligned && (addr & 15) != 0) throw CpuFault.gp();
        if ((addr & 0xfff) > 0xff0) {
            // Crosses a page: make sure both pages take writes before changing either.
            long next = (addr | 0xfff) + 1;
            o.mem.write8(next, o.mem.read8(next));
            o.mem.write8(addr, o.mem.read8(addr));
        }
        o.mem.write64(addr, l);
        o.mem.write64(addr + 8, h);
    }

    /** Writes the r/m operand (register or memory) with 128 bits. */
    void setRm128(long l, long h, boolean aligned) {
        if (o.in.mod == 3) {
            x[s()] = l;
            x[s() + 1] = h;
        } else {
            store128(o.ea, l, h, aligned);
        }
    }

    void setD(long l, long h) {
        x[d()] = l;
        x[d() + 1] = h;
    }

    /** The general-purpose r/m operand, for MOVD/MOVQ/CVTSI2SD/PINSRW. */
    long gpr(int size) {
        return o.rm(size);
    }

    void requireMemory() {
        if (o.in.mod == 3) throw CpuFault.ud();
    }

    void requireRegister() {
        if (o.in.mod != 3) throw CpuFault.ud();
    }
}
