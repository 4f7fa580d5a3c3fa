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

    /** Makes a running (or about to run) {@link #run()} return {@link Trap.Kind#INTERRUPTED} soon. Any thread. */
    void kick();

    @Override
    void close();
}
