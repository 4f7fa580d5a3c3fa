package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * SSE2 integer SIMD and data movement compared with the host CPU: every 66-prefixed integer
 * operation over lane-boundary values, shifts by immediates and by XMM counts, shuffles,
 * packs and unpacks, moves between XMM, general registers and memory (aligned, unaligned,
 * and misaligned forms that must raise #GP).
 */
class SseIntegerInstructionTest {
    /** 128-bit values (low, high) with lanes at their edges: 0, -1, 0x80.., 0x7f.., mixed bytes. */
    static final long[][] VECTORS = {
            {0, 0}, {-1, -1}, {0x8080_8080_8080_8080L, 0x7f7f_7f7f_7f7f_7f7fL},
            {0x8000_8000_8000_8000L, 0x7fff_7fff_7fff_7fffL}, {0x8000_0000_7fff_ffffL, 0x0000_0001_ffff_fffeL},
            {0x0123_4567_89ab_cdefL, 0xfedc_ba98_7654_3210L}, {0x00ff_ff00_0102_fefdL, 0x8001_7ffe_4000_c000L},
            {0x6162_0063_6465_6667L, 0x0068_6970_0000_7172L}, {1, 0x8000_0000_0000_0000L}};

    static void vectorPairs(CaseBuilder cb, String name, String hex) {
        for (long[] a : VECTORS) {
            for (long[] b : VECTORS) {
                long[] x = new long[32];
                x[0] = a[0];
                x[1] = a[1];
                x[2] = b[0];
                x[3] = b[1];
                cb.addSse(name, hex, 0, 0x1f80, x, r -> { r[Cpu.RAX] = 0x1234_5678_9abc_def0L; r[Cpu.RCX] = b[0] & 0x7f; });
            }
        }
    }

    @Test
    void laneArithmeticLogicAndCompares() {
        CaseBuilder cb = new CaseBuilder();
        int[] ops = {0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d,
                0x74, 0x75, 0x76, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf,
                0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
                0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe};
        for (int op : ops) vectorPairs(cb, String.format("66 0f %02x xmm0,xmm1", op), String.format("660f%02xc1", op));
        vectorPairs(cb, "unpcklps", "0f14c1");
        vectorPairs(cb, "unpckhps", "0f15c1");
        vectorPairs(cb, "unpcklpd", "660f14c1");
        vectorPairs(cb, "unpckhpd", "660f15c1");
        cb.check();
    }

    @Test
    void shiftsShufflesAndExtracts() {
        CaseBuilder cb = new CaseBuilder();
        for (int imm : new int[] {0, 1, 7, 8, 15, 16, 17, 31, 32, 63, 64, 0xff}) {
            String ib = String.format("%02x", imm);
            for (String[] g : new String[][] {{"psrlw", "71d0"}, {"psraw", "71e0"}, {"psllw", "71f0"}, {"psrld", "72d0"},
                    {"psrad", "72e0"}, {"pslld", "72f0"}, {"psrlq", "73d0"}, {"psrldq", "73d8"}, {"psllq", "73f0"}, {"pslldq", "73f8"}}) {
                vectorPairs(cb, g[0] + " xmm0," + imm, "660f" + g[1] + ib);
            }
            vectorPairs(cb, "pshufd " + imm, "660f70c1" + ib);
            vectorPairs(cb, "pshuflw " + imm, "f20f70c1" + ib);
            vectorPairs(cb, "pshufhw " + imm, "f30f70c1" + ib);
            vectorPairs(cb, "shufps " + imm, "0fc6c1" + ib);
            vectorPairs(cb, "shufpd " + imm, "660fc6c1" + ib);
            vectorPairs(cb, "pextrw eax " + imm, "660fc5c1" + ib);
            vectorPairs(cb, "pinsrw xmm0,eax " + imm, "660fc4c0" + ib);
        }
        vectorPairs(cb, "pmovmskb eax", "660fd7c1");
        vectorPairs(cb, "movmskps eax", "0f50c1");
        vectorPairs(cb, "movmskpd eax", "660f50c1");
        cb.check();
    }

    @Test
    void moves() {
        CaseBuilder cb = new CaseBuilder();
        String[][] forms = {
                {"movd eax,xmm1", "660f7ec8"}, {"movq rax,xmm1", "66480f7ec8"}, {"movd xmm0,eax", "660f6ec0"},
                {"movq xmm0,rax", "66480f6ec0"}, {"movq xmm0,xmm1 (F3)", "f30f7ec1"}, {"movq xmm0,xmm1 (66 D6)", "660fd6c8"},
                {"movss xmm0,xmm1", "f30f10c1"}, {"movsd xmm0,xmm1", "f20f10c1"}, {"movss xmm1,xmm0 (11)", "f30f11c1"},
                {"movhlps", "0f12c1"}, {"movlhps", "0f16c1"}, {"movaps", "0f28c1"}, {"movapd (29)", "660f29c1"},
                {"movdqa xmm0,[rsi]", "660f6f06"}, {"movdqa xmm0,[rsi+1] #GP", "660f6f4601"},
                {"movdqu xmm0,[rsi+1]", "f30f6f4601"}, {"movdqu [rdi+3],xmm1", "f30f7f4f03"},
                {"movdqa [rdi+8],xmm1 #GP", "660f7f4f08"}, {"movups xmm0,[rsi+5]", "0f104605"},
                {"movss xmm0,[rsi]", "f30f1006"}, {"movsd xmm0,[rsi+3]", "f20f104603"}, {"movss [rdi],xmm1", "f30f110f"},
                {"movsd [rdi+1],xmm1", "f20f114f01"}, {"movhps xmm0,[rsi]", "0f1606"}, {"movlps xmm0,[rsi]", "0f1206"},
                {"movhpd [rdi],xmm1", "660f170f"}, {"movlpd [rdi],xmm1", "660f130f"}, {"movq [rdi],xmm1", "660fd60f"},
                {"movd [rdi],xmm1", "660f7e0f"}, {"movq xmm0,[rsi]", "f30f7e06"}, {"movntdq [rdi],xmm1", "660fe70f"},
                {"movnti [rdi],rax", "480fc307"}, {"movntps [rdi],xmm1", "0f2b0f"}, {"paddb xmm0,[rsi]", "660ffc06"},
                {"paddb xmm0,[rsi+8] #GP", "660ffc4608"}, {"pxor xmm0,[rsi+1] #GP", "660fef4601"},
                {"pcmpeqb xmm0,[rsi]", "660f7406"}, {"movapd xmm0,[rsi+4] #GP", "660f284604"},
                {"maskmovdqu", "660ff7c1"}, {"movd xmm8,eax (REX.R)", "66440f6ec0"}, {"movdqa xmm9,xmm1", "66440f6fc9"},
                {"pxor xmm15,xmm15", "66450fefff"}, {"movmskps r9d,xmm1", "440f50c9"},
                {"movups xmm0,[rsi+0xefc] page cross", "0f1086fc0e0000"},
        };
        for (String[] f : forms) vectorPairs(cb, f[0], f[1]);
        cb.check();
    }

    /** What CPUID does not claim is #UD here, though the host runs it: MOVBE, PCLMULQDQ, AES, VEX (AVX). */
    @Test
    void unclaimedExtensionsAreUndefined() {
        for (String hex : new String[] {"0f38f006", "660f3a44c100", "660f38dcc1", "c5f877"}) {
            NativeRunner.Outcome o = NativeRunner.runInterpreter(new NativeRunner.Case(hex, hex, 0, CaseBuilder.baseRegs()));
            assertEquals(4, o.signal(), hex + " must raise #UD (SIGILL)");
        }
    }
}
