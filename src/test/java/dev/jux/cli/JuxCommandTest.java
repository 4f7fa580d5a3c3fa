package dev.jux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code jux} command line, run as a real subprocess: messages and exit statuses. */
class JuxCommandTest {
    private static final Path CLASSES = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target/classes");

    @TempDir
    Path dir;

    record Result(int status, String stdout, String stderr) {}

    private Result jux(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", CLASSES.toString(), "dev.jux.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path out = dir.resolve("jux.out"), err = dir.resolve("jux.err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("jux did not finish: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private Result jux(String... args) throws IOException, InterruptedException {
        return jux(Map.of(), args);
    }

    private Path file(String name, String content, String mode) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    /** A static C program built with gcc; the test is skipped without gcc or without KVM. */
    private Path cProgram(String name, String source) throws IOException, InterruptedException {
        assumeTrue(Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm")), "no usable /dev/kvm");
        Path src = dir.resolve(name + ".c"), bin = dir.resolve(name);
        Files.writeString(src, source);
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-static", "-O1", "-o", bin.toString(), src.toString()).inheritIO().start();
        } catch (IOException e) {
            assumeTrue(false, "gcc is not installed");
            throw e;
        }
        assumeTrue(gcc.waitFor() == 0, "gcc -static failed (no static libc?)");
        return bin;
    }

    @Test
    void versionPrintsJuxAndTheVersion() throws Exception {
        Result r = jux("--version");
        assertEquals(0, r.status);
        assertTrue(r.stdout.matches("jux \\d+\\.\\d+\\.\\d+\\S*\n"), r.stdout);
        assertEquals("", r.stderr);
    }

    @Test
    void anUnknownOptionIsAUsageError() throws Exception {
        Result r = jux("run", "--bogus", "--", "/bin/true");
        assertEquals(2, r.status);
        assertTrue(r.stderr.startsWith("jux: unknown option '--bogus'\nusage: jux run "), r.stderr);
        assertEquals("", r.stdout);
    }

    @Test
    void anUnknownCommandOrNoneAtAllIsAUsageError() throws Exception {
        Result r = jux("frobnicate");
        assertEquals(2, r.status);
        assertTrue(r.stderr.startsWith("jux: unknown command 'frobnicate'\nusage: jux run "), r.stderr);
        r = jux();
        assertEquals(2, r.status);
        assertTrue(r.stderr.startsWith("usage: jux run "), r.stderr);
        r = jux("run");
        assertEquals(2, r.status);
        assertTrue(r.stderr.startsWith("jux: no program given\n"), r.stderr);
    }

    @Test
    void aMissingProgramIs127() throws Exception {
        Result r = jux("run", "--", "/nonexistent/prog");
        assertEquals(127, r.status);
        assertEquals("jux: /nonexistent/prog: No such file or directory\n", r.stderr);
        r = jux(Map.of("PATH", dir.toString()), "run", "no-such-command");
        assertEquals(127, r.status);
        assertEquals("jux: no-such-command: No such file or directory\n", r.stderr);
    }

    @Test
    void aFileThatIsNotElfIsExecFormatError() throws Exception {
        Path f = file("notelf", "hello\n", "rwxr-xr-x");
        Result r = jux("run", "--", f.toString());
        assertEquals(126, r.status);
        assertEquals("jux: " + f + ": Exec format error\n", r.stderr);
    }

    @Test
    void aFileWithoutExecutePermissionIsPermissionDenied() throws Exception {
        // Even root needs an x bit to execve a file.
        Path f = file("noexec", "\u007fELF", "rw-r--r--");
        Result r = jux("run", "--", f.toString());
        assertEquals(126, r.status);
        assertEquals("jux: " + f + ": Permission denied\n", r.stderr);
    }

    @Test
    void aDirectoryIsPermissionDenied() throws Exception {
        Result r = jux("run", "--", dir.toString());
        assertEquals(126, r.status);
        assertEquals("jux: " + dir + ": Permission denied\n", r.stderr);
    }

    @Test
    void aPathThroughAFileIsNotADirectory() throws Exception {
        Path f = file("plain", "x", "rw-r--r--");
        Result r = jux("run", "--", f + "/prog");
        assertEquals(126, r.status);
        assertEquals("jux: " + f + "/prog: Not a directory\n", r.stderr);
    }

    @Test
    void aCommandFoundInPathWithoutExecutePermissionIsPermissionDenied() throws Exception {
        // execvp goes on searching after EACCES, and reports it if nothing else runs.
        file("cmd", "x", "rw-r--r--");
        Result r = jux(Map.of("PATH", dir.toString()), "run", "cmd");
        assertEquals(126, r.status);
        assertEquals("jux: cmd: Permission denied\n", r.stderr);
        Files.createDirectory(dir.resolve("subdir"));
        r = jux(Map.of("PATH", dir.toString()), "run", "subdir");
        assertEquals(126, r.status);
        assertEquals("jux: subdir: Permission denied\n", r.stderr);
    }

    @Test
    void aStaticProgramRunsWithItsArgumentsAndExitsWithItsStatus() throws Exception {
        Path p = cProgram("exit7", "#include <stdio.h>\nint main(int c, char **v) { puts(v[1]); return 7; }\n");
        Result r = jux("run", "--", p.toString(), "hello");
        assertEquals(7, r.status, r.stderr);
        assertEquals("hello\n", r.stdout);
        assertEquals("", r.stderr);
    }

    /** Jux halts at the end when it has no shutdown hook of its own, but not over a flight recording, which JFR writes from its hook. */
    @Test
    void aFlightRecordingIsWrittenWhenTheProgramEnds() throws Exception {
        Path p = cProgram("exit7", "int main(void) { return 7; }\n");
        Path recording = dir.resolve("run.jfr");
        Result r = jux(Map.of("JDK_JAVA_OPTIONS", "-XX:StartFlightRecording=filename=" + recording), "run", "--platform", "interp", "--", p.toString());
        assertEquals(7, r.status, r.stderr);
        assertTrue(Files.size(recording) > 0, "no recording written: " + r.stderr);
    }

    @Test
    void anAbsoluteProgramIsFoundOnAGuestMount() throws Exception {
        Path p = cProgram("onmount", "#include <stdio.h>\nint main(int c, char **v) { puts(v[0]); return 3; }\n");
        Result r = jux("run", "--mount", p.getParent() + ":/w", "--", "/w/onmount");
        assertEquals(3, r.status, r.stderr);
        assertEquals("/w/onmount\n", r.stdout);
    }

    @Test
    void aProgramKilledBySigsegvExitsWith139() throws Exception {
        Path p = cProgram("segv", "int main(void) { *(volatile int *)8 = 1; return 0; }\n");
        Result r = jux("run", "--", p.toString());
        assertEquals(128 + 11, r.status, r.stderr);
    }

    @Test
    void runningOutOfGuestMemoryKillsTheProcessNotJux() throws Exception {
        Path prog = cProgram("hog", """
                #include <stdlib.h>
                int main(void) {
                    // 16 MiB at a time: one 512 MiB malloc is refused outright (ENOMEM) by the
                    // overcommit heuristic, as on a Linux with 128 MiB of RAM.
                    if (malloc((size_t)512 << 20)) return 4;
                    for (int k = 0; k < 32; k++) {
                        size_t n = (size_t)16 << 20;
                        volatile char *p = malloc(n);
                        if (!p) return 3;
                        for (size_t i = 0; i < n; i += 4096) p[i] = 1;
                    }
                    return 0;
                }
                """);
        Path log = dir.resolve("kernel.log");
        Result r = jux("run", "--memory", "128M", "--log", log.toString(), "--", prog.toString());
        assertEquals(128 + 9, r.status, r.stderr);
        String kernelLog = Files.readString(log);
        assertTrue(kernelLog.contains("Out of memory: Killed process 1"), kernelLog);
        assertTrue(!kernelLog.contains("OOPS"), kernelLog);
    }

    private static final String ID_PROGRAM = """
            #include <stdio.h>
            #include <string.h>
            #include <unistd.h>
            #include <sys/auxv.h>
            int main(void) {
                gid_t g[16];
                int n = getgroups(16, g);
                printf("uid=%u euid=%u gid=%u egid=%u groups=", getuid(), geteuid(), getgid(), getegid());
                for (int k = 0; k < n; k++) printf("%s%u", k ? "," : "", g[k]);
                printf("\\nauxv uid=%lu euid=%lu gid=%lu egid=%lu secure=%lu\\n", getauxval(AT_UID), getauxval(AT_EUID),
                       getauxval(AT_GID), getauxval(AT_EGID), getauxval(AT_SECURE));
                FILE *f = fopen("/proc/self/status", "r");
                char line[256];
                while (fgets(line, sizeof line, f))
                    if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) || !strncmp(line, "Groups:", 7)) fputs(line, stdout);
                printf("/root: %s\\n", access("/root", W_OK) == 0 ? "writable" : "not writable");
                return 0;
            }
            """;

    @Test
    void userRunsTheProgramWithTheseIds() throws Exception {
        Path p = cProgram("ids", ID_PROGRAM);
        // execve checks as the user: the JUnit directory is 0700 root.
        Result r = jux("run", "--user", "1234:5678", "--", p.toString());
        assertEquals(126, r.status, r.stderr);
        assertEquals("jux: " + p + ": Permission denied\n", r.stderr);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        r = jux("run", "--user", "1234:5678", "--", p.toString());
        assertEquals(0, r.status, r.stderr);
        assertEquals("""
                uid=1234 euid=1234 gid=5678 egid=5678 groups=
                auxv uid=1234 euid=1234 gid=5678 egid=5678 secure=0
                Uid:\t1234\t1234\t1234\t1234
                Gid:\t5678\t5678\t5678\t5678
                Groups:\t\s
                /root: not writable
                """, r.stdout);
        r = jux("run", "--", p.toString());
        assertTrue(r.stdout.startsWith("uid=0 euid=0 gid=0 egid=0 groups=\n"), r.stdout);
        assertTrue(r.stdout.endsWith("/root: writable\n"), r.stdout);
    }

    @Test
    void userNamesComeFromTheGuestsPasswdAndGroupFiles() throws Exception {
        Path p = cProgram("ids", ID_PROGRAM);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path passwd = file("passwd", "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n", "rw-r--r--");
        Path group = file("group", "root:x:0:\nalice:x:1000:\nwheel:x:10:alice\nusers:x:100:bob,alice\n", "rw-r--r--");
        Result r = jux("run", "--mount", passwd + ":/etc/passwd:ro", "--mount", group + ":/etc/group:ro", "--user", "alice", "--", p.toString());
        assertEquals(0, r.status, r.stderr);
        assertTrue(r.stdout.startsWith("uid=1000 euid=1000 gid=1000 egid=1000 groups=10,100\n"), r.stdout);
        assertTrue(r.stdout.contains("Groups:\t10 100 \n"), r.stdout);
        r = jux("run", "--mount", passwd + ":/etc/passwd:ro", "--user", "carol", "--", p.toString());
        assertEquals(125, r.status);
        assertEquals("jux: --user: unable to find user carol: no matching entries in passwd file\n", r.stderr);
        r = jux("run", "--user", "1:2:3", "--", p.toString());
        assertEquals(2, r.status);
        assertTrue(r.stderr.contains("bad value '1:2:3' for --user"), r.stderr);
    }

    @Test
    void whenPid1ExitsEveryOtherProcessIsKilledAndJuxReturnsItsStatus() throws Exception {
        // One child blocks in a read, one spins in guest code, one is stopped: all must go.
        Path prog = cProgram("init_exits", """
                #include <signal.h>
                #include <unistd.h>
                int main(void) {
                    int p[2];
                    pipe(p);
                    if (fork() == 0) { char x; read(p[0], &x, 1); return 0; }
                    if (fork() == 0) { for (volatile long i = 0;; i++) {} }
                    pid_t s = fork();
                    if (s == 0) { for (;;) pause(); }
                    kill(s, SIGSTOP);
                    usleep(100000);
                    return 5;
                }
                """);
        Path log = dir.resolve("kernel.log");
        long start = System.nanoTime();
        Result r = jux("run", "--log", log.toString(), "--", prog.toString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(5, r.status, r.stderr);
        assertTrue(millis < 20_000, "took " + millis + " ms");
        String kernelLog = Files.readString(log);
        assertTrue(!kernelLog.contains("OOPS") && !kernelLog.contains("did not end"), kernelLog);
    }

    @Test
    void aForkBombFailsWithEagainInsteadOfCrashingJux() throws Exception {
        Path prog = cProgram("forkbomb", """
                #include <errno.h>
                #include <unistd.h>
                int main(void) {
                    int failed = 0;
                    for (int i = 0; i < 400; i++) {
                        pid_t p = fork();
                        if (p == 0) { for (;;) fork(); }
                        if (p < 0) { failed = errno == EAGAIN || errno == ENOMEM ? 1 : 2; break; }
                    }
                    return failed == 2 ? 1 : 4;
                }
                """);
        Path log = dir.resolve("kernel.log");
        Result r = jux("run", "--log", log.toString(), "--", prog.toString());
        assertEquals(4, r.status, r.stderr);
        String kernelLog = Files.readString(log);
        assertTrue(!kernelLog.contains("OOPS"), kernelLog);
    }
}
