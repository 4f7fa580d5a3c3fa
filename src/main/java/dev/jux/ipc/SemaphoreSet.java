package dev.jux.ipc;

import dev.jux.abi.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * One semaphore set (Linux's struct sem_array): the values, the pid of each semaphore's last
 * operation, the sleeping operations in arrival order and the processes' undo records.
 * Guarded by the monitor of the {@link IpcIds} that holds it.
 */
public final class SemaphoreSet extends IpcObject {
    /** SEMVMX: the largest value; SEMAEM: the largest undo adjustment. */
    public static final int SEMVMX = 32767, SEMAEM = SEMVMX;
    /** What {@link #tryOps} returns when every operation was done. */
    static final int DONE = -1;

    final short[] values;
    final int[] pids;
    long otime;
    final List<SemSleeper> sleepers = new ArrayList<>();
    final List<SemUndo> undos = new ArrayList<>();

    SemaphoreSet(IpcPerm perm, int nsems) {
        super(perm);
        values = new short[nsems];
        pids = new int[nsems];
    }

    public int size() {
        return values.length;
    }

    /**
     * ipc/sem.c: perform_atomic_semop_slow: does the operations in order, or none of them.
     * Returns {@link #DONE}, or the index of the first operation that must wait (a decrement
     * below zero, a wait for zero on a non-zero value); ERANGE (as an errno number, negated)
     * for a value above SEMVMX or an adjustment out of range, nothing done.
     */
    int tryOps(SemOp[] ops, SemUndo undo, int pid) {
        int i = 0;
        int result = DONE;
        for (; i < ops.length; i++) {
            SemOp o = ops[i];
            int cur = values[o.num()];
            if (o.op() == 0) {
                if (cur != 0) { result = i; break; }
                continue;
            }
            int next = cur + o.op();
            if (next < 0) { result = i; break; }
            if (next > SEMVMX) { result = -Errno.ERANGE.number(); break; }
            if (o.undo()) {
                int u = undo.adj[o.num()] - o.op();
                if (u < -SEMAEM - 1 || u > SEMAEM) { result = -Errno.ERANGE.number(); break; }
                undo.adj[o.num()] = (short) u;
            }
            values[o.num()] = (short) next;
        }
        if (result != DONE) {
            for (int j = i - 1; j >= 0; j--) {
                SemOp o = ops[j];
                values[o.num()] -= (short) o.op();
                if (o.undo()) undo.adj[o.num()] += (short) o.op();
            }
            return result;
        }
        for (SemOp o : ops) pids[o.num()] = pid;
        return DONE;
    }

    /**
     * ipc/sem.c: do_smart_update: after a change, performs every sleeping operation that can
     * now proceed on its sleeper's behalf: those that only wait for zero first
     * (do_smart_wakeup_zero), then those that change values, oldest first (update_queue),
     * starting over after each success (it may enable others); those that would overflow fail
     * with ERANGE. Sets sem_otime if any was done.
     */
    void wakeSleepers() {
        boolean again = true;
        while (again) {
            again = false;
            for (int pass = 0; pass < 2 && !again; pass++) {
                boolean altering = pass == 1;
                for (int k = 0; k < sleepers.size(); k++) {
                    SemSleeper s = sleepers.get(k);
                    if (s.alters() != altering) continue;
                    int r = tryOps(s.ops, s.undo, s.pid);
                    if (r >= 0) {
                        s.blocking = r;
                        continue;
                    }
                    sleepers.remove(k);
                    if (r == DONE) otime = now();
                    s.finish(r == DONE ? 0 : -r);
                    again = true;
                    break;
                }
            }
        }
    }

    /** GETNCNT (decrement) and GETZCNT (wait for zero): the sleepers that semaphore {@code num} blocks. */
    int waitingOn(int num, boolean forZero) {
        int n = 0;
        for (SemSleeper s : sleepers) {
            SemOp o = s.ops[s.blocking];
            if (o.num() == num && (o.op() == 0) == forZero && (forZero || o.op() < 0)) n++;
        }
        return n;
    }

    /** SETVAL/SETALL: the processes' adjustments of {@code num} (or all when -1) no longer apply. */
    void clearAdjustments(int num) {
        for (SemUndo u : undos) {
            if (num < 0) java.util.Arrays.fill(u.adj, (short) 0);
            else u.adj[num] = 0;
        }
    }

    @Override
    void destroy() {
        for (SemSleeper s : sleepers) s.finish(Errno.EIDRM.number());
        sleepers.clear();
    }
}
