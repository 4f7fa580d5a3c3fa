package dev.jux.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's strace runs inside Jux (ptrace: PTRACE_SEIZE, syscall stops, fork events,
 * PTRACE_GET_SYSCALL_INFO, PEEKDATA/process_vm_readv): {@code strace -f -o FILE sh -c 'echo hi; ls /'}
 * must print the command's output and trace both processes with the same system calls as a
 * native strace (compared as sets of names: addresses, pids and counts differ).
 */
class StraceTest {
    private static final Path CLASSES = Path.of(System.getProperty("user.dir")).resolve("target/classes");
    private static final Pattern CALL = Pattern.compile("^\\d+ +(?:<\\.\\.\\. )?([a-z_0-9]+)", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void straceFollowsAShellAndItsChild() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "strace is not installed");
        assumeTrue(Files.isRegularFile(CLASSES.resolve("dev/jux/cli/Main.class")), "Jux is not built");
        Path log = dir.resolve("kernel.log");
        List<String> jux = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", CLASSES.toString(), "dev.jux.cli.Main", "run",
                "--log", log.toString(), "--mount", dir + ":/w", "--"));
        jux.addAll(List.of("/usr/bin/strace", "-f", "-o", "/w/jux.trace", "/bin/sh", "-c", "echo hi; ls /"));
        String out = run(jux, "jux");
        assertTrue(out.startsWith("hi\n"), out);
        assertFalse(Files.exists(log) && Files.readString(log).contains("OOPS"), Files.exists(log) ? Files.readString(log) : "");
        String juxTrace = Files.readString(dir.resolve("jux.trace"));

        run(List.of("/usr/bin/strace", "-f", "-o", dir.resolve("native.trace").toString(), "/bin/sh", "-c", "echo hi; ls /"), "native");
        String nativeTrace = Files.readString(dir.resolve("native.trace"));
        assumeTrue(!nativeTrace.contains("PTRACE_TRACEME") && nativeTrace.contains("execve"), "strace does not work natively here");

        Set<String> juxCalls = names(juxTrace), nativeCalls = names(nativeTrace);
        Set<String> missing = new TreeSet<>(nativeCalls);
        missing.removeAll(juxCalls);
        assertEquals(Set.of(), missing, "calls strace saw natively but not under Jux:\n" + juxTrace);
        Set<String> extra = new TreeSet<>(juxCalls);
        extra.removeAll(nativeCalls);
        assertTrue(extra.size() <= 3, "calls only under Jux: " + extra + "\n" + juxTrace);
        // Both processes were followed to their end (the shell and ls).
        assertEquals(2, juxTrace.split("\\+\\+\\+ exited with 0 \\+\\+\\+", -1).length - 1, juxTrace);
    }

    private static Set<String> names(String trace) {
        Set<String> s = new TreeSet<>();
        Matcher m = CALL.matcher(trace);
        while (m.find()) s.add(m.group(1));
        return s;
    }

    private String run(List<String> cmd, String name) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Path.of("/").toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("LC_ALL", "C");
        Path out = dir.resolve(name + ".out"), err = dir.resolve(name + ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " timed out: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), name + ": " + Files.readString(err));
        return Files.readString(out);
    }
}
