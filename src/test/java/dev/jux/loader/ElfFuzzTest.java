package dev.jux.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random mutations of a real binary's headers: parsing and planning either succeed or fail
 * with the errno execve would give (ENOEXEC; EIO or EINVAL for an unreadable PT_INTERP), and
 * never with any other exception.
 */
class ElfFuzzTest {
    private static final Set<Errno> ALLOWED = Set.of(Errno.ENOEXEC, Errno.EIO, Errno.EINVAL);
    private static final long[] INTERESTING = {
        0, 1, 2, 3, 0x38, 0x40, 0xfff, 0x1000, 0x1001, 0x10000, 0x7fffffff, 0x80000000L, 0xffffffffL,
        ElfFile.TASK_SIZE - 1, ElfFile.TASK_SIZE, ElfFile.TASK_SIZE + 1, Long.MAX_VALUE, Long.MIN_VALUE, -1, -4096,
    };

    @TempDir
    Path dir;

    @Test
    void mutatedStaticBinary() throws IOException {
        fuzz(Files.readAllBytes(NativeTools.compile("gcc", "hello.c", dir, "hello-static", "-static")), 1, 20_000);
    }

    @Test
    void mutatedPieWithInterpreter() throws IOException {
        fuzz(Files.readAllBytes(NativeTools.compile("gcc", "hello.c", dir, "hello-pie", "-pie", "-fPIE")), 2, 20_000);
    }

    @Test
    void mutatedSyntheticFile() {
        fuzz(ElfBuilder.minimal().interp("/lib/ld.so", true)
                .load(ProgramHeader.PF_R | ProgramHeader.PF_W, 0x1000, 0x601000, 0x800, 0x3000)
                .ph(ProgramHeader.PT_GNU_STACK, ProgramHeader.PF_R | ProgramHeader.PF_W, 0, 0, 0, 0, 16)
                .build(), 3, 20_000);
    }

    @Test
    void everyTruncationOfTheHeaders() throws IOException {
        byte[] file = Files.readAllBytes(NativeTools.compile("gcc", "hello.c", dir, "hello-pie", "-pie", "-fPIE"));
        ElfFile whole = ElfFile.parse(file);
        int headersEnd = (int) whole.phoff() + whole.phnum() * ElfFile.PHDR_SIZE;
        for (int len = 0; len < headersEnd + 64; len++) check(Arrays.copyOf(file, len), "truncated to " + len);
    }

    private static void fuzz(byte[] original, long seed, int rounds) {
        byte[] file = original.clone();
        ByteBuffer le = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        ElfFile clean = ElfFile.parse(file);
        int headersEnd = (int) clean.phoff() + clean.phnum() * ElfFile.PHDR_SIZE;
        Random r = new Random(seed);
        int parsed = 0;
        for (int round = 0; round < rounds; round++) {
            int mutations = 1 + r.nextInt(4);
            int[] pos = new int[mutations * 8];
            byte[] old = new byte[mutations * 8];
            int saved = 0;
            for (int m = 0; m < mutations; m++) {
                int width = switch (r.nextInt(3)) {
                    case 0 -> 1;
                    case 1 -> 2;
                    default -> 8;
                };
                int limit = r.nextInt(10) < 8 ? headersEnd : file.length;
                int at = Math.min(r.nextInt(limit), file.length - width);
                long value = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : r.nextLong();
                for (int i = 0; i < width; i++) {
                    pos[saved] = at + i;
                    old[saved++] = file[at + i];
                }
                switch (width) {
                    case 1 -> file[at] = (byte) value;
                    case 2 -> le.putShort(at, (short) value);
                    default -> le.putLong(at, value);
                }
            }
            if (check(file, "seed " + seed + " round " + round)) parsed++;
            for (int i = saved - 1; i >= 0; i--) file[pos[i]] = old[i];
        }
        assertTrue(parsed > 0, "no mutated file parsed at all: the fuzzing is not reaching deep checks");
    }

    /** Parses and plans {@code file}; true if it was accepted. */
    private static boolean check(byte[] file, String what) {
        try {
            ElfFile elf = ElfFile.parse(file);
            LoadPlan plan = LoadPlan.of(elf);
            for (LoadPlan.Step s : plan.steps()) {
                long addr = switch (s) {
                    case LoadPlan.MapFile m -> m.address() | m.length() | m.fileOffset();
                    case LoadPlan.MapAnonymous m -> m.address() | m.length();
                    case LoadPlan.ZeroFill z -> 0;
                };
                assertEquals(0, addr & 4095, what + ": unaligned step " + s);
            }
            assertTrue(Long.compareUnsigned(plan.brk(), ElfFile.TASK_SIZE) <= 0, what);
            return true;
        } catch (LinuxException e) {
            if (!ALLOWED.contains(e.errno())) fail(what + ": " + e);
            return false;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + ": unexpected " + e, e);
        }
    }
}
