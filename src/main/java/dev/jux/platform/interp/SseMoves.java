package dev.jux.platform.interp;

import static dev.jux.platform.interp.Sse.*;

/**
 * SSE data movement: whole-register and scalar moves, the half-register moves (MOVLPS/MOVHPS,
 * MOVHLPS/MOVLHPS...), MOVD/MOVQ to and from general registers, non-temporal stores (ordinary
 * stores here), MOVMSKPS/PD and PMOVMSKB, MASKMOVDQU and the SSE3 loads LDDQU/MOVDDUP/MOV*DUP.
 */
final class SseMoves {
    private final SseOperands s;
    private final long[] x;

    SseMoves(SseOperands s) {
        this.s = s;
        this.x = s.x;
    }

    /** Returns false if the opcode/prefix pair is not a move. */
    boolean execute(int b, int p) {
        Instruction in = s.in();
        int d = s.d();
        switch (b) {
            case 0x10 -> {
                if (p == NONE || p == P66) {
                    s.src128(false);
                    s.setD(s.lo, s.hi);
                } else if (p == PF3) {
                    if (s.memory()) s.setD(s.src32() & 0xffff_ffffL, 0);
                    else x[d] = (x[d] & ~0xffff_ffffL) | (x[s.s()] & 0xffff_ffffL);
                } else {
                    if (s.memory()) s.setD(s.src64(), 0);
                    else x[d] = x[s.s()];
                }
            }
            case 0x11 -> {
                if (p == NONE || p == P66) {
                    s.setRm128(x[d], x[d + 1], false);
                } else if (p == PF3) {
                    if (s.memory()) s.o.mem.write32(s.o.ea, (int) x[d]);
                    else x[s.s()] = (x[s.s()] & ~0xffff_ffffL) | (x[d] & 0xffff_ffffL);
                } else {
                    if (s.memory()) s.o.mem.write64(s.o.ea, x[d]);
                    else x[s.s()] = x[d];
                }
            }
            case 0x12 -> {
                if (p == NONE) x[d] = s.memory() ? s.src64() : x[s.s() + 1]; // MOVLPS / MOVHLPS
                else if (p == P66) {
                    s.requireMemory();
                    x[d] = s.src64();
                } else if (p == PF2) {
                    long v = s.src64(); // MOVDDUP
                    s.setD(v, v);
                } else {
                    s.src128(true); // MOVSLDUP
                    s.setD(dupLow(s.lo), dupLow(s.hi));
                }
            }
            case 0x16 -> {
                if (p == NONE) x[d + 1] = s.memory() ? s.src64() : x[s.s()]; // MOVHPS / MOVLHPS
                else if (p == P66) {
                    s.requireMemory();
                    x[d + 1] = s.src64();
                } else if (p == PF3) {
                    s.src128(true); // MOVSHDUP
                    s.setD(dupHigh(s.lo), dupHigh(s.hi));
                } else {
                    throw CpuFault.ud();
                }
            }
            case 0x13, 0x17 -> {
                if (p != NONE && p != P66) throw CpuFault.ud();
                s.requireMemory();
                s.o.mem.write64(s.o.ea, x[d + (b == 0x17 ? 1 : 0)]);
            }
            case 0x28 -> {
                if (p != NONE && p != P66) throw CpuFault.ud();
                s.src128(true);
                s.setD(s.lo, s.hi);
            }
            case 0x29 -> {
                if (p != NONE && p != P66) throw CpuFault.ud();
                s.setRm128(x[d], x[d + 1], true);
            }
            case 0x2b, 0xe7 -> {
                if (b == 0x2b ? (p != NONE && p != P66) : p != P66) throw CpuFault.ud();
                s.requireMemory();
                s.store128(s.o.ea, x[d], x[d + 1], true);
            }
            case 0x50 -> {
                if (p != NONE && p != P66) throw CpuFault.ud();
                s.requireRegister();
                long lo = x[s.s()], hi = x[s.s() + 1];
                long m = p == NONE
                        ? (lo >>> 31 & 1) | (lo >>> 62 & 2) | (hi >>> 29 & 4) | (hi >>> 60 & 8)
                        : (lo >>> 63) | (hi >>> 62 & 2);
                s.c.r[in.reg] = m;
            }
            case 0x6e -> {
                if (p != P66) throw CpuFault.ud();
                s.setD(s.gpr(in.rexW() ? 8 : 4), 0);
            }
            case 0x7e -> {
                if (p == P66) s.o.setRm(in.rexW() ? 8 : 4, x[d]);
                else if (p == PF3) s.setD(s.src64(), 0);
                else throw CpuFault.ud();
            }
            case 0x6f -> {
                if (p != P66 && p != PF3) throw CpuFault.ud();
                s.src128(p == P66);
                s.setD(s.lo, s.hi);
            }
            case 0x7f -> {
                if (p != P66 && p != PF3) throw CpuFault.ud();
                s.setRm128(x[d], x[d + 1], p == P66);
            }
            case 0xd6 -> {
                if (p != P66) throw CpuFault.ud();
                if (s.memory()) s.o.mem.write64(s.o.ea, x[d]);
                else {
                    x[s.s()] = x[d];
                    x[s.s() + 1] = 0;
                }
            }
            case 0xd7 -> {
                if (p != P66) throw CpuFault.ud();
                s.requireRegister();
                s.c.r[in.reg] = byteMask(x[s.s()]) | (byteMask(x[s.s() + 1]) << 8);
            }
            case 0xc3 -> {
                if (p != NONE) throw CpuFault.ud();
                s.requireMemory();
                s.o.setRm(in.rexW() ? 8 : 4, s.o.reg(in.rexW() ? 8 : 4));
            }
            case 0xf0 -> {
                if (p != PF2) throw CpuFault.ud();
                s.requireMemory();
                s.src128(false);
                s.setD(s.lo, s.hi);
            }
            case 0xf7 -> {
                if (p != P66) throw CpuFault.ud();
                s.requireRegister();
                maskMove(d);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** MASKMOVDQU: the bytes of xmm(reg) whose mask byte has its top bit set go to [RDI]. */
    private void maskMove(int d) {
        Operands o = s.o;
        long base = (o.in.addrSize == 4 ? s.c.r[Cpu.RDI] & 0xffff_ffffL : s.c.r[Cpu.RDI]) + o.segmentBase();
        for (int i = 0; i < 16; i++) {
            long mask = x[s.s() + i / 8] >>> (8 * (i % 8));
            if ((mask & 0x80) != 0) o.mem.write8(base + i, (int) (x[d + i / 8] >>> (8 * (i % 8))));
        }
    }

    static long byteMask(long v) {
        long m = 0;
        for (int i = 0; i < 8; i++) m |= ((v >>> (8 * i + 7)) & 1) << i;
        return m;
    }

    private static long dupLow(long v) {
        return (v & 0xffff_ffffL) | (v << 32);
    }

    private static long dupHigh(long v) {
        return (v >>> 32) | (v & 0xffff_ffff_0000_0000L);
    }
}
