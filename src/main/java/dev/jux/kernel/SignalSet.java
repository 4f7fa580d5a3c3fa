package dev.jux.kernel;

/** A set of signals 1..64 as the 64-bit mask Linux uses (bit n-1 for signal n). */
public final class SignalSet {
    private SignalSet() {}

    /** SIGKILL and SIGSTOP can never be blocked, caught or ignored. */
    public static final long UNBLOCKABLE = bit(9) | bit(19);

    /** Signals a fault raises (SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV, SIGSYS): delivered first. */
    public static final long SYNCHRONOUS = bit(4) | bit(5) | bit(7) | bit(8) | bit(11) | bit(31);

    public static long bit(int signal) {
        return 1L << (signal - 1);
    }

    public static boolean contains(long set, int signal) {
        return (set & bit(signal)) != 0;
    }

    /** The lowest-numbered signal in the set, or 0 if empty (Linux delivers low numbers first). */
    public static int lowest(long set) {
        return set == 0 ? 0 : Long.numberOfTrailingZeros(set) + 1;
    }
}
