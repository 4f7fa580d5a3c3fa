package dev.jux.syscall.strace;

import dev.jux.abi.Errno;

/**
 * One finished system call as the decoders see it: the number, the six argument registers
 * (rdi, rsi, rdx, r10, r8, r9), the raw result (negative errno on failure) and the memory.
 */
record Call(int nr, long[] args, long result, GuestMemory mem) {
    /** Argument {@code i} as the full 64-bit register. */
    long arg(int i) {
        return args[i];
    }

    /** Argument {@code i} as a C int (fds, pids, signal numbers): the low 32 bits, signed. */
    int intArg(int i) {
        return (int) args[i];
    }

    /** True if the call failed: the result is an errno. */
    boolean failed() {
        return Errno.isError(result);
    }

    /** The errno of a failed call, or 0. */
    int errno() {
        return failed() ? (int) -result : 0;
    }
}
