package dev.jux.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.mm.AddressSpace;
import dev.jux.mm.FakePlatform;
import dev.jux.mm.FrameAllocator;
import dev.jux.mm.Vma;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Loading programs with PT_INTERP: where the program and its interpreter go, and what the auxv says. */
class ElfLoaderTest {
    private final FakePlatform platform = new FakePlatform();
    private final AddressSpace mem = new AddressSpace(platform, new FrameAllocator(platform.ram()));

    @AfterEach
    void close() {
        platform.close();
    }

    private static ExecParameters params() {
        return new ExecParameters(List.of("prog".getBytes()), List.of("A=1".getBytes()), "/bin/prog".getBytes(),
                0, 0, 0, 0, false, 0, 0, 2048, 1L << 20, new byte[16]);
    }

    /** An ET_DYN with one R+X PT_LOAD at 0 and the given entry. */
    private static ElfBuilder dyn(long entry) {
        ElfBuilder b = new ElfBuilder().load(ProgramHeader.PF_R | ProgramHeader.PF_X, 0, 0, 0x1000, 0x1000);
        b.type = 3;
        b.entry = entry;
        return b;
    }

    private static final byte[] LD_SO = dyn(0x180).build();

    private Map<Long, Long> auxv(long rsp) {
        long p = rsp + 8 + 8 * (mem.readLong(rsp) + 1);   // past argc and argv
        while (mem.readLong(p) != 0) p += 8;              // past envp
        Map<Long, Long> aux = new HashMap<>();
        for (p += 8; mem.readLong(p) != 0; p += 16) aux.put(mem.readLong(p), mem.readLong(p + 8));
        return aux;
    }

    private String nameAt(long address) {
        Vma v = mem.findVma(address);
        return v == null ? null : v.name();
    }

    @Test
    void aPieWithAnInterpreterGoesToElfEtDynBaseAndStartsInTheInterpreter() {
        byte[] prog = dyn(0x120).interp("/lib64/ld.so", true).build();
        ElfLoader.Loaded l = ElfLoader.load(mem, new ElfLoader.ExecFile("/usr/bin/prog", prog), params(),
                path -> {
                    assertEquals("/lib64/ld.so", path);
                    return new ElfLoader.ExecFile("/usr/lib/ld-real.so", LD_SO);
                });
        long progBase = 0x555555554000L;
        long base = l.interpreterBase();
        assertTrue(base > progBase && base < AddressSpace.MMAP_BASE && (base & 0xfff) == 0, Long.toHexString(base));
        assertEquals(base + 0x180, l.entry());
        assertEquals("/usr/bin/prog", nameAt(progBase));
        assertEquals("/usr/lib/ld-real.so", nameAt(base));
        Map<Long, Long> aux = auxv(l.stackPointer());
        assertEquals(base, aux.get(AuxEntry.AT_BASE));
        assertEquals(progBase + 0x120, aux.get(AuxEntry.AT_ENTRY));
        assertEquals(progBase + 64, aux.get(AuxEntry.AT_PHDR));
        assertEquals(2L, aux.get(AuxEntry.AT_PHNUM));
        // The heap starts right after the program, as without randomization.
        assertEquals(progBase + 0x1000, mem.brkStart());
    }

    @Test
    void anEtExecWithAnInterpreterStaysAtItsAddresses() {
        byte[] prog = ElfBuilder.minimal().interp("/ld", true).build();
        ElfLoader.Loaded l = ElfLoader.load(mem, new ElfLoader.ExecFile("/p", prog), params(),
                path -> new ElfLoader.ExecFile("/ld", LD_SO));
        assertEquals("/p", nameAt(0x400000));
        assertEquals(l.interpreterBase() + 0x180, l.entry());
        Map<Long, Long> aux = auxv(l.stackPointer());
        assertEquals(0x400100L, aux.get(AuxEntry.AT_ENTRY));
        assertEquals(0x400040L, aux.get(AuxEntry.AT_PHDR));
    }

    @Test
    void aStaticProgramHasNoBase() {
        ElfLoader.Loaded l = ElfLoader.load(mem, new ElfLoader.ExecFile("/p", ElfBuilder.minimal().build()), params(),
                ElfLoader.NO_INTERPRETERS);
        assertEquals(0x400100L, l.entry());
        assertEquals(0L, l.interpreterBase());
        assertEquals(0L, auxv(l.stackPointer()).get(AuxEntry.AT_BASE));
    }

    @Test
    void interpreterErrors() {
        byte[] prog = dyn(0x120).interp("/lib64/ld.so", true).build();
        ElfLoader.ExecFile file = new ElfLoader.ExecFile("/p", prog);
        assertErrno(Errno.ENOENT, () -> ElfLoader.load(mem, file, params(), ElfLoader.NO_INTERPRETERS));
        assertErrno(Errno.ELIBBAD, () -> ElfLoader.load(mem, file, params(),
                path -> new ElfLoader.ExecFile(path, "#!/bin/sh\n".getBytes())));
        ElfBuilder otherMachine = dyn(0x100);
        otherMachine.machine = 3;
        assertErrno(Errno.ELIBBAD, () -> ElfLoader.load(mem, file, params(),
                path -> new ElfLoader.ExecFile(path, otherMachine.build())));
    }

    private static void assertErrno(Errno expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(LinuxException.class, call).errno());
    }
}
