package dev.jux.ipc;

/** One struct sembuf: the semaphore's index, the change (or 0: wait for zero) and its flags (IPC_NOWAIT, SEM_UNDO). */
public record SemOp(int num, int op, int flags) {
    public static final int IPC_NOWAIT = 04000, SEM_UNDO = 0x1000;

    boolean undo() {
        return (flags & SEM_UNDO) != 0;
    }
}
