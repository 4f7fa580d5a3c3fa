package dev.jux.programs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random system-call numbers with random arguments, under Jux only (src/test/c/fuzz says why
 * never natively). Whatever the guest does, the kernel must answer without an oops and the
 * JVM must survive: the run either ends by itself or is still healthy when the watchdog stops
 * it (a call may block forever, as on Linux).
 */
class RandomSyscallFuzzTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir"));
    private static final Path CLASSES = ROOT.resolve("target/classes");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void theKernelSurvivesRandomSystemCalls(long seed) throws Exception {
        assumeTrue(Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm")), "no usable /dev/kvm");
        assumeTrue(Files.isRegularFile(CLASSES.resolve("dev/jux/cli/Main.class")), "Jux is not built");
        Path bin = dir.resolve("fuzz"), log = dir.resolve("kernel.log");
        Process gcc = new ProcessBuilder("gcc", "-static", "-O1", "-o", bin.toString(),
                ROOT.resolve("src/test/c/fuzz/random_syscalls.c").toString()).inheritIO().start();
        assumeTrue(gcc.waitFor() == 0, "gcc -static failed");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", CLASSES.toString(), "dev.jux.cli.Main",
                "run", "--log", log.toString(), "--", bin.toString(), Long.toString(seed));
        Process jux = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        boolean ended = jux.waitFor(15, TimeUnit.SECONDS);
        if (!ended) jux.destroyForcibly().waitFor();
        // The guest writes random bytes to random descriptors, stderr among them: read bytes, not UTF-8.
        String kernelLog = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        String err = Files.readString(dir.resolve("err"), StandardCharsets.ISO_8859_1);
        assertFalse(kernelLog.contains("OOPS"), "kernel log:\n" + kernelLog);
        assertFalse(err.contains("OOPS") || err.contains("Exception in thread"), "Jux's stderr:\n" + err);
        if (ended) assertTrue(jux.exitValue() < 256, "exit status " + jux.exitValue());
    }
}
