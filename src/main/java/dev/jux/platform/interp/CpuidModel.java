package dev.jux.platform.interp;

/**
 * The one fixed CPU the interpreter claims to be. It claims only what the interpreter
 * implements, because glibc, CPython and the JVM choose code paths from CPUID: today the
 * integer ISA (CMOV, CX8, CX16, POPCNT, LZCNT, LAHF/SAHF in 64-bit mode, TSC, RDTSCP, CLFLUSH,
 * SYSCALL, long mode), x87 (FPU), MMX, FXSAVE/FXRSTOR (FXSR), SSE, SSE2, SSE3, SSSE3, SSE4.1
 * and SSE4.2 (with CRC32), XSAVE/XSAVEOPT/XSAVEC/XGETBV for x87 and SSE state (XCR0 = 3).
 * Not MONITOR/MWAIT, MOVBE, PCLMULQDQ, AES, XSAVES, AVX or later.
 *
 * <p>The vendor is "AuthenticAMD": glibc (2.36) reads no feature leaf at all for a vendor it
 * does not know, so its dynamic loader would find no SSE2 and refuse the x86-64 baseline; and
 * the undefined flags this CPU leaves are the AMD host's. The brand string says what it is.
 *
 * <ul>
 *   <li>leaf 0: max basic leaf 0xD, vendor "AuthenticAMD"</li>
 *   <li>leaf 0xD: subleaf 0 XCR0 components x87|SSE, 576-byte area; subleaf 1 XSAVEOPT|XSAVEC</li>
 *   <li>leaf 1: family 6 model 15 stepping 1; CLFLUSH line 64 bytes; one logical CPU; XSAVE|OSXSAVE</li>
 *   <li>leaf 0x80000000: max extended leaf 0x80000008; 0x80000002-4: the brand string</li>
 *   <li>leaves 0x80000005/6 (AMD cache descriptors): 32 KiB 8-way L1d and L1i, 512 KiB L2,
 *       8 MiB L3, 64-byte lines (glibc sizes its memcpy thresholds from them)</li>
 *   <li>leaf 0x80000008: 48-bit virtual and physical addresses</li>
 *   <li>every other leaf: zeros (as AMD does beyond the maxima)</li>
 * </ul>
 */
final class CpuidModel {
    static final String VENDOR = "AuthenticAMD";
    static final String BRAND = "Jux x86-64 interpreter";

    // Leaf 1 EDX: FPU(0) TSC(4) CX8(8) CMOV(15) CLFSH(19) MMX(23) FXSR(24) SSE(25) SSE2(26).  ECX: SSE3(0) SSSE3(9) CX16(13) SSE4.1(19) SSE4.2(20) POPCNT(23).
    static final int LEAF1_EDX = 1 | (1 << 4) | (1 << 8) | (1 << 15) | (1 << 19) | (1 << 23) | (1 << 24) | (1 << 25) | (1 << 26);
    // ... XSAVE(26) OSXSAVE(27): the OS (Jux) has XCR0 = x87|SSE enabled.
    static final int LEAF1_ECX = 1 | (1 << 9) | (1 << 13) | (1 << 19) | (1 << 20) | (1 << 23) | (1 << 26) | (1 << 27);
    static final int MAX_BASIC_LEAF = 0xd;
    // 0x80000001 ECX: LAHF-SAHF(0) ABM/LZCNT(5).  EDX: SYSCALL(11) RDTSCP(27) LM(29).
    static final int EXT1_ECX = 1 | (1 << 5);
    static final int EXT1_EDX = (1 << 11) | (1 << 27) | (1 << 29);

    // 0x80000005 ECX/EDX: size KiB(31:24) ways(23:16) lines per tag(15:8) line size(7:0).
    static final int L1_CACHE = (32 << 24) | (8 << 16) | (1 << 8) | 64;
    // 0x80000006 ECX: L2 size KiB(31:16) ways code(15:12; 6 = 8-way) line size; EDX: L3 in 512 KiB units(31:18).
    static final int L2_CACHE = (512 << 16) | (6 << 12) | (1 << 8) | 64;
    static final int L3_CACHE = (16 << 18) | (6 << 12) | (1 << 8) | 64;

    private CpuidModel() {}

    /** Fills EAX, EBX, ECX, EDX (zero-extended into the 64-bit registers) for leaf EAX, subleaf ECX. */
    static void cpuid(Cpu c) {
        int leaf = (int) c.r[Cpu.RAX];
        int a = 0, b = 0, cx = 0, d = 0;
        switch (leaf) {
            case 0 -> {
                a = MAX_BASIC_LEAF;
                b = word(VENDOR, 0);
                d = word(VENDOR, 4);
                cx = word(VENDOR, 8);
            }
            case 1 -> {
                a = (6 << 8) | (15 << 4) | 1;
                b = (8 << 8) | (1 << 16);
                cx = LEAF1_ECX;
                d = LEAF1_EDX;
            }
            case 0xd -> {
                int sub = (int) c.r[Cpu.RCX];
                if (sub == 0) { // XCR0-supported components, size for XCR0 as set, size for all
                    a = (int) Xsave.XCR0;
                    b = Xsave.SIZE;
                    cx = Xsave.SIZE;
                } else if (sub == 1) { // XSAVEOPT(0) XSAVEC(1); the size for XCR0|XSS
                    a = 3;
                    b = Xsave.SIZE;
                }
            }
            case 0x80000000 -> a = 0x80000008;
            case 0x80000001 -> {
                cx = EXT1_ECX;
                d = EXT1_EDX;
            }
            case 0x80000002, 0x80000003, 0x80000004 -> {
                int off = (leaf - 0x80000002) * 16;
                a = word(BRAND, off);
                b = word(BRAND, off + 4);
                cx = word(BRAND, off + 8);
                d = word(BRAND, off + 12);
            }
            case 0x80000005 -> {
                cx = L1_CACHE;
                d = L1_CACHE;
            }
            case 0x80000006 -> {
                cx = L2_CACHE;
                d = L3_CACHE;
            }
            case 0x80000008 -> a = 0x3030;
            default -> { }
        }
        c.r[Cpu.RAX] = a & 0xffff_ffffL;
        c.r[Cpu.RBX] = b & 0xffff_ffffL;
        c.r[Cpu.RCX] = cx & 0xffff_ffffL;
        c.r[Cpu.RDX] = d & 0xffff_ffffL;
    }

    /** Four characters of {@code s} from {@code off} as a little-endian word (NUL past the end). */
    private static int word(String s, int off) {
        int w = 0;
        for (int i = 3; i >= 0; i--) {
            int ch = off + i < s.length() ? s.charAt(off + i) : 0;
            w = (w << 8) | ch;
        }
        return w;
    }
}
