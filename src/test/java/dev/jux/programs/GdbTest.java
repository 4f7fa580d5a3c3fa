package dev.jux.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's gdb debugs a crashing PIE program inside Jux: {@code gdb -batch -ex run -ex bt}
 * needs fork + PTRACE_TRACEME, exec stops, breakpoints poked into ld.so's text (INT3),
 * PTRACE_SINGLESTEP over them, the registers and XSAVE state (GETREGSET NT_X86_XSTATE) and
 * /proc/PID/auxv for the load address. The backtrace must name both frames with their lines.
 */
class GdbTest {
    private static final Path CLASSES = Path.of(System.getProperty("user.dir")).resolve("target/classes");
    private static final String PROGRAM = "void f(int *p) { *p = 1; }\nint main(void) { f(0); return 0; }\n";

    @TempDir
    Path dir;

    @Test
    void gdbBacktracesASegfault() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gdb")), "gdb is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed");
        assumeTrue(Files.isRegularFile(CLASSES.resolve("dev/jux/cli/Main.class")), "Jux is not built");
        Files.writeString(dir.resolve("crash.c"), PROGRAM);
        run(List.of("/usr/bin/gcc", "-g", "-O0", "-o", dir.resolve("crash").toString(), dir.resolve("crash.c").toString()), "gcc");
        String nativeOut = run(List.of("/usr/bin/gdb", "-nx", "-batch", "-ex", "run", "-ex", "bt", dir.resolve("crash").toString()), "native");
        assumeTrue(nativeOut.contains("in main () at"), "gdb does not work natively here:\n" + nativeOut);

        Path log = dir.resolve("kernel.log");
        List<String> jux = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", CLASSES.toString(), "dev.jux.cli.Main", "run",
                "--log", log.toString(), "--mount", dir + ":/w", "--",
                "/usr/bin/gdb", "-nx", "-batch", "-ex", "run", "-ex", "bt", "/w/crash"));
        String out = run(jux, "jux");
        assertTrue(out.contains("Program received signal SIGSEGV"), out);
        assertTrue(out.contains("in f (p=0x0) at /w/crash.c:1") || out.contains("in f (p=0x0) at " + dir + "/crash.c:1"), out);
        assertTrue(out.matches("(?s).*#1 +0x[0-9a-f]+ in main \\(\\) at \\S*crash\\.c:2.*"), out);
        assertFalse(Files.exists(log) && Files.readString(log).contains("OOPS"), Files.exists(log) ? Files.readString(log) : "");
    }

    private String run(List<String> cmd, String name) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("HOME", dir.toString());
        Path out = dir.resolve(name + ".out");
        pb.redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " timed out: " + Files.readString(out));
        }
        String text = Files.readString(out);
        if (name.equals("gcc")) assertEquals(0, p.exitValue(), text);
        return text;
    }
}
