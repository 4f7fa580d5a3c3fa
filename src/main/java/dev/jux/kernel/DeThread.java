package dev.jux.kernel;

import java.util.concurrent.locks.LockSupport;

/**
 * execve in a multithreaded process (Linux's de_thread): every other thread is killed and
 * gone before the new image replaces the memory, and the calling thread becomes the leader,
 * taking the leader's tid (= the pid), so the process keeps its pid.
 */
final class DeThread {
    private DeThread() {}

    static void killOtherThreads(Task task) {
        ThreadGroup g = task.group();
        if (g.tasks().size() > 1) {
            g.deThreadWaiter = task;
            try {
                for (Task t : g.tasks()) if (t != task) t.killThread();
                task.parkUntil(() -> g.tasks().size() <= 1 || g.isExiting());
            } finally {
                g.deThreadWaiter = null;
            }
        }
        if (!task.isLeader()) {
            synchronized (g.kernel().treeLock()) {
                g.kernel().renumber(task, task.tid(), g.pid());
            }
        }
    }

    /** A thread of {@code g} has gone: wake an execve waiting for the others to go. */
    static void taskLeft(ThreadGroup g) {
        Task waiter = g.deThreadWaiter;
        if (waiter != null && waiter.thread() != null) LockSupport.unpark(waiter.thread());
    }
}
