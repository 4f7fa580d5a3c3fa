package dev.jux.ipc;

/**
 * One process's SEM_UNDO adjustments for one set (Linux's struct sem_undo): what to add to
 * each semaphore when the process exits, undoing the SEM_UNDO operations it made. Processes
 * (thread groups: CLONE_SYSVSEM threads share them) are the {@code owner}; a fork starts with none.
 */
final class SemUndo {
    final Object owner;
    final SemaphoreSet set;
    final short[] adj;

    SemUndo(Object owner, SemaphoreSet set) {
        this.owner = owner;
        this.set = set;
        this.adj = new short[set.values.length];
    }
}
