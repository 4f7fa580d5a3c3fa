package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jux.platform.Trap;
import org.junit.jupiter.api.Test;

/** Decoder lengths and fields for forms the native tests cannot run yet (SSE, VEX-free maps). */
class DecoderTest {
    private static Instruction decode(String hex) {
        FlatMemory mem = new FlatMemory();
        byte[] code = mem.map(0x1000, 64);
        for (int i = 0; i < hex.length() / 2; i++) code[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        Instruction in = new Instruction();
        new Decoder().decode(mem, 0x1000, in);
        return in;
    }

    @Test
    void lengthsAcrossMaps() {
        assertEquals(3, decode("0f5cc1").length);           // subps xmm0,xmm1
        assertEquals(5, decode("660f70c11b").length);       // pshufd xmm0,xmm1,0x1b
        assertEquals(5, decode("660f3800c1").length);       // pshufb (0F 38)
        assertEquals(6, decode("660f3a0fc108").length);     // palignr (0F 3A: ModRM + imm8)
        assertEquals(Instruction.MAP_0F3A | 0x0f, decode("660f3a0fc108").opcode);
        assertEquals(Instruction.MAP_0F38 | 0x00, decode("660f3800c1").opcode);
        assertEquals(10, decode("48b8efcdab8967452301").length); // mov rax, imm64
        assertEquals(9, decode("a00001001000000000").length);   // mov al, moffs64
        assertEquals(6, decode("67a000010010").length);         // mov al, moffs32
        assertEquals(4, decode("c8100002").length);             // enter
        assertEquals(6, decode("f7c300ff00ff").length);         // test ebx, imm32 (F7 /0)
        assertEquals(2, decode("f7d8").length);                 // neg eax: no immediate
        assertEquals(5, decode("66f7c30080").length);           // test bx, imm16
        assertEquals(8, decode("488d042578563412").length);     // SIB, no base, no index
        assertEquals(7, decode("488d05f0ffffff").length);       // RIP-relative
    }

    @Test
    void modrmAndRexFields() {
        Instruction in = decode("4a8d0460"); // lea rax,[rax+r12*2]
        assertEquals(12, in.index);
        assertEquals(1, in.scale);
        assertEquals(0, in.base);
        in = decode("498d041c"); // lea rax,[r12+rbx]
        assertEquals(12, in.base);
        assertEquals(3, in.index);
        in = decode("488d05f0ffffff");
        assertEquals(Instruction.BASE_RIP, in.base);
        assertEquals(-16, in.disp);
        in = decode("486601d8"); // REX before 66 is void
        assertEquals(0, in.rex);
        assertEquals(2, in.opSize);
        in = decode("64488b0425280000" + "00"); // mov rax, fs:[0x28]
        assertEquals(Instruction.SEG_FS, in.segment);
        assertEquals(Instruction.NONE, in.base);
        assertEquals(0x28, in.disp);
        in = decode("6650"); // push ax
        assertEquals(2, in.opSize);
        in = decode("66e800000000"); // near call: operand size stays 64 (as Intel; rel32 either way)
        assertEquals(8, in.opSize);
    }

    @Test
    void invalidAndTooLong() {
        assertEquals(Instruction.INVALID, decode("06").opcode);
        assertEquals(Instruction.INVALID, decode("0f04").opcode);
        CpuFault f = assertThrows(CpuFault.class, () -> decode("66666666666666666666666666666690"));
        assertEquals(Trap.GP, f.vector);
    }

    @Test
    void fsSegmentUsesTheBase() {
        FlatMemory mem = new FlatMemory();
        byte[] code = mem.map(0x1000, 64);
        byte[] tls = mem.map(0x7000, 64);
        byte[] bytes = {0x64, 0x48, (byte) 0x8b, 0x04, 0x25, 0x28, 0, 0, 0}; // mov rax, fs:[0x28]
        System.arraycopy(bytes, 0, code, 0, bytes.length);
        tls[0x28] = 0x42;
        Cpu cpu = new Cpu();
        cpu.rip = 0x1000;
        cpu.fsBase = 0x7000;
        new Interpreter(cpu, mem).step();
        assertEquals(0x42, cpu.r[Cpu.RAX]);
        assertEquals(0x1009, cpu.rip);
    }

    @Test
    void syscallCpuidRdtsc() {
        FlatMemory mem = new FlatMemory();
        byte[] code = mem.map(0x1000, 64);
        byte[] bytes = {0x0f, (byte) 0xa2, 0x0f, 0x31, 0x0f, 0x05};
        System.arraycopy(bytes, 0, code, 0, bytes.length);
        Cpu cpu = new Cpu();
        cpu.rip = 0x1000;
        cpu.rflags = 0x203;
        Interpreter interp = new Interpreter(cpu, mem);
        assertEquals(Executor.CONTINUE, interp.step()); // cpuid leaf 0
        assertEquals(0xd, cpu.r[Cpu.RAX]); // max basic leaf: 0xD, the XSAVE leaf
        assertEquals("AuthenticAMD", vendor(cpu));
        assertEquals(Executor.CONTINUE, interp.step()); // rdtsc
        assertEquals(0, cpu.r[Cpu.RAX] >>> 32);
        assertEquals(Executor.SYSCALL, interp.step());
        assertEquals(0x1006, cpu.rip);
        assertEquals(0x1006, cpu.r[Cpu.RCX]);
        assertEquals(0x203, cpu.r[11]);
    }

    /** The decoded-instruction cache: code written by the guest or from outside runs as written. */
    @Test
    void modifiedCodeIsDecodedAgain() {
        FlatMemory mem = new FlatMemory();
        byte[] code = mem.map(0x1000, 64);
        byte[] bytes = {(byte) 0xc6, 0x05, 0x01, 0, 0, 0, 0x02, // mov byte [rip+1], 2: the next instruction's imm
                (byte) 0xb8, 0x01, 0, 0, 0}; // mov eax, 1
        System.arraycopy(bytes, 0, code, 0, bytes.length);
        Cpu cpu = new Cpu();
        Interpreter interp = new Interpreter(cpu, mem);
        cpu.rip = 0x1007;
        interp.step();
        assertEquals(1, cpu.r[Cpu.RAX], "decoded and cached");
        cpu.rip = 0x1000;
        interp.step();
        interp.step();
        assertEquals(2, cpu.r[Cpu.RAX], "the guest's store changed the cached instruction");
        mem.write8(0x1007, 0xb9); // now mov ecx, 2
        cpu.epoch++; // a write from outside: the kernel ran (the context reloads the registers)
        cpu.rip = 0x1007;
        interp.step();
        assertEquals(2, cpu.r[Cpu.RCX], "a write from outside changed its opcode");
    }

    private static String vendor(Cpu c) {
        StringBuilder sb = new StringBuilder();
        for (long r : new long[] {c.r[Cpu.RBX], c.r[Cpu.RDX], c.r[Cpu.RCX]}) {
            for (int i = 0; i < 4; i++) sb.append((char) ((r >>> (8 * i)) & 0xff));
        }
        return sb.toString();
    }
}
