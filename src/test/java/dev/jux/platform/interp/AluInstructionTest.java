package dev.jux.platform.interp;

import org.junit.jupiter.api.Test;

/** ADD..CMP, TEST, INC/DEC/NEG/NOT in every size and form, compared with the host CPU. */
class AluInstructionTest {
    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};

    @Test
    void twoOperandRegisterForms() {
        CaseBuilder b = new CaseBuilder();
        for (int op = 0; op < 8; op++) {
            String byteOp = String.format("%02x", op * 8), wordOp = String.format("%02x", op * 8 + 1);
            b.pairs(ALU[op] + " al,bl", byteOp + "d8");
            b.pairs(ALU[op] + " ax,bx", "66" + wordOp + "d8");
            b.pairs(ALU[op] + " eax,ebx", wordOp + "d8");
            b.pairs(ALU[op] + " rax,rbx", "48" + wordOp + "d8");
        }
        b.check();
    }

    @Test
    void immediateMemoryAndHighByteForms() {
        CaseBuilder b = new CaseBuilder();
        b.pairs("add ah,bh", "00fc");
        b.pairs("add spl,dil (REX)", "4000fc");
        b.pairs("sub bh,al", "28c7");
        b.pairs("adc al,0x80", "1480");
        b.pairs("sbb ax,0x7fff", "661dff7f");
        b.pairs("and eax,0x80000000", "2500000080");
        b.pairs("add rax,imm32 sign-extended", "480500000080");
        b.pairs("xor rax,-1 (83)", "4883f0ff");
        b.pairs("cmp rbx,0x7f (83)", "4883fb7f");
        b.pairs("or bl,0x81 (80)", "80cb81");
        b.pairs("add [rsi],rax", "480106");
        b.pairs("sub rax,[rsi+8]", "482b4608");
        b.pairs("adc dword [rdi],0x12345678", "811778563412");
        b.pairs("lock add [rsi],rbx", "f048011e");
        b.pairs("test rax,rbx", "4885d8");
        b.pairs("test al,0x81", "a881");
        b.pairs("test ebx,imm32 (F7 /0)", "f7c300ff00ff");
        b.check();
    }

    @Test
    void unaryForms() {
        CaseBuilder b = new CaseBuilder();
        String[][] forms = {{"inc", "c0"}, {"dec", "c8"}};
        for (String[] f : forms) {
            b.pairs(f[0] + " al", "fe" + f[1]);
            b.pairs(f[0] + " ax", "66ff" + f[1]);
            b.pairs(f[0] + " eax", "ff" + f[1]);
            b.pairs(f[0] + " rax", "48ff" + f[1]);
        }
        for (String[] f : new String[][] {{"not", "d0"}, {"neg", "d8"}}) {
            b.pairs(f[0] + " al", "f6" + f[1]);
            b.pairs(f[0] + " ax", "66f7" + f[1]);
            b.pairs(f[0] + " eax", "f7" + f[1]);
            b.pairs(f[0] + " rax", "48f7" + f[1]);
        }
        b.pairs("neg byte [rsi]", "f61e");
        b.pairs("inc qword [rsi]", "48ff06");
        b.check();
    }
}
