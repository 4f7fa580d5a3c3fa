package dev.jux.loader;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.util.ArrayList;
import java.util.List;

/**
 * What loading an {@link ElfFile} at a load bias means for the address space, as pure data:
 * the steps Linux's load_elf_binary/elf_load take for each PT_LOAD, in file order, plus the
 * addresses the initial stack and registers need. {@code mm/} carries the steps out.
 *
 * <p>Apply the steps in order. Like Linux's MAP_FIXED mmaps and vm_brk_flags, a later step
 * replaces whatever an earlier one mapped on the same pages (two segments can share a page).
 */
public final class LoadPlan {
    /** mmap(2) protection bits. */
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;

    /**
     * x86-64's ELF_ET_DYN_BASE: two thirds of the 47-bit user address space
     * (DEFAULT_MAP_WINDOW / 3 * 2). Linux loads a PIE with PT_INTERP here.
     */
    public static final long ELF_ET_DYN_BASE = ElfFile.TASK_SIZE / 3 * 2;

    /** One thing to do to the address space; every address and length is page-aligned but ZeroFill's. */
    public sealed interface Step permits MapFile, ZeroFill, MapAnonymous {}

    /** A private file mapping (MAP_PRIVATE | MAP_FIXED) of {@code length} bytes at {@code fileOffset}. */
    public record MapFile(long address, long length, long fileOffset, int prot) implements Step {}

    /**
     * Clear {@code length} bytes at {@code address} in the mapping just made, ignoring its
     * protection (the kernel writes them): the part of the last file page past p_filesz.
     */
    public record ZeroFill(long address, long length) implements Step {}

    /** Zero-filled anonymous memory (the bss pages beyond the file pages). */
    public record MapAnonymous(long address, long length, int prot) implements Step {}

    private static final long PAGE = ElfFile.PAGE_SIZE;

    private final long bias;
    private final List<Step> steps;
    private final long entry;
    private final long phdrAddress;
    private final long brk;

    private LoadPlan(ElfFile elf, long bias) {
        this.bias = bias;
        List<Step> out = new ArrayList<>();
        long end = 0;
        for (ProgramHeader ph : elf.loadSegments()) {
            // Linux's check on k = load_bias + p_vaddr, wrapping as C does: the segment must end
            // by TASK_SIZE (ElfFile already holds p_memsz <= TASK_SIZE).
            long k = bias + ph.vaddr();
            if (Long.compareUnsigned(k, ElfFile.TASK_SIZE - ph.memsz()) > 0) {
                throw new LinuxException(Errno.ENOEXEC, "segment beyond TASK_SIZE at bias " + Long.toHexString(bias));
            }
            plan(ph, k, out);
            end = Math.max(end, k + ph.memsz());
        }
        steps = List.copyOf(out);
        entry = bias + elf.entry();
        if (Long.compareUnsigned(entry, ElfFile.TASK_SIZE) >= 0) throw new LinuxException(Errno.ENOEXEC, "entry beyond TASK_SIZE");
        phdrAddress = bias + elf.phdrVaddr();
        // Linux: mm->brk = ELF_PAGEALIGN(highest p_vaddr + p_memsz); no brk randomization here.
        brk = pageUp(end);
    }

    /** The plan at {@link #defaultBias}. */
    public static LoadPlan of(ElfFile elf) {
        return of(elf, defaultBias(elf));
    }

    /**
     * The plan with every address moved by {@code bias} (page-aligned, added modulo 2^64 as
     * Linux does; 0 for ET_EXEC). Throws ENOEXEC if a segment or the entry point does not fit
     * below TASK_SIZE at that bias (Linux kills the process there; we fail the execve).
     */
    public static LoadPlan of(ElfFile elf, long bias) {
        if ((bias & (PAGE - 1)) != 0) throw new IllegalArgumentException("bias not page-aligned: " + bias);
        if (elf.type() == ElfFile.Type.EXEC && bias != 0) throw new IllegalArgumentException("ET_EXEC loads at bias 0");
        return new LoadPlan(elf, bias);
    }

