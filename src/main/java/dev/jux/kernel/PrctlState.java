package dev.jux.kernel;

/** The per-process settings prctl(2) records (Linux keeps some per thread; Jux has one thread per process so far). */
public final class PrctlState {
    /** Linux's default timer slack: 50 us. */
    public static final long DEFAULT_TIMER_SLACK = 50_000;

    public volatile int dumpable = 1;
    public volatile int parentDeathSignal;
    public volatile boolean noNewPrivs;
    public volatile boolean childSubreaper;
    public volatile long timerSlackNanos = DEFAULT_TIMER_SLACK;

    /**
     * fork(2)'s inheritance: dumpable, no_new_privs and the timer slack carry over; the
     * parent-death signal does not (it is cleared in the child), nor is the child a subreaper.
     */
    void inheritFrom(PrctlState parent) {
        dumpable = parent.dumpable;
        noNewPrivs = parent.noNewPrivs;
        timerSlackNanos = parent.timerSlackNanos;
    }
}
