package dev.jux.loader;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the C programs in src/test/c/loader and runs host commands; skips the test if a tool is missing. */
final class NativeTools {
    private static final Path SOURCES = Path.of("src/test/c/loader");

    private NativeTools() {}

    static boolean exists(String tool) {
        return which(tool) != null;
    }

    /** The absolute path of {@code tool} on PATH, or null. */
    static String which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (!dir.isEmpty() && Files.isExecutable(p)) return p.toAbsolutePath().toString();
        }
        return null;
    }

    /** Compiles {@code source} with {@code compiler} and {@code flags} into {@code dir}. */
    static Path compile(String compiler, String source, Path dir, String output, String... flags) {
        assumeTrue(exists(compiler), compiler + " not installed");
        Path out = dir.resolve(output);
        List<String> cmd = new ArrayList<>(List.of(compiler, "-O1", "-o", out.toString()));
        cmd.addAll(List.of(flags));
        cmd.add(SOURCES.resolve(source).toString());
        Result r = run(cmd);
        assumeTrue(r.status == 0, String.join(" ", cmd) + " failed: " + r.stderr);
        return out;
    }

    record Result(int status, String stdout, String stderr) {}

    /** Runs a command with an empty environment (pass "env", "-i", ... to set one up). */
    static Result run(List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
            Path err = Files.createTempFile("jux-native", ".err");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = p.waitFor();
            String stderr = Files.readString(err);
            Files.delete(err);
            return new Result(status, out, stderr);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
