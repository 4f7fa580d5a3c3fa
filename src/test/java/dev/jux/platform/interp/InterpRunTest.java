package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the interpreter: {@code jux run --platform interp} loads a static program
 * (src/test/c/interp/raw-hello.S: no libc, so no SSE yet) through the real kernel, which
 * handles its write and exit_group. Needs gcc; never /dev/kvm.
 */
class InterpRunTest {
    private static final Path BASE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void aRawSyscallProgramPrintsAndExitsUnderInterp() throws IOException, InterruptedException {
        assumeTrue(Files.isRegularFile(Path.of("/usr/bin/gcc")) || Files.isRegularFile(Path.of("/usr/local/bin/gcc")), "gcc not installed");
        Path binary = dir.resolve("raw-hello");
        Process cc = new ProcessBuilder("gcc", "-nostdlib", "-static", "-o", binary.toString(),
                BASE.resolve("src/test/c/interp/raw-hello.S").toString()).redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, cc.waitFor(), ccOut);

        Path out = dir.resolve("out"), err = dir.resolve("err"), log = dir.resolve("log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", BASE.resolve("target/classes").toString(),
                "dev.jux.cli.Main", "run", "--platform", "interp", "--log", log.toString(), "--", binary.toString()))
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("jux did not finish");
        }
        String stderr = Files.readString(err);
        assertEquals(7, p.exitValue(), stderr);
        assertEquals("hello from the interpreter\n", Files.readString(out));
        assertEquals("", stderr);
        assertEquals(List.of(), Files.readAllLines(log).stream().filter(l -> l.contains("OOPS")).toList());
    }
}
