package dev.jux.platform.interp;

/**
 * Dispatch of the SSE/SSE2/SSE3 instructions of the 0F map by opcode byte and
 * mandatory prefix (none, 66, F3, F2): moves in {@link SseMoves}, lane arithmetic here over
 * {@link SseInteger}, {@link SseFloat} and {@link SseConvert}. MMX forms (no prefix on the
 * integer opcodes) go to {@link Mmx}, the 0F 38 and 0F 3A maps (SSSE3, SSE4.1, SSE4.2) to
 * {@link SseMaps}.
 */
final class Sse {
    static final int NONE = 0, P66 = 1, PF2 = 2, PF3 = 3;

    private final Cpu c;
    private final SseOperands s;
    private final SseMoves moves;
    final SseFloat fp;
    private final SseConvert cvt;
    private final long[] x;
    private final Mmx mmx;
    private final SseMaps maps;

    Sse(Operands o) {
        this.c = o.c;
        this.s = new SseOperands(o);
        this.moves = new SseMoves(s);
        this.fp = new SseFloat(c);
        this.cvt = new SseConvert(c, fp);
        this.x = c.xmm;
        this.mmx = new Mmx(c, o);
        this.maps = new SseMaps(s, mmx, fp);
    }

    static int prefix(Instruction in) {
        if ((in.prefixes & Instruction.P_REP) != 0) return PF3;
        if ((in.prefixes & Instruction.P_REPNE) != 0) return PF2;
        return (in.prefixes & Instruction.P_OPSIZE) != 0 ? P66 : NONE;
    }

    void execute(Instruction in) {
        if (in.opcode >= Instruction.MAP_0F38) {
            maps.execute(in);
            return;
        }
        int b = in.opcode & 0xff;
        int p = prefix(in);
        if (mmx.execute(in, b, p)) return;
        if (moves.execute(b, p)) return;
        fp.flags = 0;
        if ((b == 0x7c || b == 0x7d || b == 0xd0) && (p == P66 || p == PF2)) {
            horizontal(b, p);
            return;
        }
        if ((b == 0x2a || b == 0x2c || b == 0x2d) && (p == NONE || p == P66)) {
            mmx.convert(in, b, p, cvt, fp);
            return;
        }
        if (b >= 0x60 || b == 0x14 || b == 0x15) {
            boolean anyPrefix = b == 0xc2 || b == 0xc6 || b < 0x60;
            boolean ok = anyPrefix || p == P66 || ((b == 0x70 || b == 0xe6) && p != NONE);
            if (!ok) throw CpuFault.ud();
            integer(in, b, p);
            return;
        }
        switch (b) {
            case 0x51, 0x58, 0x59, 0x5c, 0x5d, 0x5e, 0x5f -> arith(b, p);
            case 0x52, 0x53 -> reciprocal(b, p);
            case 0x54, 0x55, 0x56, 0x57 -> {
                if (p != NONE && p != P66) throw CpuFault.ud();
                s.src128(true);
                int d = s.d();
                int op = b == 0x54 ? SseInteger.PAND : b == 0x55 ? SseInteger.PANDN : b == 0x56 ? SseInteger.POR : SseInteger.PXOR;
                s.setD(SseInteger.op(op, x[d], s.lo), SseInteger.op(op, x[d + 1], s.hi));
            }
            case 0x5a, 0x5b, 0x2a, 0x2c, 0x2d -> convert(in, b, p);
            case 0x2e, 0x2f -> comis(b, p);
            default -> throw CpuFault.ud();
        }
    }

