package dev.jux.platform.interp;

/**
 * What the decoder must know about each opcode to find the instruction's length and operand
 * size: whether a ModRM byte follows, which immediate, whether the byte is invalid in 64-bit
 * mode, and the stack/branch operand-size defaults. Indexed like {@link Instruction#opcode}.
 */
final class OpcodeTable {
    static final int MODRM = 1, INVALID = 2;
    /** Operand size 64 by default (push, pop...); 66 makes it 16. */
    static final int D64 = 4;
    /** Operand size always 64 (near branches; Intel ignores 66 on them in 64-bit mode). */
    static final int F64 = 8;
    static final int IMM_SHIFT = 4;
    static final int IMM_NONE = 0, IB = 1, IW = 2, IZ = 3, IV = 4, IW_IB = 5, MOFFS = 6;

    private static final short[] ATTR = new short[0x400];

    static int attr(int opcode) {
        return ATTR[opcode];
    }

    static int imm(int attr) {
        return attr >> IMM_SHIFT;
    }

    private static void set(int from, int to, int attr) {
        for (int op = from; op <= to; op++) ATTR[op] = (short) attr;
    }

    private static void set(int op, int attr) {
        ATTR[op] = (short) attr;
    }

    private static int imm(int kind, int flags) {
        return (kind << IMM_SHIFT) | flags;
    }

    static {
        // One-byte map. Prefix bytes never reach the table.
        for (int row = 0; row < 8; row++) {
            int b = row * 8;
            set(b, b + 3, MODRM);
            set(b + 4, imm(IB, 0));
            set(b + 5, imm(IZ, 0));
            set(b + 6, b + 7, INVALID); // push/pop of segment registers, DAA/DAS/AAA/AAS: gone in 64-bit mode
        }
        set(0x0f, 0); // escape, handled by the decoder
        set(0x50, 0x5f, D64);
        set(0x60, 0x62, INVALID);
        set(0x63, MODRM);
        set(0x68, imm(IZ, D64));
        set(0x69, imm(IZ, MODRM));
        set(0x6a, imm(IB, D64));
        set(0x6b, imm(IB, MODRM));
        set(0x70, 0x7f, imm(IB, F64));
        set(0x80, imm(IB, MODRM));
        set(0x81, imm(IZ, MODRM));
        set(0x82, INVALID);
        set(0x83, imm(IB, MODRM));
        set(0x84, 0x8e, MODRM);
        set(0x8f, MODRM | D64);
        set(0x9a, INVALID);
        set(0x9c, 0x9d, D64);
        set(0xa0, 0xa3, imm(MOFFS, 0));
        set(0xa8, imm(IB, 0));
        set(0xa9, imm(IZ, 0));
        set(0xb0, 0xb7, imm(IB, 0));
        set(0xb8, 0xbf, imm(IV, 0));
        set(0xc0, 0xc1, imm(IB, MODRM));
        set(0xc2, imm(IW, F64));
        set(0xc3, F64);
        set(0xc4, 0xc5, INVALID); // VEX prefixes: not implemented, so #UD (CPUID claims no AVX)
        set(0xc6, imm(IB, MODRM));
        set(0xc7, imm(IZ, MODRM));
        set(0xc8, imm(IW_IB, D64));
        set(0xc9, D64);
        set(0xca, imm(IW, 0));
        set(0xcd, imm(IB, 0));
        set(0xce, INVALID);
        set(0xd0, 0xd3, MODRM);
        set(0xd4, 0xd6, INVALID);
        set(0xd8, 0xdf, MODRM);
        set(0xe0, 0xe3, imm(IB, F64));
        set(0xe4, 0xe7, imm(IB, 0));
        set(0xe8, 0xe9, imm(IZ, F64));
        set(0xea, INVALID);
        set(0xeb, imm(IB, F64));
        set(0xf6, 0xf7, MODRM); // the immediate of TEST (/0, /1) depends on ModRM.reg
        set(0xfe, 0xff, MODRM);

        // Two-byte map 0F xx.
        int m = Instruction.MAP_0F;
        set(m, m + 0xff, MODRM);
        set(m + 0x04, INVALID);
        set(m + 0x05, m + 0x09, 0);
        set(m + 0x0a, INVALID);
        set(m + 0x0b, 0);
        set(m + 0x0c, INVALID);
        set(m + 0x0e, m + 0x0f, INVALID); // 3DNow!
        set(m + 0x24, m + 0x27, INVALID);
        set(m + 0x30, m + 0x37, 0);
        set(m + 0x38, m + 0x3f, INVALID); // 38 and 3A are escapes, handled by the decoder
        set(m + 0x70, m + 0x73, imm(IB, MODRM));
        set(m + 0x77, 0);
        set(m + 0x7a, m + 0x7b, INVALID);
        set(m + 0x80, m + 0x8f, imm(IZ, F64));
        set(m + 0xa0, m + 0xa1, D64);
        set(m + 0xa2, 0);
        set(m + 0xa4, imm(IB, MODRM));
        set(m + 0xa6, m + 0xa7, INVALID);
        set(m + 0xa8, m + 0xa9, D64);
        set(m + 0xaa, 0);
        set(m + 0xac, imm(IB, MODRM));
        set(m + 0xba, imm(IB, MODRM));
        set(m + 0xc2, imm(IB, MODRM));
        set(m + 0xc4, m + 0xc6, imm(IB, MODRM));
        set(m + 0xc8, m + 0xcf, 0);

        // Three-byte maps: every 0F 38 xx has ModRM; every 0F 3A xx has ModRM and an imm8.
        set(Instruction.MAP_0F38, Instruction.MAP_0F38 + 0xff, MODRM);
        set(Instruction.MAP_0F3A, Instruction.MAP_0F3A + 0xff, imm(IB, MODRM));
    }

    private OpcodeTable() {}
}
