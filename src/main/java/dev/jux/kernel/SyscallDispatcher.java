package dev.jux.kernel;

/**
 * The system-call table as the kernel sees it. The syscall layer (above the kernel) implements
 * it; a task calls it whenever its guest executes {@code syscall}.
 */
public interface SyscallDispatcher {
    /** Handles the call in the task's registers and leaves the result in RAX. */
    void dispatch(Task task);
}
