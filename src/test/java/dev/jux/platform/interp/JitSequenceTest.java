package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random straight-line sequences of the integer instructions the JIT compiles inline (and a
 * few it leaves to the interpreter), run by the interpreter and as translated blocks: the
 * registers, flags, memory and any fault must agree. Single instructions are checked against
 * the host CPU by the *InstructionTest classes; this checks what only sequences exercise: the
 * lazy flags (computed when read, at a fallback, at the block's end, or when an instruction
 * faults) and the precise state at a fault in the middle of a block.
 */
class JitSequenceTest {
    private static final long CODE = 0x40_0000L, DATA = 0x60_0000L, UNMAPPED = 0x70_0000L;

    /** Registers the sequences write: rax, rcx, rdx, rbx; rsi is the data pointer. */
    private static final int[] REGS = {0, 1, 2, 3};

    private static String hex(int... bytes) {
        StringBuilder sb = new StringBuilder();
        for (int b : bytes) sb.append(String.format("%02x", b & 0xff));
        return sb.toString();
    }

    private static String randomInstruction(Random rnd) {
        int d = REGS[rnd.nextInt(REGS.length)], s = REGS[rnd.nextInt(REGS.length)];
        int rr = 0xc0 | s << 3 | d;
        int[] alu = {0x01, 0x09, 0x11, 0x19, 0x21, 0x29, 0x31, 0x39};
        int imm = rnd.nextInt(256);
        if (rnd.nextInt(4) == 0) return randomSse(rnd, d, s);
        return switch (rnd.nextInt(34)) {
            case 0, 1 -> hex(0x48, alu[rnd.nextInt(8)], rr);
            case 2 -> hex(alu[rnd.nextInt(8)], rr);                       // 32-bit
            case 3 -> hex(alu[rnd.nextInt(8)] - 1, rr);                   // 8-bit
            case 4 -> hex(0x48, 0x83, 0xc0 | rnd.nextInt(8) << 3 | d, imm);
            case 5 -> hex(0x48, 0x85, rr);                                // test
            case 6 -> hex(0x48, 0xc1, 0xc0 | (4 + rnd.nextInt(4)) << 3 | d, rnd.nextInt(4) == 0 ? 0 : imm); // shl/shr/sal/sar
            case 7 -> hex(0x48, 0xd3, 0xc0 | rnd.nextInt(8) << 3 | d);    // shifts and rotates by cl
            case 8 -> hex(0x48, 0xff, 0xc0 | rnd.nextInt(2) << 3 | d);    // inc/dec
            case 9 -> hex(0x48, 0xf7, 0xd8 | d);                          // neg
            case 10 -> hex(0x48, 0x0f, 0xaf, 0xc0 | d << 3 | s);          // imul
            case 11 -> hex(0x48, 0x0f, 0x40 | rnd.nextInt(16), 0xc0 | d << 3 | s); // cmov
            case 12 -> hex(0x0f, 0x90 | rnd.nextInt(16), 0xc0 | d);       // setcc
            case 13 -> hex(0x48, 0x03, 0x46 | d << 3, rnd.nextInt(32) * 8); // add r, [rsi+disp8]
            case 14 -> hex(0x48, 0x8b, 0x46 | d << 3, rnd.nextInt(32) * 8); // mov r, [rsi+disp8]
            case 15 -> hex(0x48, 0x89, 0x46 | s << 3, rnd.nextInt(32) * 8); // mov [rsi+disp8], r
            case 16 -> hex(0x48, 0x01, 0x46 | s << 3, rnd.nextInt(32) * 8); // add [rsi+disp8], r
            case 17 -> hex(0x48, 0x39, 0x46 | s << 3, rnd.nextInt(32) * 8); // cmp [rsi+disp8], r
            case 18 -> hex(0x48, 0x8d, 0x44 | d << 3, 0x1e | (rnd.nextInt(2) << 6), imm); // lea r, [rsi+rbx*s+disp8]
            case 19 -> hex(0x48, 0x0f, 0xbc, 0xc0 | d << 3 | s);          // bsf: a fallback
            case 20 -> hex(0xf5);                                         // cmc: a fallback reading CF
            case 21 -> hex(0x50 | s);                                     // push
            case 22 -> hex(0x58 | d);                                     // pop
            case 23 -> hex(0x48, 0xc1, 0x66 | rnd.nextInt(2) << 3, rnd.nextInt(32) * 8, imm); // shl/shr [rsi+disp8], imm
            case 24 -> hex(0x48, 0xff, 0x46 | rnd.nextInt(2) << 3, rnd.nextInt(32) * 8); // inc/dec [rsi+disp8]
            case 25 -> hex(0x48, 0x0f, 0xb6 | rnd.nextInt(2) << 3, 0xc0 | d << 3 | s); // movzx/movsx r, r8
            case 26 -> hex(0x48, 0x87, rr);                               // xchg
            case 27 -> hex(0x48, 0x99);                                   // cqo
            case 28 -> hex(0x48, 0x0f, 0x40 | rnd.nextInt(16), 0x46 | d << 3, rnd.nextInt(32) * 8); // cmov r, [rsi+disp8]
            case 29 -> hex(0x0f, 0x90 | rnd.nextInt(16), 0x46, rnd.nextInt(32) * 8); // setcc [rsi+disp8]
            case 30 -> hex(0x48, 0xf7, 0xe0 | rnd.nextInt(2) << 3 | s);   // mul/imul rdx:rax, r
            case 31 -> hex(rnd.nextBoolean() ? 0x48 : 0x40, 0xc1, 0xc0 | rnd.nextInt(2) << 3 | d, imm); // rol/ror r64/r32, imm8 (plain rotates when a flag writer follows)
            case 32 -> hex(0x48, 0x13 | rnd.nextInt(2) << 3, 0x46 | d << 3, rnd.nextInt(32) * 8); // adc/sbb r, [rsi+disp8]
            case 33 -> hex(0x48, 0x83, 0xd0 | rnd.nextInt(2) << 3 | d, imm); // adc/sbb r, imm8 (dead carry when a flag writer follows)
            default -> hex(0x48, 0xa9, imm, 0, 0, 0x80);                  // test rax, imm32
        };
    }

