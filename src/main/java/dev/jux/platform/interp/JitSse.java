package dev.jux.platform.interp;

/**
 * The SSE2 moves and integer operations that translated blocks run inline (glibc's string
 * functions, memcpy, and vectorised loops like sha256's message schedule): which forms
 * qualify ({@link #inlinable}), and the small static helpers the emitted code calls: most
 * on one 64-bit half of an XMM register kept in the block's locals (small enough that C2
 * inlines all of a loop's), a few on {@code c.xmm} with a constant register and operation.
 * Each does exactly what {@link SseMoves}/{@link Sse} do for that form, and faults before
 * changing anything.
 */
final class JitSse {
    private JitSse() {}

    /** True if {@link InlineEmitter} compiles this SSE instruction itself (it never #UDs). */
    static boolean inlinable(Instruction in) {
        int op = in.opcode;
        if (op < Instruction.MAP_0F || op >= Instruction.MAP_0F38) return false;
        int b = op & 0xff;
        int p = Sse.prefix(in);
        boolean reg = in.mod == 3;
        return switch (b) {
            case 0x10, 0x11, 0x28, 0x29, 0x54, 0x55, 0x56, 0x57 -> p == Sse.NONE || p == Sse.P66;
            case 0x6f, 0x7f -> p == Sse.P66 || p == Sse.PF3;
            case 0x6e -> p == Sse.P66;
            case 0x7e -> p == Sse.P66 || p == Sse.PF3;
            case 0xd6 -> p == Sse.P66;
            case 0xd7 -> p == Sse.P66 && reg;
            case 0x71, 0x72 -> p == Sse.P66 && reg && (in.regField == 2 || in.regField == 4 || in.regField == 6);
            case 0x73 -> p == Sse.P66 && reg && (in.regField == 2 || in.regField == 3 || in.regField == 6 || in.regField == 7);
            case 0x60, 0x61, 0x62, 0x63, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x70 -> p == Sse.P66;
            default -> p == Sse.P66 && b >= 0x60 && Sse.intOp(b) >= 0;
        };
    }

    /** The SseInteger operation of an inlinable lane operation (ANDPS..XORPS as their integer twins). */
    static int operation(Instruction in) {
        return switch (in.opcode & 0xff) {
            case 0x54 -> SseInteger.PAND;
            case 0x55 -> SseInteger.PANDN;
            case 0x56 -> SseInteger.POR;
            case 0x57 -> SseInteger.PXOR;
            default -> Sse.intOp(in.opcode & 0xff);
        };
    }

    /**
     * Whole-register operations of the 66 0F map (not lane by lane on 64-bit halves, so not
     * {@link SseInteger#op}): the operation the emitter spells out on the halves, or -1.
     */
    static int wholeOperation(Instruction in) {
        return switch (in.opcode & 0xff) {
            case 0x60 -> UNPCK_L | 8;
            case 0x61 -> UNPCK_L | 16;
            case 0x62 -> UNPCK_L | 32;
            case 0x6c -> UNPCK_L | 64;
            case 0x68 -> UNPCK_H | 8;
            case 0x69 -> UNPCK_H | 16;
            case 0x6a -> UNPCK_H | 32;
            case 0x6d -> UNPCK_H | 64;
            case 0x63 -> PACKSSWB;
            case 0x67 -> PACKUSWB;
            case 0x6b -> PACKSSDW;
            default -> -1;
        };
    }

    /** {@link #wholeOperation}s: PUNPCKL/H (| lane bits), PACKSSWB, PACKUSWB, PACKSSDW. */
    static final int UNPCK_L = 0x100, UNPCK_H = 0x200, PACKSSWB = 1, PACKUSWB = 2, PACKSSDW = 3;

    /** The low four bytes of v to the even bytes of the result. */
    private static long spreadBytes(long v) {
        v &= 0xffff_ffffL;
        v = (v | (v << 16)) & 0x0000_ffff_0000_ffffL;
        return (v | (v << 8)) & 0x00ff_00ff_00ff_00ffL;
    }

    /** The low two words of v to the even words of the result. */
    private static long spreadWords(long v) {
        v &= 0xffff_ffffL;
        return (v | (v << 16)) & 0x0000_ffff_0000_ffffL;
    }

    /** Four signed words to four bytes, saturated signed. */
    private static long packWordsSigned(long v) {
        long r = 0;
        for (int i = 0; i < 4; i++) {
            long w = Math.clamp((short) (v >>> (16 * i)), -128, 127);
            r |= (w & 0xff) << (8 * i);
        }
        return r;
    }

