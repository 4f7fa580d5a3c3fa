package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.util.List;

/**
 * ioprio_get/ioprio_set (block/ioprio.c), per thread as on Linux. An I/O priority is a class
 * (bits 13-15: NONE, RT, BE, IDLE), hint bits (3-12) and a level (0-2); Jux keeps and reports
 * it (fork and new threads copy it, as copy_io) but has no I/O scheduler that uses it.
 */
public final class IoPriorities {
    private IoPriorities() {}

    public static final int WHO_PROCESS = 1, WHO_PGRP = 2, WHO_USER = 3;
    static final int CLASS_NONE = 0, CLASS_RT = 1, CLASS_BE = 2, CLASS_IDLE = 3;
    private static final int CLASS_SHIFT = 13;

    /**
     * ioprio_get: for one thread the value it set (0 if never); for a group or a user the best
     * (numerically lowest) effective priority of their threads, where an unset one counts as
     * its nice value would make it (__get_task_ioprio: class from the policy, level
     * (nice + 20) / 5). ESRCH when nothing matches.
     */
    public static int get(Task caller, int which, int who) {
        List<Task> targets = targets(caller, which, who);
        if (targets.isEmpty()) throw new LinuxException(Errno.ESRCH);
        if (which == WHO_PROCESS) return targets.get(0).sched().ioPriority();
        int best = Integer.MAX_VALUE;
        for (Task t : targets) best = Math.min(best, effective(t.sched()));
        return best;
    }

    /**
     * ioprio_set: ioprio_check_cap first (RT needs CAP_SYS_NICE: EPERM; NONE with a level,
     * or a class past IDLE: EINVAL), then each target in turn, stopping at the first that is
     * another user's (EPERM: the target's real uid must be the caller's real or effective
     * uid, unless root). ESRCH when nothing matches.
     */
    public static void set(Task caller, int which, int who, int ioprio) {
        int cls = (ioprio >>> CLASS_SHIFT) & 7, level = ioprio & 7;
        switch (cls) {
            case CLASS_RT -> {
                if (!caller.group().credentials().isRoot()) throw new LinuxException(Errno.EPERM);
            }
            case CLASS_BE, CLASS_IDLE -> { }
            case CLASS_NONE -> {
                if (level != 0) throw new LinuxException(Errno.EINVAL);
            }
            default -> throw new LinuxException(Errno.EINVAL);
        }
        List<Task> targets = targets(caller, which, who);
        if (targets.isEmpty()) throw new LinuxException(Errno.ESRCH);
        Credentials c = caller.group().credentials();
        for (Task t : targets) {
            int targetUid = t.group().credentials().uid();
            if (targetUid != c.euid() && targetUid != c.uid() && !c.isRoot()) throw new LinuxException(Errno.EPERM);
            t.sched().setIoPriority(ioprio);
        }
    }

    private static List<Task> targets(Task caller, int which, int who) {
        return switch (which) {
            case WHO_PROCESS -> Priorities.targets(caller, Priorities.PRIO_PROCESS, who);
            case WHO_PGRP -> Priorities.targets(caller, Priorities.PRIO_PGRP, who);
            case WHO_USER -> Priorities.targets(caller, Priorities.PRIO_USER, who);
            default -> throw new LinuxException(Errno.EINVAL);
        };
    }

    /** The priority the thread's I/O would get: its own, or one derived from its scheduling policy and nice value. */
    private static int effective(SchedState s) {
        int set = s.ioPriority();
        if ((set >>> CLASS_SHIFT) != CLASS_NONE) return set;
        int policy = s.policy();
        int cls = policy == SchedState.SCHED_IDLE ? CLASS_IDLE : SchedState.isRealTime(policy) ? CLASS_RT : CLASS_BE;
        return cls << CLASS_SHIFT | (s.nice() + 20) / 5;
    }
}
