package dev.jux.platform.interp;

import org.junit.jupiter.api.Test;

/**
 * Every lockable instruction with its LOCK prefix (and XCHG, locked implicitly) on memory that
 * starts as RAX, compared with the host CPU: results, flags and memory must be those of the
 * unlocked instruction, whether the interpreter commits it by compare-and-set on one aligned
 * word ({@link LockedAccess}, also on the tests' {@link FlatMemory}) or, for an operand that
 * crosses an aligned 8-byte word (not a cache line, so the host does not trap it), under the
 * global lock.
 */
class LockedInstructionTest {
    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor"};
    /** mov [rsi],rax; mov [rsi+8],rbx: the memory operand starts as RAX, the next word as RBX. */
    private static final String STORE = "488906" + "48895e08";

    /** ModRM (and disp8) for [rsi+disp] with {@code reg} in the reg field. */
    private static String rsi(int reg, int disp) {
        if (disp == 0) return String.format("%02x", (reg << 3) | 6);
        return String.format("%02x%02x", 0x40 | (reg << 3) | 6, disp & 0xff);
    }

    @Test
    void aluWithRegisterAndImmediate() {
        CaseBuilder b = new CaseBuilder();
        for (int op = 0; op < 7; op++) {
            String byteOp = String.format("%02x", op * 8), wordOp = String.format("%02x", op * 8 + 1);
            String n = "lock " + ALU[op];
            b.pairs(n + " [rsi+5],bl", STORE + "f0" + byteOp + rsi(3, 5));
            b.pairs(n + " [rsi+2],bx", STORE + "66f0" + wordOp + rsi(3, 2));
            b.pairs(n + " [rsi+4],ebx", STORE + "f0" + wordOp + rsi(3, 4));
            b.pairs(n + " [rsi],rbx", STORE + "f048" + wordOp + rsi(3, 0));
            b.pairs(n + " qword [rsi],-3", STORE + "f04883" + rsi(op, 0) + "fd");
            b.pairs(n + " byte [rsi+7],0x81", STORE + "f080" + rsi(op, 7) + "81");
            b.pairs(n + " [rsi+6],ebx (split)", STORE + "f0" + wordOp + rsi(3, 6));
        }
        b.check();
    }

    @Test
    void unaryForms() {
        CaseBuilder b = new CaseBuilder();
        String[] names = {"inc", "dec", "", "", "not", "neg"};
        for (int i : new int[] {0, 1, 4, 5}) {
            String n = "lock " + names[i];
            int sub = i < 2 ? i : i - 2;   // FE/FF /0 /1; F6/F7 /2 /3
            String small = i < 2 ? "fe" : "f6", big = i < 2 ? "ff" : "f7";
            b.pairs(n + " byte [rsi+1]", STORE + "f0" + small + rsi(sub, 1));
            b.pairs(n + " word [rsi+6]", STORE + "66f0" + big + rsi(sub, 6));
            b.pairs(n + " dword [rsi]", STORE + "f0" + big + rsi(sub, 0));
            b.pairs(n + " qword [rsi]", STORE + "f048" + big + rsi(sub, 0));
            b.pairs(n + " qword [rsi+4] (split)", STORE + "f048" + big + rsi(sub, 4));
        }
        b.check();
    }

    @Test
    void exchangesAndCompareExchanges() {
        CaseBuilder b = new CaseBuilder();
        b.pairs("xchg [rsi],bl", STORE + "86" + rsi(3, 0));
        b.pairs("xchg [rsi+2],bx", STORE + "6687" + rsi(3, 2));
        b.pairs("lock xchg [rsi],rbx", STORE + "f04887" + rsi(3, 0));
        b.pairs("xchg [rsi+6],ebx (split)", STORE + "87" + rsi(3, 6));
        b.pairs("lock xadd [rsi+3],bl", STORE + "f00fc0" + rsi(3, 3));
        b.pairs("lock xadd [rsi+4],ebx", STORE + "f00fc1" + rsi(3, 4));
        b.pairs("lock xadd [rsi],rbx", STORE + "f0480fc1" + rsi(3, 0));
        // RAX = memory (the compare matches) and RAX != memory (it fails and writes back).
        b.pairs("lock cmpxchg [rsi],rbx", STORE + "f0480fb1" + rsi(3, 0));
        b.pairs("lock cmpxchg [rsi+8],rbx (fails unless rax==rbx)", STORE + "f0480fb1" + rsi(3, 8));
        b.pairs("lock cmpxchg [rsi+1],bl", STORE + "f00fb0" + rsi(3, 1));
        b.pairs("lock cmpxchg [rsi+4],ebx", STORE + "f00fb1" + rsi(3, 4));
        b.pairs("lock cmpxchg [rsi+2],bx", STORE + "66f00fb1" + rsi(3, 2));
        b.pairs("lock cmpxchg [rsi+5],ebx (split)", STORE + "f00fb1" + rsi(3, 5));
        // CMPXCHG8B against [rsi] (= RAX) and [rsi+8] (= RBX = RDX): EDX:EAX compared.
        b.pairs("lock cmpxchg8b [rsi]", STORE + "f00fc7" + rsi(1, 0));
        b.pairs("lock cmpxchg8b [rsi+8]", STORE + "f00fc7" + rsi(1, 8));
        b.pairs("mov rdx,rax; shr rdx,32; lock cmpxchg8b [rsi] (matches)", STORE + "4889c248c1ea20" + "f00fc7" + rsi(1, 0));
        b.pairs("lock cmpxchg16b [rsi]", STORE + "f0480fc7" + rsi(1, 0));
        b.check();
    }

    @Test
    void bitTestAndModify() {
        CaseBuilder b = new CaseBuilder();
        String[] names = {"bts", "btr", "btc"};
        String[] regOps = {"ab", "b3", "bb"};
        for (int k = 0; k < 3; k++) {
            String n = "lock " + names[k];
            // The register offset reaches words around [rsi]: and rbx,0x7f; sub rbx,64 -> -64..63.
            String offset = "4883e37f" + "4883eb40";
            b.pairs(n + " [rsi+8],rbx (offset -64..63)", STORE + offset + "f0480f" + regOps[k] + rsi(3, 8));
            b.pairs(n + " [rsi+8],ebx", STORE + offset + "f00f" + regOps[k] + rsi(3, 8));
            b.pairs(n + " [rsi+8],bx", STORE + offset + "66f00f" + regOps[k] + rsi(3, 8));
            b.pairs(n + " qword [rsi],45", STORE + "f0480fba" + rsi(5 + k, 0) + "2d");
            b.pairs(n + " word [rsi+2],13", STORE + "66f00fba" + rsi(5 + k, 2) + "0d");
            b.pairs(n + " dword [rsi+6],3 (split)", STORE + "f00fba" + rsi(5 + k, 6) + "03");
        }
        b.check();
    }
}
