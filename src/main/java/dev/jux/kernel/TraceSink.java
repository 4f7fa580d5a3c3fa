package dev.jux.kernel;

/** Receives the events strace shows besides system calls. */
public interface TraceSink {
    /** A signal is being delivered to the task. */
    void signal(Task task, SignalInfo info);

    /** The task's thread group ended with this wait status. */
    void exited(Task task, int waitStatus);
}
