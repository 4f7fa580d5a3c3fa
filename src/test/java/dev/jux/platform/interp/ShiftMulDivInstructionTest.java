package dev.jux.platform.interp;

import org.junit.jupiter.api.Test;

/** Shifts, rotates, SHLD/SHRD, MUL/IMUL/DIV/IDIV, compared with the host CPU. */
class ShiftMulDivInstructionTest {
    private static final String[] GROUP2 = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};

    @Test
    void shiftsAndRotatesByCl() {
        CaseBuilder b = new CaseBuilder();
        for (int op = 0; op < 8; op++) {
            String modrm = String.format("%02x", 0xc0 | (op << 3));
            b.shifts(GROUP2[op] + " al,cl", "d2" + modrm);
            b.shifts(GROUP2[op] + " ax,cl", "66d3" + modrm);
            b.shifts(GROUP2[op] + " eax,cl", "d3" + modrm);
            b.shifts(GROUP2[op] + " rax,cl", "48d3" + modrm);
        }
        b.check();
    }

    @Test
    void shiftsByOneAndImmediate() {
        CaseBuilder b = new CaseBuilder();
        for (int op = 0; op < 8; op++) {
            String modrm = String.format("%02x", 0xc0 | (op << 3));
            b.pairs(GROUP2[op] + " al,1", "d0" + modrm);
            b.pairs(GROUP2[op] + " rax,1", "48d1" + modrm);
            b.pairs(GROUP2[op] + " eax,31", "c1" + modrm + "1f");
            b.pairs(GROUP2[op] + " rax,63", "48c1" + modrm + "3f");
            b.pairs(GROUP2[op] + " ax,17", "66c1" + modrm + "11");
            b.pairs(GROUP2[op] + " eax,0 (writes back?)", "c1" + modrm + "00");
        }
        b.pairs("shl qword [rsi],cl", "48d326");
        b.check();
    }

    @Test
    void doubleShifts() {
        CaseBuilder b = new CaseBuilder();
        b.shifts("shld ax,bx,cl", "660fa5d8");
        b.shifts("shld eax,ebx,cl", "0fa5d8");
        b.shifts("shld rax,rbx,cl", "480fa5d8");
        b.shifts("shrd ax,bx,cl", "660fadd8");
        b.shifts("shrd eax,ebx,cl", "0fadd8");
        b.shifts("shrd rax,rbx,cl", "480fadd8");
        b.pairs("shld rax,rbx,1", "480fa4d801");
        b.pairs("shrd eax,ebx,31", "0facd81f");
        b.check();
    }

    @Test
    void multiply() {
        CaseBuilder b = new CaseBuilder();
        b.pairs("mul bl", "f6e3");
        b.pairs("mul bx", "66f7e3");
        b.pairs("mul ebx", "f7e3");
        b.pairs("mul rbx", "48f7e3");
        b.pairs("imul bl", "f6eb");
        b.pairs("imul bx", "66f7eb");
        b.pairs("imul ebx", "f7eb");
        b.pairs("imul rbx", "48f7eb");
        b.pairs("imul ax,bx", "660fafc3");
        b.pairs("imul eax,ebx", "0fafc3");
        b.pairs("imul rax,rbx", "480fafc3");
        b.pairs("imul rax,rbx,0x7f", "486bc37f");
        b.pairs("imul eax,ebx,-2", "6bc3fe");
        b.pairs("imul rax,rbx,0x80000000", "4869c300000080");
        b.pairs("imul ax,bx,0x8000", "6669c30080");
        b.pairs("imul rax,[rsi]", "480faf06");
        b.check();
    }

    @Test
    void divide() {
        long[] highs = {0, 1, 0x7f, 0xff, 0x7fff_ffff_ffff_ffffL, -1};
        CaseBuilder b = new CaseBuilder();
        String[][] forms = {{"div bl", "f6f3"}, {"div bx", "66f7f3"}, {"div ebx", "f7f3"}, {"div rbx", "48f7f3"},
                {"idiv bl", "f6fb"}, {"idiv bx", "66f7fb"}, {"idiv ebx", "f7fb"}, {"idiv rbx", "48f7fb"}};
        for (String[] f : forms) {
            for (long a : CaseBuilder.VALUES) {
                for (long d : CaseBuilder.VALUES) {
                    for (long h : highs) {
                        b.add(f[0], f[1], CaseBuilder.STATUS_ALL & (a ^ d), r -> {
                            r[Cpu.RAX] = a;
                            r[Cpu.RBX] = d;
                            r[Cpu.RDX] = h;
                        });
                    }
                }
            }
        }
        b.check();
    }
}
