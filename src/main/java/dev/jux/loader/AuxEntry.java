package dev.jux.loader;

/** One auxiliary-vector entry (Elf64_auxv_t): a type from {@code <elf.h>} and its value. */
public record AuxEntry(long type, long value) {
    public static final long AT_NULL = 0;
    public static final long AT_EXECFD = 2;
    public static final long AT_PHDR = 3;
    public static final long AT_PHENT = 4;
    public static final long AT_PHNUM = 5;
    public static final long AT_PAGESZ = 6;
    public static final long AT_BASE = 7;
    public static final long AT_FLAGS = 8;
    public static final long AT_ENTRY = 9;
    public static final long AT_UID = 11;
    public static final long AT_EUID = 12;
    public static final long AT_GID = 13;
    public static final long AT_EGID = 14;
    public static final long AT_PLATFORM = 15;
    public static final long AT_HWCAP = 16;
    public static final long AT_CLKTCK = 17;
    public static final long AT_SECURE = 23;
    public static final long AT_BASE_PLATFORM = 24;
    public static final long AT_RANDOM = 25;
    public static final long AT_HWCAP2 = 26;
    public static final long AT_RSEQ_FEATURE_SIZE = 27;
    public static final long AT_RSEQ_ALIGN = 28;
    public static final long AT_HWCAP3 = 29;
    public static final long AT_HWCAP4 = 30;
    public static final long AT_EXECFN = 31;
    public static final long AT_SYSINFO_EHDR = 33;
    public static final long AT_MINSIGSTKSZ = 51;
}
