package dev.jux.wait;

import java.util.function.BooleanSupplier;

/**
 * The wait of poll, select and epoll_wait: scan the files (registering on their wait queues
 * through one {@link PollTable}), sleep until one of them wakes the waiter, scan again...
 * until something is ready, the deadline passes or a signal comes. If some file's readiness
 * is only known to the host (Jux's standard streams), nothing will wake the waiter for it, so
 * the sleep is cut into {@link #HOST_POLL_SLICE_NANOS} slices and the scan repeated: a
 * guest file still wakes the task at once, a host fd is noticed within a slice. (A helper
 * thread blocking in the host's poll could wake the task at once; the slices are simpler and
 * cost a scan every 10 ms only while a task waits on a host fd.)
 */
public final class ReadinessWait {
    private ReadinessWait() {}

    public static final long HOST_POLL_SLICE_NANOS = 10_000_000L;

    /** One pass over the watched files: writes their results somewhere and returns how many are ready. */
    @FunctionalInterface
    public interface Scan {
        int readyCount(PollTable table);
    }

    /** What {@link #await} returns when a signal ended the wait. */
    public static final int INTERRUPTED = -1;

    /**
     * Scans until something is ready: returns the last scan's count, 0 at the deadline
     * ({@link Waiter#FOREVER} for none; a deadline already passed scans once), or
     * {@link #INTERRUPTED} if a signal needs delivering and nothing was ready. The last scan's
     * results are the ones to report.
     */
    public static int await(Waiter waiter, Scan scan, long deadline) {
        try (PollTable table = new PollTable(waiter)) {
            int[] count = {scan.readyCount(table)};
            if (count[0] > 0) return count[0];
            BooleanSupplier ready = () -> (count[0] = scan.readyCount(table)) > 0;
            while (true) {
                long until = table.isPolling() ? Math.min(deadline, System.nanoTime() + HOST_POLL_SLICE_NANOS) : deadline;
                switch (waiter.block(ready, until)) {
                    case READY -> {
                        return count[0];
                    }
                    case INTERRUPTED -> {
                        return INTERRUPTED;
                    }
                    case TIMED_OUT -> {
                        if (until == deadline) return 0;
                    }
                }
            }
        }
    }
}
