package dev.jux.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a test binary under Jux in a fresh JVM: {@code java -cp target/classes dev.jux.cli.Main
 * run --log LOG -- BINARY ARGS}, with the test's environment and standard input. The JVM is the
 * one running the tests (JDK 25). Extra JVM options can be given with
 * {@code -Djux.test.jvmArgs="-Xint ..."}.
 */
public final class JuxRun {
    private JuxRun() {}

    /** True once the kernel's command line has been compiled into {@code classes}. */
    public static boolean available(Path classes) {
        return Files.isRegularFile(classes.resolve("dev/jux/cli/Main.class"));
    }

    public static RunResult run(Path classes, Path binary, Directives d, Path prefix, Path log)
            throws IOException, InterruptedException {
        return run(classes, binary, d, prefix, log, List.of(), 2);
    }

    /**
     * Like {@link #run(Path, Path, Directives, Path, Path)} with extra `jux run` options before
     * the test's own (e.g. {@code --platform interp}) and the timeout as {@code timeoutFactor}
     * times the native one.
     */
    public static RunResult run(Path classes, Path binary, Directives d, Path prefix, Path log,
            List<String> platformArgs, int timeoutFactor) throws IOException, InterruptedException {
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(Directives.words(System.getProperty("jux.test.jvmArgs", "")));
        cmd.addAll(List.of("-cp", classes.toString(), "dev.jux.cli.Main", "run", "--log", log.toString()));
        cmd.addAll(platformArgs);
        // A per-run scratch directory on the host's /tmp (the file system native runs use), for hostfs mounts.
        Path scratch = null;
        String hiddenUnder = null;
        for (String a : d.juxArgs()) {
            if (a.contains("{scratch}") && scratch == null) scratch = Files.createTempDirectory("jux-scratch");
            if (a.startsWith("{scratch}:")) hiddenUnder = a.substring("{scratch}:".length()).split(":")[0];
            cmd.add(scratch == null ? a : a.replace("{scratch}", scratch.toString()));
        }
        cmd.add("--");
        // A checkout under /tmp: the scratch mount over the guest's /tmp would hide the test
        // binary, so the guest runs a copy in /var/tmp (FHS), which it sees as on the host.
        Path copyDir = null;
        if (hiddenUnder != null && binary.toAbsolutePath().startsWith(hiddenUnder)) {
            copyDir = Files.createTempDirectory(Path.of("/var/tmp"), "jux-test-bin");
            Path copy = copyDir.resolve(binary.getFileName());
            Files.copy(binary, copy, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            cmd.add(copy.toString());
        } else {
            cmd.add(binary.toString());
        }
        cmd.addAll(d.args());
        try {
            // By default twice the native timeout: a JVM starts first, and every trap costs tens of microseconds.
            return ProcessRunner.run(cmd, d.env(), d.stdin(), d.timeout().multipliedBy(timeoutFactor), prefix);
        } finally {
            if (scratch != null) deleteTree(scratch);
            if (copyDir != null) deleteTree(copyDir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The kernel log's lines, or an empty list if Jux wrote none. */
    public static List<String> logLines(Path log) throws IOException {
        return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList() : List.of();
    }
}