    /** Two signed dwords to two words, saturated signed. */
    private static long packDwords(long v) {
        long lo = Math.clamp((long) (int) v, -32768, 32767), hi = Math.clamp(v >> 32, -32768, 32767);
        return (lo & 0xffff) | ((hi & 0xffff) << 16);
    }

    private static long dword(long lo, long hi, int sel) {
        long v = (sel & 2) == 0 ? lo : hi;
        return (sel & 1) == 0 ? v & 0xffff_ffffL : v >>> 32;
    }

    /** PSRLDQ ({@code right}) / PSLLDQ by {@code n} bytes. */
    static void byteShift(long[] x, int r, int n, boolean right) {
        long lo = x[r], hi = x[r + 1];
        if (n >= 16) {
            lo = 0;
            hi = 0;
        } else if (n >= 8) {
            int k = 8 * (n - 8);
            if (right) {
                lo = hi >>> k;
                hi = 0;
            } else {
                hi = lo << k;
                lo = 0;
            }
        } else if (n > 0) {
            int k = 8 * n;
            if (right) {
                lo = (lo >>> k) | (hi << (64 - k));
                hi >>>= k;
            } else {
                hi = (hi << k) | (lo >>> (64 - k));
                lo <<= k;
            }
        }
        x[r] = lo;
        x[r + 1] = hi;
    }

    static void opReg(long[] x, int d, int s, int op) {
        long lo = x[s], hi = x[s + 1];
        x[d] = op(op, x[d], lo);
        x[d + 1] = op(op, x[d + 1], hi);
    }

    static void opMem(Memory m, long addr, long[] x, int d, int op) {
        if ((addr & 15) != 0) throw CpuFault.gp();
        long lo = m.read64(addr), hi = m.read64(addr + 8);
        x[d] = op(op, x[d], lo);
        x[d + 1] = op(op, x[d + 1], hi);
    }

    /** {@link SseInteger#op}, with the commonest operations small enough for HotSpot to inline and fold. */
    private static long op(int op, long a, long b) {
        return switch (op) {
            case SseInteger.PAND -> a & b;
            case SseInteger.POR -> a | b;
            case SseInteger.PXOR -> a ^ b;
            case SseInteger.PANDN -> ~a & b;
            case SseInteger.PADDQ -> a + b;
            case SseInteger.PSUBQ -> a - b;
            case SseInteger.PADDD -> ((a + b) & 0xffff_ffffL) | (((a >>> 32) + (b >>> 32)) << 32);
            case SseInteger.PSUBD -> ((a - b) & 0xffff_ffffL) | (((a >>> 32) - (b >>> 32)) << 32);
            default -> SseInteger.op(op, a, b);
        };
    }

    /** PSRL/PSRA/PSLL by an immediate ({@code kind} as {@link SseInteger#shift}). */
    static void shiftImmediate(long[] x, int r, int bits, int count, int kind) {
        x[r] = shift(x[r], bits, count, kind);
        x[r + 1] = shift(x[r + 1], bits, count, kind);
    }

    private static long shift(long v, int bits, int n, int kind) {
        if (bits == 32 && n < 32) {
            int lo = (int) v, hi = (int) (v >>> 32);
            int a = kind == 0 ? lo << n : kind == 1 ? lo >>> n : lo >> n;
            int c = kind == 0 ? hi << n : kind == 1 ? hi >>> n : hi >> n;
            return (a & 0xffff_ffffL) | ((long) c << 32);
        }
        if (bits == 64 && n < 64) return kind == 0 ? v << n : kind == 1 ? v >>> n : v >> n;
        if (bits == 16 && n < 16 && kind != 2) {   // PSLLW/PSRLW: shift the word, clear what crossed a lane
            long lanes = 0x0001_0001_0001_0001L;
            return kind == 0 ? (v << n) & (((0xffffL << n) & 0xffff) * lanes) : (v >>> n) & ((0xffffL >>> n) * lanes);
        }
        return SseInteger.shift(v, bits, n, kind);
    }

    // ---- lanes of XMM registers kept in a block's locals (InlineEmitter): small, so HotSpot inlines them all

    /** #GP unless {@code addr} is 16-byte aligned (the legacy SSE forms of a 16-byte memory operand). */
    static void checkAligned(long addr) {
        if ((addr & 15) != 0) throw CpuFault.gp();
    }

