package dev.jux.syscall;

import dev.jux.kernel.Task;

/** Sees every system call (strace). */
public interface SyscallTracer {
    /** Calls that may not return (exit, exit_group, execve) are shown before they run. */
    boolean announcesBeforeCall(SyscallEntry entry);

    void beforeCall(Task task, int nr, Args args);

    void afterCall(Task task, int nr, Args args, long result);
}
