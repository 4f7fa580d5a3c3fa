package dev.jux.kernel;

import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import dev.jux.abi.SignalAction;
import java.util.List;

/**
 * What happens when a process's last task has ended (Linux's exit_notify): its files and
 * memory go, its children are reparented to the nearest living subreaper ancestor or to pid 1
 * (each receiving its parent-death signal), and it becomes a zombie that keeps its pid and
 * wait status until its parent reaps it. The parent gets the exit signal (SIGCHLD with
 * CLD_EXITED, CLD_KILLED or CLD_DUMPED); if the parent ignores SIGCHLD or set SA_NOCLDWAIT,
 * the zombie is reaped at once.
 */
final class ProcessExit {
    private ProcessExit() {}

    /** On the task's own thread, after its trap loop ended and its CPU was given back. */
    static void taskExited(Task task) {
        ThreadGroup g = task.group();
        Kernel kernel = g.kernel();
        kernel.forgetTid(task);
        long clearTid = ThreadExit.release(task);
        boolean last;
        // The thread's figures move to the process's ended-thread sums as it leaves (on its own thread, so they are final).
        dev.jux.abi.ResourceUsage used = task.usage();
        synchronized (kernel.treeLock()) {
            g.accounting.threadEnded(used);
            kernel.threadEnded(used);
            g.detach(task);
            last = g.tasks().isEmpty();
        }
        ThreadExit.wakeJoiner(task, clearTid);     // the memory lives until g.release() below
        if (!last) {   // the process lives on in its other threads
            if (task.tracee() != null) PtraceStops.taskExited(task, g.isExiting() ? g.waitStatus() : task.exitStatus(), false);
            DeThread.taskLeft(g);
            return;
        }
        // Every thread ended by exit(2) (a leader that ended first waited as a zombie leader):
        // the process reports the last thread's status, as Linux does (measured).
        g.exit(task.exitStatus());
        if (kernel.tracer() != null) kernel.tracer().exited(task, g.waitStatus());
        VforkCompletion vfork = g.links.vfork;
        if (vfork != null) {
            g.links.vfork = null;
            vfork.complete();
        }
        PtraceStops.taskExited(task, g.waitStatus(), true);
        g.kernel().terminals().exiting(g);
        kernel.ipc().processExited(g, g.pid());   // ipc/sem.c: exit_sem
        // Files first: a parent reading the child's pipe sees end-of-file before it can reap.
        g.release();
        synchronized (kernel.treeLock()) {
            reparentChildren(g);
            g.links.stopped = false;
            g.links.zombie = true;
            notifyParent(g);
        }
        g.exitWaiters.wakeAll(dev.jux.abi.Poll.POLLIN); // do_notify_pidfd
    }

    /** Removes a zombie for good: its parent reaped it (wait) or did not want it (SIG_IGN). Under the tree lock. */
    static void reap(ThreadGroup zombie) {
        ThreadGroup parent = zombie.links.parent;
        if (parent != null) parent.links.children.remove(zombie);
        zombie.kernel().remove(zombie);
        zombie.exitWaiters.wakeAll(dev.jux.abi.Poll.POLLHUP);
    }

    /** Tells the parent that {@code g} is a zombie. Under the tree lock. */
    private static void notifyParent(ThreadGroup g) {
        ThreadGroup parent = g.links.parent;
        if (parent == null) {
            g.kernel().initExited();
            return;
        }
        int sig = g.links.exitSignal;
        boolean autoreap = false;
        SignalDisposition action = parent.action(Signal.SIGCHLD.number());
        if (sig == Signal.SIGCHLD.number() && (action.isIgnore() || (action.flags() & SignalAction.SA_NOCLDWAIT) != 0)) {
            autoreap = true;
            if (action.isIgnore()) sig = 0;
        }
        Signal signal = Signal.of(sig);
        if (signal != null) {
            SignalSender.toProcess(parent, SigInfo.Child.ofExit(signal, g.pid(), g.credentials().uid(), g.waitStatus()));
        }
        if (autoreap) reap(g);
        parent.links.childEvents.wakeAll();
    }

    /** Linux's forget_original_parent. Under the tree lock. */
    private static void reparentChildren(ThreadGroup g) {
        if (g.links.children.isEmpty()) return;
        ThreadGroup reaper = findReaper(g);
        if (reaper == null) return;   // pid 1 is ending: the kernel kills the rest
        for (ThreadGroup c : List.copyOf(g.links.children)) {
            c.links.parent = reaper;
            reaper.links.children.add(c);
            c.links.exitSignal = Signal.SIGCHLD.number();   // "we don't want people slaying init"
            Signal death = Signal.of(c.prctlState().parentDeathSignal);
            if (death != null) {
                SignalSender.toProcess(c, new SigInfo.Kill(death, SigCode.SI_USER, g.pid(), g.credentials().uid()));
            }
            if (c.isZombie()) notifyParent(c);
        }
        g.links.children.clear();
    }

    /** The nearest ancestor that is a living child subreaper, else pid 1; null if {@code g} is pid 1. */
    private static ThreadGroup findReaper(ThreadGroup g) {
        if (g.pid() == 1) return null;
        for (ThreadGroup p = g.links.parent; p != null; p = p.links.parent) {
            if (p.prctlState().childSubreaper && !p.isExiting()) return p;
        }
        return g.kernel().process(1);
    }

    /** pid 1 has ended: SIGKILL for every other process still running. */
    static void killAllBut(Kernel kernel, ThreadGroup init) {
        for (ThreadGroup p : List.copyOf(kernel.processes())) {
            if (p != init) SignalSender.toProcess(p, new SigInfo.Kernel(Signal.SIGKILL));
        }
    }
}
