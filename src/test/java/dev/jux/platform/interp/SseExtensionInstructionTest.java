package dev.jux.platform.interp;

import static dev.jux.platform.interp.SseFloatInstructionTest.doublePairs;
import static dev.jux.platform.interp.SseFloatInstructionTest.floatPairs;
import static dev.jux.platform.interp.SseIntegerInstructionTest.vectorPairs;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * SSE3, SSSE3, SSE4.1 and SSE4.2 compared with the host CPU: every opcode over lane-edge
 * vectors (saturation, signed/unsigned extremes, shuffle control bytes with the top bit set),
 * the immediates of the blends, extracts, inserts, PALIGNR, MPSADBW, DPPS/DPPD and ROUNDxx
 * (every rounding mode, MXCSR's too, with and without precision suppression), and
 * PCMPxSTRx with every imm8 over strings with and without terminators and explicit lengths.
 */
class SseExtensionInstructionTest {
    /** movdq2q mm0, xmm0; movdq2q mm1, xmm1 (the MMX forms of SSSE3 run on these). */
    private static final String LOAD_MMX = "f20fd6c0f20fd6c9";

    @Test
    void sse3Float() {
        CaseBuilder cb = new CaseBuilder();
        floatPairs(cb, "haddps", "f20f7cc1");
        floatPairs(cb, "hsubps", "f20f7dc1");
        floatPairs(cb, "addsubps", "f20fd0c1");
        doublePairs(cb, "haddpd", "660f7cc1");
        doublePairs(cb, "hsubpd", "660f7dc1");
        doublePairs(cb, "addsubpd", "660fd0c1");
        cb.check();
    }

    @Test
    void roundAndDotProducts() {
        CaseBuilder cb = new CaseBuilder();
        for (int imm = 0; imm < 16; imm++) {
            String ib = String.format("%02x", imm);
            floatPairs(cb, "roundps " + imm, "660f3a08c1" + ib);
            doublePairs(cb, "roundpd " + imm, "660f3a09c1" + ib);
            floatPairs(cb, "roundss " + imm, "660f3a0ac1" + ib);
            doublePairs(cb, "roundsd " + imm, "660f3a0bc1" + ib);
        }
        for (int imm : new int[] {0xff, 0x31, 0xf1, 0x5a, 0x00, 0x3f, 0x13, 0x22, 0xcc}) {
            String ib = String.format("%02x", imm);
            floatPairs(cb, "dpps " + imm, "660f3a40c1" + ib);
            doublePairs(cb, "dppd " + imm, "660f3a41c1" + ib);
        }
        cb.check();
    }

    @Test
    void ssse3BothForms() {
        CaseBuilder cb = new CaseBuilder();
        for (int op : new int[] {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x1c, 0x1d, 0x1e}) {
            vectorPairs(cb, String.format("66 0f 38 %02x xmm0,xmm1", op), String.format("660f38%02xc1", op));
            vectorPairs(cb, String.format("0f 38 %02x mm0,mm1", op), LOAD_MMX + String.format("0f38%02xc1", op));
        }
        for (int imm : new int[] {0, 1, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 0x80, 0xff}) {
            String ib = String.format("%02x", imm);
            vectorPairs(cb, "palignr xmm " + imm, "660f3a0fc1" + ib);
            vectorPairs(cb, "palignr mm " + imm, LOAD_MMX + "0f3a0fc1" + ib);
        }
        vectorPairs(cb, "pshufb xmm0,[rsi]", "660f380006");
        vectorPairs(cb, "pshufb xmm0,[rsi+1] #GP", "660f38004601");
        vectorPairs(cb, "pshufb mm0,[rsi+1]", LOAD_MMX + "0f38004601");
        cb.check();
    }

    @Test
    void sse41Integer() {
        CaseBuilder cb = new CaseBuilder();
        int[] ops = {0x10, 0x14, 0x15, 0x17, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x28, 0x29, 0x2b,
                0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x41};
        for (int op : ops) {
            vectorPairs(cb, String.format("66 0f 38 %02x xmm0,xmm1", op), String.format("660f38%02xc1", op));
        }
        for (int op : new int[] {0x10, 0x14, 0x15}) vectorPairs(cb, String.format("66 0f 38 %02x xmm2,xmm1,<xmm0>", op), String.format("660f38%02xd1", op));
        String[][] forms = {
                {"pmovsxbw xmm0,[rsi+1]", "660f38204601"}, {"pmovzxbq xmm0,[rsi+0xffe]", "660f383286fe0f0000"},
                {"pmovzxdq xmm0,[rsi+3]", "660f38354603"}, {"movntdqa xmm0,[rsi]", "660f382a06"},
                {"movntdqa xmm0,[rsi+8] #GP", "660f382a4608"}, {"movntdqa xmm0,xmm1 #UD", "660f382ac1"},
                {"ptest xmm0,[rsi]", "660f381706"}, {"pminsb xmm0,[rsi+4] #GP", "660f38384604"},
                {"crc32 eax,cl", "f20f38f0c1"}, {"crc32 eax,ecx", "f20f38f1c1"}, {"crc32 eax,cx", "66f20f38f1c1"},
                {"crc32 rax,rcx", "f2480f38f1c1"}, {"crc32 rax,cl", "f2480f38f0c1"}, {"crc32 eax,[rsi]", "f20f38f106"},
                {"crc32 eax,byte [rsi+7]", "f20f38f04607"}, {"crc32 eax,ah", "f20f38f0c4"}, {"crc32 eax,spl", "f2400f38f0c4"},
        };
        for (String[] f : forms) vectorPairs(cb, f[0], f[1]);
        cb.check();
    }

    @Test
    void sse41Immediates() {
        CaseBuilder cb = new CaseBuilder();
        for (int imm : new int[] {0, 1, 2, 3, 5, 7, 8, 0x0f, 0x10, 0x1b, 0x30, 0x55, 0x80, 0xaa, 0xc9, 0xff}) {
            String ib = String.format("%02x", imm);
            vectorPairs(cb, "blendps " + imm, "660f3a0cc1" + ib);
            vectorPairs(cb, "blendpd " + imm, "660f3a0dc1" + ib);
            vectorPairs(cb, "pblendw " + imm, "660f3a0ec1" + ib);
            vectorPairs(cb, "pextrb eax " + imm, "660f3a14c8" + ib);
            vectorPairs(cb, "pextrb [rdi] " + imm, "660f3a140f" + ib);
            vectorPairs(cb, "pextrw eax (3a 15) " + imm, "660f3a15c8" + ib);
            vectorPairs(cb, "pextrw [rdi+1] " + imm, "660f3a154f01" + ib);
            vectorPairs(cb, "pextrd eax " + imm, "660f3a16c8" + ib);
            vectorPairs(cb, "pextrq rax " + imm, "66480f3a16c8" + ib);
            vectorPairs(cb, "pextrd [rdi] " + imm, "660f3a160f" + ib);
            vectorPairs(cb, "extractps eax " + imm, "660f3a17c8" + ib);
            vectorPairs(cb, "extractps rax (REX.W) " + imm, "66480f3a17c8" + ib);
            vectorPairs(cb, "pinsrb xmm0,eax " + imm, "660f3a20c0" + ib);
            vectorPairs(cb, "pinsrb xmm0,[rsi] " + imm, "660f3a2006" + ib);
            vectorPairs(cb, "insertps xmm0,xmm1 " + imm, "660f3a21c1" + ib);
            vectorPairs(cb, "insertps xmm0,[rsi+2] " + imm, "660f3a214602" + ib);
            vectorPairs(cb, "pinsrd xmm0,eax " + imm, "660f3a22c0" + ib);
            vectorPairs(cb, "pinsrq xmm0,rax " + imm, "66480f3a22c0" + ib);
            vectorPairs(cb, "mpsadbw " + imm, "660f3a42c1" + ib);
        }
        cb.check();
    }

    private static long[] str(String s) {
        byte[] b = new byte[16];
        byte[] v = s.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(v, 0, b, 0, Math.min(16, v.length));
        return new long[] {Lanes.quad(b, 0), Lanes.quad(b, 8)};
    }

    /** Needles, ranges and haystacks: terminators early, late and absent, repeats, bytes above 0x7f. */
    static final long[][] STRINGS = {
            str(""), str("a"), str("ab"), str("az09AZ\u00e0\u00ff"), str("abcabcabcabcabca"), str("xabcaby"),
            str("bca"), str("hello, world!\n"), str("zzzzzzzzzzzzzzzz"), str("\u0080\u00ff\u007f\u0001a"),
            {0x0041_0042_0000_7a61L, 0x8000_7fff_ffff_0001L}, {-1, -1}, str("ca\u0000bcabc")};
    static final long[] LENGTHS = {0, 1, 3, 7, 8, 9, 16, 17, -2, -9, 0x7fff_ffffL, 0x8000_0000L, Long.MIN_VALUE};

    @Test
    void stringCompares() {
        CaseBuilder cb = new CaseBuilder();
        for (int imm = 0; imm < 0x80; imm++) {
            for (int op = 0x60; op <= 0x63; op++) {
                String hex = String.format("660f3a%02xc1%02x", op, imm);
                int k = 0;
                for (long[] a : STRINGS) {
                    for (long[] b : STRINGS) {
                        long[] x = new long[32];
                        x[0] = a[0];
                        x[1] = a[1];
                        x[2] = b[0];
                        x[3] = b[1];
                        long la = LENGTHS[k % LENGTHS.length], lb = LENGTHS[(k * 5 + 3) % LENGTHS.length];
                        k++;
                        cb.addSse(String.format("pcmp %02x imm %02x", op, imm), hex, 0, 0x1f80, x,
                                r -> { r[Cpu.RAX] = la; r[Cpu.RDX] = lb; });
                    }
                }
            }
        }
        for (String hex : new String[] {"66480f3a60c10c", "66480f3a61c144", "660f3a630601", "660f3a62460118"}) {
            vectorPairs(cb, "pcmpxstrx REX.W / memory " + hex, hex);
        }
        cb.check();
    }
}
