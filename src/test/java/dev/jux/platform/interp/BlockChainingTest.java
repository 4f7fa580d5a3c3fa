package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The dispatcher's chain links, hot translations and the cache's size bound. */
class BlockChainingTest {
    private static final long CODE = 0x40_0000L, DATA = 0x60_0000L;

    private final FlatMemory memory = new FlatMemory();
    private final byte[] code = memory.map(CODE, 4096);

    BlockChainingTest() {
        memory.map(DATA, 4096);
    }

    private void put(int offset, String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        System.arraycopy(b, 0, code, offset, b.length);
    }

    /**
     * Runs from CODE to {@code end} on {@code runner}'s CPU with RAX = 0; returns RAX. Bumps the
     * epoch first, as InterpContext's register load does whenever the kernel hands the CPU back:
     * code {@link #put} changed behind the CPU's back is seen from then on (a write by another
     * thread is seen after a system call or a serializing instruction, see Interpreter).
     */
    private static long run(BlockRunner runner, Cpu cpu, long end) {
        cpu.epoch++;
        cpu.rip = CODE;
        cpu.r[Cpu.RAX] = 0;
        cpu.r[Cpu.RSP] = DATA + 4096;
        runner.runUntil(end, 10_000);
        assertEquals(end, cpu.rip);
        return cpu.r[Cpu.RAX];
    }

    /**
     * Two blocks, each too far from the other for a block to follow its JMP
     * (BlockTranslator.follows): add rax, 1 at CODE, then add rax, 10 at CODE + 0x100; their
     * run ends at the returned address with RAX = 11.
     */
    private long putTwoBlocks() {
        put(0, "4883c001" + "e9f7000000");      // add rax, 1; jmp CODE + 0x100
        put(0x100, "4883c00a" + "e9f7000000");  // add rax, 10; jmp CODE + 0x200, the end
        return CODE + 0x200;
    }

    @Test
    void aChainedSuccessorWhoseBytesChangedIsNotRun() {
        TranslationCache cache = new TranslationCache(0);
        long end = putTwoBlocks();
        Cpu cpu = new Cpu();
        BlockRunner runner = new BlockRunner(cpu, memory, cache);
        assertEquals(11, run(runner, cpu, end));
        assertEquals(11, run(runner, cpu, end));   // the second block now found through the first's link
        put(0x100, "4883c014");                    // add rax, 20: the linked block's bytes are stale
        assertEquals(21, run(runner, cpu, CODE + 0x104));
        put(0x100, "4883c00a" + "e9f7000000");     // the first version again: its block is still good
        assertEquals(11, run(runner, cpu, end));
        assertEquals(3, cache.translatedCount());
    }

    @Test
    void aChainedBlocksBranchToANonCanonicalAddressFaultsOnThatBranch() {
        TranslationCache cache = new TranslationCache(0);
        putTwoBlocks();
        // The second block instead: mov rbx, 0x0000800000000000 (the first non-canonical address); nop; jmp rbx
        put(0x100, "48bb0000000000800000" + "90" + "ffe3");
        long jmpRbx = CODE + 0x100 + 11;
        Cpu cpu = new Cpu();
        BlockRunner runner = new BlockRunner(cpu, memory, cache);
        runner.chainBlocks();
        cpu.epoch++;
        cpu.r[Cpu.RSP] = DATA + 4096;
        for (int pass = 0; pass < 3; pass++) {   // from the second pass on, the second block runs chained to the first
            cpu.rip = CODE;
            int steps = 0;
            while (Cpu.canonical(cpu.rip) && steps++ < 10) runner.step();
            assertEquals(0x0000_8000_0000_0000L, cpu.rip);
            assertEquals(jmpRbx, runner.lastRip(), "pass " + pass + ": the #GP is the JMP's");
        }
    }

