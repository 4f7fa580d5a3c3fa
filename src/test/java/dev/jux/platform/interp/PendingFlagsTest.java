package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Flags a translated block leaves pending at its exit ({@link Cpu#pendingFlags}, see
 * InlineEmitter.leave): whatever runs next sees the flags the interpreter alone would have
 * left, whether it reads them (a block that settles them), replaces them (drops), keeps them
 * (a block that never touches flags), holds them across a fault before its first flag writer,
 * stores them in R11 at a SYSCALL, or is the interpreter. Each program runs interpreted, then
 * translated (threshold 0, chained blocks) twice, the second time through the chain links.
 */
class PendingFlagsTest {
    private static final long CODE = 0x40_0000L, DATA = 0x60_0000L, END = CODE + 0x800;
    /** At CODE: mov ecx, 5; cmp rcx, 7 (flags pending at the CALL: {@link #CMP_5_7}); call 0x100. */
    private static final String CALL_WITH_CMP_PENDING = "b905000000" + "4883f907" + "e8f2000000";
    /** ... then, where the call returns: jmp 0x800 (END). */
    private static final String THEN_END = "e9ed070000";
    private static final long CMP_5_7 = Flags.CF | Flags.SF | Flags.AF;

    /** What a run leaves: registers, the status flags, RIP, and the fault if one ended it. */
    private record Outcome(long rax, long rdx, long r8, long r9, long r10, long r11, long flags, long rip, String fault) {}

    /** Runs the program ({@code offset, hex} pairs from CODE) until END, a SYSCALL or a fault; RBX = {@code rbx}. */
    private static Outcome[] runs(long rbx, String... program) {
        FlatMemory memory = new FlatMemory();
        byte[] code = memory.map(CODE, 4096);
        memory.map(DATA, 4096)[0] = 41;
        for (int i = 0; i < program.length; i += 2) {
            byte[] b = HexFormat.of().parseHex(program[i + 1]);
            System.arraycopy(b, 0, code, Integer.decode(program[i]), b.length);
        }
        Outcome[] out = new Outcome[3];
        Cpu alone = new Cpu();
        out[0] = run(new BlockRunner(alone, memory, null), alone, rbx);
        TranslationCache cache = new TranslationCache(0);
        Cpu cpu = new Cpu();
        BlockRunner jit = new BlockRunner(cpu, memory, cache);
        jit.chainBlocks();
        out[1] = run(jit, cpu, rbx);
        out[2] = run(jit, cpu, rbx);
        assertTrue(cache.translatedCount() > 0);
        return out;
    }

    private static Outcome run(BlockRunner runner, Cpu cpu, long rbx) {
        cpu.epoch++;
        cpu.rip = CODE;
        java.util.Arrays.fill(cpu.r, 0);
        cpu.r[Cpu.RSP] = DATA + 4096;
        cpu.r[Cpu.RBX] = rbx;
        cpu.r[10] = -1;
        cpu.rflags = 0x202;
        String fault = null;
        try {
            runner.runUntil(END, 1000);
        } catch (CpuFault f) {
            fault = f.toString();
            runner.materialiseFlags();   // as InterpContext does before the registers leave the CPU
        }
        assertEquals(0, cpu.pendingFlags, "nothing pending once the dispatcher returns");
        return new Outcome(cpu.r[Cpu.RAX], cpu.r[Cpu.RDX], cpu.r[8], cpu.r[9], cpu.r[10], cpu.r[11],
                cpu.rflags & Flags.STATUS, cpu.rip, fault);
    }

    private static void assertSame3(Outcome[] o) {
        assertEquals(o[0], o[1], "translated, first run");
        assertEquals(o[0], o[2], "translated, through the chain links");
    }

    @Test
    void flagsLeftPendingAtACallAreReadKeptAndReplacedAsTheInterpreterDoes() {
        Outcome[] o = runs(DATA,
                "0x000", "b905000000"      // mov ecx, 5
                        + "4883f907"       // cmp rcx, 7: CF=1, pending at the CALL
                        + "e8f2000000"     // call 0x100 (reads CF at once: settles)
                        + "0f92c2"         // setb dl
                        + "4883f903"       // cmp rcx, 3: CF=0, pending at the CALL
                        + "e8e6010000"     // call 0x200 (never touches flags: they pass through)
                        + "4d19c9"         // sbb r9, r9 (reads CF after the return)
                        + "4883f909"       // cmp rcx, 9: pending at the CALL
                        + "e8da020000"     // call 0x300 (replaces them first: drops)
                        + "e9d5070000",    // jmp 0x800 (END)
                "0x100", "7206" + "b801000000c3" + "b802000000c3",   // jb +6; mov eax, 1; ret; mov eax, 2; ret
                "0x200", "4989c8c3",       // mov r8, rcx; ret
                "0x300", "4983c201" + "410f92c3" + "c3");   // add r10, 1 (R10 = -1: ZF, CF, PF, AF); setc r11b; ret
        assertSame3(o);
        assertEquals(2, o[0].rax(), "jb saw CMP 5, 7");
        assertEquals(1, o[0].rdx(), "setb saw it too");
        assertEquals(0, o[0].r9(), "CMP 5, 3 passed through the call that never touched flags");
        assertEquals(1, o[0].r11());
        assertEquals(Flags.ZF | Flags.CF | Flags.PF | Flags.AF, o[0].flags());
        assertNull(o[0].fault());
    }

    @Test
    void aFaultBeforeTheFirstFlagWriterSeesTheHeldFlags() {
        String[] program = {"0x000", CALL_WITH_CMP_PENDING + THEN_END,
                "0x100", "488b13" + "4883c201" + "c3"};   // mov rdx, [rbx]; add rdx, 1; ret
        Outcome[] ok = runs(DATA, program);
        assertSame3(ok);
        assertEquals(42, ok[0].rdx());
        Outcome[] faulted = runs(0x1000, program);   // [rbx] unmapped: faults before ADD
        assertSame3(faulted);
        assertNotNull(faulted[0].fault());
        assertEquals(CODE + 0x100, faulted[0].rip());
        assertEquals(CMP_5_7, faulted[0].flags(), "CMP 5, 7's flags, not ADD's");
    }

    @Test
    void aFlagWriterWhoseMemoryOperandFaultsLeavesTheHeldFlags() {
        String[] program = {"0x000", CALL_WITH_CMP_PENDING + THEN_END,
                "0x100", "483b13" + "c3"};           // cmp rdx, [rbx]; ret
        Outcome[] ok = runs(DATA, program);
        assertSame3(ok);
        assertEquals(Flags.CF | Flags.SF | Flags.AF | Flags.PF, ok[0].flags(), "CMP 0, 41");
        Outcome[] faulted = runs(0x1000, program);
        assertSame3(faulted);
        assertEquals(CODE + 0x100, faulted[0].rip());
        assertEquals(CMP_5_7, faulted[0].flags(), "CMP 5, 7's flags: the faulting CMP wrote none");
    }

    @Test
    void aSyscallStoresThePendingFlagsInR11() {
        Outcome[] o = runs(DATA, "0x000", CALL_WITH_CMP_PENDING, "0x100", "0f05");   // syscall
        assertSame3(o);
        assertEquals(CODE + 0x102, o[0].rip());
        assertEquals(CMP_5_7, o[0].r11() & Flags.STATUS);
    }

    @Test
    void theInterpreterStepAfterABlockSeesItsPendingFlags() {
        FlatMemory memory = new FlatMemory();
        byte[] code = memory.map(CODE, 4096);
        memory.map(DATA, 4096);
        byte[] a = HexFormat.of().parseHex(CALL_WITH_CMP_PENDING);
        System.arraycopy(a, 0, code, 0, a.length);
        code[0x100] = 0x0f;   // setb al
        code[0x101] = (byte) 0x92;
        code[0x102] = (byte) 0xc0;
        Cpu cpu = new Cpu();
        BlockRunner runner = new BlockRunner(cpu, memory, new TranslationCache(0));
        cpu.rip = CODE;
        cpu.r[Cpu.RSP] = DATA + 4096;
        runner.step();   // the translated block, which leaves CMP's flags pending at its CALL
        assertEquals(CODE + 0x100, cpu.rip);
        runner.stepOne();   // one instruction, interpreted (as under the trap flag)
        assertEquals(1, cpu.r[Cpu.RAX]);
        runner.materialiseFlags();
        assertEquals(CMP_5_7, cpu.rflags & Flags.STATUS);
    }
}
