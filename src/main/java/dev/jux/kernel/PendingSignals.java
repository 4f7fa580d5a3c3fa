package dev.jux.kernel;

import dev.jux.abi.SigInfo;

/**
 * Signals queued for a thread (tgkill, faults) or for a whole process (kill), each with the
 * siginfo of its first sending. A standard signal already pending is not queued twice, as on
 * Linux; real-time signals should queue every instance, which comes with issue 4.
 */
final class PendingSignals {
    /** Changed under the lock; volatile so that {@link #set()}, asked after every system call, takes none. */
    private volatile long set;
    private final SigInfo[] info = new SigInfo[65];

    /** Queues {@code si}; false if that signal was already pending. */
    synchronized boolean add(SigInfo si) {
        int n = si.signal().number();
        if (SignalSet.contains(set, n)) return false;
        set |= SignalSet.bit(n);
        info[n] = si;
        return true;
    }

    synchronized void discard(int n) {
        set &= ~SignalSet.bit(n);
        info[n] = null;
    }

    long set() {
        return set;
    }

    /** Removes and returns the lowest-numbered pending signal in {@code allowed}, or null. */
    synchronized SigInfo take(long allowed) {
        int n = SignalSet.lowest(set & allowed);
        if (n == 0) return null;
        set &= ~SignalSet.bit(n);
        SigInfo si = info[n];
        info[n] = null;
        return si;
    }

    /** Drops the pending signals in {@code mask} (SIGCONT discards pending stops, and back). */
    synchronized void discard(long mask) {
        for (int n = SignalSet.lowest(set & mask); n != 0; n = SignalSet.lowest(set & mask)) {
            set &= ~SignalSet.bit(n);
            info[n] = null;
        }
    }
}