    /** SSE3: HADDPD/PS (7C), HSUBPD/PS (7D), ADDSUBPD/PS (D0); 66 is the double form, F2 the single. */
    private void horizontal(int b, int p) {
        int d = s.d();
        s.src128(true);
        long a0 = x[d], a1 = x[d + 1], b0 = s.lo, b1 = s.hi;
        if (b == 0xd0) {
            if (p == P66) {
                commit(d, fp.opD(SseFloat.SUB, a0, b0), fp.opD(SseFloat.ADD, a1, b1));
            } else {
                commit(d, pair(fp.opF(SseFloat.SUB, (int) a0, (int) b0), fp.opF(SseFloat.ADD, (int) (a0 >>> 32), (int) (b0 >>> 32))),
                        pair(fp.opF(SseFloat.SUB, (int) a1, (int) b1), fp.opF(SseFloat.ADD, (int) (a1 >>> 32), (int) (b1 >>> 32))));
            }
            return;
        }
        int op = b == 0x7c ? SseFloat.ADD : SseFloat.SUB;
        if (p == P66) {
            commit(d, fp.opD(op, a0, a1), fp.opD(op, b0, b1));
        } else {
            commit(d, pair(fp.opF(op, (int) a0, (int) (a0 >>> 32)), fp.opF(op, (int) a1, (int) (a1 >>> 32))),
                    pair(fp.opF(op, (int) b0, (int) (b0 >>> 32)), fp.opF(op, (int) b1, (int) (b1 >>> 32))));
        }
    }

    /** ADD SUB MUL DIV MIN MAX SQRT in the four forms PS, PD, SS, SD. */
    private void arith(int b, int p) {
        int op = switch (b) {
            case 0x51 -> SseFloat.SQRT;
            case 0x58 -> SseFloat.ADD;
            case 0x59 -> SseFloat.MUL;
            case 0x5c -> SseFloat.SUB;
            case 0x5d -> SseFloat.MIN;
            case 0x5e -> SseFloat.DIV;
            default -> SseFloat.MAX;
        };
        int d = s.d();
        switch (p) {
            case NONE -> {
                s.src128(true);
                long lo = ps(op, x[d], s.lo), hi = ps(op, x[d + 1], s.hi);
                commit(d, lo, hi);
            }
            case P66 -> {
                s.src128(true);
                long lo = fp.opD(op, x[d], s.lo), hi = fp.opD(op, x[d + 1], s.hi);
                commit(d, lo, hi);
            }
            case PF3 -> {
                long r = fp.opF(op, (int) x[d], s.src32()) & 0xffff_ffffL;
                commit(d, (x[d] & ~0xffff_ffffL) | r, x[d + 1]);
            }
            default -> commit(d, fp.opD(op, x[d], s.src64()), x[d + 1]);
        }
    }

    private long ps(int op, long a, long b) {
        long lo = fp.opF(op, (int) a, (int) b) & 0xffff_ffffL;
        long hi = fp.opF(op, (int) (a >>> 32), (int) (b >>> 32)) & 0xffff_ffffL;
        return lo | (hi << 32);
    }

    /** Writes the destination unless an unmasked exception was raised. */
    private void commit(int d, long lo, long hi) {
        Mxcsr.check(c, fp.flags);
        x[d] = lo;
        x[d + 1] = hi;
    }

    /**
     * RCPPS/RCPSS/RSQRTPS/RSQRTSS. Hardware gives a 12-bit approximation whose exact bits differ
     * between CPU makers; this CPU returns the correctly rounded value (documented difference).
     */
    private void reciprocal(int b, int p) {
        if (p != NONE && p != PF3) throw CpuFault.ud();
        int d = s.d();
        if (p == PF3) {
            long r = approx(b, s.src32()) & 0xffff_ffffL;
            x[d] = (x[d] & ~0xffff_ffffL) | r;
            return;
        }
        s.src128(true);
        long lo = s.lo, hi = s.hi;
        s.setD(pair(approx(b, (int) lo), approx(b, (int) (lo >>> 32))), pair(approx(b, (int) hi), approx(b, (int) (hi >>> 32))));
    }

    private static int approx(int b, int bits) {
        float v = Float.intBitsToFloat(bits);
        if (Float.isNaN(v)) return bits | 0x40_0000;
        double r = b == 0x53 ? 1.0 / v : (v < 0 ? Double.NaN : 1.0 / Math.sqrt(v));
        if (Double.isNaN(r)) return SseFloat.DEFAULT_NAN_F;
        return Float.floatToRawIntBits((float) r);
    }

    private static long pair(int lo, int hi) {
        return (lo & 0xffff_ffffL) | ((long) hi << 32);
    }

