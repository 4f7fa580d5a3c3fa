package dev.jux.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Debian's static busybox on the interpreter ({@code jux run --platform interp}): text, number
 * (awk's floating point, printf) and read-only file applets give the same output and exit
 * status as natively. Needs no /dev/kvm.
 */
class BusyboxInterpTest {
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Path CLASSES = Path.of(System.getProperty("user.dir")).resolve("target/classes");

    private static final List<List<String>> STEPS = List.of(
            List.of("echo", "hello", "world"),
            List.of("seq", "-s", ",", "1", "3", "20"),
            List.of("expr", "6", "*", "7"),
            List.of("sort", "-r", "/etc/passwd"),
            List.of("sha256sum", "/etc/os-release"),
            List.of("md5sum", "/bin/busybox"),
            List.of("awk", "BEGIN { printf \"%.10f %g %d %e\\n\", atan2(1, 1) * 4, 1 / 3, 2 ^ 40, exp(10) }"),
            List.of("awk", "BEGIN { for (i = 1; i < 2e5; i *= 1.7) s += sqrt(i); print s, int(s), s % 7 }"),
            List.of("printf", "%x %o %.3f %s\\n", "255", "8", "2.71828", "done"),
            List.of("wc", "/etc/os-release"),
            List.of("od", "-A", "x", "-t", "x1z", "-N", "64", "/bin/busybox"),
            List.of("sh", "-c", "i=0; while [ $i -lt 200 ]; do i=$((i + 1)); done; echo $i; exit 3"),
            List.of("du", "-s", "/usr/include/linux"),
            List.of("stat", "-c", "%n %s %F %a", "/etc/os-release", "/usr/bin"),
            List.of("false"));

    @Test
    void appletsBehaveAsNativelyOnTheInterpreter() throws Exception {
        assumeTrue(Files.isExecutable(BUSYBOX), "busybox-static is not installed");
        assumeTrue(Files.isRegularFile(CLASSES.resolve("dev/jux/cli/Main.class")), "Jux is not built");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (List<String> step : STEPS) {
            List<String> nativeCmd = new ArrayList<>(List.of(BUSYBOX.toString()));
            nativeCmd.addAll(step);
            List<String> juxCmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", CLASSES.toString(),
                    "dev.jux.cli.Main", "run", "--platform", "interp", "--", BUSYBOX.toString()));
            juxCmd.addAll(step);
            BusyboxFilesTest.Result n = BusyboxFilesTest.run(nativeCmd, Path.of(System.getProperty("user.dir")), 120);
            BusyboxFilesTest.Result j = BusyboxFilesTest.run(juxCmd, Path.of(System.getProperty("user.dir")), 120);
            String what = "busybox " + String.join(" ", step);
            assertEquals(n.stdout(), j.stdout(), what + ": output");
            assertEquals(n.status(), j.status(), what + ": exit status");
        }
    }
}
