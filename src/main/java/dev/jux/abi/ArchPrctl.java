package dev.jux.abi;

/** arch_prctl(2) codes for x86-64 ({@code <asm/prctl.h>}). */
public final class ArchPrctl {
    private ArchPrctl() {}

    public static final int ARCH_SET_GS = 0x1001;
    public static final int ARCH_SET_FS = 0x1002;
    public static final int ARCH_GET_FS = 0x1003;
    public static final int ARCH_GET_GS = 0x1004;
    public static final int ARCH_GET_CPUID = 0x1011;
    public static final int ARCH_SET_CPUID = 0x1012;
    public static final int ARCH_GET_XCOMP_SUPP = 0x1021;
    public static final int ARCH_GET_XCOMP_PERM = 0x1022;
    public static final int ARCH_REQ_XCOMP_PERM = 0x1023;
    public static final int ARCH_GET_XCOMP_GUEST_PERM = 0x1024;
    public static final int ARCH_REQ_XCOMP_GUEST_PERM = 0x1025;
    public static final int ARCH_MAP_VDSO_X32 = 0x2001;
    public static final int ARCH_MAP_VDSO_32 = 0x2002;
    public static final int ARCH_MAP_VDSO_64 = 0x2003;

    /** What strace 6.1 names; the later LAM (0x4001..) and shadow-stack (0x5001..) codes it does not. */
    private static final ValueTable NAMES = ValueTable.builder("ARCH_???")
            .add("ARCH_SET_GS", ARCH_SET_GS).add("ARCH_SET_FS", ARCH_SET_FS)
            .add("ARCH_GET_FS", ARCH_GET_FS).add("ARCH_GET_GS", ARCH_GET_GS)
            .add("ARCH_GET_CPUID", ARCH_GET_CPUID).add("ARCH_SET_CPUID", ARCH_SET_CPUID)
            .add("ARCH_GET_XCOMP_SUPP", ARCH_GET_XCOMP_SUPP)
            .add("ARCH_GET_XCOMP_PERM", ARCH_GET_XCOMP_PERM)
            .add("ARCH_REQ_XCOMP_PERM", ARCH_REQ_XCOMP_PERM)
            .add("ARCH_GET_XCOMP_GUEST_PERM", ARCH_GET_XCOMP_GUEST_PERM)
            .add("ARCH_REQ_XCOMP_GUEST_PERM", ARCH_REQ_XCOMP_GUEST_PERM)
            .add("ARCH_MAP_VDSO_X32", ARCH_MAP_VDSO_X32).add("ARCH_MAP_VDSO_32", ARCH_MAP_VDSO_32)
            .add("ARCH_MAP_VDSO_64", ARCH_MAP_VDSO_64)
            .build();

    /** {@code ARCH_SET_FS}, or {@code 0x3001 /* ARCH_??? *}{@code /}. */
    public static String render(int code) {
        return NAMES.render(Integer.toUnsignedLong(code));
    }
}