    private void comis(int b, int p) {
        boolean ordered = b == 0x2f;
        if (p == NONE) {
            int a = daz((int) x[s.d()]), v = daz(s.src32());
            fp.comis(Float.intBitsToFloat(a), Float.intBitsToFloat(v), ordered,
                    SseFloat.isSnanF(a) || SseFloat.isSnanF(v), SseFloat.isDenormalF(a) || SseFloat.isDenormalF(v));
        } else if (p == P66) {
            long a = daz(x[s.d()]), v = daz(s.src64());
            fp.comis(Double.longBitsToDouble(a), Double.longBitsToDouble(v), ordered,
                    SseFloat.isSnanD(a) || SseFloat.isSnanD(v), SseFloat.isDenormalD(a) || SseFloat.isDenormalD(v));
        } else {
            throw CpuFault.ud();
        }
    }

    private int daz(int bits) {
        return (c.mxcsr & Mxcsr.DAZ) != 0 && SseFloat.isDenormalF(bits) ? bits & Integer.MIN_VALUE : bits;
    }

    private long daz(long bits) {
        return (c.mxcsr & Mxcsr.DAZ) != 0 && SseFloat.isDenormalD(bits) ? bits & Long.MIN_VALUE : bits;
    }

    private void convert(Instruction in, int b, int p) {
        int d = s.d();
        switch (b) {
            case 0x2a -> {
                if (p == PF3 || p == PF2) {
                    int size = in.rexW() ? 8 : 4;
                    long v = Flags.sext(s.gpr(size), size);
                    if (p == PF3) {
                        long r = cvt.intToFloat(v) & 0xffff_ffffL;
                        commit(d, (x[d] & ~0xffff_ffffL) | r, x[d + 1]);
                    } else {
                        commit(d, cvt.intToDouble(v), x[d + 1]);
                    }
                }
            }
            case 0x2c, 0x2d -> {
                int size = in.rexW() ? 8 : 4;
                boolean trunc = b == 0x2c;
                long r = p == PF3 ? cvt.floatToInt(s.src32(), size, trunc) : cvt.doubleToInt(s.src64(), size, trunc);
                Mxcsr.check(c, fp.flags);
                c.r[in.reg] = r;
            }
            case 0x5a -> {
                switch (p) {
                    case NONE -> {
                        long v = s.src64();
                        commit(d, cvt.floatToDouble((int) v), cvt.floatToDouble((int) (v >>> 32)));
                    }
                    case P66 -> {
                        s.src128(true);
                        commit(d, pair(cvt.doubleToFloat(s.lo), cvt.doubleToFloat(s.hi)), 0);
                    }
                    case PF3 -> commit(d, cvt.floatToDouble(s.src32()), x[d + 1]);
                    default -> {
                        long r = cvt.doubleToFloat(s.src64()) & 0xffff_ffffL;
                        commit(d, (x[d] & ~0xffff_ffffL) | r, x[d + 1]);
                    }
                }
            }
            default -> { // 0x5b
                s.src128(true);
                long lo = s.lo, hi = s.hi;
                switch (p) {
                    case NONE -> commit(d, pair(cvt.intToFloat((int) lo), cvt.intToFloat((int) (lo >>> 32))),
                            pair(cvt.intToFloat((int) hi), cvt.intToFloat((int) (hi >>> 32))));
                    case P66, PF3 -> {
                        boolean t = p == PF3;
                        commit(d, pair((int) cvt.floatToInt((int) lo, 4, t), (int) cvt.floatToInt((int) (lo >>> 32), 4, t)),
                                pair((int) cvt.floatToInt((int) hi, 4, t), (int) cvt.floatToInt((int) (hi >>> 32), 4, t)));
                    }
                    default -> throw CpuFault.ud();
                }
            }
        }
    }

