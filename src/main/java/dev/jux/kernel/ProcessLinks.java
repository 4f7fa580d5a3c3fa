package dev.jux.kernel;

import dev.jux.wait.WaitQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's place in the process tree and its job-control state: parent, children, process
 * group, session, and what a waiting parent has yet to learn (exit, stop, continue). Every
 * field that relates processes to each other is guarded by {@link Kernel#treeLock()} (Linux's
 * tasklist_lock); the volatile ones may also be read without it.
 */
final class ProcessLinks {
    /** The parent; null for pid 1. Changes when the parent dies (reparenting). */
    volatile ThreadGroup parent;
    final List<ThreadGroup> children = new ArrayList<>();
    volatile int processGroup;
    volatile int session;
    /** The controlling terminal (Linux's signal->tty): inherited by fork, dropped by setsid; null if none. */
    volatile dev.jux.fs.tty.Tty controllingTty;
    /** The signal the parent gets when this process ends (clone's low byte; 0 for none). */
    int exitSignal = dev.jux.abi.Signal.SIGCHLD.number();
    /** Set by execve: setpgid on this child then fails with EACCES. */
    volatile boolean execed;

    /** The process has exited and waits to be reaped. */
    volatile boolean zombie;
    /** Stopped by a job-control signal (all its tasks parked until SIGCONT or SIGKILL). */
    volatile boolean stopped;
    /** The stop signal not yet reported to wait(WUNTRACED); 0 if none. */
    int unreportedStop;
    /** Continued by SIGCONT and not yet reported to wait(WCONTINUED). */
    boolean unreportedContinue;

    /** Wakes this process's tasks waiting in wait4/waitid when a child changes state. */
    final WaitQueue childEvents = new WaitQueue();
    /** The tasks this process traces (ptrace), exited ones until their tracer's wait reports them. */
    final List<Tracee> tracees = new ArrayList<>();
    /** The vfork parent waiting for this child to exec or exit; null if none. */
    volatile VforkCompletion vfork;
}
