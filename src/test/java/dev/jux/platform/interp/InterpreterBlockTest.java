package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * The interpreter's decoded blocks and fast path at their edges: code written in the middle
 * of a block, code written from outside, a fault in the middle of a block, an instruction
 * crossing a page, branches taken and not taken, and the fast forms' flags and faults.
 */
class InterpreterBlockTest {
    private static final long CODE = 0x10000;

    private final FlatMemory mem = new FlatMemory();
    private final byte[] code = mem.map(CODE, 0x2000);
    private final Cpu cpu = new Cpu();
    private final Interpreter interp = new Interpreter(cpu, mem);

    private void load(long at, int... bytes) {
        for (int i = 0; i < bytes.length; i++) code[(int) (at - CODE) + i] = (byte) bytes[i];
    }

    private void steps(int n) {
        for (int i = 0; i < n; i++) assertEquals(Executor.CONTINUE, interp.step());
    }

    @Test
    void storeIntoTheSameBlockIsSeenByTheNextInstruction() {
        load(CODE,
                0xc6, 0x05, 0x01, 0, 0, 0, 0x07,   // mov byte [rip+1], 7: the next instruction's imm
                0xb8, 0x01, 0, 0, 0,               // mov eax, 1
                0xb9, 0x05, 0, 0, 0);              // mov ecx, 5
        cpu.rip = CODE;
        steps(3);
        assertEquals(7, cpu.r[Cpu.RAX]);
        assertEquals(5, cpu.r[Cpu.RCX]);
        // Run the block again: it was decoded anew with the 7.
        cpu.rip = CODE + 7;
        steps(1);
        assertEquals(7, cpu.r[Cpu.RAX]);
    }

    @Test
    void storeIntoALaterBlockOfTheSamePageIsSeen() {
        load(CODE, 0xb8, 0x01, 0, 0, 0, 0xc3);          // f: mov eax, 1; ret
        load(CODE + 0x100,
                0xe8, 0xfb, 0xfe, 0xff, 0xff,              // call f (0x10000)
                0xc6, 0x05, 0xf5, 0xfe, 0xff, 0xff, 0x09,  // mov byte [rip-0x10b] (f's imm), 9
                0xe8, 0xef, 0xfe, 0xff, 0xff);             // call f
        cpu.r[Cpu.RSP] = CODE + 0x2000;
        cpu.rip = CODE + 0x100;
        steps(3);
        assertEquals(1, cpu.r[Cpu.RAX]);
        steps(3);
        assertEquals(9, cpu.r[Cpu.RAX], "f's block was trusted, then its page was written");
    }

    @Test
    void codeWrittenFromOutsideIsSeenAfterTheEpochChanges() {
        load(CODE, 0xb8, 0x01, 0, 0, 0);               // mov eax, 1
        cpu.rip = CODE;
        steps(1);
        mem.write8(CODE + 1, 3);                       // the kernel (or another thread) writes the code
        cpu.epoch++;                                   // as loading the registers after a system call does
        cpu.rip = CODE;
        steps(1);
        assertEquals(3, cpu.r[Cpu.RAX]);
    }

    @Test
    void codeWrittenByAnotherThreadIsSeenAfterCpuid() {
        load(CODE, 0xb8, 0x01, 0, 0, 0, 0x0f, 0xa2);   // mov eax, 1; cpuid
        cpu.rip = CODE;
        steps(1);
        mem.write8(CODE + 1, 0);                       // leaf 0 now
        steps(1);
        cpu.rip = CODE;
        steps(1);
        assertEquals(0, cpu.r[Cpu.RAX]);
    }