    /** The 66-prefixed integer map (60-7F, C2-C6, D0-FF) and the few float ops that live there. */
    private void integer(Instruction in, int b, int p) {
        int d = s.d();
        switch (b) {
            case 0x14, 0x15 -> { // UNPCKLPS/PD, UNPCKHPS/PD
                if (p != NONE && p != P66) throw CpuFault.ud();
                s.src128(true);
                long a = b == 0x14 ? x[d] : x[d + 1], v = b == 0x14 ? s.lo : s.hi;
                long[] r = SseInteger.unpack(a, v, p == NONE ? 32 : 64);
                s.setD(r[0], r[1]);
            }
            case 0x60, 0x61, 0x62, 0x6c, 0x68, 0x69, 0x6a, 0x6d -> {
                s.src128(true);
                int bits = switch (b) {
                    case 0x60, 0x68 -> 8;
                    case 0x61, 0x69 -> 16;
                    case 0x62, 0x6a -> 32;
                    default -> 64;
                };
                boolean high = b >= 0x68 && b != 0x6c;
                long[] r = SseInteger.unpack(high ? x[d + 1] : x[d], high ? s.hi : s.lo, bits);
                s.setD(r[0], r[1]);
            }
            case 0x63, 0x67, 0x6b -> {
                s.src128(true);
                int bits = b == 0x6b ? 32 : 16;
                boolean uns = b == 0x67;
                s.setD(SseInteger.pack(x[d], x[d + 1], bits, uns), SseInteger.pack(s.lo, s.hi, bits, uns));
            }
            case 0x70 -> pshuf(in, p);
            case 0x71, 0x72, 0x73 -> shiftImmediate(in, b);
            case 0xd1, 0xd2, 0xd3, 0xe1, 0xe2, 0xf1, 0xf2, 0xf3 -> {
                s.src128(true);
                int bits = switch (b & 3) {
                    case 1 -> 16;
                    case 2 -> 32;
                    default -> 64;
                };
                int kind = b >= 0xf0 ? 0 : b >= 0xe0 ? 2 : 1;
                long n = s.lo;
                s.setD(SseInteger.shift(x[d], bits, n, kind), SseInteger.shift(x[d + 1], bits, n, kind));
            }
            case 0xc2 -> compare(in, p);
            case 0xc4 -> {
                int k = (int) in.imm & 7;
                long v = s.memory() ? s.o.mem.read16(s.o.ea) : s.c.r[in.rm] & 0xffff;
                int i = d + k / 4, sh = 16 * (k % 4);
                x[i] = (x[i] & ~(0xffffL << sh)) | (v << sh);
            }
            case 0xc5 -> {
                s.requireRegister();
                int k = (int) in.imm & 7;
                c.r[in.reg] = (x[s.s() + k / 4] >>> (16 * (k % 4))) & 0xffff;
            }
            case 0xc6 -> shufp(in, p);
            case 0xe6 -> {
                switch (p) {
                    case PF3 -> { // CVTDQ2PD
                        long v = s.src64();
                        commit(d, cvt.intToDouble((int) v), cvt.intToDouble((int) (v >>> 32)));
                    }
                    case P66, PF2 -> {
                        s.src128(true);
                        boolean t = p == P66;
                        commit(d, pair((int) cvt.doubleToInt(s.lo, 4, t), (int) cvt.doubleToInt(s.hi, 4, t)), 0);
                    }
                    default -> throw CpuFault.ud();
                }
            }
            default -> {
                int op = intOp(b);
                if (op < 0) throw CpuFault.ud();
                s.src128(true);
                s.setD(SseInteger.op(op, x[d], s.lo), SseInteger.op(op, x[d + 1], s.hi));
            }
        }
    }

    static int intOp(int b) {
        return switch (b) {
            case 0x64 -> SseInteger.PCMPGTB;
            case 0x65 -> SseInteger.PCMPGTW;
            case 0x66 -> SseInteger.PCMPGTD;
            case 0x74 -> SseInteger.PCMPEQB;
            case 0x75 -> SseInteger.PCMPEQW;
            case 0x76 -> SseInteger.PCMPEQD;
            case 0xd4 -> SseInteger.PADDQ;
            case 0xd5 -> SseInteger.PMULLW;
            case 0xd8 -> SseInteger.PSUBUSB;
            case 0xd9 -> SseInteger.PSUBUSW;
            case 0xda -> SseInteger.PMINUB;
            case 0xdb -> SseInteger.PAND;
            case 0xdc -> SseInteger.PADDUSB;
            case 0xdd -> SseInteger.PADDUSW;
            case 0xde -> SseInteger.PMAXUB;
            case 0xdf -> SseInteger.PANDN;
            case 0xe0 -> SseInteger.PAVGB;
            case 0xe3 -> SseInteger.PAVGW;
            case 0xe4 -> SseInteger.PMULHUW;
            case 0xe5 -> SseInteger.PMULHW;
            case 0xe8 -> SseInteger.PSUBSB;
            case 0xe9 -> SseInteger.PSUBSW;
            case 0xea -> SseInteger.PMINSW;
            case 0xeb -> SseInteger.POR;
            case 0xec -> SseInteger.PADDSB;
            case 0xed -> SseInteger.PADDSW;
            case 0xee -> SseInteger.PMAXSW;
            case 0xef -> SseInteger.PXOR;
            case 0xf4 -> SseInteger.PMULUDQ;
            case 0xf5 -> SseInteger.PMADDWD;
            case 0xf6 -> SseInteger.PSADBW;
            case 0xf8 -> SseInteger.PSUBB;
            case 0xf9 -> SseInteger.PSUBW;
            case 0xfa -> SseInteger.PSUBD;
            case 0xfb -> SseInteger.PSUBQ;
            case 0xfc -> SseInteger.PADDB;
            case 0xfd -> SseInteger.PADDW;
            case 0xfe -> SseInteger.PADDD;
            default -> -1;
        };
    }

