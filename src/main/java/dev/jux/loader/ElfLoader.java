package dev.jux.loader;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.mm.AddressSpace;
import dev.jux.mm.Vma;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a static ELF executable (ET_EXEC or static-pie ET_DYN) into an empty address space and
 * builds its initial stack, as Linux's load_elf_binary does with randomization off:
 * ET_EXEC at its own addresses, static-pie in the mmap area with the heap at ELF_ET_DYN_BASE,
 * the stack ending at {@link AddressSpace#TASK_SIZE}.
 */
public final class ElfLoader {
    private ElfLoader() {}

    /** Where the program starts: the entry point and the initial stack pointer. */
    public record Loaded(long entry, long stackPointer) {}

    /** Pages of the initial stack filled in at once: each later fault is a costly VM exit. */
    private static final long STACK_PREFAULT = 32 * AddressSpace.PAGE;

    public static Loaded load(AddressSpace mem, byte[] file, ExecParameters p) {
        ElfFile elf = ElfFile.parse(file);
        if (elf.interpreter().isPresent()) {
            // Dynamic programs need file-backed mmap and the VFS for ld.so (issue 4).
            throw new LinuxException(Errno.ENOEXEC, "dynamically linked programs are not supported yet");
        }
        long bias = 0;
        if (elf.type() == ElfFile.Type.DYN) {
            long span = LoadPlan.totalMappingSize(elf);
            long first = AddressSpace.pageDown(elf.loadSegments().getFirst().vaddr());
            long base = mem.map(0, span, 0, AddressSpace.Placement.HINT, 0, "");
            mem.unmap(base, span);
            bias = base - first;
        }
        LoadPlan plan = LoadPlan.of(elf, bias);
        // /proc/PID/maps names the file's segments after it, as Linux does for file mappings.
        String name = new String(p.execfn(), java.nio.charset.StandardCharsets.UTF_8);
        for (LoadPlan.Step step : plan.steps()) apply(mem, file, step, name);
        mem.setBrkStart(elf.type() == ElfFile.Type.DYN ? AddressSpace.pageUp(LoadPlan.ELF_ET_DYN_BASE) : plan.brk());

        long stackTop = AddressSpace.TASK_SIZE;
        int stackProt = Vma.READ | Vma.WRITE | (elf.executableStack() ? Vma.EXEC : 0);
        mem.map(stackTop - p.rlimitStack(), p.rlimitStack(), stackProt, AddressSpace.Placement.FIXED, Vma.GROWS_DOWN, "[stack]");

        List<AuxEntry> aux = new ArrayList<>();
        aux.add(new AuxEntry(AuxEntry.AT_MINSIGSTKSZ, p.minSignalStackSize()));
        aux.add(new AuxEntry(AuxEntry.AT_HWCAP, p.hwcap()));
        aux.add(new AuxEntry(AuxEntry.AT_PAGESZ, AddressSpace.PAGE));
        aux.add(new AuxEntry(AuxEntry.AT_CLKTCK, 100));
        aux.add(new AuxEntry(AuxEntry.AT_PHDR, plan.phdrAddress()));
        aux.add(new AuxEntry(AuxEntry.AT_PHENT, ElfFile.PHDR_SIZE));
        aux.add(new AuxEntry(AuxEntry.AT_PHNUM, elf.phnum()));
        aux.add(new AuxEntry(AuxEntry.AT_BASE, 0));
        aux.add(new AuxEntry(AuxEntry.AT_FLAGS, 0));
        aux.add(new AuxEntry(AuxEntry.AT_ENTRY, plan.entry()));
        aux.add(new AuxEntry(AuxEntry.AT_UID, p.uid()));
        aux.add(new AuxEntry(AuxEntry.AT_EUID, p.euid()));
        aux.add(new AuxEntry(AuxEntry.AT_GID, p.gid()));
        aux.add(new AuxEntry(AuxEntry.AT_EGID, p.egid()));
        aux.add(new AuxEntry(AuxEntry.AT_SECURE, p.secure() ? 1 : 0));
        aux.add(new AuxEntry(AuxEntry.AT_HWCAP2, p.hwcap2()));
        InitialStack stack = InitialStack.build(stackTop, p.argv(), p.envp(), p.execfn(), aux, p.random(), p.rlimitStack());
        mem.populate(Math.min(stack.base(), stackTop - STACK_PREFAULT), stackTop);
        byte[] image = stack.image();
        mem.load(stack.base(), image, 0, image.length);
        return new Loaded(plan.entry(), stack.rsp());
    }

    private static void apply(AddressSpace mem, byte[] file, LoadPlan.Step step, String name) {
        switch (step) {
            case LoadPlan.MapFile m -> {
                mem.map(m.address(), m.length(), m.prot(), AddressSpace.Placement.FIXED, 0, name);
                mem.populate(m.address(), m.address() + m.length());
                long avail = Math.max(0, Math.min(m.length(), file.length - m.fileOffset()));
                mem.load(m.address(), file, (int) m.fileOffset(), (int) avail);
            }
            case LoadPlan.ZeroFill z -> mem.load(z.address(), new byte[(int) z.length()], 0, (int) z.length());
            case LoadPlan.MapAnonymous m -> {
                mem.map(m.address(), m.length(), m.prot(), AddressSpace.Placement.FIXED, 0, "");
                mem.populate(m.address(), m.address() + Math.min(m.length(), 64 * AddressSpace.PAGE));
            }
        }
    }
}
