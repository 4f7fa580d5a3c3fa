package dev.jux.platform.interp;

import java.math.BigInteger;

/**
 * The x87 escape opcodes D8-DF: loads and stores (m32/m64/m80 reals, m16/m32/m64 integers,
 * ST(i)), the arithmetic in all its forms (ST0 op m, ST0 op ST(i), ST(i) op ST0, and popping),
 * compares (FCOM/FUCOM, FCOMI/FUCOMI, FTST, FXAM), constants, FCHS/FABS/FSQRT/FRNDINT/FSCALE/
 * FXTRACT/FPREM/FPREM1, FXCH, FCMOVcc, control (FLDCW/FNSTCW/FNSTSW/FNCLEX/FNINIT/FNSTENV/
 * FLDENV/FNSAVE/FRSTOR), the transcendentals ({@link X87Functions}) and BCD ({@link PackedBcd}).
 * Unmasked exceptions set ES and B but do not fault (documented gap).
 */
final class X87Executor {
    private final Operands o;
    private final Cpu c;
    private final X87 f;
    private final X87Math math;
    private final X87Functions functions;

    X87Executor(Operands o) {
        this.o = o;
        this.c = o.c;
        this.f = c.fpu;
        this.math = new X87Math(f);
        this.functions = new X87Functions(f, math);
    }

    void execute(Instruction in) {
        int esc = in.opcode - 0xd8;
        if (in.mod == 3) register(in, esc, in.regField, in.rm & 7);
        else memory(in, esc, in.regField);
    }

    private void memory(Instruction in, int esc, int g) {
        Memory mem = o.mem;
        long ea = o.ea;
        switch (esc) {
            case 0 -> arithST0(g, Float80.ofFloat(mem.read32(ea)), SseFloat.isDenormalF(mem.read32(ea)));
            case 4 -> arithST0(g, Float80.ofDouble(mem.read64(ea)), SseFloat.isDenormalD(mem.read64(ea)));
            case 2 -> arithST0(g, Float80.ofLong(mem.read32(ea)), false);
            case 6 -> arithST0(g, Float80.ofLong((short) mem.read16(ea)), false);
            case 1 -> {
                switch (g) {
                    case 0 -> push(loaded(loadFloat(mem.read32(ea))));
                    case 2, 3 -> {
                        mem.write32(ea, math.toFloatBits(f.st(0)));
                        if (g == 3) f.pop();
                    }
                    case 4 -> loadEnv(ea);
                    case 5 -> f.cw = mem.read16(ea) | 0x40;
                    case 6 -> storeEnv(ea);
                    case 7 -> mem.write16(ea, f.cw);
                    default -> throw CpuFault.ud();
                }
            }
            case 3 -> {
                switch (g) {
                    case 0 -> push(Float80.ofLong(mem.read32(ea)));
                    case 1, 2, 3 -> storeInt(ea, 4, g == 1, g != 2);
                    case 5 -> push(new Float80(mem.read16(ea + 8), mem.read64(ea)));
                    case 7 -> {
                        Float80 v = f.st(0);
                        mem.write16(ea + 8, v.se());
                        mem.write64(ea, v.m());
                        f.pop();
                    }
                    default -> throw CpuFault.ud();
                }
            }
            case 5 -> {
                switch (g) {
                    case 0 -> push(loaded(loadDouble(mem.read64(ea))));
                    case 1 -> storeInt(ea, 8, true, true);
                    case 2, 3 -> {
                        mem.write64(ea, math.toDoubleBits(f.st(0)));
                        if (g == 3) f.pop();
                    }
                    case 4 -> {
                        loadEnv(ea);
                        for (int i = 0; i < 8; i++) {
                            long at = ea + 28 + 10L * i;
                            f.regs[f.phys(i)] = new Float80(mem.read16(at + 8), mem.read64(at));
                        }
                    }
                    case 6 -> {
                        for (int i = 0; i < 8; i++) {
                            long at = ea + 28 + 10L * i;
                            Float80 v = f.regs[f.phys(i)];
                            mem.write64(at, v.m());
                            mem.write16(at + 8, v.se());
                        }
                        storeEnv(ea);
                        f.init();
                    }
                    case 7 -> mem.write16(ea, f.statusWord());
                    default -> throw CpuFault.ud();
                }
            }
            default -> { // DF
                switch (g) {
                    case 0 -> push(Float80.ofLong((short) mem.read16(ea)));
                    case 1, 2, 3 -> storeInt(ea, 2, g == 1, g != 2);
                    case 4 -> push(PackedBcd.load(mem.read64(ea), mem.read16(ea + 8)));
                    case 5 -> push(Float80.ofLong(mem.read64(ea)));
                    case 6 -> storeBcd(ea);
                    case 7 -> storeInt(ea, 8, false, true);
                    default -> throw CpuFault.ud();
                }
            }
        }
    }

