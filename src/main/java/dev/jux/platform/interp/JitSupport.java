package dev.jux.platform.interp;

/** Out-of-line helpers that translated blocks call. */
public final class JitSupport {
    private JitSupport() {}

    /**
     * The store of a read-modify-write whose flags are already in RFLAGS: if it faults (a
     * read-only or copy-on-write page), RFLAGS goes back to what it was before the
     * instruction, so the instruction can be restarted after the kernel handles the fault.
     */
    public static void storeRestoringFlags(Memory m, Cpu c, long addr, int size, long v, long flagsBefore) {
        try {
            m.write(addr, size, v);
        } catch (CpuFault f) {
            c.rflags = flagsBefore;
            throw f;
        }
    }
}
