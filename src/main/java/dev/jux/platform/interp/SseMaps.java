package dev.jux.platform.interp;

import static dev.jux.platform.interp.Sse.*;

/**
 * The three-byte maps 0F 38 and 0F 3A: SSSE3 (in both the MMX form, no prefix, and the XMM
 * form, 66), SSE4.1, SSE4.2 (PCMPGTQ, the string compares, CRC32 with F2). Lane-crossing
 * operations go through {@link Lanes} byte vectors, lane-wise ones through 64-bit halves.
 */
final class SseMaps {
    private final Cpu c;
    private final SseOperands s;
    private final Operands o;
    private final Mmx mmx;
    private final SseFloat fp;
    private final SseRounding rounding;
    private final long[] x;

    SseMaps(SseOperands s, Mmx mmx, SseFloat fp) {
        this.s = s;
        this.o = s.o;
        this.c = s.c;
        this.mmx = mmx;
        this.fp = fp;
        this.rounding = new SseRounding(c, fp);
        this.x = c.xmm;
    }

    void execute(Instruction in) {
        int p = prefix(in);
        int b = in.opcode & 0xff;
        boolean map3a = in.opcode >= Instruction.MAP_0F3A;
        if (!map3a && (b == 0xf0 || b == 0xf1)) {
            if (p != PF2) throw CpuFault.ud(); // MOVBE: not claimed
            crc32(in, b);
            return;
        }
        if (p == NONE) {
            if (!Ssse3.isSsse3(in.opcode)) throw CpuFault.ud();
            long v = mmx.src();
            byte[] r = Ssse3.apply(in.opcode, Lanes.of(mmx.mm(mmx.d())), Lanes.of(v), (int) in.imm & 0xff);
            mmx.enter();
            mmx.setMm(mmx.d(), Lanes.quad(r, 0));
            return;
        }
        if (p != P66) throw CpuFault.ud();
        int d = s.d();
        if (Ssse3.isSsse3(in.opcode)) {
            s.src128(true);
            byte[] r = Ssse3.apply(in.opcode, Lanes.of(x[d], x[d + 1]), Lanes.of(s.lo, s.hi), (int) in.imm & 0xff);
            s.setD(Lanes.quad(r, 0), Lanes.quad(r, 8));
            return;
        }
        fp.flags = 0;
        if (map3a) map3a(in, b, d);
        else map38(in, b, d);
    }

    /** F2 0F 38 F0/F1: CRC32 r32/r64, r/m8 or r/m16/32/64. */
    private void crc32(Instruction in, int b) {
        int size = b == 0xf0 ? 1 : in.opSize;
        long v = o.rm(size);
        int crc = Crc32c.update((int) c.r[in.reg], v, size);
        c.r[in.reg] = crc & 0xffff_ffffL;
    }

    private void map38(Instruction in, int b, int d) {
        switch (b) {
            case 0x10, 0x14, 0x15 -> { // PBLENDVB, BLENDVPS, BLENDVPD: the mask is XMM0's top bits
                s.src128(true);
                int size = b == 0x10 ? 1 : b == 0x14 ? 4 : 8;
                s.setD(blendv(x[d], s.lo, x[0], size), blendv(x[d + 1], s.hi, x[1], size));
            }
            case 0x17 -> { // PTEST
                s.src128(true);
                long f = 0;
                if ((x[d] & s.lo) == 0 && (x[d + 1] & s.hi) == 0) f |= Flags.ZF;
                if ((~x[d] & s.lo) == 0 && (~x[d + 1] & s.hi) == 0) f |= Flags.CF;
                c.rflags = (c.rflags & ~Flags.STATUS) | f;
            }
            case 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35 -> extend(b, d);
            case 0x2a -> { // MOVNTDQA
                s.requireMemory();
                s.src128(true);
                s.setD(s.lo, s.hi);
            }
            case 0x2b -> { // PACKUSDW
                s.src128(true);
                s.setD(SseInteger.pack(x[d], x[d + 1], 32, true), SseInteger.pack(s.lo, s.hi, 32, true));
            }
            case 0x41 -> { // PHMINPOSUW
                s.src128(true);
                byte[] v = Lanes.of(s.lo, s.hi);
                int best = 0;
                for (int i = 1; i < 8; i++) if (Lanes.get(v, i, 2) < Lanes.get(v, best, 2)) best = i;
                s.setD(Lanes.get(v, best, 2) | ((long) best << 16), 0);
            }
            default -> {
                if (!laneOp38(b)) throw CpuFault.ud();
                s.src128(true);
                s.setD(lane38(b, x[d], s.lo), lane38(b, x[d + 1], s.hi));
            }
        }
    }

