package dev.jux.syscall;

/** How completely Jux implements a system call; docs/syscalls.md is generated from these. */
public enum Support {
    /** Behaves as on Linux, error cases included. */
    FULL,
    /** Works for the common cases; the entry's note says what is missing. */
    PARTIAL,
    /** Always fails with a fixed errno (e.g. ENOSYS) that programs are known to cope with. */
    ERROR
}
