package dev.jux.platform.interp;

import static dev.jux.platform.interp.Flags.*;

/**
 * The two-operand arithmetic and logic group (ADD OR ADC SBB AND SUB XOR CMP, in the order of
 * their opcode rows and ModRM.reg numbers) and INC, DEC, NEG. Each returns the result masked to
 * the operand size and leaves all six status flags in {@link Cpu#rflags} as hardware does.
 */
final class Alu {
    static final int ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7;

    private Alu() {}

    static long op(Cpu c, int op, long a, long b, int size) {
        return switch (op) {
            case ADD -> add(c, a, b, 0, size);
            case OR -> logic(c, a | b, size);
            case ADC -> add(c, a, b, c.rflags & CF, size);
            case SBB -> sub(c, a, b, c.rflags & CF, size);
            case AND -> logic(c, a & b, size);
            case XOR -> logic(c, a ^ b, size);
            default -> sub(c, a, b, 0, size); // SUB, CMP
        };
    }

    static long add(Cpu c, long a, long b, long carry, int size) {
        long m = mask(size);
        a &= m;
        b &= m;
        long r = (a + b + carry) & m;
        // Carry out of the top bit, from the bits that generate or propagate it.
        long cf = sign((a & b) | ((a | b) & ~r), size);
        long of = sign((a ^ r) & (b ^ r), size);
        setStatus(c, r, size, cf, of, (a ^ b ^ r) & AF);
        return r;
    }

    static long sub(Cpu c, long a, long b, long borrow, int size) {
        long m = mask(size);
        a &= m;
        b &= m;
        long r = (a - b - borrow) & m;
        long cf = sign((~a & b) | (~(a ^ b) & r), size);
        long of = sign((a ^ b) & (a ^ r), size);
        setStatus(c, r, size, cf, of, (a ^ b ^ r) & AF);
        return r;
    }

    /** AND, OR, XOR, TEST: CF and OF cleared; AF (undefined) is cleared, as this CPU does. */
    static long logic(Cpu c, long r, int size) {
        r &= mask(size);
        setStatus(c, r, size, 0, 0, 0);
        return r;
    }

    /** INC and DEC leave CF alone. */
    static long inc(Cpu c, long a, int size) {
        long cf = c.rflags & CF;
        long r = add(c, a, 1, 0, size);
        c.rflags = (c.rflags & ~CF) | cf;
        return r;
    }

    static long dec(Cpu c, long a, int size) {
        long cf = c.rflags & CF;
        long r = sub(c, a, 1, 0, size);
        c.rflags = (c.rflags & ~CF) | cf;
        return r;
    }

    static long neg(Cpu c, long a, int size) {
        return sub(c, 0, a, 0, size);
    }

    static void setStatus(Cpu c, long r, int size, long cf, long of, long af) {
        c.rflags = (c.rflags & ~STATUS) | szp(r, size) | cf | (of != 0 ? OF : 0) | af;
    }
}
