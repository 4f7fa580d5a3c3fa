package dev.jux.platform.interp;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Counters of the pure interpreter, for measuring it: {@code -Djux.interp.stats=true} prints,
 * when the JVM exits, the instructions interpreted, block entries (lookups with a code check),
 * blocks decoded, the share of instructions that took {@link FastPath} and the most frequent
 * opcodes. Off by default, and then free (a static final false: the JIT drops the code).
 */
final class InterpStats {
    static final boolean ON = Boolean.getBoolean("jux.interp.stats");
    private static final ConcurrentLinkedQueue<InterpStats> ALL = new ConcurrentLinkedQueue<>();

    long instructions, fast, entries, checks, decodes;
    /** Flag writers the fast path left pending, and pending flags it had to compute (see FastPath). */
    long lazyFlags, materialised;
    /** By opcode (0x000-0x3ff), memory operand, ModRM.reg. */
    final long[] opcodes = new long[0x4000];
    /** The same, for the instructions the executor ran (not the fast path). */
    final long[] slow = new long[0x4000];

    static InterpStats register() {
        InterpStats s = new InterpStats();
        if (ALL.isEmpty()) dev.jux.host.ShutdownHooks.add(new Thread(InterpStats::print));
        ALL.add(s);
        return s;
    }

    void count(Instruction in) {
        instructions++;
        if (in.fast != FastPath.NONE) fast++;
        else slow[((in.opcode & 0x3ff) << 4) | (in.isMemory() ? 8 : 0) | (in.regField & 7)]++;
        opcodes[((in.opcode & 0x3ff) << 4) | (in.isMemory() ? 8 : 0) | (in.regField & 7)]++;
    }

    private static void print() {
        long n = 0, f = 0, e = 0, ch = 0, d = 0, lazy = 0, computed = 0;
        long[] ops = new long[0x4000], slowOps = new long[0x4000];
        for (InterpStats s : ALL) {
            n += s.instructions;
            f += s.fast;
            e += s.entries;
            ch += s.checks;
            d += s.decodes;
            lazy += s.lazyFlags;
            computed += s.materialised;
            for (int i = 0; i < ops.length; i++) ops[i] += s.opcodes[i];
            for (int i = 0; i < ops.length; i++) slowOps[i] += s.slow[i];
        }
        System.err.printf("interp stats: %d instructions, %d fast (%.1f%%), %d block entries (%.2f instructions each), %d code checks, %d blocks decoded%n",
                n, f, 100.0 * f / Math.max(1, n), e, (double) n / Math.max(1, e), ch, d);
        System.err.printf("interp stats: %d flag writers left pending, %d of them computed (%.1f%%)%n",
                lazy, computed, 100.0 * computed / Math.max(1, lazy));
        top("", ops);
        top("executor ", slowOps);
    }

    private static void top(String what, long[] ops) {
        Integer[] order = new Integer[ops.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Long.compare(ops[y], ops[x]));
        for (int k = 0; k < 20 && ops[order[k]] > 0; k++) {
            int i = order[k];
            System.err.printf("interp stats:   %sopcode %03x %s /%d: %d%n", what, i >> 4, (i & 8) != 0 ? "mem" : "reg", i & 7, ops[i]);
        }
    }
}
