package dev.jux.mm;

/**
 * The resource limits an address space is checked against, in bytes, unsigned (-1 is
 * RLIM_INFINITY): the owning process's soft RLIMIT_AS, RLIMIT_DATA and RLIMIT_STACK, read
 * each time (setrlimit changes them).
 */
public interface MemoryLimits {
    long addressSpace();

    long data();

    long stack();

    /** No limits: the stack may grow 8 MiB, as with Linux's default RLIMIT_STACK. */
    MemoryLimits NONE = new MemoryLimits() {
        @Override public long addressSpace() { return -1; }
        @Override public long data() { return -1; }
        @Override public long stack() { return 8L << 20; }
    };
}
