package dev.jux.kernel;

/**
 * A vfork(2) parent waits, killably, until its child has exec'd (ThreadGroup.replaceMemory)
 * or exited: until then they share one address space and one stack (Linux's vfork_done).
 */
final class VforkCompletion {
    private final Task parent;
    private volatile boolean done;

    VforkCompletion(Task parent) {
        this.parent = parent;
    }

    /** The child no longer uses the parent's memory. Any thread. */
    void complete() {
        done = true;
        parent.wake();
    }

    /** The parent's side: returns when the child is done or the parent is being killed. */
    void await() {
        parent.parkUntil(() -> done || parent.isEnding());
    }
}
