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
    /**
     * The last instruction crosses into the next page, which no watch covers: its bytes there
     * are compared on every entry ({@link #tailMatches}), as the interpreter's decoded blocks
     * do for such an instruction.
     */
    final boolean crossesPage;
    /** The bytes in the block's first page (all of them, unless it crosses), packed like {@link #words}. */
    private final long[] headWords;
    private final int headLength;
    final long lastRip;
    /** The block's instructions; a run that leaves at a taken Jcc in its middle runs fewer (the jit stats count them all). */
    final int instructions;
    final BlockCode code;
    /**
     * Chaining: the block that last ran right after this one, when RIP was past this block's
     * end (the fall-through) or anywhere else (a taken branch, a return). A hint the dispatcher
     * checks (the RIP, then the bytes, as for any block) before using it, so that the next
     * block is found through the block just run instead of the cache's table. Written and read
     * by any thread without locks: a stale or lost link only costs a table lookup, and a
     * JitBlock seen through it is whole (its fields are final). Two links for branches
     * ({@link #taken}, then {@link #takenBefore}): a block that leaves by two branches in turn
     * (a Jcc in its middle and its last JMP: xz's match finder) kept replacing a single link,
     * and 17% of xz's block runs ended their chain on a link to the other target.
     */
    JitBlock fallThrough, taken, takenBefore;

    /** Translated for HotSpot's C2 (a hot block's second translation), or for C1 only. */
    final boolean hot;
    /**
     * Work done while not hot, in block runs: an entry counts one, an entry that came back to
     * the block's own start counts {@link #loopBudget} (it went round its loop that many times
     * inside the block). Racy: a lost count only delays the promotion.
     */
    int runs;
    /**
     * Iterations a loop back to this block's start runs inside the block before returning to
     * the dispatcher: {@link InlineEmitter}'s budget for a block of this length (its {@code
     * setRegisters}), so that hotness counts a self-looping block's iterations, not its entries
     * (sha256's round loop runs ~42 iterations an entry).
     */
    final int loopBudget;
    /** The hot translation of the same bytes, once made: the dispatcher runs that instead. */
    JitBlock promoted;
    /**
     * {@link Interpreter#watchChanges} of the CPU that last found this block current, when it
     * did: that CPU enters the block again without comparing anything while nothing it watches
     * has changed ({@link BlockRunner}). Shared by every CPU: another CPU's value (which never
     * equals this CPU's) only makes it compare again. Opaque accesses: a long is never torn.
     */
    @SuppressWarnings("unused")   // through CHECKED_AT
    private long checkedAt;
    private static final java.lang.invoke.VarHandle CHECKED_AT;

    static {
        try {
            CHECKED_AT = java.lang.invoke.MethodHandles.lookup().findVarHandle(JitBlock.class, "checkedAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long checkedAt() {
        return (long) CHECKED_AT.getOpaque(this);
    }

    void checkedAt(long changes) {
        CHECKED_AT.setOpaque(this, changes);
    }

    JitBlock(long rip, byte[] bytes, long lastRip, int instructions, BlockCode code) {
        this(rip, bytes, lastRip, instructions, code, false);
    }

    JitBlock(long rip, byte[] bytes, long lastRip, int instructions, BlockCode code, boolean hot) {
        this.hot = hot;
        this.rip = rip;
        this.length = bytes.length;
        this.words = PackedBytes.pack(bytes, bytes.length);
        this.crossesPage = (rip & 0xfff) + bytes.length > 0x1000;
        this.headLength = crossesPage ? (int) (0x1000 - (rip & 0xfff)) : length;
        this.headWords = crossesPage ? PackedBytes.pack(bytes, headLength) : words;
        this.lastRip = lastRip;
        this.instructions = instructions;
        this.code = code;
        this.loopBudget = Math.max(1, InlineEmitter.LOOP_BUDGET * BlockTranslator.MAX_INSTRUCTIONS / instructions);
    }

    /** Cuts this block's links to others (the cache is emptied). */
    void unlink() {
        fallThrough = null;
        taken = null;
        takenBefore = null;
        promoted = null;
    }

    /** The bytes this block was translated from. */
    byte[] bytes() {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) out[i] = (byte) PackedBytes.at(words, i);
        return out;
    }

    /** The block last chained after this one to {@code rip}, or null. */
    JitBlock successor(long rip) {
        if (rip == this.rip + length) return to(fallThrough, rip);
        JitBlock n = to(taken, rip);
        return n != null ? n : to(takenBefore, rip);
    }

    /** {@code link} if it leads to {@code rip}, else null. */
    private static JitBlock to(JitBlock link, long rip) {
        return link != null && link.rip == rip ? link : null;
    }

    /** Remembers {@code next} as the block that ran after this one (the older branch link is kept as the second). */
    void chain(JitBlock next) {
        if (next.rip == rip + length) {
            fallThrough = next;
        } else {
            JitBlock was = taken;
            if (was != null && was.rip != next.rip) takenBefore = was;
            taken = next;
        }
    }

    /** True if memory still holds the bytes this block was made from; faults as a fetch of its first byte would. */
    boolean matches(Memory memory) {
        return headMatches(memory) && tailMatches(memory);
    }

    /** True if memory still holds this block's bytes in its first page; faults as a fetch of its first byte would. */
    boolean headMatches(Memory memory) {
        return memory.codeMatches(rip, headWords, headLength);
    }

    /**
     * True if this block's bytes in the next page are still there (always, if it has none).
     * False, not a fault, if that page cannot be fetched: the instructions before the crossing
     * one must run first, so the interpreter runs the block and faults where hardware would.
     */
    boolean tailMatches(Memory memory) {
        if (!crossesPage) return true;
        try {
            return PackedBytes.fetched(memory, rip, words, headLength, length);
        } catch (CpuFault f) {
            return false;
        }
    }
}