    /** A double operand; a denormal one raises DE (the x87 sees it before normalising it). */
    private Float80 loadDouble(long bits) {
        if (SseFloat.isDenormalD(bits)) f.raise(X87.DE);
        return Float80.ofDouble(bits);
    }

    private Float80 loadFloat(int bits) {
        if (SseFloat.isDenormalF(bits)) f.raise(X87.DE);
        return Float80.ofFloat(bits);
    }

    /** A loaded single/double: an SNaN raises IE and becomes quiet; a denormal raises DE. */
    private Float80 loaded(Float80 v) {
        if (v.isSnan()) {
            f.raise(X87.IE);
            return v.quiet();
        }
        return v;
    }

    private void push(Float80 v) {
        f.sw &= ~X87.C1;
        f.push(v);
    }

    /** FIST/FISTP (rounding per RC) and FISTTP (truncating); out of range or NaN: IE and the integer indefinite. */
    private void storeInt(long ea, int size, boolean truncate, boolean pop) {
        Float80 v = f.st(0);
        boolean[] inexact = {false};
        BigInteger i = X87Math.toInteger(v, truncate ? Mxcsr.ZERO : f.roundingMode(), inexact);
        long bits = size * 8L;
        long out;
        f.sw &= ~X87.C1;
        if (i == null || i.bitLength() > bits - 1) {
            f.raise(X87.IE);
            out = Long.MIN_VALUE >> (64 - bits);
        } else {
            if (inexact[0]) f.raise(X87.PE);
            if (inexact[0] && X87Math.magnitudeAbove(new BigFloat(false, i.abs(), 0), v.toBig())) f.sw |= X87.C1;
            out = i.longValue();
        }
        o.mem.write(ea, size, out);
        if (pop) f.pop();
    }

    /** FBSTP: ST0 rounded per RC to 18 decimal digits; out of range or NaN: IE and the BCD indefinite. */
    private void storeBcd(long ea) {
        Float80 v = f.st(0);
        boolean[] inexact = {false};
        BigInteger i = X87Math.toInteger(v, f.roundingMode(), inexact);
        f.sw &= ~X87.C1;
        long low;
        int high;
        if (i == null || i.abs().compareTo(PackedBcd.LIMIT) >= 0) {
            f.raise(X87.IE);
            low = PackedBcd.INDEFINITE_LOW;
            high = PackedBcd.INDEFINITE_HIGH;
        } else {
            if (v.isDenormal()) f.raise(X87.DE);
            if (inexact[0]) f.raise(X87.PE);
            if (inexact[0] && X87Math.magnitudeAbove(new BigFloat(false, i.abs(), 0), v.toBig())) f.sw |= X87.C1;
            long[] bcd = PackedBcd.store(i.abs().longValueExact(), v.negative());
            low = bcd[0];
            high = (int) bcd[1];
        }
        o.mem.write64(ea, low);
        o.mem.write16(ea + 8, high);
        f.pop();
    }

    /**
     * D8/DC/DA/DE memory forms: ST0 = ST0 op m, or FCOM/FCOMP (reg 2, 3). A denormal single or
     * double source raises DE unless ST0 is a NaN (the host CPU's order).
     */
    private void arithST0(int g, Float80 src, boolean denormalSource) {
        Float80 st0 = f.st(0);
        if (denormalSource && !st0.isNaN()) f.raise(X87.DE);
        if (g == 2 || g == 3) {
            setCompareCodes(math.compare(st0, src, false));
            if (g == 3) f.pop();
            return;
        }
        f.set(0, math.arith(g, st0, src));
    }

    private void setCompareCodes(int r) {
        f.sw &= ~(X87.C0 | X87.C1 | X87.C2 | X87.C3);
        f.sw |= switch (r) {
            case -1 -> X87.C0;
            case 0 -> X87.C3;
            case 1 -> 0;
            default -> X87.C0 | X87.C2 | X87.C3;
        };
    }

    private void setEflags(int r) {
        long fl = switch (r) {
            case -1 -> Flags.CF;
            case 0 -> Flags.ZF;
            case 1 -> 0;
            default -> Flags.ZF | Flags.PF | Flags.CF;
        };
        c.rflags = (c.rflags & ~Flags.STATUS) | fl;
        f.sw &= ~X87.C1;
    }

