package dev.jux.kernel;

import dev.jux.abi.ResourceUsage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * One task's resource counters. CPU time is the task's own Java thread's, as the host counts it:
 * the thread runs the guest's code (under KVM the host accounts guest mode as user time) and the
 * kernel's work for it, so user time is the host thread's user time and system time the rest.
 * The host reports user time in clock ticks, total time in nanoseconds. Faults and voluntary
 * context switches are counted by the task itself (single writer).
 */
final class TaskUsage {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private volatile long minorFaults, voluntarySwitches;

    /** A page fault was resolved without I/O (every fault Jux resolves: file pages come from the page cache or host reads that do not block on a device). */
    void minorFault() {
        minorFaults++;
    }

    /** The task went to sleep in the kernel (Linux's nvcsw). */
    void voluntarySwitch() {
        voluntarySwitches++;
    }

    /** What the task has used so far; zeros for a task whose thread has not started or has ended. */
    ResourceUsage read(Thread thread) {
        long cpu = 0, user = 0;
        if (thread == Thread.currentThread()) {
            cpu = THREADS.getCurrentThreadCpuTime();
            user = THREADS.getCurrentThreadUserTime();
        } else if (thread != null) {
            cpu = THREADS.getThreadCpuTime(thread.threadId());
            user = THREADS.getThreadUserTime(thread.threadId());
        }
        cpu = Math.max(0, cpu);
        user = Math.clamp(user, 0, cpu);
        return new ResourceUsage(user, cpu - user, 0, minorFaults, 0, voluntarySwitches, 0);
    }

    /** The total CPU time (user + system) in nanoseconds, precisely (CLOCK_THREAD_CPUTIME_ID). */
    static long cpuNanos(Thread thread) {
        long cpu = 0;
        if (thread == Thread.currentThread()) cpu = THREADS.getCurrentThreadCpuTime();
        else if (thread != null) cpu = THREADS.getThreadCpuTime(thread.threadId());
        return Math.max(0, cpu);
    }
}
