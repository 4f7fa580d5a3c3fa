package dev.jux.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A C test program ({@code src/test/c/NAME.c}) with its directives. {@link #compile} builds it
 * for one flavour into {@code OUT/FLAVOUR/NAME}, reusing the binary while it is newer than the
 * sources (the .c file and every header beside it) and was built with the same command.
 */
public final class CProgram {
    private final Path source;
    private final String name;
    private final Directives directives;

    private CProgram(Path source) {
        this.source = source;
        String file = source.getFileName().toString();
        this.name = file.substring(0, file.length() - 2);
        this.directives = Directives.parse(file, read(source));
    }

    /** Every {@code *.c} file in {@code dir}, sorted by name. */
    public static List<CProgram> findAll(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".c"))
                    .sorted()
                    .map(CProgram::new)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public Path source() {
        return source;
    }

    public Directives directives() {
        return directives;
    }

    /** Returns the binary for {@code flavour}, compiling it first if needed. */
    public synchronized Path compile(Flavour flavour, Path outDir) throws IOException, InterruptedException {
        Path dir = outDir.resolve(flavour.id());
        Files.createDirectories(dir);
        Path binary = dir.resolve(name);
        Path stamp = dir.resolve(name + ".cmd");

        List<String> cmd = new ArrayList<>(List.of(flavour.compiler(), "-O1", "-Wall"));
        cmd.addAll(flavour.flags());
        cmd.addAll(List.of("-I", source.getParent().toString(), "-o", binary.toString(), source.toString()));
        cmd.addAll(directives.cflags());
        String cmdLine = String.join(" ", cmd);

        if (upToDate(binary, stamp, cmdLine)) return binary;
        Files.deleteIfExists(binary);
        RunResult r = ProcessRunner.run(cmd, System.getenv(), new byte[0], Duration.ofMinutes(2),
                dir.resolve(name + ".compile"));
        String output = new String(r.stdout(), StandardCharsets.UTF_8) + r.stderr();
        if (r.status() != 0 || !Files.isExecutable(binary)) {
            throw new AssertionError("compiling " + name + " [" + flavour.id() + "] failed ("
                    + Signals.describeStatus(r.status()) + "):\n$ " + cmdLine + "\n" + output);
        }
        if (!output.isBlank()) System.err.println("$ " + cmdLine + "\n" + output);
        Files.writeString(stamp, cmdLine);
        return binary;
    }

    private boolean upToDate(Path binary, Path stamp, String cmdLine) throws IOException {
        if (!Files.isExecutable(binary) || !Files.isRegularFile(stamp)) return false;
        if (!Files.readString(stamp).equals(cmdLine)) return false;
        FileTime built = Files.getLastModifiedTime(binary);
        try (Stream<Path> inputs = Files.list(source.getParent())) {
            return inputs.filter(p -> p.equals(source) || p.getFileName().toString().endsWith(".h"))
                    .allMatch(p -> modified(p).compareTo(built) < 0);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
