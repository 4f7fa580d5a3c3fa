package dev.jux.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a test binary directly on the host: the reference behaviour. */
public final class NativeRun {
    /**
     * util-linux's prlimit sets RLIMIT_CORE to 0 and then execs the binary (argv and environment
     * unchanged), so the fault tests leave no core files behind.
     */
    private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

    private NativeRun() {}

    public static RunResult run(Path binary, Directives d, Path prefix) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(PRLIMIT)) cmd.addAll(List.of(PRLIMIT.toString(), "--core=0", "--"));
        cmd.add(binary.toString());
        cmd.addAll(d.args());
        return ProcessRunner.run(cmd, d.env(), d.stdin(), d.timeout(), prefix);
    }
}
