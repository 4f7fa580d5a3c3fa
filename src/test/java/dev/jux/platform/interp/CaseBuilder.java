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

    /** Runs every case both ways and fails listing the first mismatches. */
    void check() {
        List<NativeRunner.Outcome> expected = NativeRunner.runNative(cases);
        List<String> bad = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < cases.size(); i++) {
            NativeRunner.Case c = cases.get(i);
            NativeRunner.Outcome want = expected.get(i), got;
            try {
                got = NativeRunner.runInterpreter(c);
            } catch (RuntimeException | AssertionError e) {
                failures++;
                if (bad.size() < 25) bad.add(c.name() + " [" + c.line() + "]: " + e);
                continue;
            }
            String diff = diff(want, got);
            if (diff != null) {
                failures++;
                if (bad.size() < 25) bad.add(c.name() + " [" + c.line() + "]: " + diff);
            }
        }
        if (failures > 0) {
            fail(failures + " of " + cases.size() + " cases differ from the CPU:\n" + String.join("\n", bad));
        }
    }

    private static final long COMPARED_FLAGS = Flags.STATUS | Flags.DF;

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
        return sb.isEmpty() ? null : "cpu/interp" + sb;
    }
}
