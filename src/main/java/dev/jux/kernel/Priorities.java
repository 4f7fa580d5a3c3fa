package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Rlimit;
import java.util.ArrayList;
import java.util.List;

/**
 * getpriority/setpriority (kernel/sys.c) and the permission rules sched_setscheduler shares
 * with them. Nice values are per thread, as on Linux: PRIO_PROCESS names one thread by tid,
 * PRIO_PGRP every thread of the group's processes, PRIO_USER every thread whose real uid matches.
 */
public final class Priorities {
    private Priorities() {}

    public static final int PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

    /** getpriority: 20 - the lowest nice among the targets (1..40, the raw syscall's convention). */
    public static int get(Task caller, int which, int who) {
        int best = -1;
        for (Task t : targets(caller, which, who)) best = Math.max(best, 20 - t.sched().nice());
        if (best < 0) throw new LinuxException(Errno.ESRCH);
        return best;
    }

    /**
     * setpriority: the value is clamped to -20..19; each target needs the same owner (EPERM)
     * and, to lower its nice value, RLIMIT_NICE room or root (EACCES). The last failure wins,
     * a success clears ESRCH only (set_one_prio).
     */
    public static void set(Task caller, int which, int who, int nice) {
        int value = Math.max(SchedState.MIN_NICE, Math.min(SchedState.MAX_NICE, nice));
        Errno error = Errno.ESRCH;
        for (Task t : targets(caller, which, who)) {
            if (!sameOwner(caller, t)) {
                error = Errno.EPERM;
                continue;
            }
            if (value < t.sched().nice() && !canNice(caller, t, value)) {
                error = Errno.EACCES;
                continue;
            }
            if (error == Errno.ESRCH) error = null;
            t.sched().setNice(value);
        }
        if (error != null) throw new LinuxException(error);
    }

    /** set_one_prio_perm / check_same_owner: the caller's euid is the target's uid or euid, or the caller is root. */
    public static boolean sameOwner(Task caller, Task target) {
        Credentials c = caller.group().credentials(), p = target.group().credentials();
        return c.isRoot() || c.euid() == p.uid() || c.euid() == p.euid();
    }

    /** can_nice: root, or 20 - nice within the target's RLIMIT_NICE. */
    public static boolean canNice(Task caller, Task target, int nice) {
        return caller.group().credentials().isRoot()
                || Long.compareUnsigned(20 - nice, target.group().limits().soft(Rlimit.RLIMIT_NICE)) <= 0;
    }

    /** The tasks PRIO_PROCESS/PGRP/USER (who 0: the caller's own) name; EINVAL for another {@code which}. */
    static List<Task> targets(Task caller, int which, int who) {
        Kernel k = caller.kernel();
        List<Task> out = new ArrayList<>();
        switch (which) {
            case PRIO_PROCESS -> {
                Task t = who == 0 ? caller : k.task(who);
                if (t != null) out.add(t);
            }
            case PRIO_PGRP -> {
                int pgrp = who == 0 ? caller.group().processGroup() : who;
                for (ThreadGroup g : k.processes()) if (g.processGroup() == pgrp) out.addAll(g.tasks());
            }
            case PRIO_USER -> {
                int uid = who == 0 ? caller.group().credentials().uid() : who;
                for (ThreadGroup g : k.processes()) if (g.credentials().uid() == uid) out.addAll(g.tasks());
            }
            default -> throw new LinuxException(Errno.EINVAL);
        }
        return out;
    }
}
