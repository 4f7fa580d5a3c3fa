package dev.jux.kernel;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * {@code jux run --cpus N}: at most N tasks run guest code at the same time. A task holds one
 * of N permits (a fair semaphore, so waiting tasks are served in arrival order) only while its
 * CPU runs guest code: from just before {@code Context.run()} until the trap comes back. System
 * calls, faults and every kernel wait (futex, read, poll, a stop) run without it, so a blocked
 * thread never keeps a runnable one off the CPUs. Guest code that makes no system call would
 * keep its permit forever; a slicer thread therefore kicks a task out of the guest once it has
 * held its permit for a time slice while others wait, and the kicked task queues again behind
 * them (Linux's preemption at the end of a slice). Without --cpus the gate is open: every task
 * runs on a vCPU of its own and the host schedules them.
 */
public final class CpuGate {
    /** Linux's sched_rr_get_interval for SCHED_RR (RR_TIMESLICE, 100 ms at HZ=1000) is longer; CFS slices are a few ms. */
    static final long SLICE_NANOS = 10_000_000L;

    private final int permits;
    private final Semaphore semaphore;
    /** The holders in guest code: how to kick each out, and the System.nanoTime() it entered at. */
    private record Holder(Runnable kick, long since) {}
    private final ConcurrentHashMap<Object, Holder> running = new ConcurrentHashMap<>();
    /** The most holders ever in guest code at once (tests check it never exceeds the permits). */
    private final java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Thread slicer;

    /** A gate with {@code permits} CPUs; 0 for an open gate. */
    CpuGate(int permits) {
        this.permits = permits;
        this.semaphore = permits > 0 ? new Semaphore(permits, true) : null;
    }

    boolean isOpen() {
        return semaphore == null;
    }

    /** Takes a CPU before running guest code; returns false (no CPU taken) if the task is to end instead. */
    boolean enter(Task task) {
        if (semaphore == null) return true;   // before making the two method references: this runs every system call
        return enter(task, task::kickCpu, task::isEnding);
    }

    /**
     * Takes a CPU for {@code holder}; {@code kick} makes it leave guest code at the end of its
     * slice. Returns false, without a CPU, if {@code ending} holds once one was free.
     */
    boolean enter(Object holder, Runnable kick, java.util.function.BooleanSupplier ending) {
        if (semaphore == null) return true;
        startSlicer();
        // Uninterruptible: a task killed while it waits gets a CPU within a slice (the
        // slicer keeps them moving) and then sees that it is ending.
        semaphore.acquireUninterruptibly();
        if (ending.getAsBoolean()) {
            semaphore.release();
            return false;
        }
        running.put(holder, new Holder(kick, System.nanoTime()));
        peak.accumulateAndGet(running.size(), Math::max);
        return true;
    }

    /** Gives the CPU back once the guest code has trapped. */
    void leave(Object holder) {
        if (semaphore == null) return;
        running.remove(holder);
        semaphore.release();
    }

    /** The most holders that were in guest code at once. */
    int peak() {
        return peak.get();
    }

    private void startSlicer() {
        if (slicer != null) return;
        synchronized (this) {
            if (slicer != null) return;
            slicer = Thread.ofPlatform().daemon().name("jux-cpu-slicer").start(this::slice);
        }
    }

    /** Every slice: if tasks wait for a CPU, kicks those that used theirs for a whole slice. */
    private void slice() {
        while (true) {
            try {
                Thread.sleep(SLICE_NANOS / 1_000_000);
            } catch (InterruptedException e) {
                return;
            }
            if (!semaphore.hasQueuedThreads()) continue;
            long now = System.nanoTime();
            running.forEach((holder, h) -> {
                if (now - h.since() >= SLICE_NANOS) h.kick().run();
            });
        }
    }

    @Override
    public String toString() {
        return semaphore == null ? "open" : permits + " cpus";
    }
}
