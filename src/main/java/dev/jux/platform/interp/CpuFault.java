package dev.jux.platform.interp;

import dev.jux.platform.Trap;

/**
 * A CPU exception raised while decoding or executing one instruction. The instruction has not
 * retired: RIP still points at it. Thrown rather than returned so that the memory interface
 * can raise page faults from deep inside an instruction; it carries no stack trace because
 * faults are ordinary guest events, not interpreter bugs.
 */
public final class CpuFault extends RuntimeException {
    public final int vector;
    public final long errorCode;
    public final long address;

    public CpuFault(int vector, long errorCode, long address) {
        super("vector " + vector, null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
        this.address = address;
    }

    public static CpuFault ud() {
        return new CpuFault(Trap.UD, 0, 0);
    }

    public static CpuFault gp() {
        return new CpuFault(Trap.GP, 0, 0);
    }

    public static CpuFault de() {
        return new CpuFault(Trap.DE, 0, 0);
    }

    public static CpuFault pageFault(long errorCode, long address) {
        return new CpuFault(Trap.PF, errorCode, address);
    }

    public Trap toTrap() {
        return Trap.exception(vector, errorCode, address);
    }
}
