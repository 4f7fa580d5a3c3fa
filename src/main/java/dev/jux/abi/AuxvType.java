package dev.jux.abi;

/**
 * Auxiliary-vector entry types ({@code AT_*} in {@code <linux/auxvec.h>},
 * {@code <asm/auxvec.h>} and {@code <elf.h>}) that Linux x86-64 defines. The loader puts
 * (type, value) pairs after envp on the initial stack; glibc and musl read them at start-up.
 */
public enum AuxvType {
    AT_NULL(0),
    AT_IGNORE(1),
    AT_EXECFD(2),
    AT_PHDR(3),
    AT_PHENT(4),
    AT_PHNUM(5),
    AT_PAGESZ(6),
    AT_BASE(7),
    AT_FLAGS(8),
    AT_ENTRY(9),
    AT_NOTELF(10),
    AT_UID(11),
    AT_EUID(12),
    AT_GID(13),
    AT_EGID(14),
    AT_PLATFORM(15),
    AT_HWCAP(16),
    AT_CLKTCK(17),
    AT_SECURE(23),
    AT_BASE_PLATFORM(24),
    AT_RANDOM(25),
    AT_HWCAP2(26),
    /** Linux 6.3: the size of the rseq area the kernel supports; glibc 2.35+ reads it. */
    AT_RSEQ_FEATURE_SIZE(27),
    /** Linux 6.3: the alignment the rseq area needs. */
    AT_RSEQ_ALIGN(28),
    AT_EXECFN(31),
    /** i386 only (the vsyscall entry); defined for completeness, never sent on x86-64. */
    AT_SYSINFO(32),
    AT_SYSINFO_EHDR(33),
    AT_MINSIGSTKSZ(51);

    private final int number;

    AuxvType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The type with this number, or null if Linux x86-64 defines none. */
    public static AuxvType of(long number) {
        for (AuxvType t : values()) {
            if (t.number == number) return t;
        }
        return null;
    }
}
