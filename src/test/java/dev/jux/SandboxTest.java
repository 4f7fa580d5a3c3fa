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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code --root DIR:rw}, a guest program tries to read or write a canary file outside DIR
 * through ".." chains, host-made and guest-made symlinks (relative, absolute, to "/"), hard
 * links and a rename race the host runs meanwhile; the canary must never be read or changed,
 * and nothing may appear outside DIR.
 */
class SandboxTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir"));
    private static final Path CLASSES = ROOT.resolve("target/classes");

    @TempDir
    Path tmp;

    @Test
    void noHostFileOutsideTheRootCanBeReachedOrChanged() throws Exception {
        assumeTrue(JuxRun.available(CLASSES), "Jux is not built");
        assumeTrue(Files.exists(Path.of("/dev/kvm")), "no /dev/kvm");
        CProgram program = CProgram.findAll(ROOT.resolve("src/test/c/sandbox")).stream()
                .filter(p -> p.name().equals("escape")).findFirst().orElseThrow();
        assumeTrue(Flavour.GLIBC.compilerAvailable(), "no compiler");
        Path binary = program.compile(Flavour.GLIBC, ROOT.resolve("target/c-tests"));

        Path dir = Files.createDirectory(tmp.resolve("root"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Path canary = Files.writeString(tmp.resolve("canary"), "secret\n");
        Path outCanary = Files.writeString(outside.resolve("canary"), "secret\n");
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        for (Path p : List.of(canary, outCanary)) {
            Files.setLastModifiedTime(p, old);
            Files.setAttribute(p, "lastAccessTime", old);
        }
        Files.copy(binary, dir.resolve("escape"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(dir.resolve("a/b/c"));
        Files.createSymbolicLink(dir.resolve("hostabs"), canary);
        Files.createSymbolicLink(dir.resolve("hostrel"), Path.of("../canary"));
        Files.createSymbolicLink(dir.resolve("hostroot"), Path.of("/"));
        Files.createSymbolicLink(dir.resolve("hostout"), outside);
        List<String> before = listOutside(dir);

        // The race: the host moves a/b/c out of DIR and back while the guest walks through it.
        AtomicBoolean stop = new AtomicBoolean();
        Thread racer = new Thread(() -> {
            Path in = dir.resolve("a/b/c"), out = tmp.resolve("c");
            while (!stop.get()) {
                try {
                    Files.move(in, out);
                    Files.move(out, in);
                } catch (Exception ignored) {
                    // the guest may have made the name busy for a moment
                }
            }
        });
        racer.start();
        RunResult r;
        try {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", CLASSES.toString(), "dev.jux.cli.Main", "run",
                    "--root", dir + ":rw", "/escape", canary.toString());
            r = ProcessRunner.run(cmd, Map.of("PATH", "/usr/bin:/bin"), new byte[0], Duration.ofSeconds(120),
                    tmp.resolve("run"));
        } finally {
            stop.set(true);
            racer.join();
        }
        String out = r.stdoutText();
        assertEquals(0, r.status(), out + r.stderr());
        assertFalse(out.contains("secret"), out);
        assertTrue(out.contains("race: 20000 tries, no leak"), out);
        for (Path p : List.of(canary, outCanary)) {
            assertEquals(old, Files.getAttribute(p, "lastAccessTime"), p + " was read");  // before we read it ourselves
            assertEquals(old, Files.getLastModifiedTime(p), p.toString());
            assertEquals("secret\n", Files.readString(p), p.toString());
        }
        assertEquals(before, listOutside(dir));
    }

    /** Everything under the temporary directory but outside DIR (and the run's own output files). */
    private List<String> listOutside(Path dir) throws Exception {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            s.filter(p -> !p.startsWith(dir) && !p.startsWith(tmp.resolve("c")) && !p.getFileName().toString().startsWith("run"))
                    .forEach(p -> names.add(tmp.relativize(p).toString()));
        }
        names.sort(null);
        return names;
    }
}
