package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link JitSupport}'s carry (branch-free) and conditions of pending flags against the flags the ALU itself sets. */
class JitSupportTest {
    private static final long[] EDGES = {0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x1_0000,
            0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 0x1_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE, -2, -1};

    /**
     * Operand {@code first ? a : b} of case {@code i}: every pair of edge values first, then
     * random ones (with garbage above the operand size, as registers have).
     */
    private static long operand(int i, Random rnd, boolean first) {
        if (i >= EDGES.length * EDGES.length) return rnd.nextLong();
        return EDGES[first ? i / EDGES.length : i % EDGES.length];
    }

    @Test
    void pendingCarryIsTheCarryTheAluSets() {
        Random rnd = new Random(11);
        Cpu cpu = new Cpu();
        int[] ops = {Alu.ADD, Alu.SUB, Alu.CMP, Alu.AND, Alu.OR, Alu.XOR};
        for (int size : new int[] {1, 2, 4, 8}) {
            for (int op : ops) {
                for (int i = 0; i < 20_000 + EDGES.length * EDGES.length; i++) {
                    long a = operand(i, rnd, true), b = operand(i, rnd, false);
                    Alu.op(cpu, op, a, b, size);
                    long expected = cpu.rflags & Flags.CF;
                    int s = size, o = op;
                    assertEquals(expected, JitSupport.carry(op, a, b, size),
                            () -> "op " + o + " size " + s + ": " + Long.toHexString(a) + ", " + Long.toHexString(b));
                }
            }
        }
    }

    @Test
    void pendingConditionsAreTheFlagsConditions() {
        Random rnd = new Random(12);
        Cpu cpu = new Cpu();
        for (int size : new int[] {1, 2, 4, 8}) {
            for (int i = 0; i < 20_000 + EDGES.length * EDGES.length; i++) {
                long a = operand(i, rnd, true), b = operand(i, rnd, false);
                Alu.op(cpu, Alu.CMP, a, b, size);
                long subFlags = cpu.rflags;
                Alu.op(cpu, Alu.AND, a, b, size);
                long andFlags = cpu.rflags;
                for (int cc = 2; cc < 16; cc++) {
                    if (cc >> 1 == 5) continue;   // P/NP: not decided from the operands
                    int c = cc, s = size;
                    assertEquals(Flags.condition(subFlags, cc), JitSupport.subCondition(a, b, size, cc),
                            () -> "sub cc " + c + " size " + s + ": " + Long.toHexString(a) + ", " + Long.toHexString(b));
                    assertEquals(Flags.condition(andFlags, cc), JitSupport.andCondition(a, b, size, cc),
                            () -> "and cc " + c + " size " + s + ": " + Long.toHexString(a) + ", " + Long.toHexString(b));
                }
            }
        }
    }
}
