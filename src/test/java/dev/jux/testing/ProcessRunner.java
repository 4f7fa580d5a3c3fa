package dev.jux.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command with an exact environment and a timeout. Standard input, output and error are
 * files ({@code PREFIX.stdin}, {@code .stdout}, {@code .stderr}), kept for inspection after the
 * run; so a test program's fd 0/1/2 are regular files, natively and under Jux alike.
 */
public final class ProcessRunner {
    private ProcessRunner() {}

    public static RunResult run(List<String> command, Map<String, String> env, byte[] stdin,
                                Duration timeout, Path prefix) throws IOException, InterruptedException {
        Files.createDirectories(prefix.getParent());
        Path in = sibling(prefix, ".stdin");
        Path out = sibling(prefix, ".stdout");
        Path err = sibling(prefix, ".stderr");
        Files.write(in, stdin);

        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(prefix.getParent().toFile())
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);

        long start = System.nanoTime();
        Process p = pb.start();
        boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new RunResult(p.exitValue(), Files.readAllBytes(out),
                new String(Files.readAllBytes(err), StandardCharsets.UTF_8), !finished, elapsed);
    }

    private static Path sibling(Path prefix, String suffix) {
        return prefix.resolveSibling(prefix.getFileName() + suffix);
    }
}
