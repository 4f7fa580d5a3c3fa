package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds instruction cases over edge-case operands and checks them, natively and in the
 * interpreter, for the same registers, status flags, DF, signal, RIP and data-area contents.
 */
final class CaseBuilder {
    static final long STATUS_ALL = 0x8d5;
    static final long[] VALUES = {0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
            0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 0x1_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE,
            -1, -2, 0x1234_5678_9abc_def0L, 0xfedc_ba98_7654_3210L, 0x5555_5555_5555_5555L, 0xf_0000_000fL};
    static final long[] COUNTS = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 0xff};

    final List<NativeRunner.Case> cases = new ArrayList<>();

    /** Registers every case starts from: distinct values, and RSI/RDI/RSP/RBP inside the data area. */
    static long[] baseRegs() {
        long[] r = new long[16];
        for (int i = 0; i < 16; i++) r[i] = 0x1111_1111_1111_1111L * (i % 15 + 1) ^ 0x0123_4567_89ab_cdefL;
        r[Cpu.RSI] = NativeRunner.DATA_BASE + 0x100;
        r[Cpu.RDI] = NativeRunner.DATA_BASE + 0x800;
        r[Cpu.RSP] = NativeRunner.DATA_BASE + 0x1000;
        r[Cpu.RBP] = NativeRunner.DATA_BASE + 0x1800;
        return r;
    }

    interface Setup {
        void apply(long[] regs);
    }

    CaseBuilder add(String name, String hex, long flags, Setup setup) {
        long[] r = baseRegs();
        setup.apply(r);
        cases.add(new NativeRunner.Case(name, hex.replace(" ", ""), flags, r));
        return this;
    }

    /** A case that also sets MXCSR and the XMM registers (xmm[2i] low, xmm[2i+1] high quadword of XMMi). */
    CaseBuilder addSse(String name, String hex, long flags, int mxcsr, long[] xmm, Setup setup) {
        long[] r = baseRegs();
        setup.apply(r);
        cases.add(new NativeRunner.Case(name, hex.replace(" ", ""), flags, r, mxcsr, xmm.clone()));
        return this;
    }

    /** RAX = a and RBX = RDX = b over every pair of {@code values}, with all status flags clear and set. */
    CaseBuilder pairs(String name, String hex, long[] values) {
        for (long a : values) {
            for (long b : values) {
                for (long f : new long[] {0, STATUS_ALL}) {
                    add(name, hex, f, r -> { r[Cpu.RAX] = a; r[Cpu.RBX] = b; r[Cpu.RDX] = b; });
                }
            }
        }
        return this;
    }

    CaseBuilder pairs(String name, String hex) {
        return pairs(name, hex, VALUES);
    }

    /** RAX = a, RBX = b (the other operand of double shifts), RCX = count. */
    CaseBuilder shifts(String name, String hex) {
        for (long a : VALUES) {
            for (long n : COUNTS) {
                for (long f : new long[] {0, STATUS_ALL}) {
                    add(name, hex, f, r -> { r[Cpu.RAX] = a; r[Cpu.RBX] = ~a * 3; r[Cpu.RCX] = n; });
                }
            }
        }
        return this;
    }

    /** Every combination of the six status flags, with RAX and RBX different. */
    CaseBuilder allFlags(String name, String hex) {
        for (int bits = 0; bits < 64; bits++) {
            long f = 0;
            long[] flagBits = {1, 4, 0x10, 0x40, 0x80, 0x800};
            for (int i = 0; i < 6; i++) if ((bits & (1 << i)) != 0) f |= flagBits[i];
            add(name, hex, f, r -> { r[Cpu.RAX] = 0x1111_2222_3333_4444L; r[Cpu.RBX] = 0x5555_6666_7777_8888L; });
        }
        return this;
    }

    /**
     * Runs every case natively, in the interpreter and through the JIT (every block translated),
     * and fails listing the first mismatches.
     */
    void check() {
        List<NativeRunner.Outcome> expected = NativeRunner.runNative(cases);
        List<String> bad = new ArrayList<>();
        java.util.Map<String, Integer> perName = new java.util.HashMap<>();
        int failures = 0;
        for (int i = 0; i < cases.size(); i++) {
            NativeRunner.Case c = cases.get(i);
            NativeRunner.Outcome want = expected.get(i), got;
            // Through the JIT too: every case whose first instruction is compiled inline, and
            // every 16th of the others (they are fallback calls of the code checked just before).
            boolean viaJit = i % 16 == 0 || NativeRunner.compiledInline(c);
            for (boolean jit : viaJit ? new boolean[] {false, true} : new boolean[] {false}) {
                String name = jit ? c.name() + " (jit)" : c.name();
                try {
                    got = jit ? NativeRunner.runJit(c) : NativeRunner.runInterpreter(c);
                } catch (RuntimeException | AssertionError e) {
                    failures++;
                    if (bad.size() < 25) bad.add(name + " [" + c.line() + "]: " + e);
                    continue;
                }
                String diff = diff(want, got);
                if (diff != null && DIFF_LOG != null) logDiff(name + " [" + c.line() + "]: " + diff);
                if (diff != null) {
                    failures++;
                    // A few examples of each instruction that differs, up to 40 lines in all.
                    int n = perName.merge(name, 1, Integer::sum);
                    if (n <= 3 && bad.size() < 40) bad.add(name + " [" + c.line() + "]: " + diff);
                }
            }
        }
        if (failures > 0) {
            fail(failures + " of " + cases.size() + " cases (run by the interpreter and the JIT) differ from the CPU:\n" + String.join("\n", bad));
        }
    }

    /** {@code -Djux.test.diffLog=FILE}: every difference (not only the first few) appended to FILE, for studying a new host. */
    private static final String DIFF_LOG = System.getProperty("jux.test.diffLog");

    private static synchronized void logDiff(String line) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of(DIFF_LOG), line + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Per instruction name: cases, bit-identical to the host, and within one ulp (C1 aside). */
    record Tally(int cases, int identical, int identicalButC1, int withinUlp) {}

    /**
     * Runs every case both ways and counts, per case name, how many are bit-identical to the
     * host and how many differ only by one ulp in x87 registers (and in C1, which reports the
     * rounding direction), and how many are identical but for C1. Returns the tallies and, in
     * {@code worse}, examples of the others.
     */
    java.util.Map<String, Tally> tally(List<String> worse) {
        List<NativeRunner.Outcome> expected = NativeRunner.runNative(cases);
        java.util.Map<String, int[]> counts = new java.util.TreeMap<>();
        java.util.Map<String, Integer> perName = new java.util.HashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            NativeRunner.Case c = cases.get(i);
            int[] t = counts.computeIfAbsent(c.name(), k -> new int[4]);
            t[0]++;
            NativeRunner.Outcome want = expected.get(i), got;
            String diff;
            try {
                got = NativeRunner.runInterpreter(c);
                diff = diff(want, got);
            } catch (RuntimeException | AssertionError e) {
                got = null;
                diff = " " + e;
            }
            if (diff == null) {
                t[1]++;
                t[2]++;
                t[3]++;
                continue;
            }
            if (got != null && diff(want, withC1(want, got)) == null) {
                t[2]++;
                t[3]++;
                continue;
            }
            if (got != null && diff(want, withinUlp(want, got)) == null) {
                t[3]++;
                continue;
            }
            int n = perName.merge(c.name(), 1, Integer::sum);
            if (n <= 3 && worse.size() < 40) worse.add(c.name() + " [" + c.line() + "]: " + diff);
        }
        java.util.Map<String, Tally> out = new java.util.TreeMap<>();
        counts.forEach((k, t) -> out.put(k, new Tally(t[0], t[1], t[2], t[3])));
        return out;
    }

    /** The 80-bit value at {@code at} as a position on the number line (for ulp distances). */
    private static java.math.BigInteger ordinal(byte[] b, int at) {
        long m = 0;
        for (int i = 7; i >= 0; i--) m = m << 8 | (b[at + i] & 0xff);
        int se = u16(b, at + 8);
        java.math.BigInteger v = java.math.BigInteger.valueOf(se & 0x7fff).shiftLeft(63)
                .add(java.math.BigInteger.valueOf(m & Long.MAX_VALUE));
        return (se & 0x8000) != 0 ? v.negate() : v;
    }

    /** {@code got} with the host's C1. */
    private static NativeRunner.Outcome withC1(NativeRunner.Outcome want, NativeRunner.Outcome got) {
        byte[] g = got.fxsave().clone();
        g[3] = (byte) ((g[3] & ~0x02) | (want.fxsave()[3] & 0x02));
        return new NativeRunner.Outcome(got.signal(), got.rip(), got.flags(), got.regs(), got.dataHash(), g);
    }

    /** {@code got} with each valid ST register one ulp from the host's replaced by it, and C1 then too. */
    private static NativeRunner.Outcome withinUlp(NativeRunner.Outcome want, NativeRunner.Outcome got) {
        byte[] w = want.fxsave(), g = got.fxsave().clone();
        if (w[4] != g[4] || ((u16(w, 2) ^ u16(g, 2)) & 0x3800) != 0) return got;
        int top = (u16(w, 2) >> 11) & 7;
        for (int i = 0; i < 8; i++) {
            if ((w[4] & (1 << ((top + i) & 7))) == 0) continue;
            int at = 32 + 16 * i;
            java.math.BigInteger d = ordinal(w, at).subtract(ordinal(g, at)).abs();
            if (d.signum() != 0 && d.compareTo(java.math.BigInteger.ONE) == 0) {
                System.arraycopy(w, at, g, at, 10);
            }
        }
        g[3] = (byte) ((g[3] & ~0x02) | (w[3] & 0x02)); // C1 (bit 9 of FSW)
        return new NativeRunner.Outcome(got.signal(), got.rip(), got.flags(), got.regs(), got.dataHash(), g);
    }

    private static final long COMPARED_FLAGS = Flags.STATUS | Flags.DF;

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static String hex(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = to - 1; i >= from; i--) sb.append(String.format("%02x", b[i]));
        return sb.toString();
    }

    /**
     * The x87 and SSE state from the two FXSAVE images: FCW, FSW, the abridged tags, MXCSR, the
     * valid ST registers (an empty one keeps stale bits natively) and every XMM register. FOP,
     * FIP, FDP and MXCSR_MASK (the CPU's own) are not compared.
     */
    private static void fpuDiff(byte[] w, byte[] g, StringBuilder sb) {
        if (u16(w, 0) != u16(g, 0)) sb.append(String.format(" fcw %x/%x", u16(w, 0), u16(g, 0)));
        if (u16(w, 2) != u16(g, 2)) sb.append(String.format(" fsw %x/%x", u16(w, 2), u16(g, 2)));
        if (w[4] != g[4]) sb.append(String.format(" ftw %x/%x", w[4], g[4]));
        int wm = u16(w, 24) | u16(w, 26) << 16, gm = u16(g, 24) | u16(g, 26) << 16;
        if (wm != gm) sb.append(String.format(" mxcsr %x/%x", wm, gm));
        int top = (u16(w, 2) >> 11) & 7;
        for (int i = 0; i < 8; i++) {
            if ((w[4] & (1 << ((top + i) & 7))) == 0) continue;
            String a = hex(w, 32 + 16 * i, 42 + 16 * i), b = hex(g, 32 + 16 * i, 42 + 16 * i);
            if (!a.equals(b)) sb.append(" st").append(i).append(' ').append(a).append('/').append(b);
        }
        for (int i = 0; i < 16; i++) {
            String a = hex(w, 160 + 16 * i, 176 + 16 * i), b = hex(g, 160 + 16 * i, 176 + 16 * i);
            if (!a.equals(b)) sb.append(" xmm").append(i).append(' ').append(a).append('/').append(b);
        }
    }

    private static String diff(NativeRunner.Outcome want, NativeRunner.Outcome got) {
        StringBuilder sb = new StringBuilder();
        if (want.signal() != got.signal()) sb.append(" signal ").append(want.signal()).append("/").append(got.signal());
        if (want.rip() != got.rip()) sb.append(String.format(" rip %x/%x", want.rip(), got.rip()));
        long wf = want.flags() & COMPARED_FLAGS, gf = got.flags() & COMPARED_FLAGS;
        if (wf != gf) sb.append(String.format(" flags %x/%x (diff %x)", wf, gf, wf ^ gf));
        for (int r = 0; r < 16; r++) {
            if (want.regs()[r] != got.regs()[r]) sb.append(String.format(" r%d %x/%x", r, want.regs()[r], got.regs()[r]));
        }
        if (want.dataHash() != got.dataHash()) sb.append(" memory differs");
        fpuDiff(want.fxsave(), got.fxsave(), sb);
        return sb.isEmpty() ? null : "cpu/interp" + sb;
    }
}
