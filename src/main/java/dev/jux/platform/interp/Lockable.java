package dev.jux.platform.interp;

/**
 * Which instructions accept a LOCK prefix: the read-modify-write ones, and only with a memory
 * destination. LOCK anywhere else is #UD.
 */
final class Lockable {
    private Lockable() {}

    static boolean allowed(Instruction in) {
        if (!in.isMemory()) return false;
        int op = in.opcode, sub = in.regField;
        if (op < 0x40) return (op & 7) < 2 && (op >> 3) != Alu.CMP;
        return switch (op) {
            case 0x80, 0x81, 0x83 -> sub != Alu.CMP;
            case 0x86, 0x87 -> true;
            case 0xf6, 0xf7 -> sub == 2 || sub == 3;
            case 0xfe, 0xff -> sub < 2;
            case 0x1ab, 0x1b3, 0x1bb, 0x1b0, 0x1b1, 0x1c0, 0x1c1 -> true;
            case 0x1ba -> sub >= 5;
            case 0x1c7 -> sub == 1;
            default -> false;
        };
    }
}