    private static boolean laneOp38(int b) {
        return b == 0x28 || b == 0x29 || b == 0x37 || (b >= 0x38 && b <= 0x40);
    }

    /** The lane-wise 0F 38 operations on one 64-bit half. */
    private static long lane38(int b, long a, long v) {
        switch (b) {
            case 0x28: return (long) (int) a * (int) v; // PMULDQ
            case 0x29: return a == v ? -1 : 0; // PCMPEQQ
            case 0x37: return a > v ? -1 : 0; // PCMPGTQ
            case 0x40: return ((long) (int) a * (int) v & 0xffff_ffffL) | ((long) (int) (a >>> 32) * (int) (v >>> 32) << 32);
            default: break;
        }
        // 38-3F: PMINSB PMINSD PMINUW PMINUD PMAXSB PMAXSD PMAXUW PMAXUD
        int size = switch (b & 3) {
            case 0 -> 1;
            case 2 -> 2;
            default -> 4;
        };
        boolean signed = (b & 3) < 2, max = b >= 0x3c;
        int bits = 8 * size;
        long m = (1L << bits) - 1, r = 0;
        for (int i = 0; i < 64 / bits; i++) {
            long x = (a >>> (i * bits)) & m, y = (v >>> (i * bits)) & m;
            long cx = signed ? (x << (64 - bits)) >> (64 - bits) : x, cy = signed ? (y << (64 - bits)) >> (64 - bits) : y;
            boolean pickA = max ? cx >= cy : cx <= cy;
            r |= (pickA ? x : y) << (i * bits);
        }
        return r;
    }

    private static long blendv(long a, long v, long mask, int size) {
        int bits = 8 * size;
        long r = 0;
        for (int i = 0; i < 64 / bits; i++) {
            long lm = bits == 64 ? -1L : ((1L << bits) - 1) << (i * bits);
            boolean pick = ((mask >>> (i * bits + bits - 1)) & 1) != 0;
            r |= (pick ? v : a) & lm;
        }
        return r;
    }

    /** PMOVSX/PMOVZX: the low 8, 4 or 2 bytes of the source widened (no alignment for memory). */
    private void extend(int b, int d) {
        boolean signed = b < 0x30;
        int k = b & 0xf;
        int from = k <= 2 ? 1 : k <= 4 ? 2 : 4;
        int to = k == 0 ? 2 : k == 1 || k == 3 ? 4 : 8;
        int count = 16 / to;
        int bytes = count * from;
        long v = s.memory() ? o.mem.read(o.ea, bytes) : x[s.s()];
        byte[] src = Lanes.of(v);
        byte[] r = new byte[16];
        for (int i = 0; i < count; i++) Lanes.put(r, i, to, signed ? Lanes.sget(src, i, from) : Lanes.get(src, i, from));
        s.setD(Lanes.quad(r, 0), Lanes.quad(r, 8));
    }

