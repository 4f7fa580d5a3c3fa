package dev.jux.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's static busybox runs its file applets one at a time, natively in one scratch
 * directory and under Jux in another (mounted read-write at /w with --mount): each step must
 * print the same and exit the same, and both trees must end up the same. The scratch
 * directories' own paths and dates are the only things allowed to differ.
 */
class BusyboxFilesTest {
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Path CLASSES = Path.of(System.getProperty("user.dir")).resolve("target/classes");

    @TempDir
    Path nativeDir;
    @TempDir
    Path juxDir;

    /** Each step: the applet and its arguments, and whether its output lines may come in any order. */
    private static final List<List<String>> STEPS = List.of(
            List.of("mkdir", "-p", "d/e/f"),
            List.of("touch", "d/file1"),
            List.of("cp", "/etc/os-release", "d/e/data"),
            List.of("ln", "-s", "e/data", "d/link"),
            List.of("readlink", "d/link"),
            List.of("readlink", "-f", "d/link"),
            List.of("sha256sum", "d/e/data", "d/link"),
            List.of("stat", "-c", "%n %s %F %a %h", "d", "d/e/data", "d/link", "d/file1"),
            List.of("cp", "-a", "d", "d2"),
            List.of("mv", "d2/e", "d2/moved"),
            List.of("find", "."),
            List.of("ls", "-la", "d", "d2"),
            List.of("du", "-s", "d"),
            List.of("rm", "-r", "d2/moved"),
            List.of("ls", "-1", "d2"),
            List.of("stat", "-c", "%n %F", "nonexistent"),
            List.of("rm", "d"));

    record Result(int status, String stdout) {}

    private static Result run(List<String> cmd, Path cwd) throws IOException, InterruptedException {
        return run(cmd, cwd, 60);
    }

    /** Runs {@code cmd} in {@code cwd} with PATH and LC_ALL=C only, stdin /dev/null; its status and stdout. */
    static Result run(List<String> cmd, Path cwd, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("LC_ALL", "C");
        Path out = Files.createTempFile("busybox", ".out");
        pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        String s = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return new Result(p.exitValue(), s);
    }

    /** Makes outputs comparable: the scratch directory's path becomes BASE, ls dates go. */
    private static String normalize(String out, String base, boolean sort) {
        List<String> lines = new ArrayList<>();
        for (String line : out.replace(base, "BASE").lines().toList()) {
            lines.add(line.replaceAll(" [A-Z][a-z]{2} [ 0-9]\\d ( \\d{4}|\\d\\d:\\d\\d) ", " DATE "));
        }
        if (sort) java.util.Collections.sort(lines);
        return String.join("\n", lines);
    }

    /** The tree as a sorted list of "path type size mode [target]". */
    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<String> out = new ArrayList<>();
            for (Path p : s.toList()) {
                String rel = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.add(rel + " link " + Files.readSymbolicLink(p));
                } else {
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                    out.add(rel + (Files.isDirectory(p) ? " dir " : " file " + Files.size(p) + " ") + mode);
                }
            }
            java.util.Collections.sort(out);
            return out;
        }
    }

    @Test
    void fileAppletsBehaveAsNatively() throws Exception {
        assumeTrue(Files.isExecutable(BUSYBOX), "busybox-static is not installed");
        assumeTrue(Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm")), "no usable /dev/kvm");
        assumeTrue(Files.isRegularFile(CLASSES.resolve("dev/jux/cli/Main.class")), "Jux is not built");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (List<String> step : STEPS) {
            List<String> nativeCmd = new ArrayList<>(List.of(BUSYBOX.toString()));
            nativeCmd.addAll(step);
            List<String> juxCmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", CLASSES.toString(),
                    "dev.jux.cli.Main", "run", "--mount", juxDir + ":/w", "--workdir", "/w", "--", BUSYBOX.toString()));
            juxCmd.addAll(step);
            Result n = run(nativeCmd, nativeDir);
            Result j = run(juxCmd, nativeDir);
            boolean sort = step.getFirst().equals("find") || step.getFirst().equals("ls");
            String what = "busybox " + String.join(" ", step);
            assertEquals(n.status, j.status, what + ": exit status");
            assertEquals(normalize(n.stdout, nativeDir.toString(), sort), normalize(j.stdout, "/w", sort), what + ": output");
        }
        assertEquals(tree(nativeDir), tree(juxDir), "the trees after all steps");
    }

    /**
     * On the default root (the host's / read-only under a tmpfs) the applets see the host's
     * files exactly as natively; writes land in the tmpfs and the host is left untouched.
     */
    @Test
    void fileAppletsSeeTheHostThroughTheOverlayRoot() throws Exception {
        assumeTrue(Files.isExecutable(BUSYBOX), "busybox-static is not installed");
        assumeTrue(Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm")), "no usable /dev/kvm");
        assumeTrue(Files.isRegularFile(CLASSES.resolve("dev/jux/cli/Main.class")), "Jux is not built");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<List<String>> steps = List.of(
                List.of("ls", "-la", "/usr/include/linux/netfilter"),
                List.of("stat", "-c", "%n %s %F %a %h %u %g %i", "/etc/os-release", "/usr/bin", "/bin"),
                List.of("find", "/usr/include/linux", "-name", "*.h", "-newer", "/etc/hostname"),
                List.of("du", "-s", "/usr/include/linux"),
                List.of("sha256sum", "/etc/os-release", "/bin/busybox"),
                List.of("readlink", "-f", "/bin/busybox"),
                List.of("cat", "/nonexistent/file"));
        for (List<String> step : steps) {
            List<String> nativeCmd = new ArrayList<>(List.of(BUSYBOX.toString()));
            nativeCmd.addAll(step);
            List<String> juxCmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", CLASSES.toString(),
                    "dev.jux.cli.Main", "run", "--", BUSYBOX.toString()));
            juxCmd.addAll(step);
            Result n = run(nativeCmd, nativeDir);
            Result j = run(juxCmd, nativeDir);
            boolean sort = step.getFirst().equals("find") || step.getFirst().equals("ls");
            String what = "busybox " + String.join(" ", step);
            assertEquals(n.status, j.status, what + ": exit status");
            assertEquals(normalize(n.stdout, "/nonexistent-base", sort), normalize(j.stdout, "/nonexistent-base", sort), what + ": output");
        }
        // A write through the overlay root changes nothing on the host.
        Path victim = nativeDir.resolve("victim");
        Files.writeString(victim, "host data");
        Result r = run(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", CLASSES.toString(), "dev.jux.cli.Main",
                "run", "--", BUSYBOX.toString(), "rm", victim.toString()), nativeDir);
        assertEquals(0, r.status, "rm through the overlay succeeds in the guest");
        assertEquals("host data", Files.readString(victim), "the host file is untouched");
    }
}
