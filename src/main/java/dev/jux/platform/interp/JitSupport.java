package dev.jux.platform.interp;

import java.lang.foreign.MemorySegment;

/** Out-of-line helpers that translated blocks call. */
public final class JitSupport {
    private JitSupport() {}

    /**
     * SYSCALL at user level, as the executor and translated blocks both do it: RCX = the
     * return address {@code next}, R11 = RFLAGS with RF cleared, RIP = {@code next}; the
     * kernel returns to them. Returns {@link Executor#SYSCALL}.
     */
    public static int syscall(Cpu c, long next) {
        c.r[Cpu.RCX] = next;
        c.r[11] = c.rflags & ~0x10000L;
        c.rip = next;
        return Executor.SYSCALL;
    }

    /**
     * The store of a read-modify-write whose flags are already in RFLAGS: if it faults (a
     * read-only or copy-on-write page), RFLAGS goes back to what it was before the
     * instruction, so the instruction can be restarted after the kernel handles the fault.
     */
    public static void storeRestoringFlags(long[] tlb, MemorySegment ram, Memory m, Cpu c, long addr, int size, long v, long flagsBefore) {
        try {
            switch (size) {
                case 1 -> JitMemory.write8(tlb, ram, m, addr, (int) v);
                case 2 -> JitMemory.write16(tlb, ram, m, addr, (int) v);
                case 4 -> JitMemory.write32(tlb, ram, m, addr, (int) v);
                default -> JitMemory.write64(tlb, ram, m, addr, v);
            }
        } catch (CpuFault f) {
            c.rflags = flagsBefore;
            throw f;
        }
    }

    /** Kinds of flags a translated block leaves pending: an ALU operation, NEG, a shift by a constant. */
    static final int PENDING_ALU = 0, PENDING_NEG = 1, PENDING_SHIFT = 2;

    /**
     * {@link BlockCode#TLB_MISS} with the flags still pending from a computation of {@code
     * kind} ({@link #PENDING_ALU}: ALU operation {@code op}; {@link #PENDING_NEG}; {@link
     * #PENDING_SHIFT}: shift {@code op} by {@code count}) of {@code size} bytes, whose
     * operands the block left in {@link Cpu#pendingA} and {@link Cpu#pendingB}: the
     * dispatcher computes them ({@link #computePending}), so the loop's exit path does not
     * carry the flag arithmetic (C2 would hoist it into the loop).
     */
    static int missWithPending(int kind, int op, int size, int count) {
        return BlockCode.TLB_MISS | pendingFlagsCode(kind, op, size, count);
    }

    /**
     * The code a block leaves in {@link Cpu#pendingFlags} for flags it left pending (see {@code
     * InlineEmitter.leave}), as in {@link #missWithPending}: {@link #computePending} decodes it.
     */
    static int pendingFlagsCode(int kind, int op, int size, int count) {
        return (1 | kind << 1 | op << 3 | size << 7 | count << 11) << 8;
    }

    /**
     * Computes the flags a translated block left pending in {@link Cpu#pendingFlags} into
     * RFLAGS, if any: at the entry of a block that may read them, and in the dispatcher before
     * the interpreter runs or anything else sees RFLAGS.
     */
    public static void settle(Cpu c) {
        int p = c.pendingFlags;
        if (p != 0) {
            c.pendingFlags = 0;
            computePending(c, p);
        }
    }

    /** For a block's answer {@code r} ({@link BlockCode#run}) of {@link #missWithPending}, or a {@link #pendingFlagsCode}: computes those flags into RFLAGS. */
    static void computePending(Cpu c, int r) {
        int code = r >>> 8;
        if ((code & 1) == 0) return;
        int kind = code >>> 1 & 3, op = code >>> 3 & 15, size = code >>> 7 & 15, count = code >>> 11 & 63;
        switch (kind) {
            case PENDING_ALU -> Alu.op(c, op, c.pendingA, c.pendingB, size);
            case PENDING_NEG -> Alu.neg(c, c.pendingA, size);
            default -> Shifts.shift(c, op, c.pendingA, count, size);
        }
    }

    /**
     * CF as the ALU operation {@code op} of {@code a} and {@code b} (pending lazy flags: not
     * ADC/SBB) sets it, 0 or 1, without a branch: ADC and SBB add it into a register, often
     * from a compare whose outcome a loop cannot predict (sieve's count {@code cmpb $1,(p);
     * adc $0,n} over composite flags), and a compare-and-branch there cost C2's code a
     * mispredicted jump every few iterations (1.8x the time of the same loop over a regular
     * pattern). Below 64 bits the masked operands' sum or difference holds the carry (borrow)
     * in its next bit up (the sign, for a borrow); at 64 bits it is the top bit of the
     * textbook carry vector. {@code size} is a constant where the JIT calls this, so only one
     * line remains, and a masked byte loaded from memory needs no mask at all.
     */
    public static long carry(int op, long a, long b, int size) {
        long m = Flags.mask(size);
        return switch (op) {
            case Alu.ADD -> size == 8 ? ((a & b) | ((a | b) & ~(a + b))) >>> 63 : ((a & m) + (b & m)) >>> (8 * size);
            case Alu.SUB, Alu.CMP -> size == 8 ? ((~a & b) | (~(a ^ b) & (a - b))) >>> 63 : ((a & m) - (b & m)) >>> 63;
            case Alu.OR, Alu.AND, Alu.XOR -> 0;
            default -> throw new IllegalArgumentException("no pending carry for ALU operation " + op);
        };
    }

    /** Flags.condition(cc) of the flags a SUB/CMP of {@code a} and {@code b} would set (cc not O/NO/P/NP). */
    public static boolean subCondition(long a, long b, int size, int cc) {
        long m = Flags.mask(size);
        a &= m;
        b &= m;
        int sh = 64 - 8 * size;
        boolean t = switch (cc >> 1) {
            case 1 -> Long.compareUnsigned(a, b) < 0;
            case 2 -> a == b;
            case 3 -> Long.compareUnsigned(a, b) <= 0;
            case 4 -> ((a - b) << sh) < 0;
            case 6 -> (a << sh) < (b << sh);
            case 7 -> (a << sh) <= (b << sh);
            default -> throw new IllegalArgumentException("condition " + cc);
        };
        return t ^ ((cc & 1) != 0);
    }

    /** Flags.condition(cc) of the flags an AND/TEST of {@code a} and {@code b} would set (CF = OF = 0). */
    public static boolean andCondition(long a, long b, int size, int cc) {
        long r = a & b & Flags.mask(size);
        boolean sign = (r << (64 - 8 * size)) < 0;
        boolean t = switch (cc >> 1) {
            case 1 -> false;
            case 2, 3 -> r == 0;
            case 4, 6 -> sign;
            case 7 -> r == 0 || sign;
            default -> throw new IllegalArgumentException("condition " + cc);
        };
        return t ^ ((cc & 1) != 0);
    }
}
