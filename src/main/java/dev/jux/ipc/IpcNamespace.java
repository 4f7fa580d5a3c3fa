package dev.jux.ipc;

/**
 * The System V IPC objects of one kernel (Linux's struct ipc_namespace; Jux has one per
 * kernel): semaphore sets, message queues and shared memory segments, each kind with its own ids ({@link IpcIds}).
 */
public final class IpcNamespace {
    private final Semaphores semaphores = new Semaphores();
    private final MessageQueues messageQueues = new MessageQueues();
    private final SharedMemory sharedMemory;

    /** {@code currentPid}: the process the calling thread runs for (shared memory's shm_lpid). */
    public IpcNamespace(java.util.function.IntSupplier currentPid) {
        sharedMemory = new SharedMemory(currentPid);
    }

    public SharedMemory sharedMemory() {
        return sharedMemory;
    }

    public MessageQueues messageQueues() {
        return messageQueues;
    }

    public Semaphores semaphores() {
        return semaphores;
    }

    /** A process ended (its last thread): its SEM_UNDO adjustments apply (exit_sem). */
    public void processExited(Object process, int pid) {
        semaphores.processExited(process, pid);
    }
}
