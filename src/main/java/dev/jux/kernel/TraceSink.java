package dev.jux.kernel;

import dev.jux.abi.SigInfo;

/** Receives the events strace shows besides system calls. */
public interface TraceSink {
    /** A signal is being delivered to the task. */
    void signal(Task task, SigInfo info);

    /** The task's thread group ended with this wait status. */
    void exited(Task task, int waitStatus);
}
