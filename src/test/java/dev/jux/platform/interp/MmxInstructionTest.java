package dev.jux.platform.interp;

import org.junit.jupiter.api.Test;

/**
 * MMX compared with the host CPU: MM0 and MM1 are loaded from XMM0 and XMM1 (MOVDQ2Q), the
 * instruction runs, and the FXSAVE image the runner prints shows the MMX registers, the x87
 * tag word and TOP (every MMX instruction sets TOP to 0 and tags all registers valid; EMMS
 * empties them).
 */
class MmxInstructionTest {
    /** movdq2q mm0, xmm0; movdq2q mm1, xmm1. */
    private static final String LOAD = "f20fd6c0f20fd6c9";

    private static void pairs(CaseBuilder cb, String name, String hex) {
        for (long[] a : SseIntegerInstructionTest.VECTORS) {
            for (long[] b : SseIntegerInstructionTest.VECTORS) {
                long[] x = new long[32];
                x[0] = a[0];
                x[1] = a[1];
                x[2] = b[0] ^ a[1];
                x[3] = b[1];
                cb.addSse(name, LOAD + hex, 0, 0x1f80, x, r -> { r[Cpu.RAX] = 0x1234_5678_9abc_def0L; r[Cpu.RCX] = b[0] & 0x7f; });
            }
        }
    }

    @Test
    void laneArithmeticLogicAndCompares() {
        CaseBuilder cb = new CaseBuilder();
        int[] ops = {0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b,
                0x74, 0x75, 0x76, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf,
                0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
                0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe};
        for (int op : ops) pairs(cb, String.format("0f %02x mm0,mm1", op), String.format("0f%02xc1", op));
        cb.check();
    }

    @Test
    void shiftsShufflesExtractsAndMoves() {
        CaseBuilder cb = new CaseBuilder();
        for (int imm : new int[] {0, 1, 7, 8, 15, 16, 17, 31, 32, 63, 64, 0xff}) {
            String ib = String.format("%02x", imm);
            for (String[] g : new String[][] {{"psrlw", "71d0"}, {"psraw", "71e0"}, {"psllw", "71f0"}, {"psrld", "72d0"},
                    {"psrad", "72e0"}, {"pslld", "72f0"}, {"psrlq", "73d0"}, {"psllq", "73f0"}}) {
                pairs(cb, g[0] + " mm0," + imm, "0f" + g[1] + ib);
            }
            pairs(cb, "pshufw " + imm, "0f70c1" + ib);
            pairs(cb, "pextrw eax,mm1 " + imm, "0fc5c1" + ib);
            pairs(cb, "pinsrw mm0,eax " + imm, "0fc4c0" + ib);
        }
        String[][] forms = {
                {"pmovmskb eax,mm1", "0fd7c1"}, {"emms", "0f77"}, {"paddb; emms", "0ffcc10f77"},
                {"movd eax,mm1", "0f7ec8"}, {"movq rax,mm1", "480f7ec8"}, {"movd mm0,eax", "0f6ec0"},
                {"movq mm0,rax", "480f6ec0"}, {"movq mm0,mm1", "0f6fc1"}, {"movq mm1,mm0 (7f)", "0f7fc1"},
                {"movq mm0,[rsi+3]", "0f6f4603"}, {"movq [rdi+1],mm1", "0f7f4f01"}, {"movntq [rdi],mm1", "0fe70f"},
                {"movd [rdi],mm1", "0f7e0f"}, {"movd mm0,[rsi]", "0f6e06"}, {"paddw mm0,[rsi+1]", "0ffd4601"},
                {"punpcklbw mm0,[rsi+0xffc] (m32)", "0f6086fc0f0000"}, {"punpckhdq mm0,[rsi]", "0f6a06"},
                {"movq2dq xmm2,mm1", "f30fd6d1"}, {"movdq2q mm3,xmm1", "f20fd6d9"}, {"maskmovq", "0ff7c1"},
                {"pinsrw mm0,[rsi],2", "0fc40602"}, {"psrlq mm0,mm1", "0fd3c1"}, {"pshufw mm0,[rsi],0x1b", "0f70061b"},
                {"movq mm0,mm1 REX.B ignored", "410f6fc1"}, {"movd mm0,r9d", "410f6ec1"},
                {"fld1 after mmx", "0fefc0d9e8"}, {"cvtpi2ps xmm0,mm1", "0f2ac1"}, {"cvtpi2pd xmm0,mm1", "660f2ac1"},
                {"cvtpi2ps xmm0,[rsi]", "0f2a06"}, {"cvtps2pi mm0,xmm1", "0f2dc1"}, {"cvttps2pi mm0,xmm1", "0f2cc1"},
                {"cvtpd2pi mm0,xmm1", "660f2dc1"}, {"cvttpd2pi mm0,xmm1", "660f2cc1"}, {"cvtpd2pi mm0,[rsi+8] #GP", "660f2d4608"},
                {"pmovmskb eax,[rsi] #UD", "0fd706"}, {"psrlw mm0,[rsi] imm form #UD", "0f711601"},
        };
        for (String[] f : forms) pairs(cb, f[0], f[1]);
        cb.check();
    }
}