    private void map3a(Instruction in, int b, int d) {
        int imm = (int) in.imm & 0xff;
        switch (b) {
            case 0x08 -> {
                s.src128(true);
                long lo = s.lo, hi = s.hi;
                commit(d, pairF(rounding.roundF((int) lo, imm), rounding.roundF((int) (lo >>> 32), imm)),
                        pairF(rounding.roundF((int) hi, imm), rounding.roundF((int) (hi >>> 32), imm)));
            }
            case 0x09 -> {
                s.src128(true);
                long lo = s.lo, hi = s.hi;
                commit(d, rounding.roundD(lo, imm), rounding.roundD(hi, imm));
            }
            case 0x0a -> commit(d, (x[d] & ~0xffff_ffffL) | (rounding.roundF(s.src32(), imm) & 0xffff_ffffL), x[d + 1]);
            case 0x0b -> commit(d, rounding.roundD(s.src64(), imm), x[d + 1]);
            case 0x0c, 0x0d, 0x0e -> { // BLENDPS, BLENDPD, PBLENDW by imm8 bits
                s.src128(true);
                int size = b == 0x0c ? 4 : b == 0x0d ? 8 : 2;
                byte[] a = Lanes.of(x[d], x[d + 1]), v = Lanes.of(s.lo, s.hi);
                for (int i = 0; i < 16 / size; i++) if ((imm & (1 << i)) != 0) Lanes.put(a, i, size, Lanes.get(v, i, size));
                s.setD(Lanes.quad(a, 0), Lanes.quad(a, 8));
            }
            case 0x14, 0x15, 0x16, 0x17 -> extract(in, b, d, imm);
            case 0x20 -> {
                long v = s.memory() ? o.mem.read8(o.ea) : c.r[in.rm];
                insert(d, imm & 15, 1, v);
            }
            case 0x21 -> { // INSERTPS
                long v = s.memory() ? o.mem.read32(o.ea) : x[s.s() + ((imm >> 7) & 1)] >>> (32 * ((imm >> 6) & 1));
                insert(d, (imm >> 4) & 3, 4, v);
                byte[] a = Lanes.of(x[d], x[d + 1]);
                for (int i = 0; i < 4; i++) if ((imm & (1 << i)) != 0) Lanes.put(a, i, 4, 0);
                s.setD(Lanes.quad(a, 0), Lanes.quad(a, 8));
            }
            case 0x22 -> {
                if (in.rexW()) insert(d, imm & 1, 8, o.rm(8));
                else insert(d, imm & 3, 4, o.rm(4));
            }
            case 0x40 -> dpps(d, imm);
            case 0x41 -> dppd(d, imm);
            case 0x42 -> { // MPSADBW
                s.src128(true);
                byte[] a = Lanes.of(x[d], x[d + 1]), v = Lanes.of(s.lo, s.hi), r = new byte[16];
                int blk1 = (imm & 4) * 1, blk2 = (imm & 3) * 4;
                for (int i = 0; i < 8; i++) {
                    long sum = 0;
                    for (int k = 0; k < 4; k++) sum += Math.abs((a[blk1 + i + k] & 0xff) - (v[blk2 + k] & 0xff));
                    Lanes.put(r, i, 2, sum);
                }
                s.setD(Lanes.quad(r, 0), Lanes.quad(r, 8));
            }
            case 0x60, 0x61, 0x62, 0x63 -> {
                s.src128(false); // the string compares take unaligned memory operands
                boolean explicit = b < 0x62;
                long la = 0, lb = 0;
                if (explicit) {
                    la = in.rexW() ? c.r[Cpu.RAX] : (int) c.r[Cpu.RAX];
                    lb = in.rexW() ? c.r[Cpu.RDX] : (int) c.r[Cpu.RDX];
                }
                int res = StringCompare.compare(c, Lanes.of(x[d], x[d + 1]), Lanes.of(s.lo, s.hi), explicit, la, lb, imm);
                if ((b & 1) != 0) {
                    c.r[Cpu.RCX] = StringCompare.index(res, imm);
                } else {
                    long[] m = StringCompare.mask(res, imm);
                    x[0] = m[0];
                    x[1] = m[1];
                }
            }
            default -> throw CpuFault.ud();
        }
    }