    @Test
    void aBlockKeepsLinksToTheTwoBranchTargetsItLastLeftTo() {
        JitBlock b = linkable(CODE, 8), x = linkable(CODE + 0x100, 4), y = linkable(CODE + 0x200, 4),
                z = linkable(CODE + 0x300, 4), after = linkable(CODE + 8, 4);
        b.chain(x);
        b.chain(y);   // a Jcc in its middle, then its last JMP: both stay linked
        assertSame(x, b.successor(x.rip));
        assertSame(y, b.successor(y.rip));
        b.chain(x);
        assertSame(y, b.successor(y.rip), "the other target stays as the older link");
        b.chain(z);   // a third target: the oldest of the two goes
        assertNull(b.successor(y.rip));
        assertSame(x, b.successor(x.rip));
        assertSame(z, b.successor(z.rip));
        b.chain(after);
        assertSame(after, b.successor(after.rip), "the fall-through has a link of its own");
        assertSame(z, b.successor(z.rip));
    }

    /** A block with no code, for its chain links. */
    private static JitBlock linkable(long rip, int length) {
        return new JitBlock(rip, new byte[length], rip, 1, null);
    }

    @Test
    void aBlockThisCpuPatchedIsComparedAgain() {
        TranslationCache cache = new TranslationCache(0);
        put(0, "880d0d000000" + "eb08");   // mov [rip + 0xd], cl (the imm8 at CODE + 0x13); jmp to CODE + 0x10
        put(0x10, "4883c00a" + "eb0a");    // add rax, imm8 (10); jmp to CODE + 0x20, the end
        Cpu cpu = new Cpu();
        BlockRunner runner = new BlockRunner(cpu, memory, cache);
        cpu.epoch++;
        for (int cl : new int[] {10, 10, 20, 20, 30}) {
            cpu.rip = CODE;
            cpu.r[Cpu.RAX] = 0;
            cpu.r[Cpu.RCX] = cl;
            runner.runUntil(CODE + 0x20, 100);   // no epoch change between runs: the store alone must be seen
            assertEquals(cl, cpu.r[Cpu.RAX]);
        }
        // The writer, its JMP (a store into a block's own page ends the block) and three versions of the patched block.
        assertEquals(5, cache.translatedCount());
    }

    @Test
    void aBlockAnotherCpuFoundCurrentIsStillComparedOnThisOne() {
        TranslationCache cache = new TranslationCache(0);
        long end = putTwoBlocks();
        Cpu a = new Cpu(), b = new Cpu();
        BlockRunner runnerA = new BlockRunner(a, memory, cache), runnerB = new BlockRunner(b, memory, cache);
        assertEquals(11, run(runnerA, a, end));
        assertEquals(11, run(runnerB, b, end));
        assertEquals(11, run(runnerA, a, end));   // A again, after B left its mark on the shared blocks
        // Rewritten by someone else (no store through A's CPU): A sees it after its epoch changes.
        put(0x100, "4883c014");                    // add rax, 20
        assertEquals(21, run(runnerA, a, CODE + 0x104));
        assertEquals(21, run(runnerB, b, CODE + 0x104));
    }

    @Test
    void codeRewrittenBehindTheCpusBackIsSeenOnceTrustRunsOutWithoutAnEpochChange() {
        TranslationCache cache = new TranslationCache(0);
        long end = putTwoBlocks();
        Cpu cpu = new Cpu();
        BlockRunner runner = new BlockRunner(cpu, memory, cache);
        assertEquals(11, run(runner, cpu, end));   // translated
        assertEquals(11, run(runner, cpu, end));   // found current, through the dispatcher's compare: the last epoch change
        put(0x100, "4883c014" + "e9f7000000");     // add rax, 20: as another thread would, unseen by this CPU's watch
        long rax = 0;
        for (int i = 0; i < Interpreter.TRUST && rax != 21; i++) {
            cpu.rip = CODE;
            cpu.r[Cpu.RAX] = 0;
            runner.runUntil(end, 100);
            rax = cpu.r[Cpu.RAX];
        }
        assertEquals(21, rax, "seen within " + Interpreter.TRUST + " block entries");
    }

