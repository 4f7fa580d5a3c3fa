package dev.jux.ipc;

import dev.jux.wait.Waiter;

/**
 * A semop that could not complete and sleeps on its set (Linux's struct sem_queue). Whoever
 * changes the set retries it and, when it can proceed, performs it on the sleeper's behalf
 * (update_queue), so the sleeper wakes with its operations done; or fails it (EIDRM, ERANGE).
 */
final class SemSleeper {
    static final int PENDING = -1;

    final Waiter waiter;
    final SemOp[] ops;
    final SemUndo undo;
    final int pid;
    /** PENDING, 0 once performed, or an errno number. */
    volatile int status = PENDING;
    /** The operation that blocks it (semncnt/semzcnt count sleepers by it, as Linux's check_qop). */
    int blocking;

    SemSleeper(Waiter waiter, SemOp[] ops, SemUndo undo, int pid) {
        this.waiter = waiter;
        this.ops = ops;
        this.undo = undo;
        this.pid = pid;
    }

    /** True if an operation changes a value (else it only waits for zeros). */
    boolean alters() {
        for (SemOp o : ops) if (o.op() != 0) return true;
        return false;
    }

    void finish(int result) {
        status = result;
        waiter.wake();
    }
}
