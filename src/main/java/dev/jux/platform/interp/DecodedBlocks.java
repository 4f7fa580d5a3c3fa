package dev.jux.platform.interp;

import java.util.function.IntConsumer;

/**
 * Decoded blocks by linear RIP, per CPU, so that a loop is decoded once and each pass costs
 * one code compare per block rather than a lookup per instruction. Direct-mapped; an entry is
 * used only while memory holds the bytes it was decoded from ({@link DecodedBlock#matches}),
 * so code that is written (a JIT, self-modifying code, a new image at the same address, a
 * remapped page) is decoded again the next time it is entered, with nothing to invalidate.
 *
 * <p>A block is decoded from a snapshot of its bytes ({@link Memory#fetchBytes}, up to the end
 * of the page), so the instructions and the bytes they are checked against always agree, and
 * decoding past the block's first instruction never faults: an instruction that would need a
 * byte beyond the snapshot (it crosses the page) ends the block before it. An instruction
 * that crosses the page at a block's start is a block of its own, decoded from memory
 * (faulting as the fetch would) and compared on every entry.
 */
final class DecodedBlocks {
    /** Most instructions in one block (bounds how long a block runs on a stale TLB, see Interpreter). */
    static final int MAX_INSTRUCTIONS = 32;
    private static final int MAX_BYTES = MAX_INSTRUCTIONS * Decoder.MAX_LENGTH;
    private static final int PAGE = 4096;
    /**
     * Up to 2 x 32768 blocks, two ways per set, the most recently used first: cc1 -O2 enters
     * blocks at ~89,000 distinct RIPs, ~8 instructions each, and one compile decoded 1.37
     * million blocks again with a direct-mapped table of 16384 (its collisions), ~0.13 million
     * with the full table. It starts at 2 x 1024 and grows fourfold, its blocks kept, once
     * decoding has evicted twice as many blocks as it has sets since it last grew (as the TLB
     * grows, {@link PagedMemory}): every thread of every process has one, and most run little
     * code; at full size each new thread and fork allocated and zeroed 256 KiB (200 threads:
     * 52 MB of the JVM's heap).
     */
    static final int MIN_BITS = 10, MAX_BITS = 15;

    /** Set s holds its most recently used block at 2s, the other at 2s + 1. */
    private DecodedBlock[] blocks = new DecodedBlock[2 << MIN_BITS];
    /** Blocks dropped from a full set since the table last grew. */
    private int evictions;
    /** Told the new length each time the table grows (the JIT's entry counters grow with it). */
    private IntConsumer grown = length -> {};
    private final Decoder decoder;
    private final Snapshot snapshot = new Snapshot();
    private final Instruction[] scratch = new Instruction[MAX_INSTRUCTIONS];

    DecodedBlocks(Decoder decoder) {
        this.decoder = decoder;
    }

    /** Has {@code grown} told the table's new length whenever it grows. */
    void onGrowth(IntConsumer grown) {
        this.grown = grown;
    }

    /**
     * The block at {@code rip}, from the cache (its bytes checked) or decoded now; null if its
     * first instruction cannot be decoded (the caller decodes it the slow way, faulting as it
     * should). Faults as a fetch of {@code rip} would (and of the next page, for an
     * instruction that crosses into it).
     */
    DecodedBlock lookup(Memory memory, long rip, InterpStats stats) {
        DecodedBlock b = find(rip);
        if (b != null && b.matches(memory)) return b;
        if (InterpStats.ON) stats.decodes++;
        b = decode(memory, rip);
        if (b != null) insert(b);
        return b;
    }

    /** Makes {@code b} its set's most recent block, the other way's block dropped (or {@code b}'s stale self). */
    private void insert(DecodedBlock b) {
        int i = set(b.rip);
        DecodedBlock first = blocks[i];
        if (first == null || first.rip != b.rip) {
            if (blocks[i + 1] != null && ++evictions > blocks.length && blocks.length < 2 << MAX_BITS) {
                grow();
                insert(b);
                return;
            }
            blocks[i + 1] = first;
        }
        blocks[i] = b;
    }

    /** A table four times the size, holding the blocks of this one (each set's most recent ones last, so they stay first). */
    private void grow() {
        DecodedBlock[] old = blocks;
        blocks = new DecodedBlock[Math.min(old.length * 4, 2 << MAX_BITS)];
        evictions = 0;
        for (int way = 1; way >= 0; way--) {
            for (int i = way; i < old.length; i += 2) {
                if (old[i] != null) insert(old[i]);
            }
        }
        grown.accept(blocks.length);
    }

