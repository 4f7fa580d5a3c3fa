package dev.jux.kernel;

/**
 * One thread's scheduling attributes, as Linux keeps them in task_struct: the policy
 * (SCHED_OTHER, FIFO, RR, BATCH, IDLE), the real-time priority, the nice value, the
 * reset-on-fork bit and the CPU affinity mask. Jux keeps and reports them; the host schedules
 * the threads (priorities are nominal), and the CPUs a thread may use are those of
 * {@link Kernel#cpuCount()} (at most 64).
 */
public final class SchedState {
    public static final int SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3,
            SCHED_IDLE = 5, SCHED_DEADLINE = 6;
    public static final int SCHED_RESET_ON_FORK = 0x40000000;
    public static final int MIN_NICE = -20, MAX_NICE = 19;
    /** MAX_RT_PRIO - 1. */
    public static final int MAX_RT_PRIORITY = 99;

    /** Every CPU: a new thread may run anywhere (cpu_possible_mask). */
    private long affinity = -1L;
    private int policy = SCHED_OTHER;
    private int rtPriority;
    private int nice;
    private boolean resetOnFork;
    /** ioprio_set's value as given (16 bits: class, hints, level); 0 = never set (IOPRIO_CLASS_NONE). */
    private int ioPriority;

    public static boolean isRealTime(int policy) {
        return policy == SCHED_FIFO || policy == SCHED_RR;
    }

    public static boolean isValidPolicy(int policy) {
        return policy == SCHED_OTHER || isRealTime(policy) || policy == SCHED_BATCH
                || policy == SCHED_IDLE || policy == SCHED_DEADLINE;
    }

    /** The affinity as set, one bit per CPU (the caller intersects it with the online CPUs). */
    public synchronized long affinity() {
        return affinity;
    }

    public synchronized void setAffinity(long mask) {
        affinity = mask;
    }

    public synchronized int policy() {
        return policy;
    }

    public synchronized int rtPriority() {
        return rtPriority;
    }

    public synchronized int nice() {
        return nice;
    }

    public synchronized boolean resetOnFork() {
        return resetOnFork;
    }

    public synchronized int ioPriority() {
        return ioPriority;
    }

    public synchronized void setIoPriority(int value) {
        ioPriority = value & 0xffff;
    }

    public synchronized void setNice(int value) {
        nice = Math.max(MIN_NICE, Math.min(MAX_NICE, value));
    }

    public synchronized void setPolicy(int policy, int rtPriority, boolean resetOnFork) {
        this.policy = policy;
        this.rtPriority = rtPriority;
        this.resetOnFork = resetOnFork;
    }

    /**
     * /proc/PID/stat's priority field (task_prio): 20 + nice for the fair classes, -1 - the
     * real-time priority for FIFO and RR.
     */
    public synchronized int procPriority() {
        return isRealTime(policy) ? -1 - rtPriority : 20 + nice;
    }

    /**
     * The CPU the thread is said to run on (getcpu, /proc stat's processor): the k-th CPU of
     * its mask within {@code online}, k = tid mod the mask's size, so threads spread over their
     * CPUs and each stays on one.
     */
    public int cpuFor(int tid, long online) {
        long mask = affinity() & online;
        if (mask == 0) return 0;
        int k = Math.floorMod(tid, Long.bitCount(mask));
        for (int i = 0; i < k; i++) mask &= mask - 1;
        return Long.numberOfTrailingZeros(mask);
    }

    /**
     * sched_fork: a new thread or process copies the parent's attributes, except that a set
     * reset-on-fork bit gives it SCHED_OTHER (from FIFO/RR/DEADLINE) or nice 0 (from a negative
     * nice) and is itself cleared.
     */
    void inheritFrom(SchedState parent) {
        long a;
        int p, r, n, io;
        boolean reset;
        synchronized (parent) {
            io = parent.ioPriority;   // copy_io: a new task copies a set I/O priority
            a = parent.affinity;
            p = parent.policy;
            r = parent.rtPriority;
            n = parent.nice;
            reset = parent.resetOnFork;
        }
        if (reset) {
            if (isRealTime(p) || p == SCHED_DEADLINE) {
                p = SCHED_OTHER;
                r = 0;
                n = 0;
            } else if (n < 0) {
                n = 0;
            }
        }
        synchronized (this) {
            affinity = a;
            policy = p;
            rtPriority = r;
            nice = n;
            ioPriority = io;
            resetOnFork = false;
        }
    }
}
