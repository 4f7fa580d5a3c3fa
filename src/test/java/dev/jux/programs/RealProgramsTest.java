package dev.jux.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's own dynamic programs, end to end: bash running a script, make -j4, gcc compiling
 * and running a program, python3 with subprocess, with 100 threads, with unix sockets
 * (socketpair, a server, fd passing, multiprocessing.Pool) and with http.server and urllib
 * on the loopback network, iproute2's ip showing lo over netlink, xz -T2, the host's java -version,
 * script on a pseudo-terminal, tmux and screen sessions. Each runs natively in one copy of
 * src/test/programs and under Jux (default root: the host's / read-only under a tmpfs) in
 * another, mounted read-write at /w; standard output and exit status must be the same, and
 * the kernel log must hold no OOPS.
 */
class RealProgramsTest {
    // RealProgramsInterpTest runs the same programs on the interpreter.
    private static final Path CLASSES = Path.of(System.getProperty("user.dir")).resolve("target/classes");
    private static final Path PROGRAMS = Path.of(System.getProperty("user.dir")).resolve("src/test/programs");

    @TempDir
    Path nativeDir;
    @TempDir
    Path juxDir;
    @TempDir
    Path logs;

    record Result(int status, String stdout, String stderr) {}

    /** Extra {@code jux run} options choosing the platform (none: the default, KVM). */
    List<String> platformArgs() {
        return List.of();
    }

    /** How much longer than natively a program may take under Jux. */
    int juxTimeoutFactor() {
        return 4;
    }

    /** Skips the threaded tests where the platform cannot run guest threads correctly. */
    void assumeThreads() {
    }

    /** Skips a test that takes minutes on this platform (unless asked for). */
    void assumeNotSlow(String why) {
    }

    /** Skips the test where the platform cannot run. */
    void assumePlatform() {
        assumeTrue(Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm")), "no usable /dev/kvm");
    }

    @BeforeEach
    void copyPrograms() throws IOException {
        assumePlatform();
        assumeTrue(Files.isRegularFile(CLASSES.resolve("dev/jux/cli/Main.class")), "Jux is not built");
        copyTree(PROGRAMS, nativeDir);
        copyTree(PROGRAMS, juxDir);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    private static Result run(List<String> cmd, Path cwd, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("HOME", "/root");
        Path out = Files.createTempFile("real", ".out"), err = Files.createTempFile("real", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + cmd + "\nstderr: " + Files.readString(err));
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** Runs {@code cmd} natively in nativeDir and under Jux in juxDir (as /w); both must agree. */
    private Result compare(String what, List<String> cmd, int expectedStatus, int timeoutSeconds) throws Exception {
        Result n = run(cmd, nativeDir, timeoutSeconds);
        assertEquals(expectedStatus, n.status, what + " natively: " + n.stderr);
        Path log = logs.resolve("kernel.log");
        List<String> juxCmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", CLASSES.toString(), "dev.jux.cli.Main", "run"));
        juxCmd.addAll(platformArgs());
        juxCmd.addAll(List.of("--log", log.toString(), "--mount", juxDir + ":/w", "--workdir", "/w", "--env", "HOME=/root", "--"));
        juxCmd.addAll(cmd);
        Result j = run(juxCmd, nativeDir, timeoutSeconds * juxTimeoutFactor());
        String kernelLog = Files.exists(log) ? Files.readString(log) : "";
        assertTrue(!kernelLog.contains("OOPS"), what + ": kernel oops:\n" + kernelLog);
        assertEquals(n.stdout, j.stdout, what + ": standard output (stderr under Jux: " + j.stderr + ")");
        assertEquals(n.status, j.status, what + ": exit status (stderr under Jux: " + j.stderr + ")");
        return j;
    }

    @Test
    void bashRunsAScriptWithPipelinesSubshellsTrapsAndJobs() throws Exception {
        compare("bash script.sh", List.of("/bin/bash", "script.sh", "one", "two"), 0, 60);
    }

    /** util-linux's script runs the command on a pseudo-terminal (posix_openpt, signalfd, poll): tty names a /dev/pts/N. */
    @Test
    void scriptRunsACommandOnAPseudoTerminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script (util-linux) is not installed");
        // The pty's number differs from the native run's: compare without digits and CRs.
        Result r = compare("script -qc tty", List.of("/bin/sh", "-c",
                "script -qc 'tty; tty -s && echo stdin-is-a-tty; echo $((6 * 7))' /dev/null | tr -d '0-9\\r'"), 0, 60);
        assertEquals("/dev/pts/\nstdin-is-a-tty\n\n", r.stdout());
    }

    /**
     * tmux (issue 6): a detached server on a pseudo-terminal, driven by clients over an AF_UNIX
     * socket (SCM_RIGHTS passes the client's stdio): the pane's output, send-keys input echoed by
     * the pty and by cat, the pane's tty and size, its foreground command, split and resize; the
     * server exits on kill-server.
     */
    @Test
    void tmuxRunsADetachedSessionDrivenByItsClients() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux is not installed");
        Result r = compare("tmux", List.of("/bin/sh", "tmux.sh"), 0, 120);
        assertTrue(r.stdout().contains("hello from the pane\n24 80\n/dev/pts/N\ntyped line\ntyped line\n"), r.stdout());
        assertTrue(r.stdout().contains("juxtest 80x24 cat\n"), r.stdout());
        assertTrue(r.stdout().contains("kill-server: 0\nhas-session after kill-server: 1\n"), r.stdout());
    }

    /** GNU screen (issue 6): a detached session, input stuffed into its window, a hardcopy of it, quit. */
    @Test
    void screenRunsADetachedSessionDrivenByItsClients() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/screen")), "screen is not installed");
        Result r = compare("screen", List.of("/bin/sh", "screen.sh"), 0, 120);
        assertTrue(r.stdout().contains("hello from screen\n24 80\n/dev/pts/N\ntyped line\ntyped line\n"), r.stdout());
        assertTrue(r.stdout().contains("quit: 0\nscreen -ls after quit: 1\n"), r.stdout());
    }

    /** coreutils' tail -f waits for the file's IN_MODIFY (inotify) instead of polling. */
    @Test
    void tailFollowsAFileThroughInotify() throws Exception {
        Result r = compare("tail -f", List.of("/bin/sh", "tail_follow.sh"), 0, 60);
        assertEquals("one\ntwo\n", r.stdout());
    }

    /** inotify-tools' inotifywait -m reports what a script does in a directory, event by event. */
    @Test
    void inotifywaitReportsADirectorysEvents() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/inotifywait")), "inotify-tools is not installed");
        Result r = compare("inotifywait -m", List.of("/bin/sh", "inotifywait.sh"), 0, 60);
        assertEquals("CREATE a\nCLOSE_WRITE,CLOSE a\nCREATE,ISDIR sub\nMOVED_FROM a\nMOVED_TO b\nDELETE b\nDELETE,ISDIR sub\n", r.stdout());
    }

    @Test
    void makeBuildsInParallel() throws Exception {
        compare("make -j4", List.of("/usr/bin/make", "-s", "-j4"), 0, 60);
    }

    @Test
    void xzCompressesAndDecompressesWithTwoThreads() throws Exception {
        assumeThreads();
        assumeNotSlow("xz -6 of 4.5 MB: about 6 minutes interpreted");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/xz")), "xz is not installed");
        compare("xz -T2", List.of("/bin/sh", "xz_threads.sh"), 0, 120);
    }

    @Test
    void hostJavaPrintsItsVersion() throws Exception {
        assumeThreads();
        String java = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";
        assumeTrue(Files.isExecutable(Path.of(java)), "OpenJDK 17 is not installed");
        compare("java -version", List.of("/bin/sh", "-c", java + " -version 2>&1"), 0, 120);
    }

    @Test
    void gccCompilesAndRunsAProgramInsideJux() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed");
        compare("gcc -O2 hello.c", List.of("/bin/sh", "-c", "gcc -O2 hello.c -o hello && ./hello 4"), 4, 120);
        assertTrue(Files.isExecutable(juxDir.resolve("hello")), "the program gcc built under Jux is on the host mount");
    }

    @Test
    void python3RunsSubprocesses() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        compare("python3 py_subprocess.py", List.of("/usr/bin/python3", "py_subprocess.py"), 3, 60);
    }

    @Test
    void python3UsesUnixSockets() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        compare("python3 py_sockets.py", List.of("/usr/bin/python3", "py_sockets.py"), 0, 90);
    }

    @Test
    void python3ServesAndFetchesHttpOnTheLoopbackNetwork() throws Exception {
        assumeThreads();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        compare("python3 py_http.py", List.of("/usr/bin/python3", "py_http.py"), 0, 60);
    }

    @Test
    void iproute2ShowsTheLoopbackInterfaceOverNetlink() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "iproute2 is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        compare("sh ip_lo.sh", List.of("/bin/sh", "ip_lo.sh"), 0, 30);
    }

    @Test
    void python3RunsAHundredThreads() throws Exception {
        assumeThreads();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        compare("python3 py_threads.py", List.of("/usr/bin/python3", "py_threads.py"), 0, 60);
    }
}