    /** PSHUFD (66), PSHUFLW (F2), PSHUFHW (F3). */
    private void pshuf(Instruction in, int p) {
        s.src128(true);
        int imm = (int) in.imm & 0xff;
        long lo = s.lo, hi = s.hi;
        if (p == P66) {
            long[] dw = {lo & 0xffff_ffffL, lo >>> 32, hi & 0xffff_ffffL, hi >>> 32};
            s.setD(dw[imm & 3] | (dw[(imm >> 2) & 3] << 32), dw[(imm >> 4) & 3] | (dw[(imm >> 6) & 3] << 32));
        } else if (p == PF2) {
            s.setD(shuffleWords(lo, imm), hi);
        } else if (p == PF3) {
            s.setD(lo, shuffleWords(hi, imm));
        } else {
            throw CpuFault.ud();
        }
    }

    static long shuffleWords(long v, int imm) {
        long r = 0;
        for (int i = 0; i < 4; i++) r |= ((v >>> (16 * ((imm >> (2 * i)) & 3))) & 0xffff) << (16 * i);
        return r;
    }

    /** SHUFPS (none) and SHUFPD (66). */
    private void shufp(Instruction in, int p) {
        if (p != NONE && p != P66) throw CpuFault.ud();
        int d = s.d();
        s.src128(true);
        int imm = (int) in.imm;
        if (p == P66) {
            s.setD((imm & 1) == 0 ? x[d] : x[d + 1], (imm & 2) == 0 ? s.lo : s.hi);
            return;
        }
        long[] a = {x[d] & 0xffff_ffffL, x[d] >>> 32, x[d + 1] & 0xffff_ffffL, x[d + 1] >>> 32};
        long[] v = {s.lo & 0xffff_ffffL, s.lo >>> 32, s.hi & 0xffff_ffffL, s.hi >>> 32};
        s.setD(a[imm & 3] | (a[(imm >> 2) & 3] << 32), v[(imm >> 4) & 3] | (v[(imm >> 6) & 3] << 32));
    }

    /** 66 0F 71/72/73 /r ib: PSRLW/PSRAW/PSLLW, PSRLD/PSRAD/PSLLD, PSRLQ/PSRLDQ/PSLLQ/PSLLDQ. */
    private void shiftImmediate(Instruction in, int b) {
        s.requireRegister();
        int r = s.s();
        long n = in.imm & 0xff;
        int g = in.regField;
        if (b == 0x73 && (g == 3 || g == 7)) {
            int bytes = (int) Math.min(n, 16);
            long lo = x[r], hi = x[r + 1];
            long[] v = g == 3 ? byteShiftRight(lo, hi, bytes) : byteShiftLeft(lo, hi, bytes);
            x[r] = v[0];
            x[r + 1] = v[1];
            return;
        }
        int bits = b == 0x71 ? 16 : b == 0x72 ? 32 : 64;
        int kind = switch (g) {
            case 2 -> 1;
            case 4 -> b == 0x73 ? -1 : 2;
            case 6 -> 0;
            default -> -1;
        };
        if (kind < 0) throw CpuFault.ud();
        x[r] = SseInteger.shift(x[r], bits, n, kind);
        x[r + 1] = SseInteger.shift(x[r + 1], bits, n, kind);
    }

