package dev.jux.platform.interp;

import org.junit.jupiter.api.Test;

/** Bit tests and scans, conditionals, moves and extensions, exchanges, compared with the host CPU. */
class BitAndMoveInstructionTest {
    @Test
    void bitTestsAndScans() {
        CaseBuilder b = new CaseBuilder();
        String[][] bt = {{"bt", "a3"}, {"bts", "ab"}, {"btr", "b3"}, {"btc", "bb"}};
        for (String[] f : bt) {
            b.pairs(f[0] + " rax,rbx", "480f" + f[1] + "d8");
            b.pairs(f[0] + " eax,ebx", "0f" + f[1] + "d8");
            b.pairs(f[0] + " ax,bx", "660f" + f[1] + "d8");
        }
        long[] offsets = {0, 1, 7, 8, 63, 64, 100, -1, -8, -9, -100, 500};
        for (String[] f : bt) b.pairs(f[0] + " [rsi],rbx", "480f" + f[1] + "1e", offsets);
        b.pairs("bt dword [rsi],ebx", "0fa31e", offsets);
        b.pairs("bts rax,63", "480fbae83f");
        b.pairs("btc eax,33", "0fbaf821");
        b.pairs("btr qword [rsi],70", "480fbe3646".replace("be3646", "ba3646"));
        for (String[] f : new String[][] {{"bsf", "bc"}, {"bsr", "bd"}}) {
            b.pairs(f[0] + " rax,rbx", "480f" + f[1] + "c3");
            b.pairs(f[0] + " eax,ebx", "0f" + f[1] + "c3");
            b.pairs(f[0] + " ax,bx", "660f" + f[1] + "c3");
            b.pairs((f[0].equals("bsf") ? "tzcnt" : "lzcnt") + " rax,rbx", "f3480f" + f[1] + "c3");
            b.pairs((f[0].equals("bsf") ? "tzcnt" : "lzcnt") + " eax,ebx", "f30f" + f[1] + "c3");
            b.pairs((f[0].equals("bsf") ? "tzcnt" : "lzcnt") + " ax,bx", "66f30f" + f[1] + "c3");
        }
        b.pairs("popcnt rax,rbx", "f3480fb8c3");
        b.pairs("popcnt eax,ebx", "f30fb8c3");
        b.pairs("popcnt ax,bx", "66f30fb8c3");
        b.check();
    }

    @Test
    void conditionals() {
        CaseBuilder b = new CaseBuilder();
        for (int cc = 0; cc < 16; cc++) {
            String c = Integer.toHexString(cc);
            b.allFlags("set" + c + " al", "0f9" + c + "c0");
            b.allFlags("cmov" + c + " rax,rbx", "480f4" + c + "c3");
            b.allFlags("cmov" + c + " eax,ebx (upper half)", "0f4" + c + "c3");
            b.allFlags("j" + c + " rel8 over mov", "7" + c + "07" + "48c7c001000000");
            b.allFlags("j" + c + " rel32 over mov", "0f8" + c + "07000000" + "48c7c001000000");
        }
        b.allFlags("setne bh (no REX: high byte)", "0f95c7");
        b.allFlags("setne dil (REX)", "400f95c7");
        b.allFlags("lahf", "9f");
        b.allFlags("cmc; stc; clc; std; cld", "f5f9f8fdfc");
        b.allFlags("pushf; pop rax", "9c58");
        b.check();
    }

    @Test
    void movesAndExtensions() {
        CaseBuilder b = new CaseBuilder();
        b.pairs("movzx rax,bl", "480fb6c3");
        b.pairs("movzx eax,bx", "0fb7c3");
        b.pairs("movzx ax,bh", "660fb6c7");
        b.pairs("movsx rax,bl", "480fbec3");
        b.pairs("movsx eax,bx", "0fbfc3");
        b.pairs("movsx ax,bl", "660fbec3");
        b.pairs("movsxd rax,ebx", "4863c3");
        b.pairs("movsxd eax,ebx (no REX.W)", "63c3");
        b.pairs("cbw", "6698");
        b.pairs("cwde", "98");
        b.pairs("cdqe", "4898");
        b.pairs("cwd", "6699");
        b.pairs("cdq", "99");
        b.pairs("cqo", "4899");
        b.pairs("mov eax,ebx (zero-extends)", "89d8");
        b.pairs("mov ax,bx", "6689d8");
        b.pairs("mov ah,bl", "88dc");
        b.pairs("mov al,imm8; mov ah,imm8", "b012b434");
        b.pairs("mov r9b,imm8; mov spl,imm8", "41b156" + "40b478");
        b.pairs("mov rax,imm64", "48b8efcdab8967452301");
        b.pairs("mov eax,imm32", "b8ffffffff");
        b.pairs("mov rax,simm32", "48c7c0ffffff7f");
        b.pairs("mov [rsi],bx; mov rax,[rsi]", "66891e488b06");
        b.pairs("mov qword [rdi+rbx*0+8],imm32", "48c7441f08785634f2".replace("441f08", "443f08"));
        b.pairs("bswap rax", "480fc8");
        b.pairs("bswap eax", "0fc8");
        b.pairs("bswap r11", "490fcb");
        b.pairs("xchg rax,rbx", "4887d8");
        b.pairs("xchg eax,ebx (90+r)", "93");
        b.pairs("xchg r8,rax (REX.B 90)", "4990");
        b.pairs("xchg [rsi],bl", "861e");
        b.pairs("xadd rax,rbx", "480fc1d8");
        b.pairs("xadd al,bl", "0fc0d8");
        b.pairs("xadd [rsi],ebx", "0fc11e");
        b.pairs("cmpxchg rdx,rbx", "480fb1da");
        b.pairs("cmpxchg edx,ebx", "0fb1da");
        b.pairs("cmpxchg dl,bl", "0fb0da");
        b.pairs("lock cmpxchg [rsi],rbx", "f0480fb11e");
        b.pairs("cmpxchg8b [rsi] (rdx=b)", "0fc70e");
        b.pairs("cmpxchg16b [rsi]", "480fc70e");
        b.pairs("cmpxchg16b [rsi+8] misaligned", "480fc74e08");
        b.check();
    }

    @Test
    void cmpxchg8bMatch() {
        CaseBuilder b = new CaseBuilder();
        // [rsi] holds the pattern bytes; load them into EDX:EAX first so the compare succeeds.
        b.pairs("mov rax,[rsi]; mov rdx,rax; shr rdx,32; cmpxchg8b [rsi]", "488b064889c248c1ea200fc70e");
        b.pairs("mov rax,[rsi]; mov rdx,[rsi+8]; lock cmpxchg16b [rsi]", "488b06488b5608f0480fc70e");
        b.check();
    }
}
