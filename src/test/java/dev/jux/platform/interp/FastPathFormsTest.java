package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every fast kind {@link FastPath#classify} splits out (register and memory operands, 8/16 and
 * 32/64-bit sizes, REX-extended and AH..BH registers, the addressing forms: base, base + index *
 * scale, index without a base, RIP-relative), run by {@link Interpreter#run} and, as the
 * reference, by the generic {@link Executor} one instruction at a time, with random register
 * and memory values: registers, RFLAGS, memory, RIP and any fault must agree. Each memory form
 * also runs with its address on an unmapped page, in the middle of a block after a flag writer:
 * the fault must be precise (RIP on it, nothing it would change changed, the earlier flags
 * current).
 */
class FastPathFormsTest {
    private static final long CODE = InterpreterVsExecutor.CODE, DATA = InterpreterVsExecutor.DATA, UNMAPPED = 0x90000;

    private final InterpreterVsExecutor twins = new InterpreterVsExecutor(0x2000);
    private final InterpreterVsExecutor.Machine fast = twins.fast, reference = twins.reference;
    private final Interpreter interp = twins.interp;
    private final Random random = new Random(7);

    /** Memory operands (ModRM with reg 0, then SIB/displacement), each addressing DATA + something when RDI = DATA, RCX < 64. */
    private static final int[][] MEMORY = {
            {0x47, 0x08},                      // [rdi+8]
            {0x44, 0x8f, 0x10},                // [rdi+rcx*4+16]
            {0x04, 0xcd, 0x00, 0x01, 0x04, 0x00},   // [rcx*8+0x40100]: no base
            {0x87, 0x00, 0x01, 0x00, 0x00},    // [rdi+0x100]: disp32
    };

    private static byte[] bytes(int... b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int x : b) out.write(x);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** Prefixes for an operand size (16: 66, 64: REX.W), with REX bits {@code rex} (R, X, B) added. */
    private static byte[] prefix(int size, int rex) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (size == 2) out.write(0x66);
        int r = (size == 8 ? 8 : 0) | rex;
        if (r != 0) out.write(0x40 | r);
        return out.toByteArray();
    }

    /** The memory operand {@code m} with ModRM.reg = {@code reg}. */
    private static byte[] mem(int m, int reg) {
        int[] form = MEMORY[m].clone();
        form[0] |= (reg & 7) << 3;
        return bytes(form);
    }

    private static byte[] imm(int n, long v) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (v >>> (8 * i));
        return b;
    }

    /** Register-operand forms: each one instruction. */
    private static List<byte[]> registerForms(long imm) {
        List<byte[]> forms = new ArrayList<>();
        for (int size : new int[] {1, 2, 4, 8}) {
            int w = size == 1 ? 0 : 1, n = size == 1 ? 1 : size == 2 ? 2 : 4;
            for (int rex : new int[] {0, 5}) {   // rex 5: R and B, r8..r15 (bytes: sil, dil... with any REX)
                for (int op = 0; op < 8; op++) {
                    forms.add(concat(prefix(size, rex), bytes(op * 8 + w, 0xc0 | 6 << 3 | 3)));   // op bl/r11, dh/r14...
                    forms.add(concat(prefix(size, rex), bytes(op * 8 + 2 + w, 0xc0 | 4 << 3 | 2)));
                    forms.add(concat(prefix(size, rex), bytes(size == 1 ? 0x80 : 0x81, 0xc0 | op << 3 | 7), imm(n, imm)));
                    forms.add(concat(prefix(size, rex), bytes(op * 8 + 4 + w), imm(n, imm)));
                }
                forms.add(concat(prefix(size, rex), bytes(0x84 + w, 0xc0 | 7 << 3 | 5)));
                forms.add(concat(prefix(size, rex), bytes(0xf6 + w, 0xc0 | 4), imm(n, imm)));
                forms.add(concat(prefix(size, rex), bytes(0xa8 + w), imm(n, imm)));
                if (size >= 4) {
                    forms.add(concat(prefix(size, rex), bytes(0x89, 0xc0 | 2 << 3 | 3)));     // mov ebx, edx
                    forms.add(concat(prefix(size, rex), bytes(0x8b, 0xc0 | 2 << 3 | 3)));     // mov edx, ebx
                    forms.add(concat(prefix(size, rex), bytes(0xc7, 0xc0 | 3), imm(4, imm)));
                    forms.add(concat(prefix(size, rex), bytes(0xbb), imm(size, imm)));       // mov ebx/rbx, imm
                    forms.add(concat(prefix(size, rex), bytes(0x0f, 0xb6, 0xc0 | 3 << 3 | 4)));   // movzx ebx, ah/spl/r12b
                    forms.add(concat(prefix(size, rex), bytes(0x0f, 0xb7, 0xc0 | 3 << 3 | 6)));
                    for (int op : new int[] {4, 5, 7}) {
                        forms.add(concat(prefix(size, rex), bytes(0xc1, 0xc0 | op << 3 | 3, (int) imm & 0xff)));
                        forms.add(concat(prefix(size, rex), bytes(0xd1, 0xc0 | op << 3 | 3)));
                        forms.add(concat(prefix(size, rex), bytes(0xd3, 0xc0 | op << 3 | 3)));
                    }
                    forms.add(concat(prefix(size, rex), bytes(0xf7, 0xc0 | 2 << 3 | 3)));   // not
                    forms.add(concat(prefix(size, rex), bytes(0x8d), mem(1, 3)));      // lea
                    forms.add(concat(prefix(size, rex & 4), bytes(0x8d), mem(2, 3)));  // lea, no base (no REX.B: the SIB names no base)
                }
            }
        }
        forms.add(bytes(0x48, 0x63, 0xd8));              // movsxd rbx, eax
        forms.add(bytes(0x4d, 0x63, 0xc1));              // movsxd r8, r9d
        forms.add(bytes(0x0f, 0x94, 0xc4));              // sete ah
        forms.add(bytes(0x41, 0x0f, 0x9c, 0xc3));        // setl r11b
        forms.add(bytes(0x53, 0x41, 0x5c));              // push rbx; pop r12
        forms.add(bytes(0x41, 0x51, 0x5b));              // push r9; pop rbx
        return forms;
    }

    /** Memory-operand forms at memory operand {@code m}. */
    private static List<byte[]> memoryForms(int m, long imm) {
        List<byte[]> forms = new ArrayList<>();
        for (int size : new int[] {1, 2, 4, 8}) {
            int w = size == 1 ? 0 : 1, n = size == 1 ? 1 : size == 2 ? 2 : 4;
            for (int op = 0; op < 8; op++) {
                if (op != 2 && op != 3) forms.add(concat(prefix(size, 0), bytes(op * 8 + w), mem(m, 3)));   // op [m], bl...
                forms.add(concat(prefix(size, 4), bytes(op * 8 + 2 + w), mem(m, 2)));   // op r10..., [m]
                if (op != 2 && op != 3) forms.add(concat(prefix(size, 0), bytes(size == 1 ? 0x80 : 0x81), mem(m, op), imm(n, imm)));
                if (op != 2 && op != 3) forms.add(concat(prefix(size, 0), bytes(size == 1 ? 0x80 : 0x83), mem(m, op), imm(1, imm)));
            }
            forms.add(concat(prefix(size, 0), bytes(0x84 + w), mem(m, 4)));   // test [m], ah/sp...
            forms.add(concat(prefix(size, 0), bytes(0xf6 + w), mem(m, 0), imm(n, imm)));
            if (size >= 4) {
                forms.add(concat(prefix(size, 4), bytes(0x8b), mem(m, 1)));   // mov r9, [m]
                forms.add(concat(prefix(size, 4), bytes(0x89), mem(m, 1)));   // mov [m], r9
                forms.add(concat(prefix(size, 0), bytes(0xc7), mem(m, 0), imm(4, imm)));
                forms.add(concat(prefix(size, 0), bytes(0x0f, 0xb6), mem(m, 3)));
                forms.add(concat(prefix(size, 0), bytes(0x0f, 0xb7), mem(m, 3)));
            }
        }
        forms.add(concat(bytes(0xc6), mem(m, 0), imm(1, imm)));
        forms.add(concat(bytes(0x48, 0x63), mem(m, 3)));      // movsxd rbx, [m]
        forms.add(concat(bytes(0x0f, 0x9f), mem(m, 0)));      // setg [m]
        return forms;
    }

    /** Loads {@code program} and the same random registers and data into both machines; returns the end RIP. */
    private long load(byte[] program, long rdi) {
        long[] regs = new long[16];
        for (int i = 0; i < 16; i++) regs[i] = random.nextInt(4) == 0 ? random.nextInt(3) - 1 : random.nextLong();
        regs[Cpu.RCX] = random.nextInt(64);
        byte[] data = new byte[0x2000];
        random.nextBytes(data);
        long rflags = 0x202 | (random.nextLong() & Flags.STATUS);
        return twins.load(program, data, regs, rdi, DATA + 0x1800, rflags);
    }

    private void assertSameAsExecutor(long end, String what) {
        assertEquals(Executor.CONTINUE, twins.assertSame(end, what), what + ": result");
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x ", x & 0xff));
        return s.toString().trim();
    }

    /** A flag writer before the form and a reader after it, so flags pass through it pending. */
    private static byte[] framed(byte[] form) {
        return concat(bytes(0x48, 0x29, 0xf0), form, bytes(0x0f, 0x97, 0xc1, 0x48, 0x01, 0xc6));   // sub rax, rsi; form; seta cl; add rsi, rax
    }

    @Test
    void registerFormsMatchTheExecutor() {
        for (long imm : new long[] {0, 1, 3, 0x41, 0x80, 0xff, -1, 0x7fff_ffff, 0x8000_0000L, 0x1234_5678_9abc_def0L}) {
            for (byte[] form : registerForms(imm)) {
                for (int k = 0; k < 3; k++) {
                    byte[] program = framed(form);
                    assertSameAsExecutor(load(program, DATA), hex(form));
                }
            }
        }
    }

    @Test
    void memoryFormsMatchTheExecutor() {
        for (int m = 0; m < MEMORY.length; m++) {
            for (long imm : new long[] {0, 1, 0x80, -1, 0x7fff_ffff}) {
                for (byte[] form : memoryForms(m, imm)) {
                    assertSameAsExecutor(load(framed(form), DATA), hex(form));
                }
            }
        }
    }

    @Test
    void ripRelativeFormsMatchTheExecutor() {
        // mov rbx, [rip+d]; add [rip+d], ebx; cmp byte [rip+d], 5; setb [rip+d]: d reaches DATA + 0x20.
        List<byte[]> forms = new ArrayList<>();
        forms.add(bytes(0x48, 0x8b, 0x1d));
        forms.add(bytes(0x01, 0x1d));
        forms.add(bytes(0x0f, 0x92, 0x05));
        for (byte[] head : forms) {
            byte[] program = concat(bytes(0x48, 0x29, 0xf0), head, imm(4, 0), bytes(0x90));
            long next = CODE + program.length - 1;
            byte[] disp = imm(4, DATA + 0x20 - next);
            System.arraycopy(disp, 0, program, program.length - 5, 4);
            assertSameAsExecutor(load(program, DATA), hex(head));
        }
    }

    @Test
    void aFaultInTheMiddleOfABlockIsPreciseForEveryMemoryForm() {
        for (int m = 0; m < MEMORY.length; m++) {
            if (m == 2) continue;   // no base register: its address does not depend on RDI
            for (byte[] form : memoryForms(m, 0x41)) {
                load(framed(form), UNMAPPED);
                long faultAt = CODE + 3;
                assertSameAsExecutor(CODE + framed(form).length, "fault: " + hex(form));
                assertEquals(faultAt, fast.cpu.rip, hex(form));
            }
        }
        // The stack: push, call and ret with RSP on an unmapped page.
        for (byte[] form : new byte[][] {bytes(0x53), bytes(0x5b), bytes(0xe8, 0, 0, 0, 0), bytes(0xc3), bytes(0xff, 0xd3)}) {
            load(framed(form), DATA);
            fast.cpu.r[Cpu.RSP] = reference.cpu.r[Cpu.RSP] = UNMAPPED + 0x100;
            assertSameAsExecutor(CODE + framed(form).length, "stack fault: " + hex(form));
            assertEquals(CODE + 3, fast.cpu.rip, hex(form));
        }
    }

    @Test
    void aStepRunsExactlyOneFastInstruction() {
        byte[] program = bytes(0x48, 0x29, 0xf0, 0x48, 0x89, 0xc3, 0x74, 0x02, 0x90, 0x90, 0x90);   // sub rax, rsi; mov rbx, rax; jz +2; nops
        for (boolean zero : new boolean[] {false, true}) {
            load(program, DATA);
            if (zero) fast.cpu.r[Cpu.RSI] = fast.cpu.r[Cpu.RAX];
            else fast.cpu.r[Cpu.RSI] = fast.cpu.r[Cpu.RAX] + 1;
            long[] rips = new long[4];
            for (int i = 0; i < 4; i++) {
                assertEquals(Executor.CONTINUE, interp.step());
                rips[i] = fast.cpu.rip;
            }
            assertArrayEquals(new long[] {CODE + 3, CODE + 6, zero ? CODE + 10 : CODE + 8, zero ? CODE + 11 : CODE + 9}, rips);
            assertEquals(zero, fast.cpu.r[Cpu.RBX] == 0);
            assertEquals(zero, (fast.cpu.rflags & Flags.ZF) != 0, "flags current after a step");
        }
    }
}
