package dev.jux.syscall.strace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jux.abi.SyscallNumbers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs src/test/c/strace/every-syscall.c under the host's strace and checks that the formatter
 * prints every decoded call exactly as strace did, for argument values that point into a known
 * pattern, at its edges, at unmapped memory, or are plain numbers, with success, errors and
 * restart codes. Skipped where gcc or strace is missing or ptrace is not allowed.
 */
class StraceDifferentialTest {
    private static final Path SOURCE = Path.of("src/test/c/strace/every-syscall.c");

    @TempDir
    static Path dir;

    private static Path binary;

    @BeforeAll
    static void build() throws Exception {
        binary = dir.resolve("every-syscall");
        boolean built = run(List.of("gcc", "-O", "-o", binary.toString(), SOURCE.toString())) == 0;
        assumeTrue(built, "gcc could not build " + SOURCE);
        assumeTrue(run(List.of("strace", "-o", "/dev/null", "true")) == 0, "strace cannot trace here");
    }

    private static int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    /** strace's lines for the calls made after the seccomp filter went in. */
    private static List<String> strace(List<String> options, String... args) throws Exception {
        Path out = dir.resolve("strace.out");
        List<String> command = new ArrayList<>(List.of("strace", "-o", out.toString()));
        command.addAll(options);
        command.add(binary.toString());
        command.addAll(List.of(args));
        assumeTrue(run(command) == 0, "the helper did not run under strace");
        List<String> lines = Files.readAllLines(out);
        // The helper's calls start after the prctl that installs the filter (raw: 0x16).
        int start = 0;
        while (start < lines.size() && !lines.get(start).startsWith("prctl(PR_SET_SECCOMP")
                && !lines.get(start).startsWith("prctl(0x16,")) {
            start++;
        }
        assumeTrue(start < lines.size(), "no seccomp filter in the trace");
        return lines.subList(start + 1, lines.size()).stream()
                .filter(l -> !l.startsWith("+++") && !l.startsWith("---") && !l.startsWith("exit_group("))
                .toList();
    }

    private static int number(String line) {
        String name = line.substring(0, line.indexOf('('));
        return name.startsWith("syscall_0x") ? Integer.parseInt(name.substring(10), 16) : SyscallNumbers.number(name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "0 0 0 0 0 0 0",
        "1 2 3 4 5 6 38",
        "0xffffffffffffffff 0x80000000 0xfffffffffffff000 0x1ff 0x7fffffff00000001 0xffffffff 38",
        "0x80000000 0xfffffffffffff000 0x1ff 0x7fffffff00000001 0xffffffff 0xffffffffffffffff 22",
        "0x55 0xffffff9c 0x2 0x41 0x1000 0x7f 38",
        "0x100000 0x101000 0x100008 0x101005 3 0x20 0",
        "0x101000 0x100000 0x101005 0x100140 0x101ffd 0x5401 0",
        "0x101fe0 0x101fdf 0x100960 0x101fff 0x102000 0x10101c 0",
        "3 0x101000 0x21 0x100000 0x100018 0x101fa8 0",
        "0x5413 0x100000 0x101f70 0x40 0x1200011 0x101000 0",
        "0xffffff9c 0x101005 0x100958 0x1003 0x101000 8 0",
        "0x1003 0x100008 0x101000 0x101000 0x101000 0x101000 0",
        "0x100960 0x100000 0x100000 0x100008 0x101000 0x100960 4",
        "0 0 0x100960 0x100960 0x100960 0x100960 516",
        "1 0 0x101000 0x100960 0 0 512",
        "0x101005 0x100000 0x101000 0x101005 0x100140 0x101000 14",
        "0x10101c 0x101000 0x10101c 0xffffffff 0x5402 0x100000 41",
    })
    void decodedCallsPrintAsStraceDoes(String a0, String a1, String a2, String a3, String a4, String a5,
            int errno) throws Exception {
        String[] args = {a0, a1, a2, a3, a4, a5};
        long[] regs = new long[6];
        for (int i = 0; i < 6; i++) regs[i] = Long.parseUnsignedLong(args[i].replace("0x", ""), args[i].startsWith("0x") ? 16 : 10);
        PatternMemory mem = new PatternMemory();
        int checked = 0;
        for (String line : strace(List.of(), a0, a1, a2, a3, a4, a5, Integer.toString(errno))) {
            int nr = number(line);
            if (!StraceFormatter.isDecoded(nr) || nr == SyscallNumbers.EXIT) continue;
            String expected = line.replaceFirst("\\s+= ", " = ");
            assertEquals(expected, StraceFormatter.format(nr, regs, -errno, mem));
            checked++;
        }
        assertEquals(true, checked > 60, "too few decoded calls seen: " + checked);
    }

    /** Undecoded calls print their raw arguments: as many as strace's own table says. */
    @Test
    void argumentCountsMatchStrace() throws Exception {
        for (String line : strace(List.of("-e", "raw=all"), "0", "0", "0", "0", "0", "0", "38")) {
            int nr = number(line);
            // strace folds preadv/pwritev's two offset halves into one argument.
            if (nr == SyscallNumbers.PREADV || nr == SyscallNumbers.PWRITEV) continue;
            String inside = line.substring(line.indexOf('(') + 1, line.indexOf(')'));
            int expected = inside.isEmpty() ? 0 : inside.split(", ").length;
            int actual = SyscallNumbers.argCount(nr) < 0 ? 6 : SyscallNumbers.argCount(nr);
            assertEquals(expected, actual, line);
        }
    }
}
