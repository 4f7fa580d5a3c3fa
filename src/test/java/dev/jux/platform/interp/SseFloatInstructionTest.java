package dev.jux.platform.interp;

import org.junit.jupiter.api.Test;

/**
 * SSE/SSE2 floating point compared with the host CPU: arithmetic, min/max, compares and
 * conversions over edge-case operands (zeros, denormals, infinities, quiet and signalling
 * NaNs, values whose results round) in every MXCSR rounding mode and with FZ+DAZ; the
 * destination, MXCSR (flags) and RFLAGS must match bit for bit.
 */
class SseFloatInstructionTest {
    static final long[] DOUBLES = {0, Long.MIN_VALUE, d(1), d(-1), d(1.0 / 3), d(-2.0 / 3), d(0.1), d(3),
            d(Double.MAX_VALUE), d(Double.MIN_NORMAL), 1L /* smallest denormal */, 0x000f_ffff_ffff_ffffL,
            d(Double.POSITIVE_INFINITY), d(Double.NEGATIVE_INFINITY), 0x7ff8_0000_0000_0001L /* QNaN */,
            0xfff0_0000_0000_0005L /* -SNaN */, d(0x1p53 + 2), d(1e300), d(-1e-300), d(2.5), d(-3.5), d(4e9)};
    static final int[] FLOATS = {0, 0x8000_0000, f(1), f(-1), f(1f / 3), f(0.1f), f(Float.MAX_VALUE),
            f(Float.MIN_NORMAL), 1, 0x7f_ffff, f(Float.POSITIVE_INFINITY), f(Float.NEGATIVE_INFINITY),
            0x7fc0_0001, 0xff80_0003, f(1e30f), f(-2.5f), f(3.5f), f(3e9f)};
    static final int[] MXCSRS = {0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9fc0};

    static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    static int f(float v) {
        return Float.floatToRawIntBits(v);
    }

    /** XMM0 = {a, ~a-ish}, XMM1 = {b, b}: scalar ops see a and b, packed ones two lanes. */
    static void doublePairs(CaseBuilder cb, String name, String hex) {
        for (int m : MXCSRS) {
            for (int i = 0; i < DOUBLES.length; i++) {
                for (int j = 0; j < DOUBLES.length; j++) {
                    long[] x = new long[32];
                    x[0] = DOUBLES[i];
                    x[1] = DOUBLES[(i + j + 1) % DOUBLES.length];
                    x[2] = DOUBLES[j];
                    x[3] = DOUBLES[(i * 3 + j) % DOUBLES.length];
                    cb.addSse(name, hex, 0, m, x, r -> { });
                }
            }
        }
    }

    static void floatPairs(CaseBuilder cb, String name, String hex) {
        for (int m : MXCSRS) {
            for (int i = 0; i < FLOATS.length; i++) {
                for (int j = 0; j < FLOATS.length; j++) {
                    long[] x = new long[32];
                    x[0] = lanes(FLOATS[i], FLOATS[j]);
                    x[1] = lanes(FLOATS[(i + 5) % FLOATS.length], FLOATS[(i + j) % FLOATS.length]);
                    x[2] = lanes(FLOATS[j], FLOATS[i]);
                    x[3] = lanes(FLOATS[(j + 3) % FLOATS.length], FLOATS[(i * 7 + j) % FLOATS.length]);
                    cb.addSse(name, hex, 0, m, x, r -> { });
                }
            }
        }
    }

    static long lanes(int lo, int hi) {
        return (lo & 0xffff_ffffL) | ((long) hi << 32);
    }

    private static final String[][] ARITH = {{"add", "58"}, {"sub", "5c"}, {"mul", "59"}, {"div", "5e"},
            {"sqrt", "51"}, {"min", "5d"}, {"max", "5f"}};

    @Test
    void doubleArithmetic() {
        CaseBuilder cb = new CaseBuilder();
        for (String[] op : ARITH) {
            doublePairs(cb, op[0] + "sd xmm0,xmm1", "f20f" + op[1] + "c1");
            doublePairs(cb, op[0] + "pd xmm0,xmm1", "660f" + op[1] + "c1");
        }
        cb.check();
    }

