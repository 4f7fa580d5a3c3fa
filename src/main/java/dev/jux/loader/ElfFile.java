package dev.jux.loader;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An ELF64 x86-64 executable (ET_EXEC or ET_DYN), parsed and checked the way Linux's
 * load_elf_binary would before running it. Anything a hostile file gets wrong fails with
 * {@link LinuxException}: {@link Errno#ENOEXEC} (what execve returns for a bad ELF), except a
 * PT_INTERP that cannot be read, where Linux passes on kernel_read's error (EINVAL for a
 * negative or overflowing offset, EIO for a short read; measured on the host).
 *
 * <p>Where Linux runs a file we also accept it, even against the gABI: EI_CLASS, EI_DATA,
 * EI_VERSION and e_version are not checked (Linux checks only the magic, e_type and e_machine),
 * PT_LOADs may be unsorted, and only the first PT_INTERP counts. Where Linux gets past the point
 * of no return and then kills the new process (p_filesz &gt; p_memsz, a segment beyond
 * TASK_SIZE, a file offset not congruent to the address, data past end of file, an entry
 * beyond TASK_SIZE; all measured) or runs a process that can only crash (no PT_LOAD; PT_LOADs
 * whose bytes overlap, where Linux maps the later one over the earlier), we refuse with
 * ENOEXEC instead, so the caller still has a process to return the error to.
 */
public final class ElfFile {
    public enum Type { EXEC, DYN }

    public static final int PAGE_SIZE = 4096;
    /** x86-64 TASK_SIZE with 4-level paging: every user address is below it. */
    public static final long TASK_SIZE = (1L << 47) - PAGE_SIZE;
    public static final int EHDR_SIZE = 64;
    public static final int PHDR_SIZE = 56;
    /** Linux's load_elf_phdrs refuses an empty program-header table or one over 64 KiB. */
    static final int MAX_PHDR_TABLE = 65536;
    /** Linux refuses a PT_INTERP longer than PATH_MAX or shorter than 2 bytes. */
    static final int PATH_MAX = 4096;
    private static final int ET_EXEC = 2;
    private static final int ET_DYN = 3;
    private static final int EM_X86_64 = 62;

    private final Type type;
    private final long entry;
    private final long phoff;
    private final int phentsize;
    private final int phnum;
    private final List<ProgramHeader> programHeaders;
    private final List<ProgramHeader> loadSegments;
    private final Optional<String> interpreter;
    private final boolean executableStack;
    private final long phdrVaddr;

    private ElfFile(ByteBuffer b) {
        int size = b.remaining();
        if (size < EHDR_SIZE || !hasMagic(b)) throw bad("not an ELF file");
        int etype = u16(b, 16);
        if (etype == ET_EXEC) type = Type.EXEC;
        else if (etype == ET_DYN) type = Type.DYN;
        else throw bad("e_type " + etype + " is neither ET_EXEC nor ET_DYN");
        if (u16(b, 18) != EM_X86_64) throw bad("e_machine is not EM_X86_64");
        entry = b.getLong(24);
        phoff = b.getLong(32);
        phentsize = u16(b, 54);
        phnum = u16(b, 56);
        if (phentsize != PHDR_SIZE) throw bad("e_phentsize " + phentsize);
        long tableSize = (long) phnum * PHDR_SIZE;
        if (tableSize == 0 || tableSize > MAX_PHDR_TABLE) throw bad("e_phnum " + phnum);
        if (!inFile(phoff, tableSize, size)) throw bad("program headers past end of file");

        programHeaders = readProgramHeaders(b, (int) phoff, phnum);
        loadSegments = programHeaders.stream().filter(ProgramHeader::isLoad).toList();
        // Linux reads PT_INTERP before anything else about the segments, so its errors win.
        interpreter = readInterpreter(b, programHeaders);
        executableStack = executableStack(programHeaders);
        checkLoadSegments(loadSegments, size);
        // Linux: BAD_ADDR(e_entry) after the point of no return.
        if (Long.compareUnsigned(entry, TASK_SIZE) >= 0) throw bad("e_entry beyond TASK_SIZE");
        phdrVaddr = phdrVaddr(loadSegments, phoff);
    }