    /** The table's length now (tests). */
    int capacity() {
        return blocks.length;
    }

    /** The block cached for {@code rip}, its bytes not checked; null if none. Makes it its set's most recent. */
    DecodedBlock find(long rip) {
        int i = set(rip);
        DecodedBlock b = blocks[i];
        if (b != null && b.rip == rip) return b;
        DecodedBlock other = blocks[i + 1];
        if (other == null || other.rip != rip) return null;
        blocks[i + 1] = b;
        blocks[i] = other;
        return other;
    }

    /** The index of {@code rip}'s set's first way. */
    private int set(long rip) {
        return ((int) (rip ^ (rip >>> MAX_BITS)) << 1) & (blocks.length - 2);
    }

    private DecodedBlock decode(Memory memory, long rip) {
        int room = (int) Math.min(MAX_BYTES, PAGE - (rip & (PAGE - 1)));
        Snapshot s = snapshot;
        s.base = rip;
        s.length = memory.fetchBytes(rip, s.bytes, room);
        int count = 0, at = 0;
        while (count < MAX_INSTRUCTIONS && at < s.length) {
            Instruction in = new Instruction();
            try {
                decoder.decode(s, rip + at, in);
            } catch (Snapshot.Beyond e) {
                if (count == 0) return decodeCrossing(memory, rip);
                break;   // crosses the page: the next block's
            } catch (CpuFault e) {
                break;   // longer than 15 bytes: left to the caller (or the next block), which faults
            }
            scratch[count++] = in;
            at += in.length;
            if (endsBlock(in)) break;
        }
        if (count == 0) return null;
        return new DecodedBlock(rip, java.util.Arrays.copyOf(scratch, count), s.bytes, at);
    }

    /**
     * A block of the one instruction at {@code rip}, which crosses into the next page: decoded
     * from memory, faulting as its fetch would. Its block is compared with memory on every
     * entry ({@link DecodedBlock#crossesPage}), as the interpreter watches only the first page.
     */
    private DecodedBlock decodeCrossing(Memory memory, long rip) {
        Instruction in = new Instruction();
        decoder.decode(memory, rip, in);
        byte[] bytes = new byte[in.length];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) memory.fetch8(rip + i);
        return new DecodedBlock(rip, new Instruction[] {in}, bytes, in.length);
    }

    /**
     * Instructions after which a block stops: those that always or mostly leave RIP elsewhere
     * than on the next instruction, and CPUID (serializing: code written by another thread is
     * seen after it). A conditional branch does not end a block: when it is not taken the
     * block goes on (the interpreter checks RIP after every instruction, so a taken branch
     * just leaves it).
     */
    static boolean endsBlock(Instruction in) {
        int op = in.opcode;
        if (op == Instruction.INVALID) return true;
        if (op < Instruction.MAP_0F) {
            if (op >= 0xa4 && op <= 0xaf && op != 0xa8 && op != 0xa9) return true; // string ops (REP restarts)
            if (op == 0xc2 || op == 0xc3 || op >= 0xca && op <= 0xcf) return true; // RET, far RET, INT, IRET
            if (op >= 0xe0 && op <= 0xef) return true;                 // LOOP, JRCXZ, CALL, JMP, I/O
            if (op == 0xff) return in.regField >= 2 && in.regField <= 5;  // CALL/JMP through r/m
            return op == 0xf1 || op == 0xf4 || op == 0x9a || op == 0x9d || op == 0x6c
                    || op == 0x6d || op == 0x6e || op == 0x6f;
        }
        if (op < Instruction.MAP_0F38) {
            int b = op & 0xff;
            return b == 0x05 || b == 0x0b || b == 0xa2 || b == 0x01
                    || b == 0xb9 || b == 0xff;
        }
        return false;
    }

    /** The bytes of a block being decoded, as the {@link Memory} the decoder reads. */
    private static final class Snapshot extends FetchOnlyMemory {
        /** Thrown for a byte past the snapshot; no stack trace, as it is a normal event. */
        static final class Beyond extends RuntimeException {
            Beyond() {
                super(null, null, false, false);
            }
        }

        private static final Beyond BEYOND = new Beyond();
        final byte[] bytes = new byte[MAX_BYTES];
        long base;
        int length;

        @Override
        public int fetch8(long addr) {
            long i = addr - base;
            if (i < 0 || i >= length) throw BEYOND;
            return bytes[(int) i] & 0xff;
        }
    }
}
