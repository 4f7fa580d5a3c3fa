package dev.jux.loader;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.mm.AddressSpace;
import dev.jux.mm.Vma;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads an ELF executable (ET_EXEC, static-pie or PIE ET_DYN, static or dynamic) into an
 * empty address space and builds its initial stack, as Linux's load_elf_binary does with
 * randomization off: ET_EXEC at its own addresses; a PIE with PT_INTERP at ELF_ET_DYN_BASE
 * (0x555555554000 for a first PT_LOAD at 0); a static-pie in the mmap area with the heap at
 * ELF_ET_DYN_BASE; the stack ending at {@link AddressSpace#TASK_SIZE}. A program with
 * PT_INTERP gets its interpreter (ld.so) loaded in the mmap area too, as load_elf_interp does:
 * execution starts at the interpreter's entry, and AT_BASE tells it where it is.
 *
 * <p>Everything happens in the given address space, which the caller has not installed yet,
 * so any failure here leaves the calling process as it was (Linux has passed its point of no
 * return while it maps the segments, and kills the process instead).
 */
public final class ElfLoader {
    private ElfLoader() {}

    /**
     * Where the program starts: the entry point (the interpreter's for a dynamic program), the
     * initial stack pointer, and AT_BASE (the interpreter's load address, 0 without one).
     */
    public record Loaded(long entry, long stackPointer, long interpreterBase) {}

    /** A file to load: its bytes and the path /proc/PID/maps names its segments by. */
    public record ExecFile(String path, byte[] bytes) {}

    /**
     * Opens a PT_INTERP path the way exec opens the program (open_exec: in the process's root
     * and working directory, EACCES without execute permission...). Throws LinuxException.
     */
    @FunctionalInterface
    public interface InterpreterOpener {
        ExecFile open(String path);
    }

    /** An opener for callers that load static programs only: a PT_INTERP fails with ENOENT. */
    public static final InterpreterOpener NO_INTERPRETERS = path -> {
        throw new LinuxException(Errno.ENOENT, "no interpreter " + path);
    };

    /** Pages of the initial stack filled in at once: each later fault is a costly VM exit. */
    private static final long STACK_PREFAULT = 32 * AddressSpace.PAGE;
    private static final int EM_X86_64 = 62;

    public static Loaded load(AddressSpace mem, ExecFile program, ExecParameters p, InterpreterOpener interpreters) {
        ElfFile elf = ElfFile.parse(program.bytes());
        // Linux opens and checks the interpreter before anything is mapped.
        ExecFile interpFile = null;
        ElfFile interp = null;
        if (elf.interpreter().isPresent()) {
            interpFile = interpreters.open(elf.interpreter().get());
            interp = parseInterpreter(interpFile.bytes());
        }
        long bias;
        if (elf.type() == ElfFile.Type.DYN && interp == null) {
            bias = mmapBias(mem, elf);               // static-pie (or ld.so run as a program)
        } else {
            bias = LoadPlan.defaultBias(elf);        // ET_EXEC: 0; PIE: ELF_ET_DYN_BASE
        }
        LoadPlan plan = LoadPlan.of(elf, bias);
        for (LoadPlan.Step step : plan.steps()) apply(mem, program, step);
        boolean staticPie = elf.type() == ElfFile.Type.DYN && interp == null;
        mem.setBrkStart(staticPie ? AddressSpace.pageUp(LoadPlan.ELF_ET_DYN_BASE) : plan.brk());

        long entry = plan.entry();
        long interpBase = 0;
        if (interp != null) {
            // load_elf_interp: an ET_DYN interpreter goes where mmap(NULL, total size) would put it.
            long interpBias = interp.type() == ElfFile.Type.DYN ? mmapBias(mem, interp) : 0;
            LoadPlan interpPlan = LoadPlan.of(interp, interpBias);
            for (LoadPlan.Step step : interpPlan.steps()) apply(mem, interpFile, step);
            entry = interpPlan.entry();
            interpBase = interpBias;
        }

        long stackTop = AddressSpace.TASK_SIZE;
        int stackProt = Vma.READ | Vma.WRITE | (elf.executableStack() ? Vma.EXEC : 0);

        List<AuxEntry> aux = new ArrayList<>();
        aux.add(new AuxEntry(AuxEntry.AT_MINSIGSTKSZ, p.minSignalStackSize()));
        aux.add(new AuxEntry(AuxEntry.AT_HWCAP, p.hwcap()));
        aux.add(new AuxEntry(AuxEntry.AT_PAGESZ, AddressSpace.PAGE));
        aux.add(new AuxEntry(AuxEntry.AT_CLKTCK, 100));
        aux.add(new AuxEntry(AuxEntry.AT_PHDR, plan.phdrAddress()));
        aux.add(new AuxEntry(AuxEntry.AT_PHENT, ElfFile.PHDR_SIZE));
        aux.add(new AuxEntry(AuxEntry.AT_PHNUM, elf.phnum()));
        aux.add(new AuxEntry(AuxEntry.AT_BASE, interpBase));
        aux.add(new AuxEntry(AuxEntry.AT_FLAGS, 0));
        aux.add(new AuxEntry(AuxEntry.AT_ENTRY, plan.entry()));
        aux.add(new AuxEntry(AuxEntry.AT_UID, p.uid()));
        aux.add(new AuxEntry(AuxEntry.AT_EUID, p.euid()));
        aux.add(new AuxEntry(AuxEntry.AT_GID, p.gid()));
        aux.add(new AuxEntry(AuxEntry.AT_EGID, p.egid()));
        aux.add(new AuxEntry(AuxEntry.AT_SECURE, p.secure() ? 1 : 0));
        aux.add(new AuxEntry(AuxEntry.AT_HWCAP2, p.hwcap2()));
        InitialStack stack = InitialStack.build(stackTop, p.argv(), p.envp(), p.execfn(), aux, p.random(), p.rlimitStack());
        long stackBase = initialStackBase(stackTop, stack.base(), p.rlimitStack());
        mem.map(stackBase, stackTop - stackBase, stackProt, AddressSpace.Placement.FIXED, Vma.GROWS_DOWN, "[stack]");
        mem.populate(Math.min(stack.base(), stackTop - STACK_PREFAULT), stackTop);
        byte[] image = stack.image();
        mem.load(stack.base(), image, 0, image.length);
        return new Loaded(entry, stack.rsp(), interpBase);
    }

    /** Linux's setup_arg_pages: the stack VMA holds the argument pages and 128 KiB more. */
    private static final long STACK_EXPAND = 128 << 10;

    /**
     * Where the [stack] VMA starts: the initial stack's pages plus {@link #STACK_EXPAND}, or
     * RLIMIT_STACK's worth below the top if that is less (setup_arg_pages). The VMA grows
     * down from there on faults (AddressSpace's stack growth).
     */
    static long initialStackBase(long stackTop, long usedBase, long rlimitStack) {
        long used = stackTop - AddressSpace.pageDown(usedBase);
        long limit = rlimitStack & -AddressSpace.PAGE;
        if (Long.compareUnsigned(used + STACK_EXPAND, limit) > 0) return stackTop - Math.max(limit, used);
        return stackTop - used - STACK_EXPAND;
    }

    /**
     * The interpreter's ELF header, checked as load_elf_binary does before its point of no
     * return: no ELF magic or another machine is ELIBBAD; the rest of the checks are
     * {@link ElfFile}'s (ENOEXEC; Linux kills the process for those, after the point of no return).
     */
    private static ElfFile parseInterpreter(byte[] bytes) {
        if (!ElfFile.looksLikeElf(bytes) || bytes.length < ElfFile.EHDR_SIZE
                || ((bytes[18] & 0xff) | (bytes[19] & 0xff) << 8) != EM_X86_64) {
            throw new LinuxException(Errno.ELIBBAD, "the interpreter is not an x86-64 ELF file");
        }
        return ElfFile.parse(bytes);
    }

    /** The bias that puts an ET_DYN file where mmap(NULL, its total size) would: the mmap area, top-down. */
    private static long mmapBias(AddressSpace mem, ElfFile elf) {
        long span = LoadPlan.totalMappingSize(elf);
        long first = AddressSpace.pageDown(elf.loadSegments().getFirst().vaddr());
        long base = mem.map(0, span, 0, AddressSpace.Placement.HINT, 0, "");
        mem.unmap(base, span);
        return base - first;
    }

    /** One step of a plan; /proc/PID/maps names the file's segments after it, as Linux does for file mappings. */
    private static void apply(AddressSpace mem, ExecFile exec, LoadPlan.Step step) {
        byte[] file = exec.bytes();
        // if-instanceof, not a pattern switch, whose invokedynamic costs every start-up a few
        // ms (docs/design.md, "Start-up"); the plan's steps are a sealed set of three.
        if (step instanceof LoadPlan.MapFile m) {
            mem.map(m.address(), m.length(), m.prot(), AddressSpace.Placement.FIXED, 0, exec.path());
            mem.populate(m.address(), m.address() + m.length());
            long avail = Math.max(0, Math.min(m.length(), file.length - m.fileOffset()));
            mem.load(m.address(), file, (int) m.fileOffset(), (int) avail);
        } else if (step instanceof LoadPlan.ZeroFill z) {
            mem.load(z.address(), new byte[(int) z.length()], 0, (int) z.length());
        } else if (step instanceof LoadPlan.MapAnonymous m) {
            mem.map(m.address(), m.length(), m.prot(), AddressSpace.Placement.FIXED, 0, "");
            mem.populate(m.address(), m.address() + Math.min(m.length(), 64 * AddressSpace.PAGE));
        } else {
            throw new IllegalStateException("unknown load step " + step);
        }
    }
}
