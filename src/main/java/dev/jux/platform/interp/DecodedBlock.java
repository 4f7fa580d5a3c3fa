package dev.jux.platform.interp;

/**
 * A straight run of decoded instructions starting at {@link #rip}, all in one page (or one
 * instruction that crosses into the next, {@link #crossesPage}): up to and
 * including the first one that may transfer control (a branch, CALL, RET, SYSCALL, INT, a
 * string instruction...), at most {@link DecodedBlocks#MAX_INSTRUCTIONS}. It keeps the bytes
 * it was decoded from, so that one compare on entry ({@link Memory#codeMatches}) proves every
 * instruction in it still current.
 */
final class DecodedBlock {
    final long rip;
    final Instruction[] instructions;
    /** The instructions' fast forms, {@link FastPath#STRIDE} longs each ({@link FastPath#classify}): what the fast path reads. */
    final long[] code;
    /** The block's bytes, little-endian in longs (the last one zero-padded). */
    final long[] words;
    final int length;
    /** The interpreter's watch period in which this block's bytes were last checked (see Interpreter). */
    int checkedIn;
    /** One instruction that crosses into the next page, which no watch covers: compared on every entry. */
    final boolean crossesPage;

    DecodedBlock(long rip, Instruction[] instructions, byte[] bytes, int length) {
        this.rip = rip;
        this.instructions = instructions;
        this.code = new long[FastPath.STRIDE * instructions.length];
        long at = rip;
        for (int i = 0; i < instructions.length; i++) {
            FastPath.classify(instructions[i], at, code, FastPath.STRIDE * i);
            at += instructions[i].length;
        }
        this.length = length;
        this.words = PackedBytes.pack(bytes, length);
        this.crossesPage = (rip & 0xfff) + length > 0x1000;
    }

    /** True if memory still holds this block's bytes; faults as a fetch of its first byte (or the next page's) would. */
    boolean matches(Memory memory) {
        return crossesPage ? PackedBytes.fetched(memory, rip, words, 0, length) : memory.codeMatches(rip, words, length);
    }
}
