package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The JIT's shared translation cache: retranslation of rewritten code, sharing, precise faults. */
class TranslationCacheTest {
    private static final long CODE = 0x40_0000L, DATA = 0x60_0000L;

    private final FlatMemory memory = new FlatMemory();
    private final byte[] code = memory.map(CODE, 4096);
    private final byte[] data = memory.map(DATA, 4096);
    private final TranslationCache cache = new TranslationCache(0);

    private long put(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        System.arraycopy(b, 0, code, 0, b.length);
        return CODE + b.length;
    }

    private Cpu run(long end) {
        Cpu cpu = new Cpu();
        cpu.rip = CODE;
        cpu.r[Cpu.RSP] = DATA + 4096;
        new BlockRunner(cpu, memory, cache).runUntil(end, 100);
        assertEquals(end, cpu.rip);
        return cpu;
    }

    @Test
    void rewrittenCodeIsTranslatedAgain() {
        long end = put("4883c001");          // add rax, 1
        assertEquals(1, run(end).r[Cpu.RAX]);
        assertEquals(1, cache.translatedCount());
        put("4883c002");                     // add rax, 2 at the same address
        assertEquals(2, run(end).r[Cpu.RAX]);
        assertEquals(2, cache.translatedCount());
        put("4883c001");                     // the first version again: still cached
        assertEquals(1, run(end).r[Cpu.RAX]);
        assertEquals(2, cache.translatedCount());
    }

    @Test
    void twoContextsShareOneBlock() {
        long end = put("48c7c3070000004801d8"); // mov rbx, 7; add rax, rbx
        Cpu a = run(end), b = run(end);
        assertEquals(7, a.r[Cpu.RAX]);
        assertEquals(7, b.r[Cpu.RAX]);
        assertEquals(1, cache.translatedCount());
    }

    @Test
    void aLoopBackToTheBlockStartRunsInsideTheBlock() {
        long end = put("4801c8" + "48ffc9" + "75f8"); // top: add rax, rcx; dec rcx; jnz top
        Cpu cpu = new Cpu();
        cpu.rip = CODE;
        cpu.r[Cpu.RCX] = 1000;
        BlockRunner runner = new BlockRunner(cpu, memory, cache);
        int steps = 0;
        while (cpu.rip != end) {
            runner.step(end);
            steps++;
        }
        runner.materialiseFlags();   // flags may stay pending across steps
        assertEquals(500_500, cpu.r[Cpu.RAX]);
        assertEquals(Flags.ZF | Flags.PF, cpu.rflags & Flags.STATUS);
        assertTrue(steps <= 1000 / InlineEmitter.LOOP_BUDGET + 1, steps + " returns to the dispatcher");
    }

    @Test
    void aStoreIntoTheBlockRunsTheNewCode() {
        // mov byte [rip+3], 2 patches the immediate of the add that follows it.
        long end = put("c605030000000" + "2" + "4883c001");
        assertEquals(2, run(end).r[Cpu.RAX]);
    }

    @Test
    void aFaultLeavesRipAndFlagsOnTheFaultingInstruction() {
        // mov ebx, 5; cmp rbx, rbx (ZF=1); add rax, [0x1000] (unmapped); mov ecx, 1
        long end = put("bb05000000" + "4839db" + "48030425" + "00100000" + "b901000000");
        Cpu cpu = new Cpu();
        cpu.rip = CODE;
        cpu.r[Cpu.RAX] = 3;
        CpuFault f = assertThrows(CpuFault.class, () -> new BlockRunner(cpu, memory, cache).runUntil(end, 100));
        assertEquals(14, f.vector);
        assertEquals(CODE + 8, cpu.rip);
        assertEquals(5, cpu.r[Cpu.RBX]);
        assertEquals(3, cpu.r[Cpu.RAX]);
        assertEquals(0, cpu.r[Cpu.RCX]);
        assertEquals(Flags.ZF | Flags.PF, cpu.rflags & Flags.STATUS);
        assertEquals(1, cache.translatedCount());
    }

    @Test
    void flagsLeftPendingByTheInterpreterAreCurrentForATranslatedBlock() {
        // A: cmp rax, rbx; jmp B over a nop (interpreted: always entered without a branch, so never counted)
        // B: sete cl; adc rdx, 0 (entered by the jmp: translated after a few entries, reads RFLAGS)
        TranslationCache small = new TranslationCache(3);
        long end = put("4839d8" + "eb01" + "90" + "0f94c1" + "4883d200");
        Cpu cpu = new Cpu();
        BlockRunner runner = new BlockRunner(cpu, memory, small);
        long carries = 0;
        for (int i = 0; i < 12; i++) {
            cpu.rip = CODE;
            cpu.r[Cpu.RAX] = i;
            cpu.r[Cpu.RBX] = i % 3 == 0 ? i : i % 3 == 1 ? i + 1 : i - 1;
            cpu.r[Cpu.RCX] = 0;
            runner.runUntil(end, 100);
            assertEquals(end, cpu.rip);
            assertEquals(i % 3 == 0 ? 1 : 0, cpu.r[Cpu.RCX], "sete after cmp, run " + i);
            if (i % 3 == 1) carries++;
            assertEquals(carries, cpu.r[Cpu.RDX], "adc after cmp, run " + i);
        }
        assertTrue(small.translatedCount() >= 1, "B was translated");
    }
}
