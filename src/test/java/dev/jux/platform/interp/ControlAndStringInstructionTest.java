package dev.jux.platform.interp;

import org.junit.jupiter.api.Test;

/** Stack and control flow, string instructions, addressing, prefixes and faults vs. the host CPU. */
class ControlAndStringInstructionTest {
    @Test
    void stackAndControl() {
        CaseBuilder b = new CaseBuilder();
        b.pairs("push rax; push bx; pop rcx; pop dx", "50" + "6653" + "59" + "665a");
        b.pairs("push r12; pop r13", "4154" + "415d");
        b.pairs("push imm8; push imm32; pop rax; pop rbx", "6a80" + "6878563412" + "58" + "5b");
        b.pairs("push qword [rsi]; pop qword [rdi]", "ff36" + "8f07");
        b.pairs("pop qword [rsp] (address after the pop)", "8f0424");
        b.pairs("call next; pop rax", "e800000000" + "58");
        b.pairs("call +1; int3-skip; pop rcx", "e801000000" + "cc" + "59");
        b.pairs("lea rbx,[rip+5]; call rbx; jmp +1; ret-target", "488d1d05000000" + "ffd3" + "eb01" + "c3");
        b.pairs("call rel; add rsp,8 ... ret imm16", "e803000000" + "eb04" + "90" + "c20800");
        b.pairs("enter 16,0; leave", "c8100000" + "c9");
        b.pairs("enter 24,3; leave", "c8180003" + "c9");
        b.pairs("enter 8,1", "c8080001");
        b.pairs("jmp rel8 +2", "eb02" + "ffc0");
        b.pairs("jmp [rip] table", "ff2500000000".substring(0, 12) + "0a00002000000000".replace("0a00002000000000", "0e00002000000000"));
        b.pairs("loop over inc (rcx=b)", "48ffc0" + "e2fb".replace("e2fb", "e200"));
        b.pairs("jrcxz", "e302" + "ffc0");
        b.pairs("mov ecx,5; l: inc rax; loop l", "b905000000" + "48ffc0" + "e2fb");
        b.pairs("jecxz (67)", "67e302" + "ffc0");
        b.check();
    }

    @Test
    void strings() {
        CaseBuilder b = new CaseBuilder();
        String[][] forms = {{"movsb", "a4"}, {"movsq", "48a5"}, {"movsw", "66a5"}, {"stosb", "aa"}, {"stosd", "ab"},
                {"lodsb", "ac"}, {"lodsq", "48ad"}, {"cmpsb", "a6"}, {"cmpsd", "a7"}, {"scasb", "ae"}, {"scasq", "48af"}};
        long[] counts = {0, 1, 2, 3, 17, 100};
        for (String[] f : forms) {
            for (String rep : new String[] {"", "f3", "f2"}) {
                for (long n : counts) {
                    for (long flags : new long[] {0, 0x400}) {
                        b.add(rep + " " + f[0], rep + f[1], flags, r -> {
                            r[Cpu.RCX] = n;
                            r[Cpu.RAX] = 0x1234_5678_9abc_def0L ^ (n * 0x1111);
                        });
                    }
                }
            }
        }
        b.add("rep stosb with 67 (ecx, edi)", "67f3aa", 0, r -> {
            r[Cpu.RCX] = 0xffff_ffff_0000_0010L;
            r[Cpu.RDI] |= 0xabcd_0000_0000_0000L;
        });
        b.add("repne scasb finds a byte", "f2ae", 0, r -> { r[Cpu.RCX] = 300; r[Cpu.RAX] = 0x22; });
        b.add("repe cmpsb over a copy", "b940000000f3a4" + "488d76c0488d7fc0b940000000f3a6", 0, r -> { });
        b.check();
    }

    @Test
    void addressingAndPrefixes() {
        CaseBuilder b = new CaseBuilder();
        long[] small = {0, 1, 8, 0x7fff_ffff, 0x8000_0000L, -1, -8};
        b.pairs("lea rax,[rax+rbx*4+0x10]", "488d449810", small);
        b.pairs("lea rax,[rbx*8] (no base)", "488d04dd00000000", small);
        b.pairs("lea rax,[rip-0x10]", "488d05f0ffffff", small);
        b.pairs("lea eax,[rax+rbx] (67, 32-bit address)", "678d0418", small);
        b.pairs("lea rax,[rbp+0] (mod 1 base 5)", "488d4500", small);
        b.pairs("lea rax,[r13] (mod 1, REX.B)", "498d4500", small);
        b.pairs("lea rax,[r12+rbx] (SIB base r12)", "498d041c", small);
        b.pairs("lea rax,[rax+r12*2] (index r12)", "4a8d0460", small);
        b.pairs("lea rax,[rsp] (index none)", "488d0424", small);
        b.pairs("lea rax,[disp32] (SIB no base, no index)", "488d042578563412", small);
        b.pairs("lea ax,[rbx-1] (16-bit operand)", "668d43ff", small);
        b.pairs("mov rax,[rsi+rbx] small", "488b041e", new long[] {0, 8, 0x100});
        b.pairs("REX then 66: REX ignored (add ax,bx)", "486601d8");
        b.pairs("two REX: the last counts", "404801d8");
        b.pairs("REX.W then REX: plain add eax,ebx", "484001d8");
        b.pairs("ignored segment overrides", "2e3e263601d8");
        b.pairs("14 prefixes + nop (15 bytes)", "6666666666666666666666666666" + "90");
        b.pairs("15 prefixes + nop (16 bytes: #GP)", "666666666666666666666666666666" + "90");
        b.pairs("nops", "90" + "0f1f00" + "0f1f440000" + "660f1f840000000000" + "f390" + "f30f1efa" + "0f18 06".replace(" ", ""));
        b.pairs("mov al,[moffs64]", "a00001001000000000");
        b.pairs("mov [moffs64],rax", "48a30008001000000000");
        b.pairs("xlat", "d7", new long[] {0, 0x7f, 0x80, 0xff});
        b.pairs("sahf", "9e");
        b.pairs("popf (status+DF only)", "4825d50c000050" + "9d");
        b.check();
    }

    @Test
    void faults() {
        CaseBuilder b = new CaseBuilder();
        b.pairs("div by zero / overflow", "48f7f3", new long[] {0, 1, -1});
        b.pairs("idiv min/-1", "48f7fb", new long[] {Long.MIN_VALUE, -1, 0});
        b.pairs("ud2", "0f0b");
        b.pairs("int3", "cc");
        b.pairs("hlt", "f4");
        b.pairs("cli", "fa");
        b.pairs("in al,dx", "ec");
        b.pairs("invalid in 64-bit: push es", "06");
        b.pairs("invalid: aaa", "37");
        b.pairs("invalid: salc", "d6");
        b.pairs("lock on a register", "f04801d8");
        b.pairs("lock on mov", "f0488906");
        b.pairs("lock cmp", "f0483906");
        b.pairs("lea with a register operand", "488dc0");
        b.pairs("mov to cr0", "0f22c0");
        b.pairs("rdmsr", "0f32");
        b.pairs("unmapped load", "488b042500000000");
        b.pairs("store to unmapped after partial work", "48ffc0" + "48890425000000f0");
        b.check();
    }
}