    /** A 16-byte store of (lo, hi) (MOVDQA/MOVDQU/MOVAPS... to memory): #GP if misaligned, nothing written unless both pages take it. */
    static void store128(long[] tlb, java.lang.foreign.MemorySegment ram, Memory m, long addr, boolean aligned, long lo, long hi) {
        if (aligned && (addr & 15) != 0) throw CpuFault.gp();
        if ((addr & 0xfff) > 0xff0) {
            // Crosses a page: make sure both pages take writes before changing either.
            long next = (addr | 0xfff) + 1;
            m.write8(next, m.read8(next));
            m.write8(addr, m.read8(addr));
        }
        JitMemory.write64(tlb, ram, m, addr, lo);
        JitMemory.write64(tlb, ram, m, addr + 8, hi);
    }

    /** PADDD on one half. */
    static long addDwords(long a, long b) {
        return ((a + b) & 0xffff_ffffL) | (((a >>> 32) + (b >>> 32)) << 32);
    }

    /** PSUBD on one half. */
    static long subDwords(long a, long b) {
        return ((a - b) & 0xffff_ffffL) | (((a >>> 32) - (b >>> 32)) << 32);
    }

    /** PCMPEQB on one half: 0xff in each byte where a and b agree, else 0 (glibc's strlen, memchr...). */
    static long equalBytes(long a, long b) {
        long x = a ^ b;
        long zero = ~(((x & 0x7f7f_7f7f_7f7f_7f7fL) + 0x7f7f_7f7f_7f7f_7f7fL) | x | 0x7f7f_7f7f_7f7f_7f7fL);   // 0x80 in each zero byte, exactly
        return (zero >>> 7) * 0xff;
    }

    /** PCMPEQD on one half. */
    static long equalDwords(long a, long b) {
        return ((int) a == (int) b ? 0xffff_ffffL : 0) | ((a >>> 32) == (b >>> 32) ? 0xffff_ffff_0000_0000L : 0);
    }

    /** PUNPCKLBW of two dwords (the low four bytes of a and b) into one half. */
    static long interleaveBytes(long a, long b) {
        return spreadBytes(a) | (spreadBytes(b) << 8);
    }

    /** PUNPCKLWD of two dwords into one half. */
    static long interleaveWords(long a, long b) {
        return spreadWords(a) | (spreadWords(b) << 16);
    }

    /** PACKSSWB of one register (lo, hi) into one half. */
    static long packSignedBytes(long lo, long hi) {
        return packWordsSigned(lo) | (packWordsSigned(hi) << 32);
    }

    /** PACKUSWB of one register (lo, hi) into one half. */
    static long packUnsignedBytes(long lo, long hi) {
        return packWordsUnsigned(lo) | (packWordsUnsigned(hi) << 32);
    }

    /**
     * Four signed words to four bytes saturated unsigned (below 0: 0, above 255: 255), without
     * a loop or a branch so that C2 inlines it into the blocks (sha256's message schedule packs
     * once a 64-byte chunk): a word's sign gives the lanes to clear, any of its bits 8-14 the
     * lanes to fill with 0xff, then the four low bytes move together.
     */
    static long packWordsUnsigned(long v) {
        long negative = ((v >>> 15) & 0x0001_0001_0001_0001L) * 0xffff;
        long high = ((v >>> 8) & 0x007f_007f_007f_007fL) + 0x007f_007f_007f_007fL;   // bit 7 set where bits 8-14 are not all 0
        long over = ((high >>> 7) & 0x0001_0001_0001_0001L) * 0xff;
        long b = ((v & 0x00ff_00ff_00ff_00ffL) | over) & ~negative;
        b = (b | (b >>> 8)) & 0x0000_ffff_0000_ffffL;
        return (b | (b >>> 16)) & 0xffff_ffffL;
    }

    /** PACKSSDW of one register (lo, hi) into one half. */
    static long packSignedWords(long lo, long hi) {
        return packDwords(lo) | (packDwords(hi) << 32);
    }

    /** One half of PSHUFD of (lo, hi): the dwords picked by the low four bits of {@code sel}. */
    static long shuffledHalf(long lo, long hi, int sel) {
        return dword(lo, hi, sel) | (dword(lo, hi, sel >> 2) << 32);
    }

    /** PSRAD by n < 32 on one half. */
    static long shiftArithmeticDwords(long v, int n) {
        return (((int) v >> n) & 0xffff_ffffL) | ((long) ((int) (v >>> 32) >> n) << 32);
    }

    /** PMOVMSKB of (lo, hi). */
    static long byteMask(long lo, long hi) {
        return SseMoves.byteMask(lo) | (SseMoves.byteMask(hi) << 8);
    }

}
