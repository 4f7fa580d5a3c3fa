package dev.jux.platform.interp;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Where translated blocks' runs leave to, for measuring the dispatcher: {@code
 * -Djux.jit.transitions=FILE} counts every block run by (block, RIP after it) and writes the
 * most frequent transitions to FILE when the JVM exits, one a line: the count, the block's
 * first and last instruction's RIPs, the RIP after the run, its instructions. Off by default,
 * and then free ({@link #ON} is a static final false: HotSpot drops the call). Session 16 used
 * it to see that xz's most frequent transitions cross pages, and that a block's single branch
 * link kept being replaced by its other target (see {@link JitBlock#taken}).
 */
final class TransitionCensus {
    private TransitionCensus() {}

    private static final String FILE = System.getProperty("jux.jit.transitions");
    static final boolean ON = FILE != null;
    /** Transitions written at exit, the most frequent first. */
    private static final int TOP = 1000;

    private record Transition(long from, long last, long to, int instructions) {}

    private static final Map<Transition, long[]> COUNTS = new HashMap<>();

    static {
        if (ON) dev.jux.host.ShutdownHooks.add(new Thread(TransitionCensus::write, "jux-transitions"));
    }

    /** A run of {@code b} left RIP at {@code to}. Any thread. */
    static synchronized void count(JitBlock b, long to) {
        COUNTS.computeIfAbsent(new Transition(b.rip, b.lastRip, to, b.instructions), t -> new long[1])[0]++;
    }

    private static synchronized void write() {
        try (PrintWriter w = new PrintWriter(FILE)) {
            w.println("# runs block last-instruction next-rip instructions (hex RIPs)");
            COUNTS.entrySet().stream()
                    .sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
                    .limit(TOP)
                    .forEach(e -> w.printf("%d %x %x %x %d%n", e.getValue()[0], e.getKey().from(), e.getKey().last(),
                            e.getKey().to(), e.getKey().instructions()));
        } catch (IOException e) {
            System.err.println("jux: cannot write the transition census to " + FILE + ": " + e.getMessage());
        }
    }
}
