package dev.jux.platform.interp;

import org.junit.jupiter.api.Test;

/**
 * x87 compared with the host CPU: each case stores RAX and RBX as doubles at [RSI] and [RDI],
 * loads the control word from CX, pushes the two values (ST1 = a, ST0 = b) and runs one
 * instruction; the stack, tags, status word (flags, condition codes, TOP), RFLAGS and memory
 * must match bit for bit. Control words cover the four rounding modes and the three precisions.
 */
class X87InstructionTest {
    static final long[] VALUES = {d(0), d(-0.0), d(1), d(-1), d(1.0 / 3), d(-2.5), d(3.5), d(0.1), d(1e300),
            d(-1e-300), d(Double.MAX_VALUE), 1L, d(Double.POSITIVE_INFINITY), d(Double.NEGATIVE_INFINITY),
            0x7ff8_0000_0000_0001L, 0xfff0_0000_0000_0005L, d(0x1p63), d(-0x1p63 - 4096), d(123456789.75), d(7), d(2)};
    static final int[] CONTROL_WORDS = {0x37f, 0x77f, 0xb7f, 0xf7f, 0x27f, 0x07f};

    static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    /** mov [rsi],rax; mov [rdi],rbx; sub rsp,8 ... fldcw from cx; fld [rsi]; fld [rdi]; then the instruction. */
    static final String PROLOGUE = "488906" + "48891f" + "66890c24" + "d92c24" + "dd06" + "dd07";

    private static void pairs(CaseBuilder cb, String name, String hex) {
        for (int cw : CONTROL_WORDS) {
            for (long a : VALUES) {
                for (long b : VALUES) {
                    cb.add(name + " cw=" + Integer.toHexString(cw), PROLOGUE + hex, 0,
                            r -> { r[Cpu.RAX] = a; r[Cpu.RBX] = b; r[Cpu.RCX] = cw; });
                }
            }
        }
    }

    @Test
    void arithmetic() {
        CaseBuilder cb = new CaseBuilder();
        String[][] forms = {{"fadd st0,st1", "d8c1"}, {"fmul st0,st1", "d8c9"}, {"fsub st0,st1", "d8e1"},
                {"fsubr st0,st1", "d8e9"}, {"fdiv st0,st1", "d8f1"}, {"fdivr st0,st1", "d8f9"},
                {"fsub st1,st0", "dce9"}, {"fsubr st1,st0", "dce1"}, {"fdiv st1,st0", "dcf9"}, {"fdivr st1,st0", "dcf1"},
                {"faddp", "dec1"}, {"fsubp", "dee9"}, {"fdivrp", "def1"}, {"fmul qword [rsi]", "dc0e"},
                {"fsub dword [rsi]", "d826"}, {"fidiv dword [rsi]", "da36"}, {"fiadd word [rsi]", "de06"}};
        for (String[] f : forms) pairs(cb, f[0], f[1]);
        cb.check();
    }

    @Test
    void unaryAndScaling() {
        CaseBuilder cb = new CaseBuilder();
        String[][] forms = {{"fsqrt", "d9fa"}, {"frndint", "d9fc"}, {"fchs", "d9e0"}, {"fabs", "d9e1"},
                {"fscale", "d9fd"}, {"fprem", "d9f8"}, {"fprem1", "d9f5"}, {"fxtract", "d9f4"}, {"fxam", "d9e5"},
                {"ftst", "d9e4"}, {"fxch", "d9c9"}, {"fld st1", "d9c1"}, {"fstp st1", "ddd9"}, {"ffree st1", "ddc1"},
                {"fincstp", "d9f7"}, {"fdecstp", "d9f6"}, {"fnclex", "dbe2"}, {"fninit", "dbe3"},
                {"fld1", "d9e8"}, {"fldl2t", "d9e9"}, {"fldl2e", "d9ea"}, {"fldpi", "d9eb"}, {"fldlg2", "d9ec"},
                {"fldln2", "d9ed"}, {"fldz", "d9ee"}};
        for (String[] f : forms) pairs(cb, f[0], f[1]);
        cb.check();
    }

    @Test
    void comparesAndMoves() {
        CaseBuilder cb = new CaseBuilder();
        String[][] forms = {{"fcom st1", "d8d1"}, {"fcomp st1", "d8d9"}, {"fucom st1", "dde1"}, {"fucompp", "dae9"},
                {"fcompp", "ded9"}, {"fcomi", "dbf1"}, {"fucomi", "dbe9"}, {"fcomip", "dff1"}, {"fucomip", "dfe9"},
                {"fcom qword [rsi]", "dc16"}, {"fnstsw ax", "dfe0"}, {"fnstsw [rdi]", "dd3f"}, {"fnstcw [rdi]", "d93f"},
                {"fcomi; fcmovb", "dbf1dac1"}, {"fcomi; fcmove", "dbf1dac9"}, {"fcomi; fcmovbe", "dbf1dad1"},
                {"fcomi; fcmovu", "dbf1dad9"}, {"fcomi; fcmovnb", "dbf1dbc1"}, {"fcomi; fcmovne", "dbf1dbc9"},
                {"fcomi; fcmovnbe", "dbf1dbd1"}, {"fcomi; fcmovnu", "dbf1dbd9"}};
        for (String[] f : forms) pairs(cb, f[0], f[1]);
        cb.check();
    }

    /**
     * Clears the instruction and data pointers (bytes 12-27) FNSTENV/FNSAVE stored at [RDI]: the
     * interpreter does not track them (it stores zeros; documented).
     */
    // (The FXSAVE case likewise clears FIP/FDP and MXCSR_MASK, which is the CPU's own: 0x2ffff on the host.)
    static final String NO_POINTERS = "48c7470c00000000" + "48c7471400000000";

    @Test
    void loadsAndStores() {
        CaseBuilder cb = new CaseBuilder();
        String[][] forms = {{"fstp dword [rdi]", "d91f"}, {"fst qword [rdi]", "dd17"}, {"fstp tword [rdi]", "db3f"},
                {"fld tword [rsi+16]", "db6e10"}, {"fistp qword [rdi]", "df3f"}, {"fist dword [rdi]", "db17"},
                {"fistp word [rdi]", "df1f"}, {"fisttp qword [rdi]", "dd0f"}, {"fisttp dword [rdi]", "db0f"},
                {"fild qword [rsi]", "df2e"}, {"fild dword [rsi]", "db06"}, {"fild word [rsi]", "df06"},
                {"fld dword [rsi]", "d906"}, {"fnstenv [rdi]", "d937" + NO_POINTERS}, {"fnstenv; fldenv", "d937d927" + NO_POINTERS},
                {"fnsave [rdi]; frstor [rdi]", "dd37dd27" + NO_POINTERS}, {"9 pushes: overflow", "d9e8d9e8d9e8d9e8d9e8d9e8d9e8"},
                {"fstp x3: underflow", "ddd8ddd8ddd8"}, {"fxsave [rdi]; fld1; fxrstor [rdi]",
                        "0fae07d9e8" + "48c7470800000000" + "48c7471000000000" + "c7471c00000000" + "0fae0f"}};
        for (String[] f : forms) pairs(cb, f[0], f[1]);
        cb.check();
    }
}
