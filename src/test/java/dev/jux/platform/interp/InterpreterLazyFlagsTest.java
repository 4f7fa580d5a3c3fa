package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast path's lazy status flags (see {@link FastPath}): programs of flag writers and readers
 * run by {@link Interpreter#run} (flags pending within a run) and, as the reference, by the
 * generic {@link Executor} one instruction at a time (flags computed eagerly, checked against
 * the host CPU by the instruction tests). Registers, RFLAGS, memory, RIP and any fault must
 * agree: a Jcc and a SETcc of every condition after every lazy writer kind and size, the
 * generic executor (PUSHF, LAHF, CMOVcc, ADC, INC) after a lazy writer, a fault in the middle of
 * a block, a system call, and a run that stops with flags pending.
 */
class InterpreterLazyFlagsTest {
    private static final long CODE = InterpreterVsExecutor.CODE, DATA = InterpreterVsExecutor.DATA;
    private static final int[] SIZES = {1, 2, 4, 8};
    private static final long[] VALUES = {0, 1, -1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
            0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, Long.MAX_VALUE, Long.MIN_VALUE, 0x1234_5678_9abc_def0L};
    /** Conditions in the order the SETcc run reads them: those decided from pending operands first, O and P last. */
    private static final int[] CONDITIONS = {2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 0, 1, 10, 11};

    private final InterpreterVsExecutor twins = new InterpreterVsExecutor(0x1000);
    private final InterpreterVsExecutor.Machine fast = twins.fast, reference = twins.reference;
    private final Interpreter interp = twins.interp;

    /** Loads {@code program} and registers (RDI the data, RSP its end) into both machines; returns the end RIP. */
    private long load(byte[] program, long[] regs, long rflags) {
        return twins.load(program, new byte[0], regs, DATA, DATA + 0x1000, rflags);
    }

    /** Runs the loaded program to {@code end} both ways and asserts the same outcome. */
    private void assertSameAsExecutor(long end, String what) {
        twins.assertSame(end, what);
    }

    /** A little assembler: prefixes for a size, then bytes. */
    private static final class Asm {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Asm sized(int size, int... bytes) {
            if (size == 2) out.write(0x66);
            if (size == 8) out.write(0x48);
            return raw(bytes);
        }

        Asm raw(int... bytes) {
            for (int b : bytes) out.write(b);
            return this;
        }

        Asm imm(int size, long v) {
            int n = size == 1 ? 1 : size == 2 ? 2 : 4;
            for (int i = 0; i < n; i++) out.write((int) (v >>> (8 * i)));
            return this;
        }

        Asm raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** The fast path's flag writers of one size, each as "op ebx, eax"-like bytes (operands rbx, rax, rcx). */
    private static byte[][] writers(int size, long imm) {
        int b = size == 1 ? 0 : 1;
        java.util.List<byte[]> w = new java.util.ArrayList<>();
        for (int op = 0; op < 8; op++) {
            w.add(new Asm().sized(size, op * 8 + b, 0xc3).bytes());                 // op bl/bx/ebx/rbx, al...
            w.add(new Asm().sized(size, op * 8 + 2 + b, 0xc3).bytes());             // op al..., bl...
            w.add(new Asm().sized(size, size == 1 ? 0x80 : 0x81, 0xc0 | op << 3 | 3).imm(size, imm).bytes());
            w.add(new Asm().sized(size, 0x83 - (size == 1 ? 3 : 0), 0xc0 | op << 3 | 3).raw((int) imm & 0xff).bytes());
            w.add(new Asm().sized(size, op * 8 + 4 + b).imm(size, imm).bytes());    // op al/ax/eax/rax, imm
            w.add(new Asm().sized(size, op * 8 + b, 0x5f, 0x40).bytes());           // op [rdi+0x40], bl...
            w.add(new Asm().sized(size, size == 1 ? 0x80 : 0x83, 0x47 | op << 3, 0x40).raw((int) imm & 0xff).bytes());
        }
        w.add(new Asm().sized(size, 0x38 + b, 0x5f, 0x40).bytes());                 // cmp [rdi+0x40], bl...
        w.add(new Asm().sized(size, 0x84 + b, 0xc3).bytes());                       // test bl..., al...
        w.add(new Asm().sized(size, 0xf6 + b, 0xc3).imm(size, imm).bytes());        // test bl..., imm
        w.add(new Asm().sized(size, 0xa8 + b).imm(size, imm).bytes());              // test al/ax/eax/rax, imm
        if (size >= 4) {
            for (int op : new int[] {4, 5, 7}) {                                    // shl, shr, sar
                w.add(new Asm().sized(size, 0xc1, 0xc0 | op << 3 | 3).raw((int) imm & 0xff).bytes());
                w.add(new Asm().sized(size, 0xd3, 0xc0 | op << 3 | 3).bytes());     // by cl
                w.add(new Asm().sized(size, 0xd1, 0xc0 | op << 3 | 3).bytes());     // by 1
            }
            w.add(new Asm().sized(size, 0xf7, 0xd3).bytes());                       // not ebx/rbx: no flags
        }
        return w.toArray(byte[][]::new);
    }

    private static long[] regs(long a, long b, long c) {
        long[] r = new long[16];
        r[Cpu.RAX] = a;
        r[Cpu.RBX] = b;
        r[Cpu.RCX] = c;
        r[Cpu.RDX] = 0x5555;
        r[Cpu.RSI] = 0x5556;
        return r;
    }

    @Test
    void everyConditionAfterEveryLazyWriterKindAndSize() {
        Random random = new Random(7);
        int programs = 0;
        for (int size : SIZES) {
            for (int n = 0; n < 24; n++) {
                long a = n < VALUES.length ? VALUES[n] : random.nextLong();
                long b = VALUES[random.nextInt(VALUES.length)];
                long imm = new long[] {0, 1, 5, 31, 63, 0x80, -1, random.nextInt()}[n % 8];
                for (byte[] writer : writers(size, imm)) {
                    // cmp edx, esi first: ADC/SBB read CF pending from it. Then SETcc of every
                    // condition into [rdi+k], PUSHF and LAHF (generic executor).
                    Asm p = new Asm().raw(0x39, 0xf2).raw(writer);
                    for (int k = 0; k < 16; k++) p.raw(0x0f, 0x90 + CONDITIONS[k], 0x47, k);
                    p.raw(0x9c, 0x41, 0x58, 0x9f);                                  // pushfq; pop r8; lahf
                    long end = load(p.bytes(), regs(a, b, imm), 0x202);
                    setOperandInMemory(b);
                    assertSameAsExecutor(end, "setcc, size " + size + " writer " + hex(writer) + " a " + a + " b " + b);
                    // A Jcc of every condition, each after the writer (the taken ones skip an INC).
                    Asm j = new Asm();
                    for (int cc = 0; cc < 16; cc++) j.raw(writer).raw(0x70 + cc, 3).raw(0x49, 0xff, 0xc2);   // jcc +3; inc r10
                    end = load(j.bytes(), regs(a, b, imm), 0x202 | Flags.CF);
                    setOperandInMemory(a);
                    assertSameAsExecutor(end, "jcc, size " + size + " writer " + hex(writer) + " a " + a + " b " + b);
                    programs += 2;
                }
            }
        }
        assertTrue(programs > 1000);
    }

    /** The memory operand at [rdi+0x40] in both machines. */
    private void setOperandInMemory(long v) {
        for (InterpreterVsExecutor.Machine m : new InterpreterVsExecutor.Machine[] {fast, reference}) {
            for (int i = 0; i < 8; i++) m.data[0x40 + i] = (byte) (v >>> (8 * i));
        }
    }

    @Test
    void genericExecutorSeesTheFlagsOfALazyWriter() {
        byte[] program = new Asm()
                .raw(0x29, 0xc3)                  // sub ebx, eax (pending)
                .raw(0x0f, 0x42, 0xca)            // cmovb ecx, edx (executor)
                .raw(0x01, 0xc3)                  // add ebx, eax (pending)
                .raw(0x11, 0xd6)                  // adc esi, edx (reads CF)
                .raw(0x48, 0x21, 0xc3)            // and rbx, rax (pending)
                .raw(0x9f)                        // lahf
                .raw(0x48, 0xc1, 0xe3, 0x05)      // shl rbx, 5 (pending)
                .raw(0x9c, 0x41, 0x59)            // pushfq; pop r9
                .raw(0x39, 0xd8)                  // cmp eax, ebx (pending)
                .raw(0xff, 0xc1)                  // inc ecx (executor: keeps CF)
                .raw(0x19, 0xd2)                  // sbb edx, edx
                .bytes();
        for (long a : VALUES) {
            for (long b : VALUES) {
                long end = load(program, regs(a, b, 7), 0x202);
                assertSameAsExecutor(end, "a " + a + " b " + b);
            }
        }
    }

    @Test
    void faultInTheMiddleOfABlockSeesThePendingFlags() {
        byte[] program = new Asm()
                .raw(0x39, 0xd8)                                      // cmp eax, ebx (pending)
                .raw(0x48, 0x8b, 0x0c, 0x25, 0, 0, 0, 0x40)           // mov rcx, [0x40000000]: unmapped
                .raw(0x90).bytes();
        for (long a : VALUES) {
            long end = load(program, regs(a, 3, 0), 0x202);
            assertSameAsExecutor(end, "cmp then a fault, a " + a);
            assertEquals(CODE + 2, fast.cpu.rip, "on the faulting load");
        }
        // A read-modify-write of memory that faults, flags pending from a CMP before it.
        program = new Asm().raw(0x39, 0xd8).raw(0x01, 0x04, 0x25, 0, 0, 0, 0x40).raw(0x90).bytes();   // add [0x40000000], eax
        long endRmw = load(program, regs(5, 9, 0), 0x202);
        assertSameAsExecutor(endRmw, "cmp then a faulting add to memory");
        assertEquals(CODE + 2, fast.cpu.rip);
        // A faulting fast CMP with flags pending from an ADD before it.
        program = new Asm().raw(0x01, 0xc3).raw(0x3b, 0x1c, 0x25, 0, 0, 0, 0x40).raw(0x90).bytes();
        long end = load(program, regs(-1, 1, 0), 0x202);
        assertSameAsExecutor(end, "add then a faulting cmp");
        assertEquals(Flags.CF | Flags.PF | Flags.AF | Flags.ZF, fast.cpu.rflags & Flags.STATUS);
    }

    @Test
    void systemCallSeesThePendingFlagsInR11() {
        byte[] program = new Asm().raw(0x48, 0x39, 0xd8).raw(0x0f, 0x05).bytes();   // cmp rax, rbx; syscall
        long end = load(program, regs(1, 2, 0), 0x202);
        assertSameAsExecutor(end, "cmp; syscall");
        assertEquals(fast.cpu.rflags, fast.cpu.r[11]);
        assertEquals(Flags.CF | Flags.PF | Flags.AF | Flags.SF, fast.cpu.rflags & Flags.STATUS);
    }

    @Test
    void runThatStopsWithFlagsPendingLeavesRflagsCurrent() {
        // add eax, ebx; nop; cmp eax, 1; nop: stop after each instruction in turn.
        byte[] program = new Asm().raw(0x01, 0xd8, 0x90, 0x83, 0xf8, 0x01, 0x90).bytes();
        for (long stop : new long[] {CODE + 2, CODE + 3, CODE + 6}) {
            load(program, regs(0xffff_ffffL, 1, 0), 0x202);
            assertSameAsExecutor(stop, "stop at " + Long.toHexString(stop));
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x", x));
        return s.toString();
    }
}
