package dev.jux.loader;

/**
 * One ELF64 program header (Elf64_Phdr, see {@code man 5 elf}), p_paddr left out: Linux never
 * reads it. All fields are kept as the file has them; offsets and addresses are unsigned.
 */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
    public static final int PT_NULL = 0;
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int PT_PHDR = 6;
    public static final int PT_TLS = 7;
    public static final int PT_GNU_EH_FRAME = 0x6474e550;
    public static final int PT_GNU_STACK = 0x6474e551;
    public static final int PT_GNU_RELRO = 0x6474e552;
    public static final int PT_GNU_PROPERTY = 0x6474e553;

    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    /** The first address past the segment in memory, before any load bias. */
    public long end() {
        return vaddr + memsz;
    }

    public boolean isLoad() {
        return type == PT_LOAD;
    }
}
