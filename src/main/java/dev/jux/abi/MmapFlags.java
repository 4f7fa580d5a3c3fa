package dev.jux.abi;

/**
 * mmap(2)/mprotect(2)/mremap(2) flags on x86-64 ({@code <asm-generic/mman-common.h>},
 * {@code <asm/mman.h>}, {@code <linux/mman.h>}) and their rendering as strace prints them.
 */
public final class MmapFlags {
    private MmapFlags() {}

    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int PROT_EXEC = 0x4;
    public static final int PROT_SEM = 0x8;
    public static final int PROT_GROWSDOWN = 0x01000000;
    public static final int PROT_GROWSUP = 0x02000000;

    /** The mapping type occupies the low four bits; strace names type 0 MAP_FILE. */
    public static final int MAP_TYPE = 0x0f;
    public static final int MAP_FILE = 0;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_SHARED_VALIDATE = 0x03;
    /** Linux 6.11; strace 6.1 does not know it and prints {@code 0x8 /* MAP_??? *}{@code /}. */
    public static final int MAP_DROPPABLE = 0x08;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_32BIT = 0x40;
    public static final int MAP_GROWSDOWN = 0x0100;
    public static final int MAP_DENYWRITE = 0x0800;
    public static final int MAP_EXECUTABLE = 0x1000;
    public static final int MAP_LOCKED = 0x2000;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MAP_POPULATE = 0x8000;
    public static final int MAP_NONBLOCK = 0x10000;
    public static final int MAP_STACK = 0x20000;
    public static final int MAP_HUGETLB = 0x40000;
    public static final int MAP_SYNC = 0x80000;
    public static final int MAP_FIXED_NOREPLACE = 0x100000;
    /** With MAP_HUGETLB, bits 26..31 hold log2 of the huge page size. */
    public static final int MAP_HUGE_SHIFT = 26;
    public static final int MAP_HUGE_MASK = 0x3f;

    public static final int MS_ASYNC = 1;
    public static final int MS_INVALIDATE = 2;
    public static final int MS_SYNC = 4;

    public static final int MREMAP_MAYMOVE = 1;
    public static final int MREMAP_FIXED = 2;
    public static final int MREMAP_DONTUNMAP = 4;

    private static final FlagTable PROT = FlagTable.builder("PROT_???")
            .add("PROT_READ", PROT_READ)
            .add("PROT_WRITE", PROT_WRITE)
            .add("PROT_EXEC", PROT_EXEC)
            .add("PROT_SEM", PROT_SEM)
            .add("PROT_GROWSDOWN", PROT_GROWSDOWN)
            .add("PROT_GROWSUP", PROT_GROWSUP)
            .build();

    private static final ValueTable TYPES = ValueTable.builder("MAP_???")
            .add("MAP_FILE", MAP_FILE)
            .add("MAP_SHARED", MAP_SHARED)
            .add("MAP_PRIVATE", MAP_PRIVATE)
            .add("MAP_SHARED_VALIDATE", MAP_SHARED_VALIDATE)
            .build();

    /** strace 6.1's order for x86-64, measured with every bit set (not numeric). */
    private static final FlagTable MAP = FlagTable.builder("MAP_???")
            .add("MAP_FIXED", MAP_FIXED)
            .add("MAP_ANONYMOUS", MAP_ANONYMOUS)
            .add("MAP_32BIT", MAP_32BIT)
            .add("MAP_NORESERVE", MAP_NORESERVE)
            .add("MAP_POPULATE", MAP_POPULATE)
            .add("MAP_NONBLOCK", MAP_NONBLOCK)
            .add("MAP_GROWSDOWN", MAP_GROWSDOWN)
            .add("MAP_DENYWRITE", MAP_DENYWRITE)
            .add("MAP_EXECUTABLE", MAP_EXECUTABLE)
            .add("MAP_LOCKED", MAP_LOCKED)
            .add("MAP_STACK", MAP_STACK)
            .add("MAP_HUGETLB", MAP_HUGETLB)
            .add("MAP_SYNC", MAP_SYNC)
            .add("MAP_FIXED_NOREPLACE", MAP_FIXED_NOREPLACE)
            .build();

    private static final FlagTable MREMAP = FlagTable.builder("MREMAP_???")
            .add("MREMAP_MAYMOVE", MREMAP_MAYMOVE)
            .add("MREMAP_FIXED", MREMAP_FIXED)
            .add("MREMAP_DONTUNMAP", MREMAP_DONTUNMAP)
            .build();

    /**
     * {@code PROT_READ|PROT_WRITE}; zero is PROT_NONE. strace reads the whole register here
     * (the kernel takes an unsigned long), so stray high bits show.
     */
    public static String renderProt(long prot) {
        return PROT.render(prot, "PROT_NONE");
    }

    /**
     * {@code MAP_PRIVATE|MAP_ANONYMOUS}: the type, the flags, the unnamed rest in hex, then
     * the huge page size as strace shows it ({@code MAP_HUGETLB|21<<MAP_HUGE_SHIFT}).
     */
    public static String renderFlags(int flags) {
        int huge = (flags >>> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;
        long rest = Integer.toUnsignedLong(flags & ~MAP_TYPE & ~(MAP_HUGE_MASK << MAP_HUGE_SHIFT));
        String s = MAP.renderAfter(TYPES.render(flags & MAP_TYPE), rest);
        return huge == 0 ? s : s + "|" + huge + "<<MAP_HUGE_SHIFT";
    }

    /** mremap(2) flags: {@code MREMAP_MAYMOVE}, "0" for none; all 64 bits, as strace reads them. */
    public static String renderMremap(long flags) {
        return MREMAP.render(flags);
    }
}
