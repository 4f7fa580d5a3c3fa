package dev.jux.platform.interp;

/**
 * One decoded instruction. Mutable and reused by the interpreter so that a step allocates
 * nothing; {@link #copy()} keeps one (for a block cache or a JIT later).
 *
 * <p>{@code opcode} names the map and the byte: 0x0xx one-byte map, 0x1xx {@code 0F xx},
 * 0x2xx {@code 0F 38 xx}, 0x3xx {@code 0F 3A xx}; {@link #INVALID} for bytes that are no
 * instruction in 64-bit mode (it executes as #UD).
 */
public final class Instruction {
    public static final int INVALID = -1;
    public static final int MAP_0F = 0x100, MAP_0F38 = 0x200, MAP_0F3A = 0x300;

    public static final int P_LOCK = 1, P_REP = 2, P_REPNE = 4, P_OPSIZE = 8, P_ADDRSIZE = 16;
    public static final int SEG_NONE = 0, SEG_FS = 1, SEG_GS = 2;
    /** {@link #base} value for RIP-relative addressing; -1 means no base register. */
    public static final int BASE_RIP = 16, NONE = -1;

    public short opcode;
    /** Legacy prefixes seen, as P_* bits. */
    public byte prefixes;
    /** The REX byte (0x40..0x4f), or 0 if none immediately preceded the opcode. */
    public byte rex;
    /** Operand size in bytes for non-byte forms: 2, 4 or 8 (byte forms are known by opcode). */
    public byte opSize;
    /** Address size in bytes: 8, or 4 with a 67 prefix. */
    public byte addrSize;
    public byte segment;

    public boolean hasModrm;
    /** ModRM.mod; 3 means the r/m operand is a register. */
    public byte mod;
    /** ModRM.reg: the 3-bit field (the sub-opcode of a group). */
    public byte regField;
    /** ModRM.reg extended by REX.R: a register number 0..15. */
    public byte reg;
    /** With mod == 3: ModRM.rm extended by REX.B, a register number 0..15. */
    public byte rm;
    /** Memory operand: base register (or BASE_RIP or NONE), index register (or NONE), scale shift, displacement. */
    public byte base, index, scale;
    public long disp;

    /** The immediate, sign-extended to 64 bits (zero-extended for imm16 of RET/ENTER); relative targets too. */
    public long imm;
    /** ENTER's second immediate (the nesting level). */
    public int imm2;
    /** Length in bytes (at most 15). */
    public byte length;

    /**
     * Set for instructions of a decoded block only ({@link FastPath#classify}): the fast kind
     * (0: none, the executor runs it); its packed operands are in the block's {@link
     * DecodedBlock#code}.
     */
    byte fast;

    public boolean lock() { return (prefixes & P_LOCK) != 0; }
    public boolean rep() { return (prefixes & P_REP) != 0; }
    public boolean repne() { return (prefixes & P_REPNE) != 0; }
    public boolean isMemory() { return hasModrm && mod != 3; }
    public boolean rexW() { return (rex & 8) != 0; }
    /** Byte registers 4..7 mean AH, CH, DH, BH only when there is no REX prefix. */
    public boolean highByteRegs() { return rex == 0; }

    public Instruction copy() {
        return new Instruction().copyFrom(this);
    }

    /** Makes this instruction a copy of {@code o}; returns this. */
    public Instruction copyFrom(Instruction o) {
        opcode = o.opcode; prefixes = o.prefixes; rex = o.rex; opSize = o.opSize; addrSize = o.addrSize;
        segment = o.segment; hasModrm = o.hasModrm; mod = o.mod; regField = o.regField; reg = o.reg;
        rm = o.rm; base = o.base; index = o.index; scale = o.scale; disp = o.disp; imm = o.imm;
        imm2 = o.imm2; length = o.length;
        return this;
    }

    @Override
    public String toString() {
        return String.format("op=%x pfx=%x rex=%x os=%d as=%d seg=%d modrm=%b mod=%d reg=%d rm=%d base=%d idx=%d sc=%d disp=%x imm=%x len=%d",
                opcode, prefixes, rex, opSize, addrSize, segment, hasModrm, mod, reg, rm, base, index, scale, disp, imm, length);
    }
}
