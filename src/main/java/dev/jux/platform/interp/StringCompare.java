package dev.jux.platform.interp;

/**
 * SSE4.2's PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (66 0F 3A 60-63) with the whole imm8:
 * element format (bits 1:0: unsigned/signed bytes/words), aggregation (3:2: equal any, ranges,
 * equal each, equal ordered), polarity (5:4) and the output selection (6). Operand A is the
 * ModRM.reg register, B the r/m operand; explicit lengths come from EAX/RAX (A) and EDX/RDX
 * (B) as absolute values saturated to the element count, implicit ones end at the first zero
 * element. CF = result not zero, ZF = B ends inside the vector, SF = A does, OF = result bit 0;
 * AF and PF are cleared. glibc's string functions use these when CPUID claims SSE4.2.
 */
final class StringCompare {
    private StringCompare() {}

    /**
     * The result mask (IntRes2) over A and B, and the flags into {@code c.rflags}.
     * {@code lenA}/{@code lenB} are the explicit lengths (RAX/RDX, sign-extended from 32 bits
     * without REX.W) when {@code explicit}, else ignored.
     */
    static int compare(Cpu c, byte[] a, byte[] b, boolean explicit, long lenA, long lenB, int imm) {
        int size = (imm & 1) != 0 ? 2 : 1;
        boolean signed = (imm & 2) != 0;
        int n = 16 / size;
        int la = explicit ? explicitLength(lenA, n) : implicitLength(a, size, n);
        int lb = explicit ? explicitLength(lenB, n) : implicitLength(b, size, n);
        long[] ea = new long[n], eb = new long[n];
        for (int i = 0; i < n; i++) {
            ea[i] = signed ? Lanes.sget(a, i, size) : Lanes.get(a, i, size);
            eb[i] = signed ? Lanes.sget(b, i, size) : Lanes.get(b, i, size);
        }
        int res1 = 0;
        switch ((imm >> 2) & 3) {
            case 0 -> { // equal any: B[j] is one of A's valid elements
                for (int j = 0; j < lb; j++) {
                    for (int i = 0; i < la; i++) if (ea[i] == eb[j]) res1 |= 1 << j;
                }
            }
            case 1 -> { // ranges: A holds (low, high) pairs; an unpaired low bound matches nothing
                for (int j = 0; j < lb; j++) {
                    for (int i = 0; i + 1 < la; i += 2) if (eb[j] >= ea[i] && eb[j] <= ea[i + 1]) res1 |= 1 << j;
                }
            }
            case 2 -> { // equal each: both invalid counts as equal, one invalid as different
                for (int j = 0; j < n; j++) {
                    boolean va = j < la, vb = j < lb;
                    if (va && vb ? ea[j] == eb[j] : !va && !vb) res1 |= 1 << j;
                }
            }
            default -> { // equal ordered: A occurs in B at j (A's end matches anything, B's end nothing)
                for (int j = 0; j < n; j++) {
                    boolean match = true;
                    for (int i = 0; i < n - j && match; i++) {
                        if (i >= la) break;
                        if (j + i >= lb || ea[i] != eb[j + i]) match = false;
                    }
                    if (match) res1 |= 1 << j;
                }
            }
        }
        int all = (1 << n) - 1;
        int res2 = switch ((imm >> 4) & 3) {
            case 1 -> ~res1 & all;
            case 3 -> res1 ^ ((1 << lb) - 1); // negate only where B is valid
            default -> res1;
        };
        long f = 0;
        if (res2 != 0) f |= Flags.CF;
        if (lb < n) f |= Flags.ZF;
        if (la < n) f |= Flags.SF;
        if ((res2 & 1) != 0) f |= Flags.OF;
        c.rflags = (c.rflags & ~Flags.STATUS) | f;
        return res2;
    }

    /** PCMPxSTRI's index: the lowest (imm8 bit 6 clear) or highest set bit, or the element count if none. */
    static int index(int res2, int imm) {
        int n = (imm & 1) != 0 ? 8 : 16;
        if (res2 == 0) return n;
        return (imm & 0x40) == 0 ? Integer.numberOfTrailingZeros(res2) : 31 - Integer.numberOfLeadingZeros(res2);
    }

    /** PCMPxSTRM's XMM0: the mask as bits (imm8 bit 6 clear) or expanded to whole elements. */
    static long[] mask(int res2, int imm) {
        if ((imm & 0x40) == 0) return new long[] {res2 & 0xffffL, 0};
        int size = (imm & 1) != 0 ? 2 : 1;
        byte[] r = new byte[16];
        for (int i = 0; i < 16 / size; i++) if ((res2 & (1 << i)) != 0) Lanes.put(r, i, size, -1);
        return new long[] {Lanes.quad(r, 0), Lanes.quad(r, 8)};
    }

    private static int implicitLength(byte[] v, int size, int n) {
        for (int i = 0; i < n; i++) if (Lanes.get(v, i, size) == 0) return i;
        return n;
    }

    private static int explicitLength(long len, int n) {
        long abs = len == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(len);
        return (int) Math.min(abs, n);
    }
}
