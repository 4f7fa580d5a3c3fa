package dev.jux.loader;

import static dev.jux.loader.ProgramHeader.PF_R;
import static dev.jux.loader.ProgramHeader.PF_W;
import static dev.jux.loader.ProgramHeader.PF_X;
import static dev.jux.loader.ProgramHeader.PT_GNU_STACK;
import static dev.jux.loader.ProgramHeader.PT_LOAD;
import static dev.jux.loader.ProgramHeader.PT_NOTE;
import static dev.jux.loader.ProgramHeader.PT_PHDR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfFileTest {
    @TempDir
    Path dir;

    // ---- real binaries ----

    @Test
    void binLsIsPieWithInterpreter() throws IOException {
        Path ls = Path.of("/bin/ls");
        assumeTrue(Files.exists(ls));
        ElfFile elf = ElfFile.parse(Files.readAllBytes(ls));
        assertEquals(ElfFile.Type.DYN, elf.type());
        assertEquals(Optional.of("/lib64/ld-linux-x86-64.so.2"), elf.interpreter());
        assertEquals(56, elf.phentsize());
        assertEquals(64, elf.phoff());
        assertEquals(elf.phnum(), elf.programHeaders().size());
        assertFalse(elf.loadSegments().isEmpty());
        assertFalse(elf.executableStack());
        // /bin/ls has a PT_PHDR; Linux ignores it but it agrees with the rule Linux uses.
        ProgramHeader phdr = elf.programHeaders().stream().filter(p -> p.type() == PT_PHDR).findFirst().orElseThrow();
        assertEquals(phdr.vaddr(), elf.phdrVaddr());
        assertMatchesReadelf(ls, elf);
    }

    @Test
    void staticGlibcIsExecWithoutInterpreter() throws IOException {
        Path exe = NativeTools.compile("gcc", "hello.c", dir, "hello-static", "-static");
        ElfFile elf = ElfFile.parse(Files.readAllBytes(exe));
        assertEquals(ElfFile.Type.EXEC, elf.type());
        assertEquals(Optional.empty(), elf.interpreter());
        assertEquals(0x400040, elf.phdrVaddr());
        assertMatchesReadelf(exe, elf);
    }

    @Test
    void staticPieIsDynWithoutInterpreter() throws IOException {
        Path exe = NativeTools.compile("gcc", "hello.c", dir, "hello-spie", "-static-pie");
        ElfFile elf = ElfFile.parse(Files.readAllBytes(exe));
        assertEquals(ElfFile.Type.DYN, elf.type());
        assertEquals(Optional.empty(), elf.interpreter());
        assertEquals(0, elf.loadSegments().getFirst().vaddr());
        assertMatchesReadelf(exe, elf);
    }

    @Test
    void staticMusl() throws IOException {
        Path exe = NativeTools.compile("musl-gcc", "hello.c", dir, "hello-musl", "-static");
        ElfFile elf = ElfFile.parse(Files.readAllBytes(exe));
        assertEquals(Optional.empty(), elf.interpreter());
        assertMatchesReadelf(exe, elf);
    }

    @Test
    void parsesFromByteBufferPosition() throws IOException {
        Path exe = NativeTools.compile("gcc", "hello.c", dir, "hello-static", "-static");
        byte[] file = Files.readAllBytes(exe);
        byte[] padded = new byte[file.length + 10];
        System.arraycopy(file, 0, padded, 10, file.length);
        ElfFile a = ElfFile.parse(file);
        ElfFile b = ElfFile.parse(ByteBuffer.wrap(padded).position(10));
        assertEquals(a.programHeaders(), b.programHeaders());
        assertEquals(a.entry(), b.entry());
    }

    @Test
    void looksLikeElf() {
        assertTrue(ElfFile.looksLikeElf(new byte[] {0x7f, 'E', 'L', 'F'}));
        assertFalse(ElfFile.looksLikeElf("#!/bin/sh\n".getBytes()));
        assertFalse(ElfFile.looksLikeElf(new byte[] {0x7f, 'E', 'L'}));
    }

    private static final Map<String, Integer> READELF_TYPES = Map.of(
            "LOAD", PT_LOAD, "INTERP", ProgramHeader.PT_INTERP, "PHDR", PT_PHDR, "NOTE", PT_NOTE,
            "DYNAMIC", ProgramHeader.PT_DYNAMIC, "TLS", ProgramHeader.PT_TLS, "GNU_STACK", PT_GNU_STACK,
            "GNU_RELRO", ProgramHeader.PT_GNU_RELRO, "GNU_EH_FRAME", ProgramHeader.PT_GNU_EH_FRAME,
            "GNU_PROPERTY", ProgramHeader.PT_GNU_PROPERTY);

    /** Every program header as `readelf -lW` prints it. */
    private static void assertMatchesReadelf(Path file, ElfFile elf) {
        if (!NativeTools.exists("readelf")) return;
        NativeTools.Result r = NativeTools.run(List.of("readelf", "-lW", file.toString()));
        assertEquals(0, r.status());
        List<String[]> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : r.stdout().split("\n")) {
            if (line.trim().startsWith("Type ")) inTable = true;
            else if (inTable && line.trim().isEmpty()) break;
            else if (inTable && !line.trim().startsWith("[")) rows.add(line.trim().split("\\s+"));
        }
        assertEquals(elf.phnum(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] f = rows.get(i);
            ProgramHeader ph = elf.programHeaders().get(i);
            Integer type = READELF_TYPES.get(f[0]);
            if (type != null) assertEquals(type, ph.type(), f[0]);
            assertEquals(Long.decode(f[1]), ph.offset());
            assertEquals(Long.decode(f[2]), ph.vaddr());
            assertEquals(Long.decode(f[4]), ph.filesz());
            assertEquals(Long.decode(f[5]), ph.memsz());
            String flags = String.join("", Arrays.copyOfRange(f, 6, f.length - 1));
            assertEquals(flags.contains("R"), (ph.flags() & PF_R) != 0);
            assertEquals(flags.contains("W"), (ph.flags() & PF_W) != 0);
            assertEquals(flags.contains("E"), (ph.flags() & PF_X) != 0);
            assertEquals(Long.decode(f[f.length - 1]), ph.align());
        }
    }

    // ---- synthetic files: what Linux accepts ----

    @Test
    void minimalSyntheticFileParses() {
        ElfFile elf = ElfFile.parse(ElfBuilder.minimal().build());
        assertEquals(ElfFile.Type.EXEC, elf.type());
        assertEquals(0x400100, elf.entry());
        assertEquals(1, elf.loadSegments().size());
        assertEquals(0x400040, elf.phdrVaddr());
    }

    @Test
    void stackIsExecutableOnlyWithPfXInGnuStack() {
        // No PT_GNU_STACK: not executable on x86-64 since Linux 5.8 (measured on the host).
        assertFalse(ElfFile.parse(ElfBuilder.minimal().build()).executableStack());
        assertTrue(ElfFile.parse(ElfBuilder.minimal().ph(PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0, 16).build())
                .executableStack());
        assertFalse(ElfFile.parse(ElfBuilder.minimal().ph(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16).build())
                .executableStack());
        // The last one wins, as in Linux's loop.
        assertFalse(ElfFile.parse(ElfBuilder.minimal().ph(PT_GNU_STACK, PF_X, 0, 0, 0, 0, 16)
                .ph(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16).build()).executableStack());
    }

    @Test
    void phdrAddressIgnoresPtPhdrAndTakesTheLastCoveringLoad() {
        // Both measured natively: a PT_PHDR at another address does not change AT_PHDR, and a
        // second PT_LOAD over the same file bytes wins.
        ElfBuilder b = ElfBuilder.minimal().ph(PT_PHDR, PF_R, 64, 0x400140, 112, 112, 8);
        assertEquals(0x400040, ElfFile.parse(b.build()).phdrVaddr());
        b.load(PF_R, 0, 0x600000, 0x100, 0x100);
        assertEquals(0x600040, ElfFile.parse(b.build()).phdrVaddr());
        // No PT_LOAD covers e_phoff: Linux passes load_bias + 0.
        assertEquals(0, ElfFile.parse(new ElfBuilder().load(PF_R, 0x1000, 0x401000, 0x100, 0x100).build()).phdrVaddr());
    }

    @Test
    void firstInterpreterWinsAndEndsAtItsFirstNul() {
        ElfBuilder b = ElfBuilder.minimal().interp("/lib/ld.so", true);
        b.at(0x900, "/other\0".getBytes()).ph(ProgramHeader.PT_INTERP, PF_R, 0x900, 0, 7, 7, 1);
        assertEquals(Optional.of("/lib/ld.so"), ElfFile.parse(b.build()).interpreter());
        ElfBuilder c = ElfBuilder.minimal().interp("/a\0junk", true);
        assertEquals(Optional.of("/a"), ElfFile.parse(c.build()).interpreter());
    }

    @Test
    void acceptsWhatLinuxRuns() {
        // Measured: Linux runs files with a wrong EI_CLASS, EI_DATA or version, and unsorted PT_LOADs.
        byte[] f = ElfBuilder.minimal().build();
        f[4] = 1;
        f[5] = 2;
        f[6] = 0;
        f[20] = 0;
        ElfFile.parse(f);
        ElfFile.parse(new ElfBuilder().load(PF_R | PF_W, 0x2000, 0x602000, 0x100, 0x100)
                .load(PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000).build());
        // Two segments may share a page as long as their bytes do not overlap.
        ElfFile.parse(new ElfBuilder().load(PF_R | PF_X, 0, 0x400000, 0x800, 0x800)
                .load(PF_R | PF_W, 0x800, 0x400800, 0x100, 0x200).build());
        // A bss-only segment's offset is never used.
        ElfFile.parse(ElfBuilder.minimal().load(PF_R | PF_W, 0x7777777, 0x600000, 0, 0x5000).build());
        // Other headers are not checked against the file size (Linux never reads them).
        ElfFile.parse(ElfBuilder.minimal().ph(PT_NOTE, PF_R, 1L << 40, 0, 1L << 40, 0, 4).build());
    }

    // ---- synthetic files: what must fail ----

    @Test
    void truncatedFiles() {
        byte[] good = ElfBuilder.minimal().build();
        for (int len : new int[] {0, 3, 4, 16, 63, 64, 100, 119}) {
            assertNoExec(Arrays.copyOf(good, len));
        }
    }

    @Test
    void badHeaderFields() {
        byte[] f = ElfBuilder.minimal().build();
        f[1] = 'e';
        assertNoExec(f);
        ElfBuilder b = ElfBuilder.minimal();
        b.type = 1; // ET_REL
        assertNoExec(b.build());
        b = ElfBuilder.minimal();
        b.type = 4; // ET_CORE
        assertNoExec(b.build());
        b = ElfBuilder.minimal();
        b.machine = 3; // EM_386
        assertNoExec(b.build());
        b = ElfBuilder.minimal();
        b.phentsize = 57;
        assertNoExec(b.build());
        b = ElfBuilder.minimal();
        b.entry = ElfFile.TASK_SIZE;
        assertNoExec(b.build());
    }

    @Test
    void programHeaderTableBoundsAndCount() {
        ElfBuilder b = ElfBuilder.minimal();
        b.phnum = 0;
        assertNoExec(b.build());
        b = ElfBuilder.minimal();
        b.phnum = 1171; // 1171 * 56 > 64 KiB
        b.size = 70000;
        assertNoExec(b.build());
        b = ElfBuilder.minimal();
        b.phnum = 0xffff; // PN_XNUM: Linux does not do extended numbering for exec
        assertNoExec(b.build());
        b = ElfBuilder.minimal();
        b.phoff = b.size - 55;
        assertNoExec(b.build());
        b = ElfBuilder.minimal();
        b.phoff = -8;
        assertNoExec(b.build());
        // 1170 headers fit in 64 KiB: fine if they are there.
        b = ElfBuilder.minimal();
        b.phnum = 1170;
        b.size = 70000;
        for (int i = 1; i < 1170; i++) b.ph(0, 0, 0, 0, 0, 0, 0);
        assertEquals(1170, ElfFile.parse(b.build()).phnum());
    }

    @Test
    void badLoadSegments() {
        assertNoExec(new ElfBuilder().ph(PT_NOTE, PF_R, 0, 0, 0, 0, 4).build()); // no PT_LOAD
        assertNoExec(new ElfBuilder().load(PF_R, 0, 0x400000, 0x2000, 0x1000).build()); // filesz > memsz
        assertNoExec(new ElfBuilder().load(PF_R, 0x1000, 0x400010, 0x100, 0x100).build()); // not congruent
        assertNoExec(new ElfBuilder().load(PF_R, 0x2000, 0x400000, 0x1001, 0x2000).build()); // past EOF
        assertNoExec(new ElfBuilder().load(PF_R, 0x10000, 0x410000, 0x10, 0x10).build()); // offset past EOF
        assertNoExec(new ElfBuilder().load(PF_R, -4096, 0x400000, 0x10000, 0x10000).build()); // offset wraps
        assertNoExec(new ElfBuilder().load(PF_R, 0, -4096L, 0x1000, 0x1000).build()); // vaddr past TASK_SIZE
        assertNoExec(new ElfBuilder().load(PF_R, 0, ElfFile.TASK_SIZE - 0x1000, 0x1000, 0x1001).build());
        assertNoExec(new ElfBuilder().load(PF_R, 0, 0x1000, 0x1000, -0x1000L).build()); // vaddr + memsz wraps
        assertNoExec(ElfBuilder.minimal().load(PF_R | PF_W, 0xfff, 0x400fff, 0x10, 0x10).build()); // overlap...
        assertNoExec(ElfBuilder.minimal().load(PF_R | PF_W, 0x2000, 0x3ff000, 0x10, 0x2000).build()); // ...either way
        assertNoExec(ElfBuilder.minimal().load(PF_R | PF_W, 0x0, 0x400000, 0x10, 0x10).build()); // the same twice
    }

    @Test
    void badInterpreter() {
        assertNoExec(ElfBuilder.minimal().interp("/lib/ld.so", false).build()); // no NUL
        assertNoExec(ElfBuilder.minimal().interp("", false).build()); // size 0
        assertNoExec(ElfBuilder.minimal().interp("", true).build()); // size 1
        assertNoExec(ElfBuilder.minimal().ph(ProgramHeader.PT_INTERP, PF_R, 0x800, 0, 4097, 4097, 1).build());
        // Measured on the host: kernel_read's errors come through for PT_INTERP.
        assertErrno(Errno.EIO, ElfBuilder.minimal().ph(ProgramHeader.PT_INTERP, PF_R, 0x2ff0, 0, 0x20, 0x20, 1).build());
        assertErrno(Errno.EIO, ElfBuilder.minimal().ph(ProgramHeader.PT_INTERP, PF_R, 1L << 40, 0, 0x20, 0x20, 1).build());
        assertErrno(Errno.EINVAL, ElfBuilder.minimal().ph(ProgramHeader.PT_INTERP, PF_R, -16, 0, 0x20, 0x20, 1).build());
        assertErrno(Errno.EINVAL,
                ElfBuilder.minimal().ph(ProgramHeader.PT_INTERP, PF_R, Long.MAX_VALUE - 8, 0, 0x20, 0x20, 1).build());
    }

    @Test
    void interpreterErrorsComeBeforeSegmentErrors() {
        // Linux reads PT_INTERP before it looks at the PT_LOADs.
        byte[] f = new ElfBuilder().load(PF_R, 0, 0x400000, 0x2000, 0x1000)
                .ph(ProgramHeader.PT_INTERP, PF_R, 0x2ff0, 0, 0x20, 0x20, 1).build();
        assertErrno(Errno.EIO, f);
    }

    static void assertNoExec(byte[] file) {
        assertErrno(Errno.ENOEXEC, file);
    }

    static void assertErrno(Errno errno, byte[] file) {
        LinuxException e = assertThrows(LinuxException.class, () -> ElfFile.parse(file));
        assertEquals(errno, e.errno(), e.getMessage());
    }

    @Test
    void programHeaderRecordIsWhatTheFileSays() {
        byte[] f = ElfBuilder.minimal().ph(PT_NOTE, 0x12345678, 0x111, 0x222, 0x33, 0x44, 0x55).build();
        ProgramHeader ph = ElfFile.parse(f).programHeaders().get(1);
        assertEquals(new ProgramHeader(PT_NOTE, 0x12345678, 0x111, 0x222, 0x33, 0x44, 0x55), ph);
        assertArrayEquals(new int[] {PT_LOAD, PT_NOTE},
                ElfFile.parse(f).programHeaders().stream().mapToInt(ProgramHeader::type).toArray());
    }
}