    @Test
    void aHotBlockIsTranslatedAgainAndGivesTheSameResults() {
        TranslationCache cache = new TranslationCache(0, false, 5);
        put(0, "4801c8" + "48ffc9" + "75f8"); // top: add rax, rcx; dec rcx; jnz top
        long end = CODE + 8;
        Cpu cpu = new Cpu();
        BlockRunner runner = new BlockRunner(cpu, memory, cache);
        for (int i = 0; i < 10; i++) {
            cpu.r[Cpu.RCX] = 1000;
            assertEquals(500_500, run(runner, cpu, end));
            assertEquals(Flags.ZF | Flags.PF, cpu.rflags & Flags.STATUS);
        }
        assertEquals(1, cache.promotedCount());
        JitBlock b = cache.direct(CODE);
        assertTrue(b.hot && b.code.getClass().getName().contains("JitHot"), b.code.getClass().getName());
        put(0, "4801c8" + "ffc9" + "90" + "75f8");   // add rax, rcx; dec ecx; nop; jnz top
        cpu.r[Cpu.RCX] = 10;
        assertEquals(55, run(runner, cpu, end));      // the hot block's bytes are stale: translated again
    }

    @Test
    void aLoopIsPromotedByIterationsNotEntries() {
        // top: add rax, rcx; dec rcx; jnz top: three instructions, so 682 iterations an entry.
        put(0, "4801c8" + "48ffc9" + "75f8");
        long end = CODE + 8;
        TranslationCache cache = new TranslationCache(0, false, 1000);
        Cpu cpu = new Cpu();
        BlockRunner runner = new BlockRunner(cpu, memory, cache);
        cpu.r[Cpu.RCX] = 600;   // one entry, 600 iterations, leaving the loop: counts one
        assertEquals(180_300, run(runner, cpu, end));
        assertEquals(0, cache.promotedCount());
        cpu.r[Cpu.RCX] = 1400;  // 682 + 682 iterations back to the start, then one entry of 36
        assertEquals(980_700, run(runner, cpu, end));
        assertEquals(1, cache.promotedCount(), "1,365 runs of work, past the 1000 for hot");
        assertTrue(cache.direct(CODE).hot);
        cpu.r[Cpu.RCX] = 100;
        assertEquals(5050, run(runner, cpu, end));    // the hot translation gives the same result
        assertEquals(Flags.ZF | Flags.PF, cpu.rflags & Flags.STATUS);
    }

    @Test
    void aBlockIsPromotedOnceWhateverItsEntriesAfterward() {
        put(0, "4883c001" + "eb0a");      // add rax, 1; jmp +10 (to CODE + 0x10, the end)
        long end = CODE + 0x10;
        TranslationCache cache = new TranslationCache(0, false, 3);
        Cpu cpu = new Cpu();
        BlockRunner runner = new BlockRunner(cpu, memory, cache);
        for (int i = 0; i < 20; i++) assertEquals(1, run(runner, cpu, end));
        assertEquals(1, cache.promotedCount());
    }

    @Test
    void aLoopWhoseHeadIsInsideTheBlockRunsInItUpToTheLoopBudget() {
        // mov ecx, n; xor eax, eax; head (CODE + 7): add eax, ecx; dec ecx; jnz head
        TranslationCache cache = new TranslationCache(0);
        Cpu cpu = new Cpu();
        BlockRunner runner = new BlockRunner(cpu, memory, cache);
        long end = CODE + 13, head = CODE + 7;
        put(0, "b964000000" + "31c0" + "01c8" + "ffc9" + "75fa");   // n = 100
        assertEquals(5050, run(runner, cpu, end));
        assertNull(cache.direct(head), "the loop went round inside the block, never leaving to its head");
        put(0, "b9a0860100");                                        // n = 100,000: past the loop budget
        assertEquals(705_082_704, run(runner, cpu, end));             // 5,000,050,000 mod 2^32
        assertNotNull(cache.direct(head), "the block left at the head when its budget was spent");
    }

