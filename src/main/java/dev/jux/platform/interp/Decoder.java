package dev.jux.platform.interp;

import static dev.jux.platform.interp.Instruction.*;

/**
 * Decodes one x86-64 user-mode instruction from memory into an {@link Instruction}: legacy
 * prefixes, REX, the one-byte, 0F, 0F 38 and 0F 3A maps, ModRM/SIB/displacement and the
 * immediate. Bytes that are no instruction decode to {@link Instruction#INVALID}; more than
 * 15 bytes raise #GP, as on hardware.
 */
public final class Decoder {
    public static final int MAX_LENGTH = 15;

    private Memory mem;
    private long start;
    private int pos;

    private int next() {
        if (pos >= MAX_LENGTH) throw CpuFault.gp();
        return mem.fetch8(start + pos++);
    }

    private long nextSigned(int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) v |= (long) next() << (8 * i);
        return Flags.sext(v, bytes);
    }

    /** Decodes the instruction at linear address {@code rip} into {@code in}. */
    public void decode(Memory memory, long rip, Instruction in) {
        mem = memory;
        start = rip;
        pos = 0;
        in.fast = FastPath.NONE;
        int prefixes = 0, rex = 0, segment = SEG_NONE;
        int b;
        while (true) {
            b = next();
            if ((b & 0xf0) == 0x40) {
                rex = b; // the last REX wins, and only if the opcode follows at once
                continue;
            }
            switch (b) {
                case 0xf0 -> prefixes |= P_LOCK;
                // F2 and F3 are exclusive as mandatory prefixes: the last one wins.
                case 0xf2 -> prefixes = (prefixes & ~P_REP) | P_REPNE;
                case 0xf3 -> prefixes = (prefixes & ~P_REPNE) | P_REP;
                case 0x66 -> prefixes |= P_OPSIZE;
                case 0x67 -> prefixes |= P_ADDRSIZE;
                // CS, DS, ES and SS overrides are accepted and ignored in 64-bit mode (base 0).
                case 0x26, 0x2e, 0x36, 0x3e -> { }
                case 0x64 -> segment = SEG_FS;
                case 0x65 -> segment = SEG_GS;
                default -> { }
            }
            if (!isLegacyPrefix(b)) break;
            rex = 0; // a legacy prefix after REX voids the REX
        }
        int opcode = b;
        if (b == 0x0f) {
            b = next();
            if (b == 0x38) opcode = MAP_0F38 | next();
            else if (b == 0x3a) opcode = MAP_0F3A | next();
            else opcode = MAP_0F | b;
        }
        in.opcode = (short) opcode;
        in.prefixes = (byte) prefixes;
        in.rex = (byte) rex;
        in.segment = (byte) segment;
        in.addrSize = (byte) ((prefixes & P_ADDRSIZE) != 0 ? 4 : 8);
        int attr = OpcodeTable.attr(opcode);
        if ((attr & OpcodeTable.INVALID) != 0) {
            in.opcode = INVALID;
            in.hasModrm = false;
            in.length = (byte) pos;
            return;
        }
        boolean o16 = (prefixes & P_OPSIZE) != 0;
        if ((attr & OpcodeTable.F64) != 0) in.opSize = 8;
        else if ((attr & OpcodeTable.D64) != 0) in.opSize = (byte) (o16 ? 2 : 8);
        else in.opSize = (byte) ((rex & 8) != 0 ? 8 : o16 ? 2 : 4);

        in.hasModrm = (attr & OpcodeTable.MODRM) != 0;
        in.base = NONE;
        in.index = NONE;
        in.scale = 0;
        in.disp = 0;
        if (in.hasModrm) modrm(in, rex);
        int immKind = OpcodeTable.imm(attr);
        if (opcode == 0xf6 || opcode == 0xf7) {
            if (in.regField < 2) immKind = opcode == 0xf6 ? OpcodeTable.IB : OpcodeTable.IZ;
        } else if (opcode == 0xff) {
            // Near CALL/JMP through r/m are always 64-bit; PUSH r/m defaults to 64.
            if (in.regField == 2 || in.regField == 4) in.opSize = 8;
            else if (in.regField == 6) in.opSize = (byte) (o16 ? 2 : 8);
        }
        immediate(in, immKind);
        in.length = (byte) pos;
    }

    private static boolean isLegacyPrefix(int b) {
        return switch (b) {
            case 0xf0, 0xf2, 0xf3, 0x66, 0x67, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 -> true;
            default -> false;
        };
    }

    private void modrm(Instruction in, int rex) {
        int modrm = next();
        int mod = modrm >> 6;
        int rmLow = modrm & 7;
        in.mod = (byte) mod;
        in.regField = (byte) ((modrm >> 3) & 7);
        in.reg = (byte) (in.regField | ((rex & 4) << 1));
        in.rm = (byte) (rmLow | ((rex & 1) << 3));
        if (mod == 3) return;
        if (rmLow == 4) {
            int sib = next();
            in.scale = (byte) (sib >> 6);
            int idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
            in.index = (byte) (idx == 4 ? NONE : idx); // index 100b without REX.X means none; r12 is a real index
            int b = sib & 7;
            if (b == 5 && mod == 0) {
                in.base = NONE;
                in.disp = nextSigned(4);
            } else {
                in.base = (byte) (b | ((rex & 1) << 3));
            }
        } else if (rmLow == 5 && mod == 0) {
            in.base = BASE_RIP;
            in.disp = nextSigned(4);
        } else {
            in.base = in.rm;
        }
        if (mod == 1) in.disp = nextSigned(1);
        else if (mod == 2) in.disp = nextSigned(4);
    }

    private void immediate(Instruction in, int kind) {
        in.imm = 0;
        in.imm2 = 0;
        switch (kind) {
            case OpcodeTable.IB -> in.imm = nextSigned(1);
            case OpcodeTable.IW -> in.imm = nextSigned(2) & 0xffff;
            case OpcodeTable.IZ -> in.imm = nextSigned(in.opSize == 2 ? 2 : 4);
            case OpcodeTable.IV -> in.imm = nextSigned(in.opSize);
            case OpcodeTable.IW_IB -> {
                in.imm = nextSigned(2) & 0xffff;
                in.imm2 = next();
            }
            case OpcodeTable.MOFFS -> in.imm = nextSigned(in.addrSize) & Flags.mask(in.addrSize);
            default -> { }
        }
    }
}
