package dev.jux.platform.interp;

/**
 * A translated basic block: where it starts, the instruction bytes it was translated from
 * (it runs only while memory still holds them, checked on every entry through an
 * execute-permission translation), the RIP of its last instruction (where a branch to a
 * non-canonical address faults) and its code.
 */
final class JitBlock {
    final long rip;
    /** The block's instruction bytes, little-endian in longs (the last one zero-padded). */
    final long[] words;
    final int length;
    final long lastRip;
    final int instructions;
    final BlockCode code;

    JitBlock(long rip, byte[] bytes, long lastRip, int instructions, BlockCode code) {
        this.rip = rip;
        this.length = bytes.length;
        this.words = new long[(bytes.length + 7) / 8];
        for (int i = 0; i < bytes.length; i++) words[i >> 3] |= (bytes[i] & 0xffL) << (8 * (i & 7));
        this.lastRip = lastRip;
        this.instructions = instructions;
        this.code = code;
    }

    /** True if memory still holds the bytes this block was made from; faults as a fetch of its first byte would. */
    boolean matches(Memory memory) {
        return memory.codeMatches(rip, words, length);
    }
}
