package dev.jux.platform.interp;

import static dev.jux.platform.interp.Sse.*;

/**
 * MMX: the 64-bit forms of the integer SIMD opcodes (no mandatory prefix), with the SSE-era
 * extensions (PSHUFW, PINSRW/PEXTRW, PMOVMSKB, MOVNTQ, MASKMOVQ, PMINUB..., PADDQ/PSUBQ/PMULUDQ),
 * EMMS, MOVQ2DQ/MOVDQ2Q and the CVTPI2PS/PD, CVT(T)PS2PI, CVT(T)PD2PI conversions.
 *
 * <p>MM0-7 alias the x87 registers as hardware does: MMi is the 64-bit significand of physical
 * register i; a write sets its sign and exponent to all ones. Every MMX instruction (EMMS
 * excepted) sets TOP to 0 and tags every register valid; EMMS tags them all empty. Lane
 * arithmetic is {@link SseInteger}'s, which already works on 64-bit halves.
 */
final class Mmx {
    private final Cpu c;
    private final Operands o;
    private final X87 f;
    private final long[] x;

    Mmx(Cpu c, Operands o) {
        this.c = c;
        this.o = o;
        this.f = c.fpu;
        this.x = c.xmm;
    }

    long mm(int i) {
        return f.regs[i].m();
    }

    void setMm(int i, long v) {
        f.regs[i] = new Float80(0xffff, v);
    }

    /** The x87-to-MMX transition every MMX instruction makes: TOP = 0, all tags valid. */
    void enter() {
        f.top = 0;
        f.valid = 0xff;
    }

    /** MMX register named by ModRM.reg (REX.R is ignored for MM registers). */
    int d() {
        return o.in.regField;
    }

    /** The mm/m64 source operand. */
    long src() {
        return o.in.mod == 3 ? mm(o.in.rm & 7) : o.mem.read64(o.ea);
    }

    /** True if the 0F-map opcode {@code b} with no mandatory prefix is an MMX instruction. */
    static boolean isMmx(int b) {
        return (b >= 0x60 && b <= 0x7f && b != 0x6c && b != 0x6d && b != 0x78 && b != 0x79 && b != 0x7a
                && b != 0x7b && b != 0x7c && b != 0x7d)
                || (b >= 0xd1 && b <= 0xff && b != 0xd6 && b != 0xe6 && b != 0xf0 && b != 0xff)
                || b == 0xc4 || b == 0xc5;
    }

    /** Executes an MMX-form instruction of the 0F map; false if {@code b}/{@code p} is none. */
    boolean execute(Instruction in, int b, int p) {
        if (p == NONE && isMmx(b)) {
            if (b == 0x77) {
                f.valid = 0; // EMMS
                return true;
            }
            integer(in, b);
            return true;
        }
        if (b == 0xd6 && (p == PF3 || p == PF2)) {
            if (in.mod != 3) throw CpuFault.ud();
            if (p == PF3) { // MOVQ2DQ xmm, mm
                long v = mm(in.rm & 7);
                enter();
                x[2 * in.reg] = v;
                x[2 * in.reg + 1] = 0;
            } else { // MOVDQ2Q mm, xmm
                long v = x[2 * in.rm];
                enter();
                setMm(d(), v);
            }
            return true;
        }
        return false;
    }

    /** CVTPI2PS/PD (0F/66 0F 2A) and CVT(T)PS2PI/PD2PI (0F/66 0F 2C, 2D). */
    void convert(Instruction in, int b, int p, SseConvert cvt, SseFloat fp) {
        if (b == 0x2a) {
            // A memory source does not switch the x87 to MMX mode; a register source does.
            long v = src();
            if (in.mod == 3) enter();
            int dx = 2 * in.reg;
            if (p == NONE) {
                long lo = cvt.intToFloat((int) v) & 0xffff_ffffL, hi = cvt.intToFloat((int) (v >>> 32)) & 0xffff_ffffL;
                Mxcsr.check(c, fp.flags);
                x[dx] = lo | (hi << 32);
            } else {
                x[dx] = cvt.intToDouble((int) v);
                x[dx + 1] = cvt.intToDouble((int) (v >>> 32));
            }
            return;
        }
        boolean t = b == 0x2c;
        long r;
        if (p == NONE) {
            long v = in.mod == 3 ? x[2 * in.rm] : o.mem.read64(o.ea);
            r = (cvt.floatToInt((int) v, 4, t) & 0xffff_ffffL) | (cvt.floatToInt((int) (v >>> 32), 4, t) << 32);
        } else {
            long lo, hi;
            if (in.mod == 3) {
                lo = x[2 * in.rm];
                hi = x[2 * in.rm + 1];
            } else {
                if ((o.ea & 15) != 0) throw CpuFault.gp();
                lo = o.mem.read64(o.ea);
                hi = o.mem.read64(o.ea + 8);
            }
            r = (cvt.doubleToInt(lo, 4, t) & 0xffff_ffffL) | (cvt.doubleToInt(hi, 4, t) << 32);
        }
        Mxcsr.check(c, fp.flags);
        enter();
        setMm(d(), r);
    }