    /** Parses a whole file; the bytes from {@code file}'s position to its limit are the file. */
    public static ElfFile parse(ByteBuffer file) {
        return new ElfFile(file.slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    public static ElfFile parse(byte[] file) {
        return parse(ByteBuffer.wrap(file));
    }

    /** True if {@code head} (the first bytes of a file) starts with the ELF magic. */
    public static boolean looksLikeElf(byte[] head) {
        return head.length >= 4 && hasMagic(ByteBuffer.wrap(head));
    }

    public Type type() {
        return type;
    }

    /** e_entry, before any load bias. */
    public long entry() {
        return entry;
    }

    public long phoff() {
        return phoff;
    }

    public int phentsize() {
        return phentsize;
    }

    public int phnum() {
        return phnum;
    }

    /** Every program header, in file order. */
    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    /** The PT_LOAD headers in file order (the order Linux maps them in). */
    public List<ProgramHeader> loadSegments() {
        return loadSegments;
    }

    /** The PT_INTERP path (up to its first NUL, decoded as UTF-8), if the file has one. */
    public Optional<String> interpreter() {
        return interpreter;
    }

    /**
     * Whether the initial stack is executable. Only a PT_GNU_STACK with PF_X makes it so (the
     * last one wins, as in Linux's loop). Without PT_GNU_STACK the stack is NOT executable:
     * since Linux 5.8, elf_read_implies_exec is false for x86-64 binaries (measured on the
     * host: a binary whose PT_GNU_STACK is patched out gets an rw-p [stack]).
     */
    public boolean executableStack() {
        return executableStack;
    }

    /**
     * Where the program headers are once loaded, before the load bias: AT_PHDR is this plus
     * the bias. Linux ignores PT_PHDR here: it takes e_phoff's place inside the last PT_LOAD
     * whose file bytes cover it, and 0 if none does (measured on the host for both).
     */
    public long phdrVaddr() {
        return phdrVaddr;
    }

    private static List<ProgramHeader> readProgramHeaders(ByteBuffer b, int at, int count) {
        List<ProgramHeader> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++, at += PHDR_SIZE) {
            list.add(new ProgramHeader(b.getInt(at), b.getInt(at + 4), b.getLong(at + 8),
                    b.getLong(at + 16), b.getLong(at + 32), b.getLong(at + 40), b.getLong(at + 48)));
        }
        return List.copyOf(list);
    }

    private static Optional<String> readInterpreter(ByteBuffer b, List<ProgramHeader> headers) {
        // Linux stops at the first PT_INTERP; any later one is ignored.
        for (ProgramHeader ph : headers) {
            if (ph.type() != ProgramHeader.PT_INTERP) continue;
            if (Long.compareUnsigned(ph.filesz(), PATH_MAX) > 0 || ph.filesz() < 2) {
                throw bad("PT_INTERP size " + ph.filesz());
            }
            int len = (int) ph.filesz();
            long off = ph.offset();
            if (off < 0 || off + len < 0) throw new LinuxException(Errno.EINVAL, "PT_INTERP offset");
            if (off + len > b.remaining()) throw new LinuxException(Errno.EIO, "PT_INTERP past end of file");
            byte[] path = new byte[len];
            b.get((int) off, path);
            if (path[len - 1] != 0) throw bad("PT_INTERP not NUL-terminated");
            int n = 0;
            while (path[n] != 0) n++;
            return Optional.of(new String(path, 0, n, StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }

    private static boolean executableStack(List<ProgramHeader> headers) {
        boolean x = false;
        for (ProgramHeader ph : headers) {
            if (ph.type() == ProgramHeader.PT_GNU_STACK) x = (ph.flags() & ProgramHeader.PF_X) != 0;
        }
        return x;
    }

    private static void checkLoadSegments(List<ProgramHeader> loads, int fileSize) {
        if (loads.isEmpty()) throw bad("no PT_LOAD");
        for (ProgramHeader ph : loads) {
            if (Long.compareUnsigned(ph.filesz(), ph.memsz()) > 0) throw bad("p_filesz > p_memsz");
            // Linux's check, which also rules out vaddr + memsz overflowing.
            if (Long.compareUnsigned(ph.memsz(), TASK_SIZE) > 0
                    || Long.compareUnsigned(ph.vaddr(), TASK_SIZE - ph.memsz()) > 0) {
                throw bad("segment beyond TASK_SIZE");
            }
            // A segment with no file bytes is only anonymous memory: Linux never maps its offset.
            if (ph.filesz() == 0) continue;
            // mmap needs a page-aligned file offset for the page-aligned address.
            if (((ph.offset() ^ ph.vaddr()) & (PAGE_SIZE - 1)) != 0) throw bad("p_offset not congruent to p_vaddr");
            if (!inFile(ph.offset(), ph.filesz(), fileSize)) throw bad("PT_LOAD past end of file");
        }
        // All vaddrs are below TASK_SIZE now, so signed order is address order.
        List<ProgramHeader> sorted = loads.stream()
                .filter(ph -> ph.memsz() != 0)
                .sorted((a, b) -> Long.compare(a.vaddr(), b.vaddr())) // not comparingLong: see docs/design.md, "Start-up"
                .toList();
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).end() > sorted.get(i).vaddr()) throw bad("overlapping PT_LOAD segments");
        }
    }

    private static long phdrVaddr(List<ProgramHeader> loads, long phoff) {
        long addr = 0;
        for (ProgramHeader ph : loads) {
            if (Long.compareUnsigned(ph.offset(), phoff) <= 0
                    && Long.compareUnsigned(phoff - ph.offset(), ph.filesz()) < 0) {
                addr = phoff - ph.offset() + ph.vaddr();
            }
        }
        return addr;
    }

    /** Whether [off, off + len) lies inside a file of {@code size} bytes, offsets unsigned. */
    private static boolean inFile(long off, long len, long size) {
        return Long.compareUnsigned(off, size) <= 0 && Long.compareUnsigned(len, size - off) <= 0;
    }

    private static boolean hasMagic(ByteBuffer b) {
        return b.get(0) == 0x7f && b.get(1) == 'E' && b.get(2) == 'L' && b.get(3) == 'F';
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    private static LinuxException bad(String why) {
        return new LinuxException(Errno.ENOEXEC, why);
    }
}