    private void register(Instruction in, int esc, int g, int i) {
        switch (esc) {
            case 0 -> {
                if (g == 2 || g == 3) {
                    setCompareCodes(math.compare(f.st(0), f.st(i), false));
                    if (g == 3) f.pop();
                } else {
                    f.set(0, math.arith(g, f.st(0), f.st(i)));
                }
            }
            case 1 -> d9(g, i);
            case 2 -> {
                if (g < 4) fcmov(g, false, i);
                else if (g == 5 && i == 1) { // FUCOMPP
                    setCompareCodes(math.compare(f.st(0), f.st(1), true));
                    f.pop();
                    f.pop();
                } else {
                    throw CpuFault.ud();
                }
            }
            case 3 -> {
                if (g < 4) fcmov(g, true, i);
                else if (g == 4 && i == 2) f.sw &= ~0x80ff; // FNCLEX
                else if (g == 4 && i == 3) f.init(); // FNINIT
                else if (g == 5 || g == 6) setEflags(math.compare(f.st(0), f.st(i), g == 5)); // FUCOMI/FCOMI
                else if (g == 4 && (i == 0 || i == 1 || i == 4)) { } // FNENI/FNDISI/FNSETPM: no-ops
                else throw CpuFault.ud();
            }
            case 4, 6 -> {
                if (esc == 6 && g == 3) { // FCOMPP
                    if (i != 1) throw CpuFault.ud();
                    setCompareCodes(math.compare(f.st(0), f.st(1), false));
                    f.pop();
                    f.pop();
                    return;
                }
                if (g == 2 || g == 3) { // FCOM2/FCOMP3 aliases
                    setCompareCodes(math.compare(f.st(0), f.st(i), false));
                    f.pop();
                    return;
                }
                // ST(i) = ST(i) op ST0; the encodings of SUB/SUBR and DIV/DIVR swap here.
                int op = g >= 4 ? g ^ 1 : g;
                f.set(i, math.arith(op, f.st(i), f.st(0)));
                if (esc == 6) f.pop();
            }
            case 5 -> {
                switch (g) {
                    case 0 -> f.valid &= ~(1 << f.phys(i)); // FFREE
                    case 1 -> fxch(i);
                    case 2, 3 -> {
                        f.set(i, f.st(0));
                        if (g == 3) f.pop();
                    }
                    case 4, 5 -> {
                        setCompareCodes(math.compare(f.st(0), f.st(i), true));
                        if (g == 5) f.pop();
                    }
                    default -> throw CpuFault.ud();
                }
            }
            default -> { // DF
                if (g == 4 && i == 0) c.set(Cpu.RAX, 2, false, f.statusWord()); // FNSTSW AX
                else if (g == 5 || g == 6) {
                    setEflags(math.compare(f.st(0), f.st(i), g == 5)); // FUCOMIP/FCOMIP
                    f.pop();
                } else if (g == 0) {
                    f.valid &= ~(1 << f.phys(i)); // FFREEP
                    f.pop();
                } else if (g == 1) {
                    fxch(i);
                } else if (g == 2 || g == 3) {
                    f.set(i, f.st(0));
                    f.pop();
                } else {
                    throw CpuFault.ud();
                }
            }
        }
    }

    private void fxch(int i) {
        Float80 a = f.st(0), b = f.st(i);
        f.set(0, b);
        f.set(i, a);
        f.sw &= ~X87.C1;
    }

    /** FCMOVB/E/BE/U (DA) and their negations (DB). */
    private void fcmov(int g, boolean negate, int i) {
        long fl = c.rflags;
        boolean cond = switch (g) {
            case 0 -> (fl & Flags.CF) != 0;
            case 1 -> (fl & Flags.ZF) != 0;
            case 2 -> (fl & (Flags.CF | Flags.ZF)) != 0;
            default -> (fl & Flags.PF) != 0;
        };
        Float80 v = f.st(i);
        if (cond != negate) f.set(0, v);
    }

