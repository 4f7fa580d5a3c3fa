package dev.jux;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jux.testing.CProgram;
import dev.jux.testing.Flavour;
import dev.jux.testing.JuxRun;
import dev.jux.testing.ProcessRunner;
import dev.jux.testing.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest programs that touch far more memory than {@code --memory 256M} gives: the OOM killer
 * ends the largest process with SIGKILL and says so in the kernel log, while Jux itself goes
 * on and exits normally (no Java exception, no OOPS); a process with oom_score_adj -1000 is
 * never the one chosen.
 */
class OutOfMemoryTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir"));
    private static final Path CLASSES = ROOT.resolve("target/classes");

    @TempDir
    Path tmp;

    private RunResult run(String mode, Path log) throws Exception {
        assumeTrue(JuxRun.available(CLASSES), "Jux is not built");
        assumeTrue(Files.exists(Path.of("/dev/kvm")), "no /dev/kvm");
        assumeTrue(Flavour.GLIBC.compilerAvailable(), "no compiler");
        CProgram program = CProgram.findAll(ROOT.resolve("src/test/c/oom")).stream()
                .filter(p -> p.name().equals("hog")).findFirst().orElseThrow();
        Path binary = program.compile(Flavour.GLIBC, ROOT.resolve("target/c-tests"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", CLASSES.toString(), "dev.jux.cli.Main", "run",
                "--memory", "256M", "--log", log.toString(), binary.toString(), mode);
        return ProcessRunner.run(cmd, Map.of("PATH", "/usr/bin:/bin"), new byte[0], Duration.ofSeconds(120),
                tmp.resolve("run-" + mode));
    }

    @Test
    void aProcessTouchingFarMoreThanGuestMemoryIsKilled() throws Exception {
        Path log = tmp.resolve("alone.log");
        RunResult r = run("alone", log);
        String kernelLog = Files.exists(log) ? Files.readString(log) : "";
        assertEquals(128 + 9, r.status(), r.stdoutText() + r.stderr() + kernelLog);
        assertEquals("allocating\n", r.stdoutText());
        assertFalse(r.stderr().contains("Exception"), r.stderr());
        assertTrue(kernelLog.matches("(?s).*Out of memory: Killed process 1 \\(hog\\).*"), kernelLog);
        assertFalse(kernelLog.contains("OOPS"), kernelLog);
    }

    @Test
    void theLargestProcessIsKilledNotTheOneThatFaulted() throws Exception {
        Path log = tmp.resolve("pair.log");
        RunResult r = run("pair", log);
        String kernelLog = Files.exists(log) ? Files.readString(log) : "";
        assertEquals(0, r.status(), r.stdoutText() + r.stderr() + kernelLog);
        assertEquals("child killed by SIGKILL\nparent survived\n", r.stdoutText(), kernelLog);
        assertTrue(kernelLog.matches("(?s).*Out of memory: Killed process 2 \\(hog\\).*"), kernelLog);
        assertFalse(kernelLog.contains("OOPS"), kernelLog);
    }

    @Test
    void aProcessWithOomScoreAdjMinus1000IsSpared() throws Exception {
        Path log = tmp.resolve("spared.log");
        RunResult r = run("spared", log);
        String kernelLog = Files.exists(log) ? Files.readString(log) : "";
        assertEquals(0, r.status(), r.stdoutText() + r.stderr() + kernelLog);
        assertEquals("hog killed by SIGKILL\nspared child survived\n", r.stdoutText(), kernelLog);
        assertTrue(kernelLog.matches("(?s).*Out of memory: Killed process 3 \\(hog\\).*oom_score_adj:0.*"), kernelLog);
        assertFalse(kernelLog.contains("OOPS"), kernelLog);
    }
}
