package dev.jux.syscall;

/**
 * The six raw argument registers of a system call, with typed views. Linux truncates int
 * arguments to their low 32 bits, so {@link #i(int)} does too.
 */
public record Args(long a0, long a1, long a2, long a3, long a4, long a5) {
    public long get(int n) {
        return switch (n) {
            case 0 -> a0;
            case 1 -> a1;
            case 2 -> a2;
            case 3 -> a3;
            case 4 -> a4;
            case 5 -> a5;
            default -> throw new IllegalArgumentException("argument " + n);
        };
    }

    /** An int argument (fd, flags, signal number): the low 32 bits, sign-extended. */
    public int i(int n) {
        return (int) get(n);
    }

    public long[] toArray() {
        return new long[] {a0, a1, a2, a3, a4, a5};
    }
}
