package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs instruction cases natively through src/test/c/interp/insn-runner.c (built with gcc on
 * first use; the test is skipped without gcc) and the same cases in the interpreter.
 */
final class NativeRunner {
    static final long CODE_BASE = 0x2000_0000L, DATA_BASE = 0x1000_0000L;
    static final int DATA_SIZE = 8192;
    private static Path binary;

    private NativeRunner() {}

    /**
     * One case: instruction bytes (hex), initial RFLAGS, the sixteen registers in encoding order,
     * MXCSR and the XMM registers (xmm[2i] low, xmm[2i+1] high quadword of XMMi).
     */
    record Case(String name, String hex, long flags, long[] regs, int mxcsr, long[] xmm) {
        Case(String name, String hex, long flags, long[] regs) {
            this(name, hex, flags, regs, 0x1f80, new long[32]);
        }

        String line() {
            StringBuilder sb = new StringBuilder(hex).append(' ').append(Long.toHexString(flags));
            for (long r : regs) sb.append(' ').append(Long.toHexString(r));
            sb.append(' ').append(Integer.toHexString(mxcsr));
            for (long x : xmm) sb.append(' ').append(Long.toHexString(x));
            return sb.toString();
        }
    }

    /**
     * What a case left: the signal (0 = none), RIP, RFLAGS, registers, a hash of the data area
     * and the first 416 bytes of the FXSAVE image (x87, MXCSR, XMM).
     */
    record Outcome(int signal, long rip, long flags, long[] regs, long dataHash, byte[] fxsave) {}

    private static synchronized Path binary() throws IOException, InterruptedException {
        if (binary != null) return binary;
        assumeTrue(Files.isRegularFile(Path.of("/usr/bin/gcc")) || Files.isRegularFile(Path.of("/usr/local/bin/gcc")), "gcc not installed");
        Path dir = Files.createTempDirectory("jux-interp");
        Path out = dir.resolve("insn-runner");
        Process p = new ProcessBuilder("gcc", "-O1", "-o", out.toString(), "src/test/c/interp/insn-runner.c")
                .redirectErrorStream(true).start();
        String msg = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor() == 0, "gcc failed: " + msg);
        binary = out;
        return out;
    }

    static List<Outcome> runNative(List<Case> cases) {
        try {
            Path in = Files.createTempFile("jux-interp", ".in");
            StringBuilder sb = new StringBuilder();
            for (Case c : cases) sb.append(c.line()).append('\n');
            Files.writeString(in, sb);
            Process p = new ProcessBuilder(binary().toString()).redirectInput(in.toFile()).start();
            List<Outcome> out = new ArrayList<>(cases.size());
            for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
                if (line.isEmpty()) continue;
                String[] f = line.split(" ");
                long[] regs = new long[16];
                for (int i = 0; i < 16; i++) regs[i] = Long.parseUnsignedLong(f[3 + i], 16);
                byte[] fx = java.util.HexFormat.of().parseHex(f[20]);
                out.add(new Outcome(Integer.parseInt(f[0], 16), Long.parseUnsignedLong(f[1], 16),
                        Long.parseUnsignedLong(f[2], 16), regs, Long.parseUnsignedLong(f[19], 16), fx));
            }
            p.waitFor();
            Files.delete(in);
            if (out.size() != cases.size()) {
                throw new AssertionError("native runner stopped after " + out.size() + " of " + cases.size()
                        + " cases; next: " + cases.get(out.size()).name());
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void fillData(byte[] d) {
        for (int i = 0; i < d.length; i++) d[i] = (byte) (i * 131 + 7);
    }

    static long hash(byte[] d) {
        long h = 0xcbf29ce484222325L;
        for (byte b : d) h = (h ^ (b & 0xff)) * 0x100000001b3L;
        return h;
    }

    /** The signal Linux sends for an exception vector, as the native runner sees it. */
    static int signalFor(int vector) {
        return switch (vector) {
            case 0, 16, 19 -> 8; // #DE, #MF, #XM: SIGFPE
            case 1, 3 -> 5;      // #DB, #BP: SIGTRAP
            case 6 -> 4;         // #UD: SIGILL
            case 17 -> 7;        // #AC: SIGBUS
            default -> 11;       // #GP, #PF, #SS: SIGSEGV
        };
    }

    static Outcome runInterpreter(Case c) {
        return run(c, false);
    }

    /** Translated blocks by test code: cases with the same bytes reuse one translation. */
    private static final java.util.Map<String, TranslationCache> JIT_CACHES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * True if the case's first instruction is one the JIT compiles inline (the others are
     * calls of the interpreter's executor, the same code the interpreter run checks).
     */
    static boolean compiledInline(Case c) {
        FlatMemory mem = new FlatMemory();
        byte[] code = mem.map(CODE_BASE, 4096);
        for (int i = 0; i < c.hex().length() / 2; i++) {
            code[i] = (byte) Integer.parseInt(c.hex().substring(2 * i, 2 * i + 2), 16);
        }
        Instruction in = new Instruction();
        try {
            new Decoder().decode(mem, CODE_BASE, in);
        } catch (CpuFault f) {
            return false;
        }
        return InlineEmitter.inline(in);
    }

    /** Runs the case through the JIT: every block translated on its first entry (threshold 0). */
    static Outcome runJit(Case c) {
        return run(c, true);
    }

    private static Outcome run(Case c, boolean jit) {
        FlatMemory mem = new FlatMemory();
        byte[] code = mem.map(CODE_BASE, 4096);
        byte[] data = mem.map(DATA_BASE, DATA_SIZE);
        fillData(data);
        for (int i = 0; i < c.hex().length() / 2; i++) {
            code[i] = (byte) Integer.parseInt(c.hex().substring(2 * i, 2 * i + 2), 16);
        }
        Cpu cpu = new Cpu();
        System.arraycopy(c.regs(), 0, cpu.r, 0, 16);
        cpu.rflags = c.flags() | 0x202;
        cpu.rip = CODE_BASE;
        cpu.mxcsr = c.mxcsr();
        System.arraycopy(c.xmm(), 0, cpu.xmm, 0, 32);
        TranslationCache cache = jit ? JIT_CACHES.computeIfAbsent(c.hex(), h -> new TranslationCache(0)) : null;
        BlockRunner interp = new BlockRunner(cpu, mem, cache);
        long end = CODE_BASE + c.hex().length() / 2;
        int signal = 0;
        try {
            int r = interp.runUntil(end, 100_000);
            if (r != Executor.CONTINUE) throw new AssertionError("stopped with " + r);
        } catch (CpuFault f) {
            signal = signalFor(f.vector);
        }
        if (cache != null && cache.toString().contains("translator error")) throw new AssertionError(cache.toString());
        byte[] fx = new byte[512];
        cpu.fxsave(fx, 0);
        return new Outcome(signal, cpu.rip, cpu.rflags, cpu.r.clone(), hash(data), java.util.Arrays.copyOf(fx, 416));
    }
}