    @Test
    void faultInTheMiddleOfABlockIsPrecise() {
        load(CODE,
                0xb8, 0x05, 0, 0, 0,                       // mov eax, 5
                0x83, 0xc0, 0x01,                          // add eax, 1
                0x48, 0x8b, 0x0c, 0x25, 0, 0, 0, 0x40,     // mov rcx, [0x40000000]: unmapped
                0xb8, 0x09, 0, 0, 0);                      // mov eax, 9
        cpu.rip = CODE;
        cpu.rflags = 0x202;
        steps(2);
        long flags = cpu.rflags;
        CpuFault f = assertThrows(CpuFault.class, interp::step);
        assertEquals(0x40000000L, f.address);
        assertEquals(CODE + 8, cpu.rip);
        assertEquals(6, cpu.r[Cpu.RAX]);
        assertEquals(flags, cpu.rflags);
        // Restarted (the fault handled), the block goes on from the faulting instruction.
        mem.map(0x40000000L, 16)[0] = 0x2a;
        steps(2);
        assertEquals(0x2a, cpu.r[Cpu.RCX]);
        assertEquals(9, cpu.r[Cpu.RAX]);
    }

    @Test
    void fastCmpAgainstMemoryFaultKeepsFlags() {
        load(CODE, 0x83, 0x3c, 0x25, 0, 0, 0, 0x40, 0x07);   // cmp dword [0x40000000], 7
        cpu.rip = CODE;
        cpu.rflags = 0x2c3;                                  // CF ZF SF set
        assertThrows(CpuFault.class, interp::step);
        assertEquals(0x2c3, cpu.rflags);
        assertEquals(CODE, cpu.rip);
    }

    @Test
    void pushAndCallFaultLeaveRspAlone() {
        load(CODE, 0x53, 0xe8, 0, 0, 0, 0);                  // push rbx; call next
        cpu.rip = CODE;
        cpu.r[Cpu.RSP] = 0x40000000L;                        // unmapped stack
        assertThrows(CpuFault.class, interp::step);
        assertEquals(0x40000000L, cpu.r[Cpu.RSP]);
        cpu.rip = CODE + 1;
        assertThrows(CpuFault.class, interp::step);
        assertEquals(0x40000000L, cpu.r[Cpu.RSP]);
        assertEquals(CODE + 1, cpu.rip);
    }

    @Test
    void instructionCrossingAPageRuns() {
        long at = CODE + 0x1000 - 3;
        load(at, 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8,         // mov rax, 0x0807060504030201 (crosses)
                0x48, 0x83, 0xc0, 0x01);                     // add rax, 1
        cpu.rip = at;
        steps(2);
        assertEquals(0x0807060504030202L, cpu.r[Cpu.RAX]);
        assertEquals(at + 14, cpu.rip);
        mem.write8(at + 2, 0x11);                            // the crossing instruction is compared on every entry
        cpu.rip = at;
        steps(1);
        assertEquals(0x0807060504030211L, cpu.r[Cpu.RAX]);
        code[(int) (at + 9 - CODE)] = 0x22;                  // its last byte, in the next page, behind the CPU's back
        cpu.rip = at;
        assertEquals(Executor.CONTINUE, interp.run(-1));
        assertEquals(0x2207060504030211L, cpu.r[Cpu.RAX]);
    }

    @Test
    void instructionCrossingIntoAnAbsentPageFaultsThere() {
        FlatMemory one = new FlatMemory();
        byte[] page = one.map(CODE, 0x1000);
        page[0xffe] = 0x48;                                  // mov rax, imm64: 8 of its bytes would be in the next page
        page[0xfff] = (byte) 0xb8;
        Cpu c = new Cpu();
        Interpreter i = new Interpreter(c, one);
        for (int k = 0; k < 2; k++) {
            c.rip = CODE + 0xffe;
            CpuFault f = assertThrows(CpuFault.class, () -> i.run(-1));
            assertEquals(dev.jux.platform.Trap.PF, f.vector);
            assertEquals(CODE + 0x1000, f.address);
            assertEquals(CODE + 0xffe, c.rip);
        }
    }

    @Test
    void branchesTakenAndNotTaken() {
        load(CODE,
                0x31, 0xc9,                                  // xor ecx, ecx
                0xff, 0xc1,                                  // L: inc ecx
                0x83, 0xf9, 0x03,                            // cmp ecx, 3
                0x75, 0xf9,                                  // jne L
                0x0f, 0x84, 0x02, 0, 0, 0,                   // je +2 (taken)
                0xb2, 0x01,                                  // mov dl, 1 (skipped)
                0xb3, 0x02);                                 // mov bl, 2
        cpu.rip = CODE;
        steps(1 + 3 * 3 + 2);
        assertEquals(3, cpu.r[Cpu.RCX]);
        assertEquals(0, cpu.r[Cpu.RDX]);
        assertEquals(2, cpu.r[Cpu.RBX]);
        assertEquals(CODE + 19, cpu.rip);
    }