    /**
     * The load bias Linux would use without address randomization: 0 for ET_EXEC; for ET_DYN,
     * ELF_ET_DYN_BASE rounded down to the largest power-of-two PT_LOAD p_align, minus the first
     * PT_LOAD's address, page-aligned (so a PIE's first page lands at 0x555555554000).
     *
     * <p>Departs from Linux for static-pie (ET_DYN without PT_INTERP): Linux puts those in the
     * mmap region (0x7ffff7f..., as if mmapped), Jux puts them at ELF_ET_DYN_BASE too, which
     * is deterministic and leaves the mmap region to the program.
     */
    public static long defaultBias(ElfFile elf) {
        if (elf.type() == ElfFile.Type.EXEC) return 0;
        long alignment = PAGE;
        for (ProgramHeader ph : elf.loadSegments()) {
            // Linux's maximum_alignment skips p_align values that are not powers of two.
            if (Long.bitCount(ph.align()) == 1 && Long.compareUnsigned(ph.align(), alignment) > 0) {
                alignment = ph.align();
            }
        }
        // Unsigned arithmetic as in C: a first p_vaddr above the base wraps and comes back.
        long first = elf.loadSegments().getFirst().vaddr();
        return ((ELF_ET_DYN_BASE & -alignment) - first) & -PAGE;
    }

    /** Linux's total_mapping_size: the span from the lowest PT_LOAD page to the highest end. */
    public static long totalMappingSize(ElfFile elf) {
        long lo = Long.MAX_VALUE;
        long hi = 0;
        for (ProgramHeader ph : elf.loadSegments()) {
            lo = Math.min(lo, ph.vaddr() & -PAGE);
            hi = Math.max(hi, ph.end());
        }
        return hi - lo;
    }

    public long bias() {
        return bias;
    }

    /** What to map, in the order to map it. */
    public List<Step> steps() {
        return steps;
    }

    /** e_entry plus the bias: where the program (or its interpreter's AT_ENTRY) starts. */
    public long entry() {
        return entry;
    }

    /** The value of AT_PHDR. */
    public long phdrAddress() {
        return phdrAddress;
    }

    /** The initial program break (start_brk and brk). */
    public long brk() {
        return brk;
    }

    /** Linux's elf_load for one PT_LOAD whose first byte goes at {@code addr}. */
    private static void plan(ProgramHeader ph, long addr, List<Step> out) {
        long pageOff = addr & (PAGE - 1);
        long start = addr - pageOff;
        long zeroStart;
        if (ph.filesz() != 0) {
            int prot = prot(ph.flags());
            out.add(new MapFile(start, pageUp(pageOff + ph.filesz()), ph.offset() - pageOff, prot));
            zeroStart = start + pageOff + ph.filesz();
            // Linux's padzero clears the rest of the last file page only when there is bss, and
            // its failure on a read-only mapping is ignored: there the file bytes stay (measured).
            if (ph.memsz() > ph.filesz() && (prot & PROT_WRITE) != 0 && (zeroStart & (PAGE - 1)) != 0) {
                out.add(new ZeroFill(zeroStart, pageUp(zeroStart) - zeroStart));
            }
        } else {
            zeroStart = start;
        }
        if (ph.memsz() > ph.filesz()) {
            long from = pageUp(zeroStart);
            long to = pageUp(start + pageOff + ph.memsz());
            // vm_brk_flags gives the bss pages the default data protection, read-write, with
            // exec only if the segment asks for it, whatever PF_R/PF_W say (measured: an R-only
            // segment's bss pages are rw-p).
            int prot = PROT_READ | PROT_WRITE | ((ph.flags() & ProgramHeader.PF_X) != 0 ? PROT_EXEC : 0);
            if (to > from) out.add(new MapAnonymous(from, to - from, prot));
        }
    }

    /** Linux's make_prot: PF_R/W/X map one to one; x86-64 adds nothing (no READ_IMPLIES_EXEC). */
    private static int prot(int flags) {
        int prot = 0;
        if ((flags & ProgramHeader.PF_R) != 0) prot |= PROT_READ;
        if ((flags & ProgramHeader.PF_W) != 0) prot |= PROT_WRITE;
        if ((flags & ProgramHeader.PF_X) != 0) prot |= PROT_EXEC;
        return prot;
    }

    private static long pageUp(long x) {
        return (x + PAGE - 1) & -PAGE;
    }
}
