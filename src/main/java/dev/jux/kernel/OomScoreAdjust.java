package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;

/**
 * A process's oom_score_adj (signal_struct's oom_score_adj and oom_score_adj_min): how much the
 * OOM killer favours (up to 1000) or spares (down to -1000: never) it, in thousandths of RAM
 * added to its resident size. fork copies both; exec keeps them.
 */
public final class OomScoreAdjust {
    public static final int MIN = -1000, MAX = 1000;
    /** The legacy /proc/PID/oom_adj scale: -17 (OOM_DISABLE) to 15. */
    static final int LEGACY_DISABLE = -17, LEGACY_MAX = 15;

    private int value;
    /** The lowest value a process without CAP_SYS_RESOURCE may set (what a privileged writer last set). */
    private int floor;

    public synchronized int value() {
        return value;
    }

    /**
     * A write of /proc/PID/oom_score_adj (__set_oom_adj): lowering below the floor (through the
     * legacy oom_adj: below the current value) needs CAP_SYS_RESOURCE (EACCES); a privileged
     * write of the new interface moves the floor too.
     */
    public synchronized void set(int adj, boolean legacy, boolean privileged) {
        if (adj < (legacy ? value : floor) && !privileged) throw new LinuxException(Errno.EACCES);
        value = adj;
        if (!legacy && privileged) floor = adj;
    }

    /** oom_adj_write: -17..15, scaled to oom_score_adj (15 is 1000, -17 is -1000). */
    public void setLegacy(int oomAdj, boolean privileged) {
        if (oomAdj < LEGACY_DISABLE || oomAdj > LEGACY_MAX) throw new LinuxException(Errno.EINVAL);
        int adj = oomAdj == LEGACY_MAX ? MAX : oomAdj * MAX / -LEGACY_DISABLE;
        set(adj, true, privileged);
    }

    /** oom_adj_read: 1000 reads as 15, the rest scaled down to -17..15. */
    public int legacy() {
        int adj = value();
        return adj == MAX ? LEGACY_MAX : adj * -LEGACY_DISABLE / MAX;
    }

    synchronized void inheritFrom(OomScoreAdjust parent) {
        synchronized (parent) {
            value = parent.value;
            floor = parent.floor;
        }
    }

    /**
     * oom_badness: resident pages plus adj thousandths of all RAM; Long.MIN_VALUE for a
     * process the killer never takes (adj -1000).
     */
    static long badness(long residentPages, int adj, long totalPages) {
        if (adj == MIN) return Long.MIN_VALUE;
        return residentPages + adj * (totalPages / 1000);
    }

    /** /proc/PID/oom_score (proc_oom_score): badness scaled to 0..1333; 0 for the unkillable. */
    static long score(long residentPages, int adj, long totalPages, boolean unkillable) {
        long badness = unkillable ? Long.MIN_VALUE : badness(residentPages, adj, totalPages);
        if (badness == Long.MIN_VALUE || totalPages <= 0) return 0;
        return Math.max(0, (1000 + badness * 1000 / totalPages) * 2 / 3);
    }
}
