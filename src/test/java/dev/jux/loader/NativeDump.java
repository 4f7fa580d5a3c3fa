package dev.jux.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What src/test/c/loader/stackdump.c reports about its own start, run natively with an exact
 * argv and envp and without address randomization (setarch -R).
 */
final class NativeDump {
    long top;
    long rsp;
    long startBrk;
    long argStart;
    long argEnd;
    long envStart;
    long envEnd;
    byte[] image;

    /** Runs {@code exe} with exactly {@code argv} (argv[0] included) and {@code envp}. */
    static NativeDump run(Path exe, List<String> argv, List<String> envp) {
        String setarch = NativeTools.which("setarch");
        String env = NativeTools.which("env");
        assumeTrue(setarch != null && env != null, "setarch and env needed");
        // env -i sets up envp in order; setarch -R execs the program with it and no ASLR.
        // setarch takes the program from argv[0], so argv[0] must be the path.
        assertEquals(exe.toString(), argv.getFirst());
        List<String> cmd = new ArrayList<>(List.of(env, "-i"));
        cmd.addAll(envp);
        cmd.addAll(List.of(setarch, "-R"));
        cmd.addAll(argv);
        NativeTools.Result r = NativeTools.run(cmd);
        assumeTrue(r.status() == 0, "native run failed (is personality(ADDR_NO_RANDOMIZE) allowed?): " + r.stderr());
        NativeDump d = new NativeDump();
        for (String line : r.stdout().split("\n")) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "top" -> d.top = Long.parseUnsignedLong(f[1], 16);
                case "rsp" -> d.rsp = Long.parseUnsignedLong(f[1], 16);
                case "stat" -> {
                    d.startBrk = Long.parseUnsignedLong(f[1], 16);
                    d.argStart = Long.parseUnsignedLong(f[2], 16);
                    d.argEnd = Long.parseUnsignedLong(f[3], 16);
                    d.envStart = Long.parseUnsignedLong(f[4], 16);
                    d.envEnd = Long.parseUnsignedLong(f[5], 16);
                }
                case "image" -> d.image = HexFormat.of().parseHex(f[1]);
                default -> throw new AssertionError("stackdump said: " + line);
            }
        }
        assertEquals(d.top - d.rsp, d.image.length);
        return d;
    }

    StackWalker walker() {
        return new StackWalker(image, rsp);
    }
}