    /**
     * An SSE2 form the JIT keeps on XMM registers in locals (xmm0-3; xmm9 by REX), or one it
     * leaves to its helpers on {@code c.xmm} (PSHUFD, PUNPCK*, PCMPEQB, PSRAW...): moves, lane
     * operations, shifts by immediates past the lane, aligned memory operands ([rsi+disp8]
     * with disp a multiple of 16: #GP once a loop has moved rsi by 8).
     */
    private static String randomSse(Random rnd, int g, int gs) {
        int d = rnd.nextInt(4), s = rnd.nextInt(4);
        String rex = "";
        if (rnd.nextInt(8) == 0) {   // xmm9 as the destination or the source
            rex = rnd.nextBoolean() ? "44" : "41";
            if (rex.equals("44")) d = 1;
            else s = 1;
        }
        int rr = 0xc0 | d << 3 | s;
        String mem16 = hex(0x46 | d << 3, rnd.nextInt(16) * 16), mem8 = hex(0x46 | d << 3, rnd.nextInt(32) * 8);
        // pxor por pand pandn paddd psubd paddq psubq pcmpeqb pcmpeqd, then two left to JitSse's helpers: pmullw pcmpeqw
        int[] lane = {0xef, 0xeb, 0xdb, 0xdf, 0xfe, 0xfa, 0xd4, 0xfb, 0x74, 0x76, 0xd5, 0x75};
        int shift = rnd.nextInt(4) == 0 ? 60 + rnd.nextInt(10) : rnd.nextInt(34);
        return switch (rnd.nextInt(18)) {
            case 0 -> "66" + rex + "0f6f" + hex(rr);                          // movdqa xmm, xmm
            case 1 -> "66" + rex + "0f6f" + mem16;                            // movdqa xmm, [rsi+disp8]
            case 2 -> "f3" + rex + "0f6f" + mem8;                             // movdqu xmm, [rsi+disp8]
            case 3 -> "66" + rex + "0f7f" + mem16;                            // movdqa [rsi+disp8], xmm
            case 4 -> "f3" + rex + "0f7f" + mem8;                             // movdqu [rsi+disp8], xmm
            case 5, 6 -> "66" + rex + "0f" + hex(lane[rnd.nextInt(lane.length)], rr);
            case 7 -> "66" + rex + "0f" + hex(lane[rnd.nextInt(10)]) + mem16; // lane op with m128
            case 8 -> "66" + (rex.isEmpty() ? "" : "41") + "0f" + hex(0x71 + rnd.nextInt(3), 0xc0 | (2 + 2 * rnd.nextInt(3)) << 3 | s, shift);
            case 9 -> "66" + (rex.isEmpty() ? "" : "41") + "0f73" + hex(0xc0 | new int[] {2, 3, 6, 7}[rnd.nextInt(4)] << 3 | s, rnd.nextInt(20));
            case 10 -> "f3" + rex + "0f7e" + (rnd.nextBoolean() ? hex(rr) : mem8); // movq xmm, xmm/m64
            case 11 -> "66" + rex + "0fd6" + (rnd.nextBoolean() ? hex(rr) : mem8); // movq xmm/m64, xmm
            case 12 -> "66480f6e" + hex(0xc0 | d << 3 | gs);                 // movq xmm, r64
            case 13 -> "660f7e" + hex(0xc0 | s << 3 | g);                    // movd r32, xmm
            case 14 -> "660fd7" + hex(0xc0 | g << 3 | s);                    // pmovmskb r32, xmm
            case 15 -> "66" + rex + "0f70" + (rnd.nextInt(4) == 0 ? mem16 : hex(rr)) + hex(rnd.nextInt(256)); // pshufd
            case 16 -> "66" + rex + "0f" + hex(0x60 + new int[] {0, 1, 2, 3, 7, 8, 9, 10, 11, 12, 13}[rnd.nextInt(11)])
                    + (rnd.nextInt(4) == 0 ? mem16 : hex(rr));                 // punpck*, pack*
            default -> "66" + rex + "0f7e" + hex(0x46 | s << 3, rnd.nextInt(32) * 8); // movd [rsi+disp8], xmm
        };
    }

