package dev.jux.loader;

import static dev.jux.loader.LoadPlan.PROT_EXEC;
import static dev.jux.loader.LoadPlan.PROT_READ;
import static dev.jux.loader.LoadPlan.PROT_WRITE;
import static dev.jux.loader.ProgramHeader.PF_R;
import static dev.jux.loader.ProgramHeader.PF_W;
import static dev.jux.loader.ProgramHeader.PF_X;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadPlanTest {
    @TempDir
    Path dir;

    @Test
    void writableSegmentWithBss() {
        ElfFile elf = ElfFile.parse(ElfBuilder.minimal().load(PF_R | PF_W, 0x1234, 0x601234, 0x100, 0x3000).build());
        LoadPlan plan = LoadPlan.of(elf);
        assertEquals(0, plan.bias());
        assertEquals(List.of(
                new LoadPlan.MapFile(0x400000, 0x1000, 0, PROT_READ | PROT_EXEC),
                new LoadPlan.MapFile(0x601000, 0x1000, 0x1000, PROT_READ | PROT_WRITE),
                new LoadPlan.ZeroFill(0x601334, 0xccc),
                new LoadPlan.MapAnonymous(0x602000, 0x3000, PROT_READ | PROT_WRITE)), plan.steps());
        assertEquals(0x605000, plan.brk());
        assertEquals(0x400100, plan.entry());
        assertEquals(0x400040, plan.phdrAddress());
    }

    @Test
    void bssWithinTheLastFilePageNeedsNoAnonymousPages() {
        ElfFile elf = ElfFile.parse(ElfBuilder.minimal().load(PF_R | PF_W, 0x1100, 0x601100, 0x100, 0x200).build());
        assertEquals(List.of(
                new LoadPlan.MapFile(0x601000, 0x1000, 0x1000, PROT_READ | PROT_WRITE),
                new LoadPlan.ZeroFill(0x601200, 0xe00)), LoadPlan.of(elf).steps().subList(1, 3));
        assertEquals(0x602000, LoadPlan.of(elf).brk());
    }

    @Test
    void noZeroingWithoutBssOrOnReadOnlySegments() {
        // Measured: with p_memsz == p_filesz, or on a read-only segment, the file's bytes stay in
        // the last page; the bss pages past it are read-write whatever the segment says.
        ElfFile full = ElfFile.parse(ElfBuilder.minimal().load(PF_R | PF_W, 0x1000, 0x601000, 0x100, 0x100).build());
        assertEquals(List.of(new LoadPlan.MapFile(0x601000, 0x1000, 0x1000, PROT_READ | PROT_WRITE)),
                LoadPlan.of(full).steps().subList(1, 2));
        assertEquals(2, LoadPlan.of(full).steps().size());
        ElfFile ro = ElfFile.parse(ElfBuilder.minimal().load(PF_R, 0x1000, 0x601000, 0x100, 0x3000).build());
        assertEquals(List.of(
                new LoadPlan.MapFile(0x601000, 0x1000, 0x1000, PROT_READ),
                new LoadPlan.MapAnonymous(0x602000, 0x2000, PROT_READ | PROT_WRITE)), LoadPlan.of(ro).steps().subList(1, 3));
        ElfFile rx = ElfFile.parse(ElfBuilder.minimal().load(PF_R | PF_X, 0x1000, 0x601000, 0x100, 0x3000).build());
        assertEquals(new LoadPlan.MapAnonymous(0x602000, 0x2000, PROT_READ | PROT_WRITE | PROT_EXEC),
                LoadPlan.of(rx).steps().get(2));
    }

    @Test
    void bssOnlySegmentAndEmptySegment() {
        ElfFile elf = ElfFile.parse(ElfBuilder.minimal()
                .load(PF_R | PF_W, 0, 0x600010, 0, 0x2000)
                .load(PF_R | PF_W, 0, 0x700000, 0, 0).build());
        assertEquals(List.of(new LoadPlan.MapAnonymous(0x600000, 0x3000, PROT_READ | PROT_WRITE)),
                LoadPlan.of(elf).steps().subList(1, LoadPlan.of(elf).steps().size()));
        // Linux's elf_brk counts every PT_LOAD's p_vaddr + p_memsz, empty ones too.
        assertEquals(0x700000, LoadPlan.of(elf).brk());
    }

    @Test
    void stepsFollowFileOrderAndBrkTheHighestEnd() {
        ElfFile elf = ElfFile.parse(new ElfBuilder()
                .load(PF_R | PF_W, 0x2000, 0x602000, 0x100, 0x100)
                .load(PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000).build());
        LoadPlan plan = LoadPlan.of(elf);
        assertEquals(0x602000, ((LoadPlan.MapFile) plan.steps().get(0)).address());
        assertEquals(0x400000, ((LoadPlan.MapFile) plan.steps().get(1)).address());
        assertEquals(0x603000, plan.brk());
    }

    @Test
    void pieBiasIsElfEtDynBase() {
        ElfBuilder b = new ElfBuilder().load(PF_R | PF_X, 0, 0, 0x1000, 0x1000).load(PF_R | PF_W, 0x1000, 0x2000, 0x10, 0x10);
        b.type = 3;
        b.entry = 0x100;
        ElfFile elf = ElfFile.parse(b.build());
        assertEquals(0x555555554000L, LoadPlan.defaultBias(elf));
        LoadPlan plan = LoadPlan.of(elf);
        assertEquals(0x555555554100L, plan.entry());
        assertEquals(0x555555554040L, plan.phdrAddress());
        assertEquals(0x555555557000L, plan.brk());
        assertEquals(0x2010, LoadPlan.totalMappingSize(elf));
        // A first PT_LOAD above 0 moves the bias down to keep the image at the same place.
        ElfBuilder high = new ElfBuilder().load(PF_R | PF_X, 0, 0x10000, 0x1000, 0x1000);
        high.type = 3;
        high.entry = 0x10000;
        assertEquals(0x555555544000L, LoadPlan.defaultBias(ElfFile.parse(high.build())));
    }

    @Test
    void pieBiasHonoursLargeAlignment() {
        ElfBuilder b = new ElfBuilder().ph(ProgramHeader.PT_LOAD, PF_R | PF_X, 0, 0, 0x1000, 0x1000, 0x200000);
        b.type = 3;
        b.entry = 0;
        assertEquals(0x555555400000L, LoadPlan.defaultBias(ElfFile.parse(b.build())));
        // Not a power of two: ignored, as Linux's maximum_alignment does.
        ElfBuilder odd = new ElfBuilder().ph(ProgramHeader.PT_LOAD, PF_R | PF_X, 0, 0, 0x1000, 0x1000, 0x300000);
        odd.type = 3;
        odd.entry = 0;
        assertEquals(0x555555554000L, LoadPlan.defaultBias(ElfFile.parse(odd.build())));
    }

    @Test
    void imageMustFitBelowTaskSizeAtTheBias() {
        ElfBuilder b = new ElfBuilder().load(PF_R | PF_X, 0, 0, 0x1000, 0x1000);
        b.type = 3;
        b.entry = 0;
        ElfFile elf = ElfFile.parse(b.build());
        LoadPlan.of(elf, ElfFile.TASK_SIZE - 0x1000);
        LinuxException e = assertThrows(LinuxException.class, () -> LoadPlan.of(elf, ElfFile.TASK_SIZE));
        assertEquals(Errno.ENOEXEC, e.errno());
        assertThrows(IllegalArgumentException.class, () -> LoadPlan.of(elf, 0x123));
        assertThrows(IllegalArgumentException.class, () -> LoadPlan.of(ElfFile.parse(ElfBuilder.minimal().build()), 0x1000));
    }

    // ---- against Linux on the host ----

    @Test
    void staticBinaryMatchesLinux() throws IOException {
        Path exe = NativeTools.compile("gcc", "stackdump.c", dir, "stackdump-static", "-static");
        compareWithNative(exe, false);
    }

    @Test
    void pieMatchesLinux() throws IOException {
        Path exe = NativeTools.compile("gcc", "stackdump.c", dir, "stackdump-pie", "-pie", "-fPIE");
        compareWithNative(exe, false);
    }

    @Test
    void staticPieMatchesLinuxUpToTheBias() throws IOException {
        Path exe = NativeTools.compile("gcc", "stackdump.c", dir, "stackdump-spie", "-static-pie");
        compareWithNative(exe, true);
    }

    @Test
    void staticMuslMatchesLinux() throws IOException {
        Path exe = NativeTools.compile("musl-gcc", "stackdump.c", dir, "stackdump-musl", "-static");
        compareWithNative(exe, false);
    }

    /**
     * Runs {@code exe} natively without randomization and checks AT_PHDR, AT_PHNUM, AT_ENTRY
     * and start_brk against the plan. Linux puts a static-pie elsewhere (see defaultBias), so
     * for one only the bias-independent facts are compared.
     */
    private static void compareWithNative(Path exe, boolean otherBias) throws IOException {
        NativeDump n = NativeDump.run(exe, List.of(exe.toString()), List.of());
        ElfFile elf = ElfFile.parse(Files.readAllBytes(exe));
        StackWalker w = n.walker();
        assertEquals(elf.phnum(), w.aux(AuxEntry.AT_PHNUM));
        assertEquals(ElfFile.PHDR_SIZE, w.aux(AuxEntry.AT_PHENT));
        long bias = otherBias ? w.aux(AuxEntry.AT_PHDR) - elf.phdrVaddr() : LoadPlan.defaultBias(elf);
        LoadPlan plan = LoadPlan.of(elf, bias);
        assertEquals(plan.phdrAddress(), w.aux(AuxEntry.AT_PHDR));
        assertEquals(plan.entry(), w.aux(AuxEntry.AT_ENTRY));
        if (!otherBias) assertEquals(plan.brk(), n.startBrk);
    }
}
