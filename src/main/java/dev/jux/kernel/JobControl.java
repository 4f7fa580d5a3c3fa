package dev.jux.kernel;

import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import dev.jux.abi.SignalAction;

/**
 * Job control: the default action of SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU stops the whole
 * process, SIGCONT continues it. The parent learns of both through wait (WUNTRACED,
 * WCONTINUED) and, unless its SIGCHLD action has SA_NOCLDSTOP or is SIG_IGN, a SIGCHLD with
 * CLD_STOPPED or CLD_CONTINUED (Linux's do_notify_parent_cldstop).
 */
final class JobControl {
    private JobControl() {}

    /**
     * The stop signal {@code signal} took its default action in {@code task}: the process
     * stops, and the task parks here until SIGCONT or SIGKILL.
     */
    static void stop(Task task, Signal signal) {
        ThreadGroup g = task.group();
        synchronized (g.kernel().treeLock()) {
            if (g.isExiting()) return;
            g.links.stopped = true;
            g.links.unreportedStop = signal.number();
            g.links.unreportedContinue = false;
            notifyParent(g, SigCode.CLD_STOPPED, signal.number());
        }
        // Every other thread stops at its next trap or signal check (Linux's group stop).
        g.wakeTasks();
        parkStopped(task);
    }

    /** Parks {@code task} while its process is stopped (until SIGCONT, SIGKILL or its own end). */
    static void parkStopped(Task task) {
        ThreadGroup g = task.group();
        task.parkUntil(() -> !g.links.stopped || task.isEnding());
    }

    /** SIGCONT was sent to {@code g}: if it is stopped, it runs again. */
    static void continued(ThreadGroup g) {
        synchronized (g.kernel().treeLock()) {
            if (!g.links.stopped) return;
            g.links.stopped = false;
            g.links.unreportedStop = 0;
            g.links.unreportedContinue = true;
            notifyParent(g, SigCode.CLD_CONTINUED, Signal.SIGCONT.number());
        }
        g.wakeTasks();
    }

    /** Under the tree lock. */
    private static void notifyParent(ThreadGroup g, int code, int status) {
        ThreadGroup parent = g.links.parent;
        if (parent == null) return;
        SignalDisposition action = parent.action(Signal.SIGCHLD.number());
        if (!action.isIgnore() && (action.flags() & SignalAction.SA_NOCLDSTOP) == 0) {
            SignalSender.toProcess(parent, new SigInfo.Child(code, g.pid(), g.credentials().uid(), status, 0, 0));
        }
        parent.links.childEvents.wakeAll();
    }
}
