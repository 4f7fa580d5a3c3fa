package dev.jux.platform.interp;

import dev.jux.platform.UserRegisters;

/**
 * The integer state of one interpreted CPU: the sixteen general registers in encoding order
 * (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..r15), RIP, RFLAGS and the FS/GS bases. Flags
 * are kept computed (not lazily) so that every instruction leaves RFLAGS exact. The SSE state
 * is {@link #xmm} (register i is {@code xmm[2i]} low and {@code xmm[2i+1]} high quadword) and
 * {@link #mxcsr}; the x87 state is {@link #fpu}.
 */
public final class Cpu {
    /** {@code va} is canonical: bits 63..47 all equal (48-bit virtual addresses); anything else faults (#GP). */
    static boolean canonical(long va) {
        return ((va << 16) >> 16) == va;
    }

    public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;

    /** The sixteen registers, and a slot 16 that is always zero (the interpreter's fast path adds it for "no base/index register"). */
    public final long[] r = new long[17];
    public long rip;
    public long rflags = 0x202;
    public long fsBase, gsBase;
    public final long[] xmm = new long[32];
    public int mxcsr = Mxcsr.DEFAULT;
    public final X87 fpu = new X87();
    /**
     * The operands of flags a translated block left pending: their code is in {@link
     * #pendingFlags}, or in a loop's {@link BlockCode#TLB_MISS} answer (see {@link
     * JitSupport#computePending}).
     */
    public long pendingA, pendingB;
    /**
     * Flags a translated block left pending over {@link #rflags}: their code ({@link
     * JitSupport#pendingFlagsCode}; operands in {@link #pendingA}/{@link #pendingB}), or 0.
     * Only translated blocks and their dispatcher see it non-zero: it computes them ({@link
     * JitSupport#settle}) before the interpreter runs or the registers leave the CPU.
     */
    public int pendingFlags;

    /** The 512-byte FXSAVE image (64-bit layout) of the x87 and SSE state at {@code dst[off]}. */
    public void fxsave(byte[] dst, int off) {
        FxsaveImage.save(this, dst, off);
    }

    /** Loads the x87 and SSE state from a 512-byte FXSAVE image; #GP if it sets reserved MXCSR bits. */
    public void fxrstor(byte[] src, int off) {
        FxsaveImage.restore(this, src, off);
    }

    /**
     * Reads a register operand of {@code size} bytes. With {@code highByteRegs} (an 8-bit
     * operand and no REX prefix) numbers 4..7 mean AH, CH, DH, BH.
     */
    public long get(int reg, int size, boolean highByteRegs) {
        return switch (size) {
            case 1 -> highByteRegs && reg >= 4 && reg < 8 ? (r[reg - 4] >>> 8) & 0xff : r[reg] & 0xff;
            case 2 -> r[reg] & 0xffff;
            case 4 -> r[reg] & 0xffff_ffffL;
            default -> r[reg];
        };
    }

    /** Writes a register operand; a 32-bit write zeroes the upper half, 8/16-bit writes merge. */
    public void set(int reg, int size, boolean highByteRegs, long v) {
        switch (size) {
            case 1 -> {
                if (highByteRegs && reg >= 4 && reg < 8) {
                    r[reg - 4] = (r[reg - 4] & ~0xff00L) | ((v & 0xff) << 8);
                } else {
                    r[reg] = (r[reg] & ~0xffL) | (v & 0xff);
                }
            }
            case 2 -> r[reg] = (r[reg] & ~0xffffL) | (v & 0xffff);
            case 4 -> r[reg] = v & 0xffff_ffffL;
            default -> r[reg] = v;
        }
    }

    /**
     * Bumped whenever code the interpreter decoded may have changed without its seeing the
     * write: the registers are loaded (the kernel ran, e.g. ptrace or a kick and another
     * thread's work), the TLB is flushed (a mapping changed), a translated block ran (its
     * stores bypass the interpreter's memory). The interpreter checks a block's bytes again
     * before trusting it across a change (see Interpreter).
     */
    public int epoch;

    public void loadFrom(UserRegisters u) {
        epoch++;
        r[0] = u.rax; r[1] = u.rcx; r[2] = u.rdx; r[3] = u.rbx;
        r[4] = u.rsp; r[5] = u.rbp; r[6] = u.rsi; r[7] = u.rdi;
        r[8] = u.r8; r[9] = u.r9; r[10] = u.r10; r[11] = u.r11;
        r[12] = u.r12; r[13] = u.r13; r[14] = u.r14; r[15] = u.r15;
        rip = u.rip; rflags = (u.rflags & Flags.USER_MASK) | 0x202; fsBase = u.fsBase; gsBase = u.gsBase;
    }

    public void storeTo(UserRegisters u) {
        u.rax = r[0]; u.rcx = r[1]; u.rdx = r[2]; u.rbx = r[3];
        u.rsp = r[4]; u.rbp = r[5]; u.rsi = r[6]; u.rdi = r[7];
        u.r8 = r[8]; u.r9 = r[9]; u.r10 = r[10]; u.r11 = r[11];
        u.r12 = r[12]; u.r13 = r[13]; u.r14 = r[14]; u.r15 = r[15];
        u.rip = rip; u.rflags = rflags; u.fsBase = fsBase; u.gsBase = gsBase;
    }
}
