package dev.jux;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jux.testing.CProgram;
import dev.jux.testing.Directives;
import dev.jux.testing.Flavour;
import dev.jux.testing.JuxRun;
import dev.jux.testing.NativeRun;
import dev.jux.testing.RunResult;
import dev.jux.testing.Signals;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * Differential tests: every {@code src/test/c/*.c} is compiled in each {@link Flavour}, run
 * natively, then run under Jux with the same arguments, environment and standard input. Jux
 * must give the same standard output and exit status, and its kernel log must have no OOPS.
 * The native run must behave as the program's directives declare (see {@link Directives});
 * if it does not, the test itself is broken.
 *
 * <p>System properties (pass them to {@code bin/test}): {@code jux.test.filter=hello,musl} runs
 * only the tests whose name ("hello [musl]") contains one of the comma-separated words;
 * {@code jux.test.nativeOnly=true} checks the programs natively and skips Jux;
 * {@code jux.test.jvmArgs="..."} adds options to the JVM that runs Jux.
 *
 * <p>Binaries and the files of every run (stdin, stdout, stderr, kernel log) are kept under
 * {@code target/c-tests/}.
 */
class DifferentialTest {
    static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    static final Path SOURCES = ROOT.resolve("src/test/c");
    private static final Path OUT = ROOT.resolve("target/c-tests");
    private static final Path CLASSES = ROOT.resolve("target/classes");

    @TestFactory
    Stream<DynamicContainer> cPrograms() {
        List<String> filter = Arrays.stream(System.getProperty("jux.test.filter", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        List<DynamicContainer> containers = new ArrayList<>();
        for (CProgram program : CProgram.findAll(SOURCES)) {
            List<DynamicTest> tests = new ArrayList<>();
            for (Flavour flavour : Flavour.values()) {
                String name = program.name() + " [" + flavour.id() + "]";
                if (!program.directives().flavours().contains(flavour)) continue;
                if (!filter.isEmpty() && filter.stream().noneMatch(name::contains)) continue;
                tests.add(DynamicTest.dynamicTest(name, program.source().toUri(), () -> {
                    skipReason(program, flavour).ifPresent(why -> assumeTrue(false, why));
                    check(program, flavour, name);
                }));
            }
            if (!tests.isEmpty()) {
                containers.add(DynamicContainer.dynamicContainer(program.name(), program.source().toUri(), tests.stream()));
            }
        }
        if (containers.isEmpty()) fail("no C test in " + SOURCES + " matches jux.test.filter=" + filter);
        return containers.stream();
    }

    /** Extra `jux run` options: the platform the suite runs on (the default: auto). */
    List<String> platformArgs() {
        return List.of();
    }

    /** Where this run's files go under target/c-tests/runs/, per flavour. */
    String runsDirectory(Flavour flavour) {
        return flavour.id();
    }

    /** Jux's timeout as a multiple of the native one. */
    int timeoutFactor() {
        return 2;
    }

    /** Why a program cannot run on this platform yet, if it cannot. */
    java.util.Optional<String> skipReason(CProgram program, Flavour flavour) {
        return java.util.Optional.empty();
    }

    private void check(CProgram program, Flavour flavour, String name) throws Exception {
        if (!flavour.compilerAvailable()) {
            String why = flavour.compiler() + " is not installed, so " + name + " cannot be built"
                    + (flavour == Flavour.MUSL ? " (apt-get install musl-tools)" : "");
            if (Boolean.parseBoolean(System.getenv("CI"))) fail(why);  // CI must test every flavour
            assumeTrue(false, why);
        }
        Path binary = program.compile(flavour, OUT);
        Directives d = program.directives();
        Path runs = OUT.resolve("runs").resolve(runsDirectory(flavour));

        RunResult nat = NativeRun.run(binary, d, runs.resolve(program.name() + ".native"));
        if (nat.timedOut() || nat.status() != d.expectedStatus()) {
            fail("broken test: natively " + name + (nat.timedOut() ? " timed out" : " gave " + Signals.describeStatus(nat.status()))
                    + " but it declares " + Signals.describeStatus(d.expectedStatus())
                    + section("native stdout", nat.stdoutText()) + section("native stderr", nat.stderr()));
        }
        assumeFalse(Boolean.getBoolean("jux.test.nativeOnly"), "jux.test.nativeOnly: Jux not run");
        assumeTrue(JuxRun.available(CLASSES), "Jux is not built yet: no dev.jux.cli.Main in " + CLASSES);

        Path log = runs.resolve(program.name() + ".jux.log");
        RunResult jux = JuxRun.run(CLASSES, binary, d, runs.resolve(program.name() + ".jux"), log, platformArgs(), timeoutFactor());
        List<String> logLines = JuxRun.logLines(log);

        List<String> problems = new ArrayList<>();
        if (jux.timedOut()) {
            problems.add("Jux timed out after " + jux.elapsed().toSeconds() + " s");
        } else if (jux.status() != nat.status()) {
            problems.add("exit status: native " + Signals.describeStatus(nat.status())
                    + ", Jux " + Signals.describeStatus(jux.status()));
        }
        List<String> oopses = logLines.stream().filter(l -> l.contains("OOPS")).limit(10).toList();
        if (!oopses.isEmpty()) problems.add("the kernel log has an OOPS:\n      " + String.join("\n      ", oopses));
        boolean sameStdout = Arrays.equals(nat.stdout(), jux.stdout());
        if (!sameStdout) problems.add("stdout differs, " + firstDifference(nat.stdoutText(), jux.stdoutText()));
        if (problems.isEmpty()) return;

        String report = name + " under Jux differs from native:\n  - " + String.join("\n  - ", problems)
                + section("Jux stderr", jux.stderr())
                + section("kernel log (" + log + ")", String.join("\n", tail(logLines, 150)))
                + "\n(all files of both runs are in " + runs + ")";
        throw sameStdout ? new AssertionFailedError(report)
                : new AssertionFailedError(report, nat.stdoutText(), jux.stdoutText());
    }

    /** Where two outputs first differ, as "line N: native '...', Jux '...'". */
    private static String firstDifference(String expected, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? "'" + a[i] + "'" : "(end)";
            String y = i < b.length ? "'" + b[i] + "'" : "(end)";
            if (!x.equals(y)) return "first at line " + (i + 1) + ":\n      native: " + x + "\n      Jux:    " + y;
        }
        return "in bytes that are not valid UTF-8";
    }

    private static List<String> tail(List<String> lines, int n) {
        return lines.size() <= n ? lines : lines.subList(lines.size() - n, lines.size());
    }

    private static String section(String title, String text) {
        if (text.isBlank()) return "\n--- " + title + ": (empty)";
        List<String> lines = text.lines().toList();
        String body = String.join("\n", tail(lines, 150));
        return "\n--- " + title + (lines.size() > 150 ? " (last 150 lines)" : "") + " ---\n" + body;
    }
}