    @Test
    void fastFormsOnByteAndHighByteRegisters() {
        load(CODE,
                0x30, 0xe0,                                  // xor al, ah
                0x38, 0xfb,                                  // cmp bl, bh
                0x84, 0xe4,                                  // test ah, ah
                0x40, 0x30, 0xe6,                            // xor sil, spl (REX: not AH/DH)
                0x80, 0xc4, 0x10);                           // add ah, 0x10
        cpu.r[Cpu.RAX] = 0x1234;
        cpu.r[Cpu.RBX] = 0x0505;
        cpu.r[Cpu.RSP] = 0x77;
        cpu.r[Cpu.RSI] = 0x11;
        cpu.rip = CODE;
        steps(2);
        assertEquals(0x1226, cpu.r[Cpu.RAX]);
        assertEquals(Flags.ZF, cpu.rflags & Flags.ZF);
        steps(3);
        assertEquals(0x66, cpu.r[Cpu.RSI]);
        assertEquals(0x2226, cpu.r[Cpu.RAX]);
    }

    @Test
    void popRspTakesTheValueRead() {
        load(CODE, 0x5c);                                    // pop rsp
        byte[] stack = mem.map(0x50000, 0x100);
        stack[0x80] = 0x44;
        cpu.r[Cpu.RSP] = 0x50080;
        cpu.rip = CODE;
        steps(1);
        assertEquals(0x44, cpu.r[Cpu.RSP]);
    }

    @Test
    void branchToNonCanonicalAddressLeavesTheBlock() {
        load(CODE, 0xff, 0xe0, 0x90);                        // jmp rax; nop
        cpu.r[Cpu.RAX] = 0x8000_0000_0000_0000L;
        cpu.rip = CODE;
        steps(1);
        assertEquals(0x8000_0000_0000_0000L, cpu.rip);       // the context raises #GP on it
    }

    @Test
    void runGoesAlongTheBlockUntilABranchIsTaken() {
        load(CODE,
                0xb8, 0x01, 0, 0, 0,                         // mov eax, 1
                0x83, 0xf8, 0x02,                            // cmp eax, 2
                0x74, 0x10,                                  // je +16 (not taken)
                0x83, 0xc0, 0x05,                            // add eax, 5
                0xeb, 0x02,                                  // jmp +2
                0x90, 0x90,
                0xb9, 0x03, 0, 0, 0);                        // mov ecx, 3
        cpu.rip = CODE;
        assertEquals(Executor.CONTINUE, interp.run(-1));
        assertEquals(6, cpu.r[Cpu.RAX]);
        assertEquals(CODE + 17, cpu.rip);
        assertEquals(15, interp.lastLength(), "from the start to the end of the JMP: RIP differs, a branch");
        assertEquals(Executor.CONTINUE, interp.run(CODE + 22));   // the zeros after it would fault
        assertEquals(3, cpu.r[Cpu.RCX]);
        assertEquals(CODE + 22, cpu.rip);
    }

    @Test
    void runStopsAtStopAndGoesOnFromThere() {
        load(CODE, 0xb8, 0x01, 0, 0, 0, 0xb9, 0x02, 0, 0, 0, 0xba, 0x03, 0, 0, 0);
        cpu.rip = CODE;
        interp.run(CODE + 5);
        assertEquals(CODE + 5, cpu.rip);
        assertEquals(5, interp.lastLength(), "fell through: RIP is start + lastLength");
        assertEquals(0, cpu.r[Cpu.RCX]);
        interp.run(CODE + 15);
        assertEquals(2, cpu.r[Cpu.RCX]);
        assertEquals(3, cpu.r[Cpu.RDX]);
    }