    @Test
    void singleArithmetic() {
        CaseBuilder cb = new CaseBuilder();
        for (String[] op : ARITH) {
            floatPairs(cb, op[0] + "ss xmm0,xmm1", "f30f" + op[1] + "c1");
            floatPairs(cb, op[0] + "ps xmm0,xmm1", "0f" + op[1] + "c1");
        }
        cb.check();
    }

    @Test
    void comparesAndLogic() {
        CaseBuilder cb = new CaseBuilder();
        for (int p = 0; p < 8; p++) {
            doublePairs(cb, "cmpsd " + p, String.format("f20fc2c1%02x", p));
            floatPairs(cb, "cmpps " + p, String.format("0fc2c1%02x", p));
        }
        doublePairs(cb, "comisd", "660f2fc1");
        doublePairs(cb, "ucomisd", "660f2ec1");
        floatPairs(cb, "comiss", "0f2fc1");
        floatPairs(cb, "ucomiss", "0f2ec1");
        doublePairs(cb, "andpd", "660f54c1");
        floatPairs(cb, "andnps", "0f55c1");
        floatPairs(cb, "orps", "0f56c1");
        doublePairs(cb, "xorpd", "660f57c1");
        cb.check();
    }

    @Test
    void conversions() {
        CaseBuilder cb = new CaseBuilder();
        doublePairs(cb, "cvttsd2si rax", "f2480f2cc1");
        doublePairs(cb, "cvtsd2si rax", "f2480f2dc1");
        doublePairs(cb, "cvttsd2si eax", "f20f2cc1");
        doublePairs(cb, "cvtsd2si eax", "f20f2dc1");
        floatPairs(cb, "cvttss2si rax", "f3480f2cc1");
        floatPairs(cb, "cvtss2si eax", "f30f2dc1");
        floatPairs(cb, "cvtss2sd", "f30f5ac1");
        doublePairs(cb, "cvtsd2ss", "f20f5ac1");
        floatPairs(cb, "cvtps2pd", "0f5ac1");
        doublePairs(cb, "cvtpd2ps", "660f5ac1");
        floatPairs(cb, "cvtdq2ps", "0f5bc1");
        floatPairs(cb, "cvtps2dq", "660f5bc1");
        floatPairs(cb, "cvttps2dq", "f30f5bc1");
        floatPairs(cb, "cvtdq2pd", "f30fe6c1");
        doublePairs(cb, "cvtpd2dq", "f20fe6c1");
        doublePairs(cb, "cvttpd2dq", "660fe6c1");
        for (int m : MXCSRS) {
            for (long v : CaseBuilder.VALUES) {
                for (String[] form : new String[][] {{"cvtsi2sd xmm0,rax", "f2480f2ac0"}, {"cvtsi2sd xmm0,eax", "f20f2ac0"},
                        {"cvtsi2ss xmm0,rax", "f3480f2ac0"}, {"cvtsi2ss xmm0,eax", "f30f2ac0"}}) {
                    long[] x = new long[32];
                    x[0] = 0x1111_2222_3333_4444L;
                    x[1] = 0x5555_6666_7777_8888L;
                    cb.addSse(form[0], form[1], 0, m, x, r -> r[Cpu.RAX] = v);
                }
            }
        }
        cb.check();
    }

    @Test
    void mxcsrAccessAndUnmaskedExceptions() {
        CaseBuilder cb = new CaseBuilder();
        long[] x = new long[32];
        x[0] = d(1);
        x[2] = 0;
        // divsd by zero with ZE unmasked: #XM (SIGFPE), destination unchanged.
        cb.addSse("divsd, ZE unmasked", "f20f5ec1", 0, 0x1d80, x, r -> { });
        cb.addSse("divsd, ZE masked", "f20f5ec1", 0, 0x1f80, x, r -> { });
        cb.addSse("stmxcsr [rdi]; mov eax,[rdi]", "0fae1f 8b07", 0, 0x3fa5, x, r -> { });
        cb.addSse("ldmxcsr [rdi] (reserved bit: #GP)", "c70700000100 0fae17", 0, 0x1f80, x, r -> { });
        cb.addSse("ldmxcsr [rdi]", "c707c05f0000 0fae17", 0, 0x1f80, x, r -> { });
        cb.check();
    }
}
