package dev.jux.platform;

/**
 * One guest thread's CPU: its user registers and a way to run guest code until a trap. A
 * context is bound to the Java thread that first runs it; only {@link #kick()} may be called
 * from other threads.
 */
public interface Context extends AutoCloseable {
    /** The user registers; read and change them between runs. */
    UserRegisters registers();

    /** Switches this CPU to the address space whose top-level page table is at {@code pml4}. */
    void setPageTableRoot(long pml4);

    /** Runs guest code from {@link #registers()} until the next trap. */
    Trap run();

    /**
     * The thread's x87/SSE/AVX state as the standard (non-compacted) XSAVE image: the 512-byte
     * legacy FXSAVE region (FCW at 0, MXCSR at 24, ST0-7 at 32, XMM0-15 at 160), the 64-byte
     * XSAVE header at 512 (XSTATE_BV at 512, XCOMP_BV at 520, must be 0), then each enabled
     * component at its CPUID leaf 0xD offset (AVX's upper halves at 576...). Its length is the
     * size of the components in {@link #extendedFeatures()}, what Linux calls the user xstate size.
     */
    byte[] extendedState();

    /**
     * Loads an image laid out as {@link #extendedState()} gives it (shorter images leave the
     * rest in its initial state). Throws IllegalArgumentException if the CPU would refuse it
     * (XSTATE_BV naming a disabled component, XCOMP_BV or reserved header bytes set, MXCSR
     * reserved bits set), as XRSTOR faults on such images.
     */
    void setExtendedState(byte[] image);

    /** The state components the thread runs with (XCR0): bit 0 x87, 1 SSE, 2 AVX, 5-7 AVX-512. */
    long extendedFeatures();

    /** Makes a running (or about to run) {@link #run()} return {@link Trap.Kind#INTERRUPTED} soon. Any thread. */
    void kick();

    @Override
    void close();
}