    private void d9(int g, int i) {
        switch (g) {
            case 0 -> push(f.st(i));
            case 1 -> fxch(i);
            case 2 -> {
                if (i != 0) throw CpuFault.ud(); // FNOP
            }
            case 3 -> { // FSTP1 alias
                f.set(i, f.st(0));
                f.pop();
            }
            case 4 -> {
                switch (i) {
                    case 0 -> f.set(0, f.st(0).negate());
                    case 1 -> f.set(0, f.st(0).abs());
                    case 4 -> setCompareCodes(math.compare(f.st(0), Float80.POS_ZERO, false));
                    case 5 -> fxam();
                    default -> throw CpuFault.ud();
                }
                if (i <= 1) f.sw &= ~X87.C1;
            }
            case 5 -> {
                Float80 k = switch (i) {
                    case 0 -> Float80.ONE;
                    case 1 -> constant(0xd49a784bcd1b8afeL, 0x4000, false); // log2(10) = d49a784bcd1b8afe 49...
                    case 2 -> constant(0xb8aa3b295c17f0bbL, 0x3fff, true); // log2(e) = b8aa3b295c17f0bb be...
                    case 3 -> constant(0xc90fdaa22168c234L, 0x4000, true); // pi = c90fdaa22168c234 c4...
                    case 4 -> constant(0x9a209a84fbcff798L, 0x3ffd, true); // log10(2) = 9a209a84fbcff798 8f...
                    case 5 -> constant(0xb17217f7d1cf79abL, 0x3ffe, true); // ln(2) = b17217f7d1cf79ab c9...
                    case 6 -> Float80.POS_ZERO;
                    default -> throw CpuFault.ud();
                };
                push(k);
            }
            case 6 -> {
                switch (i) {
                    case 4 -> { // FXTRACT
                        Float80[] r = math.extract(f.st(0));
                        f.set(0, r[0]);
                        push(r[1]);
                    }
                    case 0 -> f.set(0, functions.exp2m1(f.st(0))); // F2XM1
                    case 1 -> { // FYL2X
                        f.set(1, functions.ylog2x(f.st(0), f.st(1)));
                        f.pop();
                    }
                    case 2 -> functions.trig(X87Functions.TAN); // FPTAN
                    case 3 -> { // FPATAN
                        f.set(1, functions.atan2(f.st(1), f.st(0)));
                        f.pop();
                    }
                    case 5 -> f.set(0, math.remainder(f.st(0), f.st(1), true));
                    case 6 -> {
                        f.top = (f.top - 1) & 7;
                        f.sw &= ~X87.C1;
                    }
                    case 7 -> {
                        f.top = (f.top + 1) & 7;
                        f.sw &= ~X87.C1;
                    }
                    default -> throw CpuFault.ud();
                }
            }
            default -> {
                switch (i) {
                    case 0 -> f.set(0, math.remainder(f.st(0), f.st(1), false));
                    case 2 -> f.set(0, math.sqrt(f.st(0)));
                    case 4 -> f.set(0, math.roundToInteger(f.st(0)));
                    case 1 -> { // FYL2XP1
                        f.set(1, functions.ylog2xp1(f.st(0), f.st(1)));
                        f.pop();
                    }
                    case 3 -> functions.trig(X87Functions.SINCOS);
                    case 5 -> f.set(0, math.scale(f.st(0), f.st(1)));
                    case 6 -> functions.trig(X87Functions.SIN);
                    case 7 -> functions.trig(X87Functions.COS);
                    default -> throw CpuFault.ud();
                }
            }
        }
    }

    /**
     * A positive constant from its significand truncated to 64 bits, rounded per RC: up gives the
     * next value, nearest gives it when the dropped bits are above one half.
     */
    private Float80 constant(long truncated, int se, boolean nearestIsUp) {
        int rc = f.roundingMode();
        boolean up = rc == Mxcsr.UP || (rc == Mxcsr.NEAREST && nearestIsUp);
        return new Float80(se, up ? truncated + 1 : truncated);
    }

    private void fxam() {
        f.sw &= ~(X87.C0 | X87.C1 | X87.C2 | X87.C3);
        int p = f.phys(0);
        Float80 v = f.regs[p];
        if (v.negative()) f.sw |= X87.C1;
        if ((f.valid & (1 << p)) == 0) f.sw |= X87.C3 | X87.C0;
        else if (v.isNaN()) f.sw |= X87.C0;
        else if (v.isInfinite()) f.sw |= X87.C2 | X87.C0;
        else if (v.isZero()) f.sw |= X87.C3;
        else if (v.isDenormal()) f.sw |= X87.C3 | X87.C2;
        else if (v.m() >= 0) { } // unnormal: unsupported format (all C clear)
        else f.sw |= X87.C2;
    }

    /** FNSTENV, 64-bit mode with 32-bit operand size: FCW FSW FTW FIP FCS FDP FDS, 4 bytes each. */
    private void storeEnv(long ea) {
        Memory mem = o.mem;
        int[] env = {f.cw | 0xffff_0000, f.statusWord() | 0xffff_0000, f.tagWord() | 0xffff_0000, 0, 0, 0, 0xffff_0000};
        for (int k = 0; k < 7; k++) mem.write32(ea + 4L * k, env[k]);
        f.cw |= 0x3f; // FNSTENV masks every exception afterwards
    }

    private void loadEnv(long ea) {
        Memory mem = o.mem;
        int cw = mem.read16(ea), sw = mem.read16(ea + 4), tw = mem.read16(ea + 8);
        f.cw = cw | 0x40;
        f.setStatusWord(sw);
        f.setTagWord(tw);
    }
}
