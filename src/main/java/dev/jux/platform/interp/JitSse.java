package dev.jux.platform.interp;

/**
 * The SSE2 moves and integer operations that translated blocks run inline (glibc's string
 * functions, memcpy, and vectorised loops like sha256's message schedule): which forms
 * qualify ({@link #inlinable}), and the small static helpers the emitted code calls with
 * constant register indexes and operations (HotSpot inlines them). Each does exactly what
 * {@link SseMoves}/{@link Sse} do for that form, and faults before changing anything.
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
            case 0x73 -> p == Sse.P66 && reg && (in.regField == 2 || in.regField == 6);
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

    static void load128(Memory m, long addr, boolean aligned, long[] x, int d) {
        if (aligned && (addr & 15) != 0) throw CpuFault.gp();
        long lo = m.read64(addr), hi = m.read64(addr + 8);
        x[d] = lo;
        x[d + 1] = hi;
    }

    static void store128(Memory m, long addr, boolean aligned, long[] x, int s) {
        if (aligned && (addr & 15) != 0) throw CpuFault.gp();
        if ((addr & 0xfff) > 0xff0) {
            // Crosses a page: make sure both pages take writes before changing either.
            long next = (addr | 0xfff) + 1;
            m.write8(next, m.read8(next));
            m.write8(addr, m.read8(addr));
        }
        m.write64(addr, x[s]);
        m.write64(addr + 8, x[s + 1]);
    }

    static void move128(long[] x, int d, int s) {
        x[d] = x[s];
        x[d + 1] = x[s + 1];
    }

    /** d = (v, 0): MOVD/MOVQ into an XMM register. */
    static void setLow(long[] x, int d, long v) {
        x[d] = v;
        x[d + 1] = 0;
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
        return SseInteger.shift(v, bits, n, kind);
    }

    /** PMOVMSKB: the top bit of each of the 16 bytes. */
    static long byteMask(long[] x, int s) {
        return SseMoves.byteMask(x[s]) | (SseMoves.byteMask(x[s + 1]) << 8);
    }
}
