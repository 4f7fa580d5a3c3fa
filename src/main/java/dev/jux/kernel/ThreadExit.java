package dev.jux.kernel;

import dev.jux.abi.LinuxException;

/**
 * What a dying thread does to the memory it shares with the others (Linux's exit_robust_list
 * and mm_release): every robust mutex it still holds is marked FUTEX_OWNER_DIED and one waiter
 * is woken; its clear_child_tid word becomes 0 and one waiter of it is woken (pthread_join).
 */
final class ThreadExit {
    private ThreadExit() {}

    static final int FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;
    /** Linux's ROBUST_LIST_LIMIT: a circular or hostile list ends here. */
    static final int ROBUST_LIST_LIMIT = 2048;

    /**
     * Before the task leaves its process, while the memory is still there: its robust mutexes
     * and PI locks. Returns the clear_child_tid address to clear once it has left
     * ({@link #wakeJoiner}), or 0: only when someone else still uses the memory (mm_users > 1),
     * here the other threads.
     */
    static long release(Task task) {
        long robust = task.robustList();
        if (robust != 0) walkRobustList(task, robust);
        // Contended PI locks it still owns go to their first sleeper (exit_pi_state_list).
        task.kernel().piFutexes().ownerExited(task);
        long clear = task.clearChildTid();
        return clear != 0 && task.group().tasks().size() > 1 ? clear : 0;
    }

    /**
     * Clears the thread's clear_child_tid word and wakes one waiter (pthread_join). Done once
     * the thread has left its process, so that a joiner never still finds it in
     * /proc/self/task (Linux's window between mm_release and release_task is a few
     * instructions; here it would be a scheduling delay).
     */
    static void wakeJoiner(Task task, long clear) {
        if (clear == 0) return;
        try {
            task.memory().writeInt(clear, 0);
            task.kernel().futexes().wakeQuietly(task, clear, 1);
        } catch (LinuxException e) {
            // A bad address: Linux ignores the fault.
        }
    }

    /** struct robust_list_head { list; futex_offset; list_op_pending; }; entries' bit 0 marks PI. */
    private static void walkRobustList(Task task, long head) {
        try {
            var m = task.memory();
            long entry = m.readLong(head), offset = m.readLong(head + 8), pending = m.readLong(head + 16);
            for (int n = 0; (entry & ~1L) != head && n < ROBUST_LIST_LIMIT; n++) {
                long next = m.readLong(entry & ~1L);
                if (entry != pending) ownerDied(task, (entry & ~1L) + offset, (entry & 1) != 0);
                entry = next;
            }
            if (pending != 0) ownerDied(task, (pending & ~1L) + offset, (pending & 1) != 0);
        } catch (LinuxException e) {
            // A fault ends the walk, as in Linux.
        }
    }

    /**
     * handle_futex_death: if the word names this thread, set OWNER_DIED (keeping WAITERS) and
     * wake one waiter; a PI word's sleepers are handed the lock by PiFutexes.ownerExited instead.
     */
    private static void ownerDied(Task task, long uaddr, boolean pi) {
        if ((uaddr & 3) != 0) return;
        while (true) {
            int old = Futexes.read(task, uaddr);
            if ((old & FUTEX_TID_MASK) != task.tid()) return;
            int updated = (old & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
            if (!Futexes.compareAndSet(task, uaddr, old, updated)) continue;
            if (!pi && (old & FUTEX_WAITERS) != 0) task.kernel().futexes().wakeQuietly(task, uaddr, 1);
            return;
        }
    }
}
