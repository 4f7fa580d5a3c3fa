package dev.jux.syscall;

import dev.jux.kernel.Task;

/** One system call's implementation: returns the result (>= 0) or throws LinuxException. */
@FunctionalInterface
public interface SyscallHandler {
    long call(Task task, Args args);
}
