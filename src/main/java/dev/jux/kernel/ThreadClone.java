package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.platform.Context;

import static dev.jux.abi.CloneFlags.*;

/**
 * clone with CLONE_THREAD (pthread_create): a new task in the caller's process, with a tid of
 * its own from the pid space, its own CPU context on its own Java thread, and everything else
 * (address space, fd table, fs context, dispositions, limits, credentials) shared through the
 * ThreadGroup. Per thread: registers (rax = 0, the new stack, CLONE_SETTLS's fs base), the
 * signal mask (copied), the pending set (empty), the FPU/SSE/AVX state (copied), no alternate
 * signal stack (Linux clears it for a child sharing the memory), clear_child_tid.
 */
final class ThreadClone {
    private ThreadClone() {}

    /** Creates and starts the thread; returns its tid. Clone.check has validated the flags. */
    static int start(Task parent, Clone.Request r) {
        long f = r.flags();
        ThreadGroup g = parent.group();
        Kernel kernel = g.kernel();
        Context cpu = kernel.platform().newContext();
        Task task;
        try {
            synchronized (kernel.treeLock()) {
                // A process that is ending (exit_group, a fatal signal, execve) makes no more threads.
                if (parent.isEnding() || g.isZombie()) throw new LinuxException(Errno.ERESTARTNOINTR);
                int tid = kernel.allocatePid();
                task = new Task(kernel, g, tid, cpu);
                task.startAsCloneOf(parent, r.stack(), (f & CLONE_SETTLS) != 0, r.tls());
                task.signals().setAltStack(AltStack.DISABLED);
                if ((f & CLONE_CHILD_CLEARTID) != 0) task.setClearChildTid(r.childTid());
                g.attach(task);
            }
        } catch (RuntimeException e) {
            cpu.close();
            throw e;
        }
        int tid = task.tid();
        // Both writes go to the one shared address space; Linux ignores faults on them.
        if ((f & CLONE_PARENT_SETTID) != 0) Clone.ignoreFault(() -> g.memory().writeInt(r.parentTid(), tid));
        if ((f & CLONE_CHILD_SETTID) != 0) Clone.ignoreFault(() -> g.memory().writeInt(r.childTid(), tid));
        int event = PtraceStops.attachChild(parent, task, false, true, (f & CLONE_PTRACE) != 0, 0);
        try {
            kernel.startTask(task);
        } catch (LinuxException e) {
            synchronized (kernel.treeLock()) {
                g.detach(task);
            }
            task.releaseCpu();
            throw e;
        }
        PtraceStops.childCreated(parent, event, tid);
        return tid;
    }
}