    private void insert(int d, int lane, int size, long v) {
        byte[] a = Lanes.of(x[d], x[d + 1]);
        Lanes.put(a, lane, size, v);
        s.setD(Lanes.quad(a, 0), Lanes.quad(a, 8));
    }

    /** PEXTRB/PEXTRW/PEXTRD/PEXTRQ/EXTRACTPS: to memory, or zero-extended into a general register. */
    private void extract(Instruction in, int b, int d, int imm) {
        byte[] a = Lanes.of(x[d], x[d + 1]);
        int size = switch (b) {
            case 0x14 -> 1;
            case 0x15 -> 2;
            case 0x16 -> in.rexW() ? 8 : 4;
            default -> 4;
        };
        long v = Lanes.get(a, imm & (16 / size - 1), size);
        if (s.memory()) o.mem.write(o.ea, size, v);
        else c.r[in.rm] = v;
    }

    private void dpps(int d, int imm) {
        s.src128(true);
        int[] a = {(int) x[d], (int) (x[d] >>> 32), (int) x[d + 1], (int) (x[d + 1] >>> 32)};
        int[] v = {(int) s.lo, (int) (s.lo >>> 32), (int) s.hi, (int) (s.hi >>> 32)};
        int[] t = new int[4];
        for (int i = 0; i < 4; i++) t[i] = (imm & (0x10 << i)) != 0 ? fp.opF(SseFloat.MUL, a[i], v[i]) : 0;
        int[] r = new int[4];
        if (HostVendor.INTEL) {
            // Each lane adds in its own order, which shows in the NaN it returns when several
            // products are NaNs (SSE returns the first operand's): lane i adds its own pair
            // first, and within a pair lane i's product (i = 0..3: t1+t0 + t3+t2, t0+t1 + t2+t3,
            // t3+t2 + t1+t0, t2+t3 + t0+t1; probed on the host).
            for (int i = 0; i < 4; i++) {
                if ((imm & (1 << i)) == 0) continue;
                int own = i & 2, other = own ^ 2, first = i & 1 ^ 1;
                int mine = fp.opF(SseFloat.ADD, t[own | first], t[own | first ^ 1]);
                int theirs = fp.opF(SseFloat.ADD, t[other | first], t[other | first ^ 1]);
                r[i] = fp.opF(SseFloat.ADD, mine, theirs);
            }
        } else {
            int sum = fp.opF(SseFloat.ADD, fp.opF(SseFloat.ADD, t[0], t[1]), fp.opF(SseFloat.ADD, t[2], t[3]));
            for (int i = 0; i < 4; i++) r[i] = (imm & (1 << i)) != 0 ? sum : 0;
        }
        commit(d, pairF(r[0], r[1]), pairF(r[2], r[3]));
    }

    private void dppd(int d, int imm) {
        s.src128(true);
        long t0 = (imm & 0x10) != 0 ? fp.opD(SseFloat.MUL, x[d], s.lo) : 0;
        long t1 = (imm & 0x20) != 0 ? fp.opD(SseFloat.MUL, x[d + 1], s.hi) : 0;
        long sum = fp.opD(SseFloat.ADD, t0, t1);
        // Intel's high lane adds the other way round (the NaN it returns shows it; see dpps).
        long high = HostVendor.INTEL && (imm & 2) != 0 ? fp.opD(SseFloat.ADD, t1, t0) : sum;
        commit(d, (imm & 1) != 0 ? sum : 0, (imm & 2) != 0 ? high : 0);
    }

    private static long pairF(int lo, int hi) {
        return (lo & 0xffff_ffffL) | ((long) hi << 32);
    }

    private void commit(int d, long lo, long hi) {
        Mxcsr.check(c, fp.flags);
        x[d] = lo;
        x[d + 1] = hi;
    }
}