    private static long[] byteShiftRight(long lo, long hi, int n) {
        if (n >= 16) return new long[] {0, 0};
        if (n >= 8) return new long[] {n == 8 ? hi : hi >>> (8 * (n - 8)), 0};
        if (n == 0) return new long[] {lo, hi};
        return new long[] {(lo >>> (8 * n)) | (hi << (64 - 8 * n)), hi >>> (8 * n)};
    }

    private static long[] byteShiftLeft(long lo, long hi, int n) {
        if (n >= 16) return new long[] {0, 0};
        if (n >= 8) return new long[] {0, n == 8 ? lo : lo << (8 * (n - 8))};
        if (n == 0) return new long[] {lo, hi};
        return new long[] {lo << (8 * n), (hi << (8 * n)) | (lo >>> (64 - 8 * n))};
    }

    /** CMPPS/CMPPD/CMPSS/CMPSD with the predicate in imm8[2:0]. */
    private void compare(Instruction in, int p) {
        int pred = (int) in.imm & 7;
        int d = s.d();
        switch (p) {
            case NONE -> {
                s.src128(true);
                commit(d, cmpPs(pred, x[d], s.lo), cmpPs(pred, x[d + 1], s.hi));
            }
            case P66 -> {
                s.src128(true);
                commit(d, cmpD(pred, x[d], s.lo), cmpD(pred, x[d + 1], s.hi));
            }
            case PF3 -> commit(d, (x[d] & ~0xffff_ffffL) | (cmpF(pred, (int) x[d], s.src32()) & 0xffff_ffffL), x[d + 1]);
            default -> commit(d, cmpD(pred, x[d], s.src64()), x[d + 1]);
        }
    }

    private long cmpPs(int pred, long a, long b) {
        return (cmpF(pred, (int) a, (int) b) & 0xffff_ffffL) | ((long) cmpF(pred, (int) (a >>> 32), (int) (b >>> 32)) << 32);
    }

    private int cmpF(int pred, int a, int b) {
        a = daz(a);
        b = daz(b);
        boolean r = fp.compare(pred, Float.intBitsToFloat(a), Float.intBitsToFloat(b),
                SseFloat.isSnanF(a) || SseFloat.isSnanF(b), SseFloat.isDenormalF(a) || SseFloat.isDenormalF(b));
        return r ? -1 : 0;
    }

    private long cmpD(int pred, long a, long b) {
        a = daz(a);
        b = daz(b);
        boolean r = fp.compare(pred, Double.longBitsToDouble(a), Double.longBitsToDouble(b),
                SseFloat.isSnanD(a) || SseFloat.isSnanD(b), SseFloat.isDenormalD(a) || SseFloat.isDenormalD(b));
        return r ? -1L : 0;
    }

    /** 0F AE /0-/3 with a memory operand: FXSAVE, FXRSTOR, LDMXCSR, STMXCSR. */
    void group15(Instruction in, Operands o) {
        switch (in.regField) {
            case 0 -> {
                if ((o.ea & 15) != 0) throw CpuFault.gp();
                byte[] img = new byte[512];
                // The reserved tail is left as memory had it: read it first so a fault changes nothing.
                for (int i = 416; i < 512; i += 8) FxsaveImage.putLong(img, i, o.mem.read64(o.ea + i));
                c.fxsave(img, 0);
                for (int i = 0; i < 512; i += 8) o.mem.write64(o.ea + i, FxsaveImage.getLong(img, i));
            }
            case 1 -> {
                if ((o.ea & 15) != 0) throw CpuFault.gp();
                byte[] img = new byte[512];
                for (int i = 0; i < 512; i += 8) FxsaveImage.putLong(img, i, o.mem.read64(o.ea + i));
                c.fxrstor(img, 0);
            }
            case 2 -> {
                int v = o.mem.read32(o.ea);
                if ((v & ~Mxcsr.WRITABLE) != 0) throw CpuFault.gp();
                c.mxcsr = v;
            }
            case 3 -> o.mem.write32(o.ea, c.mxcsr);
            default -> throw CpuFault.ud();
        }
    }
}