    @Test
    void runFaultsOnABranchToANonCanonicalAddress() {
        load(CODE, 0xb8, 0x01, 0, 0, 0, 0xff, 0xe1);         // mov eax, 1; jmp rcx
        cpu.r[Cpu.RCX] = 0x0000_8000_0000_0000L;
        cpu.rip = CODE;
        CpuFault f = assertThrows(CpuFault.class, () -> interp.run(-1));
        assertEquals(dev.jux.platform.Trap.GP, f.vector);
        assertEquals(CODE + 5, cpu.rip, "on the branch");
        assertEquals(1, cpu.r[Cpu.RAX]);
    }

    @Test
    void runSeesAStoreIntoItsOwnBlock() {
        load(CODE,
                0xc6, 0x05, 0x01, 0, 0, 0, 0x07,             // mov byte [rip+1], 7
                0xb8, 0x01, 0, 0, 0);                        // mov eax, 1
        cpu.rip = CODE;
        while (cpu.rip != CODE + 12) interp.run(CODE + 12);
        assertEquals(7, cpu.r[Cpu.RAX]);
    }

    @Test
    void indirectCallAndJumpSetccMovsxdAnd16BitCompare() {
        byte[] data = mem.map(0x60000, 0x100);
        data[0] = 0x20; data[1] = 0x00; data[2] = 0x01;         // [0x60000] = 0x10020: the target
        data[8] = (byte) 0xfe; data[9] = (byte) 0xff; data[10] = (byte) 0xff; data[11] = (byte) 0xff;  // -2
        load(CODE,
                0xff, 0x14, 0x25, 0, 0, 0x06, 0,                 // call [0x60000]
                0xf4);                                            // (hlt: not reached)
        load(CODE + 0x20,
                0x48, 0x63, 0x0c, 0x25, 8, 0, 0x06, 0,            // movsxd rcx, dword [0x60008]
                0x66, 0x83, 0xf9, 0xfe,                           // cmp cx, -2
                0x0f, 0x94, 0xc2,                                 // sete dl
                0x48, 0x8d, 0x05, 0x03, 0, 0, 0,                  // lea rax, [rip+3]
                0xff, 0xe0,                                       // jmp rax
                0xf4,                                             // (hlt: skipped)
                0x3c, 0x07);                                      // cmp al, 7
        cpu.r[Cpu.RSP] = 0x60100;
        cpu.rip = CODE;
        steps(7);
        assertEquals(CODE + 7, mem.read64(0x600f8), "the return address");
        assertEquals(-2L, cpu.r[Cpu.RCX]);
        assertEquals(1, cpu.r[Cpu.RDX]);
        assertEquals(CODE + 0x3b, cpu.rip);
        cpu.r[Cpu.RSP] = 0x40000000L;                             // an unmapped stack: the call faults
        cpu.rip = CODE;
        assertThrows(CpuFault.class, interp::step);
        assertEquals(0x40000000L, cpu.r[Cpu.RSP]);
        assertEquals(CODE, cpu.rip);
    }

    @Test
    void paddingNopsAndShiftsByCl() {
        load(CODE,
                0x66, 0x0f, 0x1f, 0x44, 0, 0,                    // nopw [rax+rax]
                0xf3, 0x0f, 0x1e, 0xfa,                           // endbr64
                0x48, 0xd3, 0xe0,                                 // shl rax, cl
                0xd3, 0xfa,                                       // sar edx, cl
                0x41, 0x90);                                      // xchg r8, rax (REX.B 90: not a NOP)
        cpu.r[Cpu.RAX] = 3;
        cpu.r[Cpu.RCX] = 65;                                      // masked to 1
        cpu.r[Cpu.RDX] = 0xffff_ffff_8000_0000L;
        cpu.r[8] = 7;
        cpu.rip = CODE;
        steps(5);
        assertEquals(7, cpu.r[Cpu.RAX]);
        assertEquals(6, cpu.r[8]);
        assertEquals(0xc000_0000L, cpu.r[Cpu.RDX], "a 32-bit SAR zeroes the upper half");
        assertEquals(CODE + 17, cpu.rip);
    }
}
