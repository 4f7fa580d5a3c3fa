package dev.jux.platform.interp;

/**
 * The x87 FPU state: eight physical registers with their empty/valid tags, the stack top, the
 * status word (condition codes, exception flags) and the control word (masks, precision and
 * rounding control). ST(i) is physical register (top + i) mod 8.
 */
public final class X87 {
    static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 0x10, PE = 0x20, SF = 0x40, ES = 0x80,
            C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000, BUSY = 0x8000;
    static final int DEFAULT_CW = 0x037f;

    final Float80[] regs = new Float80[8];
    /** Bit i set: physical register i holds a value (not empty). */
    int valid;
    int top;
    /** The status word without its TOP field. */
    int sw;
    int cw = DEFAULT_CW;

    X87() {
        for (int i = 0; i < 8; i++) regs[i] = Float80.POS_ZERO;
    }

    /** FNINIT. */
    void init() {
        cw = DEFAULT_CW;
        sw = 0;
        top = 0;
        valid = 0;
    }

    /** The status word as FNSTSW stores it. */
    int statusWord() {
        return (sw & ~0x3800) | (top << 11);
    }

    void setStatusWord(int v) {
        sw = v & ~0x3800;
        top = (v >> 11) & 7;
    }

    int phys(int i) {
        return (top + i) & 7;
    }

    boolean isEmpty(int i) {
        return (valid & (1 << phys(i))) == 0;
    }

    /** ST(i); an empty register is a stack underflow: IE|SF with C1 clear, and reads as the indefinite. */
    Float80 st(int i) {
        int p = phys(i);
        if ((valid & (1 << p)) == 0) {
            raise(IE | SF);
            sw &= ~C1;
            return Float80.INDEFINITE;
        }
        return regs[p];
    }

    void set(int i, Float80 v) {
        int p = phys(i);
        regs[p] = v;
        valid |= 1 << p;
    }

    /** Pushes a value; a full stack (ST(7) valid) is an overflow: IE|SF|C1 and the indefinite is pushed. */
    void push(Float80 v) {
        int p = (top - 1) & 7;
        if ((valid & (1 << p)) != 0) {
            raise(IE | SF);
            sw |= C1;
            v = Float80.INDEFINITE;
        }
        top = p;
        regs[p] = v;
        valid |= 1 << p;
    }

    void pop() {
        valid &= ~(1 << top);
        top = (top + 1) & 7;
    }

    /** Records exception flags; an unmasked one also sets ES and B (the fault waits for the next FWAIT). */
    void raise(int flags) {
        sw |= flags & 0x7f;
        if ((flags & ~cw & 0x3f) != 0) sw |= ES | BUSY;
    }

    int roundingMode() {
        return (cw >> 10) & 3;
    }

    /** Significand bits per the precision control: 24, 53 or 64 (the reserved value 1 acts as 64). */
    int precision() {
        return switch ((cw >> 8) & 3) {
            case 0 -> 24;
            case 2 -> 53;
            default -> 64;
        };
    }

    /** The full tag word (FSTENV/FSAVE): 00 valid, 01 zero, 10 special, 11 empty, per physical register. */
    int tagWord() {
        int t = 0;
        for (int p = 0; p < 8; p++) {
            int tag;
            if ((valid & (1 << p)) == 0) tag = 3;
            else if (regs[p].isZero()) tag = 1;
            else if (regs[p].exponent() == 0x7fff || regs[p].exponent() == 0 || regs[p].m() >= 0) tag = 2;
            else tag = 0;
            t |= tag << (2 * p);
        }
        return t;
    }

    void setTagWord(int t) {
        valid = 0;
        for (int p = 0; p < 8; p++) if (((t >> (2 * p)) & 3) != 3) valid |= 1 << p;
    }
}