    private void integer(Instruction in, int b) {
        int d = d();
        switch (b) {
            case 0x6e -> { // MOVD/MOVQ mm, r/m32/64
                long v = o.rm(in.rexW() ? 8 : 4);
                enter();
                setMm(d, v);
            }
            case 0x7e -> { // MOVD/MOVQ r/m32/64, mm
                long v = mm(d);
                o.setRm(in.rexW() ? 8 : 4, v);
                enter();
            }
            case 0x6f -> {
                long v = src();
                enter();
                setMm(d, v);
            }
            case 0x7f, 0xe7 -> { // MOVQ mm/m64, mm; MOVNTQ m64, mm
                if (b == 0xe7 && in.mod == 3) throw CpuFault.ud();
                long v = mm(d);
                if (in.mod == 3) {
                    enter();
                    setMm(in.rm & 7, v);
                } else {
                    o.mem.write64(o.ea, v);
                    enter();
                }
            }
            case 0x60, 0x61, 0x62, 0x68, 0x69, 0x6a -> {
                // PUNPCKL* read only the low half of a memory source (a 32-bit access).
                long v = b < 0x68 && in.mod != 3 ? o.mem.read32(o.ea) & 0xffff_ffffL : src();
                int bits = (b & 3) == 0 ? 8 : (b & 3) == 1 ? 16 : 32;
                long[] r = SseInteger.unpack(mm(d), v, bits);
                enter();
                setMm(d, b < 0x68 ? r[0] : r[1]);
            }
            case 0x63, 0x67, 0x6b -> {
                long v = src();
                long r = SseInteger.pack(mm(d), v, b == 0x6b ? 32 : 16, b == 0x67);
                enter();
                setMm(d, r);
            }
            case 0x70 -> { // PSHUFW
                long v = src();
                enter();
                setMm(d, Sse.shuffleWords(v, (int) in.imm & 0xff));
            }
            case 0x71, 0x72, 0x73 -> {
                if (in.mod != 3) throw CpuFault.ud();
                int g = in.regField;
                int kind = g == 2 ? 1 : g == 4 && b != 0x73 ? 2 : g == 6 ? 0 : -1;
                if (kind < 0) throw CpuFault.ud();
                int bits = b == 0x71 ? 16 : b == 0x72 ? 32 : 64;
                int r = in.rm & 7;
                long v = SseInteger.shift(mm(r), bits, in.imm & 0xff, kind);
                enter();
                setMm(r, v);
            }
            case 0xd1, 0xd2, 0xd3, 0xe1, 0xe2, 0xf1, 0xf2, 0xf3 -> {
                long n = src();
                int bits = (b & 3) == 1 ? 16 : (b & 3) == 2 ? 32 : 64;
                int kind = b >= 0xf0 ? 0 : b >= 0xe0 ? 2 : 1;
                long v = SseInteger.shift(mm(d), bits, n, kind);
                enter();
                setMm(d, v);
            }
            case 0xc4 -> { // PINSRW mm, r32/m16, imm8
                long v = in.mod == 3 ? c.r[in.rm] & 0xffff : o.mem.read16(o.ea) & 0xffff;
                int sh = 16 * ((int) in.imm & 3);
                long r = (mm(d) & ~(0xffffL << sh)) | (v << sh);
                enter();
                setMm(d, r);
            }
            case 0xc5 -> { // PEXTRW r32, mm, imm8
                if (in.mod != 3) throw CpuFault.ud();
                long v = (mm(in.rm & 7) >>> (16 * ((int) in.imm & 3))) & 0xffff;
                enter();
                c.r[in.reg] = v;
            }
            case 0xd7 -> { // PMOVMSKB r32, mm
                if (in.mod != 3) throw CpuFault.ud();
                long v = SseMoves.byteMask(mm(in.rm & 7));
                enter();
                c.r[in.reg] = v;
            }
            case 0xf7 -> maskMove(in);
            default -> {
                int op = Sse.intOp(b);
                if (op < 0) throw CpuFault.ud();
                long r = SseInteger.op(op, mm(d), src());
                enter();
                setMm(d, r);
            }
        }
    }

    /** MASKMOVQ: the bytes of mm(reg) whose mask byte (in mm(rm)) has its top bit set go to [RDI]. */
    private void maskMove(Instruction in) {
        if (in.mod != 3) throw CpuFault.ud();
        long v = mm(d()), mask = mm(in.rm & 7);
        long base = (in.addrSize == 4 ? c.r[Cpu.RDI] & 0xffff_ffffL : c.r[Cpu.RDI]) + o.segmentBase();
        for (int i = 0; i < 8; i++) {
            if (((mask >>> (8 * i)) & 0x80) != 0) o.mem.write8(base + i, (int) (v >>> (8 * i)));
        }
        enter();
    }
}