    /** Guest code at {@code OVER} (CODE + 0xff0) on two code pages, so that it runs over their boundary. */
    private static final long OVER = CODE + 0xff0;
    private final FlatMemory twoPages = new FlatMemory();
    private final byte[] twoPagesCode = twoPages.map(CODE, 8192);
    private final TranslationCache overCache = new TranslationCache(0);
    private final Cpu overCpu = new Cpu();
    private final BlockRunner overRunner = new BlockRunner(overCpu, twoPages, overCache);

    /** Puts {@code hex} at {@link #OVER}; returns where it ends. */
    private long putOver(String hex) {
        twoPages.map(DATA, 4096);
        byte[] code = HexFormat.of().parseHex(hex);
        System.arraycopy(code, 0, twoPagesCode, 0xff0, code.length);
        overCpu.epoch++;
        overCpu.r[Cpu.RSP] = DATA + 4096;
        return OVER + code.length;
    }

    /** Runs from {@link #OVER} to {@code end} with RAX = 0 and RCX = {@code rcx} (no epoch change); returns RAX. */
    private long runOver(long end, long rcx) {
        overCpu.rip = OVER;
        overCpu.r[Cpu.RAX] = 0;
        overCpu.r[Cpu.RCX] = rcx;
        overRunner.runUntil(end, 10_000);
        assertEquals(end, overCpu.rip);
        return overCpu.r[Cpu.RAX];
    }

    @Test
    void aLoopOverAPageBoundaryRunsTranslatedAndSeesItsBytesInTheNextPageChange() {
        // OVER: add rax, 1; ten NOPs; add rax, 2 (at 0xffe, crossing into the next page: its
        // immediate is there); dec rcx; jnz OVER.
        long end = putOver("4883c001" + "90".repeat(10) + "4883c002" + "48ffc9" + "0f85e5ffffff");
        for (int imm : new int[] {2, 2, 5}) {
            twoPagesCode[0x1001] = (byte) imm;   // only the compare of the next page's bytes can see it
            assertEquals(100 * (1 + imm), runOver(end, 100));
        }
        JitBlock head = overCache.direct(OVER);
        assertTrue(head.crossesPage && head.length == 18, "the loop's head block takes the crossing instruction: " + head.length);
        assertNotNull(overCache.direct(OVER + 18), "the rest of the loop, on the next page, is translated too");
    }

    @Test
    void aStoreIntoTheNextPageEndsABlockWhoseLastInstructionCrossesIntoIt() {
        // OVER: mov [rip + 0xb], cl (the immediate at 0x1001 of the next instruction); eight
        // NOPs; add rax, imm8 (at 0xffe, crossing into the next page).
        long end = putOver("880d0b000000" + "90".repeat(8) + "4883c000");
        for (int cl : new int[] {10, 10, 20, 30}) assertEquals(cl, runOver(end, cl));   // the store alone must be seen
        assertTrue(overCache.direct(OVER).crossesPage);
    }

    @Test
    void theCacheIsEmptiedAtItsBoundAndTranslatesAgain() {
        TranslationCache cache = new TranslationCache(0, false, 0, 4);
        // Six blocks: add rax, 1; jmp next (at 0x100 intervals: farther than a block follows), the last one ends at `end`.
        for (int i = 0; i < 6; i++) put(0x100 * i, "4883c001" + "e9f7000000");
        long end = CODE + 0x600;
        Cpu cpu = new Cpu();
        BlockRunner runner = new BlockRunner(cpu, memory, cache);
        assertEquals(6, run(runner, cpu, end));
        assertEquals(1, cache.clearCount());
        assertEquals(6, run(runner, cpu, end));
        assertTrue(cache.translatedCount() >= 10, cache.toString());   // blocks 1-4 translated again
    }
}
