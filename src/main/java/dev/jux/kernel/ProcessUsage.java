package dev.jux.kernel;

import dev.jux.abi.ResourceUsage;

/**
 * A process's resource usage, as Linux's signal_struct keeps it: the sums of its threads that
 * have ended, the sums of its reaped children (and theirs: wait adds a child's own and
 * children's usage, as wait_task_zombie), and the peak resident set. The live threads are
 * asked when someone reads the total ({@link ThreadGroup#usage}).
 */
final class ProcessUsage {
    private ResourceUsage ended = ResourceUsage.ZERO;
    private ResourceUsage children = ResourceUsage.ZERO;
    private long peakRssKb;

    /** A thread's final figures (on its own thread, just before it leaves the process). */
    synchronized void threadEnded(ResourceUsage u) {
        ended = ended.plus(u);
    }

    synchronized ResourceUsage ended() {
        return ended;
    }

    /** wait reaped a child: its own and its children's usage count as this process's children's. */
    synchronized void childReaped(ResourceUsage childTotal) {
        children = children.plus(childTotal);
    }

    synchronized ResourceUsage children() {
        return children;
    }

    /** A resident-set sample (at exit, exec, getrusage): the peak keeps the largest. */
    synchronized void sampleRss(long kb) {
        peakRssKb = Math.max(peakRssKb, kb);
    }

    synchronized long peakRssKb() {
        return peakRssKb;
    }
}
