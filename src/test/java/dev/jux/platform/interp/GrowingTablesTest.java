package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The per-CPU tables that start small and grow with the code a thread runs: the decoded
 * blocks ({@link DecodedBlocks}) and the JIT's entry counters ({@link BlockRunner}). Growing
 * must keep what the smaller table held.
 */
class GrowingTablesTest {
    private static final long CODE = 0x40_0000L;

    @Test
    void decodedBlocksGrowAndKeepTheirBlocks() {
        FlatMemory memory = new FlatMemory();
        Arrays.fill(memory.map(CODE, 16 * 1024), (byte) 0xc3);   // a RET at every byte: a one-instruction block at each
        DecodedBlocks blocks = new DecodedBlocks(new Decoder());
        int first = blocks.capacity();
        assertEquals(2 << DecodedBlocks.MIN_BITS, first);
        int n = 6000;
        for (int k = 0; k < n; k++) assertNotNull(blocks.lookup(memory, CODE + k, new InterpStats()));
        // 1024 sets, two ways: full after 2048 blocks, grown at the 2049th eviction (block
        // 4096), so the blocks it held then (2048..4095) are in the grown table too.
        assertEquals(4 * first, blocks.capacity());
        for (int k = 2048; k < n; k++) {
            DecodedBlock b = blocks.find(CODE + k);
            assertNotNull(b, "block " + k);
            assertEquals(CODE + k, b.rip);
        }
        assertNull(blocks.find(CODE + 2047), "evicted before the table grew");
    }

    @Test
    void decodedBlocksStopGrowingAtTheirLargestSize() {
        FlatMemory memory = new FlatMemory();
        int bytes = 1 << 17;
        Arrays.fill(memory.map(CODE, bytes), (byte) 0xc3);
        DecodedBlocks blocks = new DecodedBlocks(new Decoder());
        for (int k = 0; k < bytes; k++) blocks.lookup(memory, CODE + k, new InterpStats());
        assertEquals(2 << DecodedBlocks.MAX_BITS, blocks.capacity());
        assertNotNull(blocks.find(CODE + bytes - 1));
    }

    /** Chunks of the jump chain: {@code jmp +1; nop}, each jumping to the next, so each chunk's start is a RIP the runner counts. */
    private static final int CHUNK = 3, CHUNKS = 5461, END = CHUNK * CHUNKS;

    private static FlatMemory jumpChain() {
        FlatMemory memory = new FlatMemory();
        byte[] code = memory.map(CODE, END + 4096);
        for (int i = 0; i < END; i += CHUNK) {
            code[i] = (byte) 0xeb;   // jmp +1
            code[i + 1] = 1;
            code[i + 2] = (byte) 0x90;
        }
        return memory;
    }

    /** Runs the chain once from its start. */
    private static void pass(BlockRunner runner, Cpu cpu) {
        cpu.rip = CODE;
        runner.runUntil(CODE + END, 1_000_000);
        assertEquals(CODE + END, cpu.rip);
    }

    private static long chunk(int k) {
        return CODE + (long) CHUNK * k;
    }

    /** A runner over the chain whose threshold no RIP reaches: everything is interpreted and counted. */
    private static BlockRunner countingRunner(Cpu cpu) {
        return new BlockRunner(cpu, jumpChain(), new TranslationCache(1 << 30));
    }

    @Test
    void entryCountersGrowWithTheDecodedBlocks() {
        Cpu cpu = new Cpu();
        BlockRunner runner = countingRunner(cpu);
        assertEquals(1 << BlockRunner.MIN_HEAT_BITS, runner.heatCapacity());
        // 5461 blocks (a JMP ends one): the decoded-block table (1024 sets of two) grows once,
        // at its 2049th eviction, and the counters with it, to as many as it holds blocks.
        pass(runner, cpu);
        assertEquals(4 << BlockRunner.MIN_HEAT_BITS, runner.heatCapacity());
        // Their RIPs, three bytes apart within 16 KiB, all have counters of their own in it.
        pass(runner, cpu);
        int[] counts = new int[CHUNKS];
        for (int k = 0; k < CHUNKS; k++) {
            counts[k] = runner.heatOf(chunk(k));
            assertTrue(counts[k] >= 1, "counted at " + k);
        }
        pass(runner, cpu);
        assertEquals(4 << BlockRunner.MIN_HEAT_BITS, runner.heatCapacity(), "no more growth");
        for (int k = 0; k < CHUNKS; k++) assertEquals(counts[k] + 1, runner.heatOf(chunk(k)), "at " + k);
    }

    @Test
    void growingTheEntryCountersKeepsEveryCount() {
        Cpu cpu = new Cpu();
        BlockRunner runner = countingRunner(cpu);
        pass(runner, cpu);
        int[] counts = new int[CHUNKS];
        int held = 0;
        for (int k = 0; k < CHUNKS; k++) {
            counts[k] = runner.heatOf(chunk(k));
            if (counts[k] > 0) held++;
        }
        assertTrue(held >= 1000, "counters held: " + held);   // (a table of 2048: some RIPs share a slot)
        int size = runner.heatCapacity();
        runner.growHeat(4 * size);
        assertEquals(4 * size, runner.heatCapacity());
        for (int k = 0; k < CHUNKS; k++) {
            if (counts[k] > 0) assertEquals(counts[k], runner.heatOf(chunk(k)), "at " + k);
        }
    }
}