    /**
     * {@code n} random instructions, some of them behind a conditional branch over them (short
     * or near, any condition), so sequences also test the flags a Jcc in their middle reads
     * and what is left on the way it goes (with the random rotates they found that Intel's
     * ROL/ROR by an immediate above 1 keep OF, which the JIT's dead-flags rule had missed).
     */
    private static String randomSequence(Random rnd, int n) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String in = randomInstruction(rnd);
            int shape = rnd.nextInt(10);
            if (shape < 2) {   // jcc over it
                int cc = rnd.nextInt(16), skip = in.length() / 2;
                in = (rnd.nextBoolean() ? hex(0x70 | cc, skip) : hex(0x0f, 0x80 | cc, skip, 0, 0, 0)) + in;
            } else if (shape == 2) {   // jcc to it over a jmp over it: it runs only when the condition holds
                int cc = rnd.nextInt(16), skip = in.length() / 2;
                in = rnd.nextBoolean() ? hex(0x70 | cc, 2, 0xeb, skip) + in : hex(0x70 | cc, 5, 0xe9, skip, 0, 0, 0) + in;
            }
            items.add(in);
        }
        if (n >= 2 && rnd.nextInt(3) == 0) {
            // Some of them in a loop of 1-4 iterations counted in r8d, whose head is not the
            // block's start: a branch back inside the block. Closed by DEC (the Jcc reads
            // RFLAGS) or SUB (the Jcc decides from the pending operands).
            int from = 1 + rnd.nextInt(n - 1), to = from + 1 + rnd.nextInt(n - from);
            StringBuilder body = new StringBuilder();
            for (String in : items.subList(from, to)) body.append(in);
            body.append(rnd.nextBoolean() ? "41ffc8" : "4183e801");   // dec r8d / sub r8d, 1
            int back = -(body.length() / 2 + 2);
            String loop = hex(0x41, 0xb8, 1 + rnd.nextInt(4), 0, 0, 0) + body + hex(0x75, back);   // mov r8d, n; ...; jnz
            if (back >= -128) {
                items.subList(from, to).clear();
                items.add(from, loop);
            }
        }
        return String.join("", items);
    }

    private record Result(long rip, long flags, long[] regs, byte[] data, int vector, long[] xmm) {}

    private static Result run(byte[] code, long rsi, long[] regs, long flags, TranslationCache cache) {
        return run(code, rsi, regs, flags, cache, 1000, false);
    }

    /** Physical frames of the paged runs: tables, then CODE's and DATA's pages. */
    private static final long PML4 = 0x1000, PDPT = 0x2000, PD = 0x3000, PT_CODE = 0x4000, PT_DATA = 0x5000,
            CODE_FRAME = 0x6000, DATA_FRAME = 0x7000;

    /**
     * Runs {@code code} at CODE with rsi, the registers and flags given, on a flat memory or
     * (paged) on guest RAM through page tables, where translated blocks take the TLB's inline
     * hits and a loop's miss leaves the block (FlatMemory has no TLB: every access of a
     * translated block takes Memory's path, and every access of a loop leaves it).
     */
    private static Result run(byte[] code, long rsi, long[] regs, long flags, TranslationCache cache, int steps, boolean paged) {
        byte[] data = new byte[4096];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 37 + 11);
        Memory mem;
        dev.jux.platform.GuestRam ram = null;
        if (paged) {
            ram = new dev.jux.platform.GuestRam(16 * dev.jux.platform.GuestRam.PAGE, dev.jux.platform.GuestRam.PAGE);
            ram.putLong(PML4, PDPT | 7);
            ram.putLong(PDPT, PD | 7);
            ram.putLong(PD + 8 * (CODE >>> 21), PT_CODE | 7);
            ram.putLong(PD + 8 * (DATA >>> 21), PT_DATA | 7);
            ram.putLong(PT_CODE + 8 * ((CODE >>> 12) & 511), CODE_FRAME | 5);
            ram.putLong(PT_DATA + 8 * ((DATA >>> 12) & 511), DATA_FRAME | 7);
            ram.segment().asSlice(CODE_FRAME, code.length).copyFrom(java.lang.foreign.MemorySegment.ofArray(code));
            ram.segment().asSlice(DATA_FRAME, data.length).copyFrom(java.lang.foreign.MemorySegment.ofArray(data));
            PagedMemory pm = new PagedMemory(ram);
            pm.setRoot(PML4);
            mem = pm;
        } else {
            FlatMemory flat = new FlatMemory();
            System.arraycopy(code, 0, flat.map(CODE, 4096), 0, code.length);
            System.arraycopy(data, 0, flat.map(DATA, 4096), 0, data.length);
            mem = flat;
        }
        Cpu cpu = new Cpu();
        System.arraycopy(regs, 0, cpu.r, 0, 16);
        cpu.r[Cpu.RSI] = rsi;
        cpu.r[Cpu.RSP] = DATA + 2048;
        cpu.rflags = flags | 0x202;
        cpu.rip = CODE;
        for (int i = 0; i < cpu.xmm.length; i++) cpu.xmm[i] = regs[i & 3] * 0x9e37_79b9_7f4a_7c15L + i * 0x0101_0101_0101_0101L;
        int vector = -1;
        try {
            new BlockRunner(cpu, mem, cache).runUntil(CODE + code.length, steps);
        } catch (CpuFault f) {
            vector = f.vector;
        }
        if (cache != null && cache.toString().contains("translator error")) throw new AssertionError(cache.toString());
        byte[] after;
        if (ram != null) {
            after = ram.segment().asSlice(DATA_FRAME, data.length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            ram.close();
        } else {
            after = new byte[data.length];
            for (int i = 0; i < after.length; i++) after[i] = (byte) mem.read8(DATA + i);
        }
        return new Result(cpu.rip, cpu.rflags & Flags.STATUS, cpu.r.clone(), after, vector, cpu.xmm.clone());
    }

    @Test
    void sequencesAgreeWithTheInterpreter() {
        Random rnd = new Random(7);
        List<String> bad = new ArrayList<>();
        for (int t = 0, runs = Integer.getInteger("jux.test.jitSequences", 400); t < runs; t++) {
            StringBuilder sb = new StringBuilder(randomSequence(rnd, 2 + rnd.nextInt(24)));
            byte[] code = HexFormat.of().parseHex(sb.toString());
            long[] regs = new long[16];
            for (int r : REGS) regs[r] = rnd.nextInt(4) == 0 ? rnd.nextInt(4) : rnd.nextLong();
            long rsi = rnd.nextInt(8) == 0 ? UNMAPPED : DATA + 64;
            long flags = rnd.nextInt(64) & 0x3f;
            flags = (flags & 1) | (flags & 2) << 1 | (flags & 4) << 2 | (flags & 8) << 3 | (flags & 16) << 3 | (flags & 32) << 6;
            boolean paged = t % 2 == 0;
            Result want = run(code, rsi, regs, flags, null, 1000, paged);
            Result got = run(code, rsi, regs, flags, new TranslationCache(0), 1000, paged);
            String why = want.rip != got.rip ? "rip " + Long.toHexString(want.rip) + "/" + Long.toHexString(got.rip)
                    : want.flags != got.flags ? "flags " + Long.toHexString(want.flags) + "/" + Long.toHexString(got.flags)
                    : !Arrays.equals(want.regs, got.regs) ? "registers " + Arrays.toString(want.regs) + " / " + Arrays.toString(got.regs)
                    : !Arrays.equals(want.data, got.data) ? "memory"
                    : want.vector != got.vector ? "fault " + want.vector + "/" + got.vector
                    : !Arrays.equals(want.xmm, got.xmm) ? "xmm " + Arrays.toString(want.xmm) + " / " + Arrays.toString(got.xmm) : null;
            if (why != null && bad.size() < 10) bad.add(sb + " rsi=" + Long.toHexString(rsi) + ": " + why);
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    /**
     * Rotates whose flags a later rotate may hide, with OF set and clear before them: on Intel
     * a ROL/ROR by an immediate above 1 keeps OF, so only one by 1 (or any, on AMD) hides an
     * earlier rotate's OF (found by the random sequences).
     */
    @Test
    void rotatesHideEarlierRotatesFlagsOnlyWhereTheHostDoes() {
        String[] sequences = {
            "40c1c9a1" + "40c1c0bd" + "0f9fc3",   // ror ecx, 1 (0xa1 masked); rol eax, 29; setg bl
            "48c1c906" + "48c1c80b" + "0f90c3",   // ror rcx, 6; ror rax, 11; seto bl
            "48c1c906" + "48d1c8" + "0f90c3",     // ror rcx, 6; ror rax, 1; seto bl
            "48d1c1" + "48c1c007" + "0f92c3" + "0f90c2",   // rol rcx, 1; rol rax, 7; setc bl; seto dl
        };
        List<String> bad = new ArrayList<>();
        for (String hex : sequences) {
            byte[] code = HexFormat.of().parseHex(hex);
            for (long flags : new long[] {0, 0x800, 0x801, 0x1}) {
                long[] regs = {0x8000_0000_0000_0001L, 0x4000_0000_0000_0003L, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
                for (boolean paged : new boolean[] {false, true}) {
                    Result want = run(code, DATA + 64, regs, flags, null, 1000, paged);
                    Result got = run(code, DATA + 64, regs, flags, new TranslationCache(0), 1000, paged);
                    if (want.flags != got.flags || !Arrays.equals(want.regs, got.regs)) {
                        bad.add(hex + " flags " + Long.toHexString(flags) + ": " + Long.toHexString(want.flags) + "/" + Long.toHexString(got.flags));
                    }
                }
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    /**
     * Blocks that loop on themselves: LEA rsi+8 (so a later iteration's load or store may
     * fault), random instructions, then r9 counted down and a closing Jcc back to the start:
     * the fused forms (SUB/CMP/TEST then Jcc, whose flags stay pending round the loop) and one
     * that is not (ADD). Runs past the loop budget, and faults in later iterations.
     */
    /**
     * A block ending in SYSCALL (compiled inline, not through the executor) leaves RCX, R11
     * (RFLAGS without RF, with the flags the sequence left pending), RIP and the registers as
     * the interpreter does, and reports the system call.
     */
    @Test
    void sequencesEndingInSyscallAgreeWithTheInterpreter() {
        Random rnd = new Random(13);
        String[] syscalls = {"0f05", "480f05", "660f05"};
        List<String> bad = new ArrayList<>();
        for (int t = 0; t < 100; t++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(12);
            for (int i = 0; i < n; i++) sb.append(randomInstruction(rnd));
            sb.append(syscalls[rnd.nextInt(syscalls.length)]);
            byte[] code = HexFormat.of().parseHex(sb.toString());
            long[] regs = new long[16];
            for (int r : REGS) regs[r] = rnd.nextLong();
            regs[11] = rnd.nextLong();
            long flags = rnd.nextBoolean() ? 0x10000 | 0xc5 : 0x8d5;
            Result want = runToSyscall(code, regs, flags, null);
            if (want == null) continue;
            Result got = runToSyscall(code, regs, flags, new TranslationCache(0));
            String why = want.vector != got.vector ? "status " + want.vector + "/" + got.vector
                    : want.rip != got.rip ? "rip " + Long.toHexString(want.rip) + "/" + Long.toHexString(got.rip)
                    : want.flags != got.flags ? "flags " + Long.toHexString(want.flags) + "/" + Long.toHexString(got.flags)
                    : !Arrays.equals(want.regs, got.regs) ? "registers " + Arrays.toString(want.regs) + " / " + Arrays.toString(got.regs)
                    : !Arrays.equals(want.data, got.data) ? "memory" : null;
            if (want.vector != Executor.SYSCALL || want.rip != CODE + code.length) why = "the interpreter did not stop at the syscall";
            if (why != null && bad.size() < 10) bad.add(sb + ": " + why);
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    /** Runs {@code code} (which ends in SYSCALL) until it traps; Result.vector is the step's result. Null if the interpreter faults. */
    private static Result runToSyscall(byte[] code, long[] regs, long flags, TranslationCache cache) {
        FlatMemory mem = new FlatMemory();
        System.arraycopy(code, 0, mem.map(CODE, 4096), 0, code.length);
        byte[] data = mem.map(DATA, 4096);
        Cpu cpu = new Cpu();
        System.arraycopy(regs, 0, cpu.r, 0, 16);
        cpu.r[Cpu.RSI] = DATA + 1024;   // every [rsi+disp8] (negative ones too) within the page: no fault
        cpu.r[Cpu.RSP] = DATA + 3072;
        cpu.rflags = flags | 0x202;
        cpu.rip = CODE;
        int r;
        try {
            r = new BlockRunner(cpu, mem, cache).runUntil(-1, 1000);
        } catch (CpuFault f) {
            if (cache == null) return null;   // an access through a register the sequence does not set (the random SSE forms)
            throw new AssertionError("jit: " + HexFormat.of().formatHex(code) + " rip " + Long.toHexString(cpu.rip), f);
        }
        if (cache != null && cache.toString().contains("translator error")) throw new AssertionError(cache.toString());
        return new Result(cpu.rip, cpu.rflags, cpu.r.clone(), data, r, cpu.xmm.clone());
    }

    @Test
    void loopsAgreeWithTheInterpreter() {
        Random rnd = new Random(11);
        String[][] closers = {
            {"4983e901", "75"},          // sub r9, 1; jne
            {"4983e901", "7f"},          // sub r9, 1; jg
            {"4983e9014d85c9", "75"},    // sub r9, 1; test r9, r9; jnz
            {"4983e9014983f900", "77"},  // sub r9, 1; cmp r9, 0; ja
            {"4983e901", "73"},          // sub r9, 1; jae (until it borrows)
            {"4983e9014983f905", "7d"},  // sub r9, 1; cmp r9, 5; jge
            {"4983c1ff", "75"},          // add r9, -1; jne: not fused
        };
        List<String> bad = new ArrayList<>();
        for (int t = 0, runs = Integer.getInteger("jux.test.jitSequences", 400) / 2; t < runs; t++) {
            StringBuilder sb = new StringBuilder("488d7608");   // lea rsi, [rsi+8]
            int n = rnd.nextInt(12);
            for (int i = 0; i < n; i++) {
                String in = randomInstruction(rnd).replaceAll("^(5[0-7]|5[89a-f])$", "90");   // no push/pop
                if (rnd.nextInt(6) == 0) sb.append(hex(0x70 | rnd.nextInt(16), in.length() / 2));   // a Jcc over it
                sb.append(in);
            }
            String[] closer = closers[rnd.nextInt(closers.length)];
            sb.append(closer[0]);
            int length = sb.length() / 2 + 2;
            sb.append(closer[1]).append(String.format("%02x", (256 - length) & 0xff));
            byte[] code = HexFormat.of().parseHex(sb.toString());
            long[] regs = new long[16];
            for (int r : REGS) regs[r] = rnd.nextInt(4) == 0 ? rnd.nextInt(4) : rnd.nextLong();
            // A third run longer than the loop budget (2,048 / the block's instructions
            // iterations an entry), so loops also leave and come back with the budget spent.
            regs[9] = rnd.nextInt(3) == 0 ? 100 + rnd.nextInt(380) : 1 + rnd.nextInt(45);
            // rsi moves 8 a pass; starting near the page's end, a [rsi+disp8] access faults after some passes
            long rsi = rnd.nextInt(3) == 0 ? DATA + 4096 - 256 - 8 * rnd.nextInt(30) : DATA + 64;
            long flags = rnd.nextInt(64) & 0x3f;
            flags = (flags & 1) | (flags & 2) << 1 | (flags & 4) << 2 | (flags & 8) << 3 | (flags & 16) << 3 | (flags & 32) << 6;
            boolean paged = t % 4 != 0;   // mostly paged: there a loop's accesses hit the TLB inline
            Result want = run(code, rsi, regs, flags, null, 100_000, paged);
            Result got = run(code, rsi, regs, flags, new TranslationCache(0), 100_000, paged);
            String why = want.rip != got.rip ? "rip " + Long.toHexString(want.rip) + "/" + Long.toHexString(got.rip)
                    : want.flags != got.flags ? "flags " + Long.toHexString(want.flags) + "/" + Long.toHexString(got.flags)
                    : !Arrays.equals(want.regs, got.regs) ? "registers " + Arrays.toString(want.regs) + " / " + Arrays.toString(got.regs)
                    : !Arrays.equals(want.data, got.data) ? "memory"
                    : want.vector != got.vector ? "fault " + want.vector + "/" + got.vector
                    : !Arrays.equals(want.xmm, got.xmm) ? "xmm " + Arrays.toString(want.xmm) + " / " + Arrays.toString(got.xmm) : null;
            if (why != null && bad.size() < 10) bad.add(sb + " rsi=" + Long.toHexString(rsi) + " r9=" + regs[9] + ": " + why);
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }
}
