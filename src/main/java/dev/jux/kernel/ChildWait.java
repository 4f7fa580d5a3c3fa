package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.ResourceUsage;
import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import dev.jux.abi.WaitStatus;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.util.List;

/**
 * wait4(2) and waitid(2)'s search (Linux's do_wait): among the caller's children that match,
 * the first with something to report: an exit (WEXITED; reaped unless WNOWAIT), an
 * unreported stop (WSTOPPED/WUNTRACED) or an unreported continue (WCONTINUED). ECHILD if no
 * child matches at all; otherwise it blocks (unless WNOHANG) until one has news, and a
 * signal ends the wait with ERESTARTSYS.
 */
public final class ChildWait {
    private ChildWait() {}

    /** Which children: any, one pid, or one process group. */
    public enum Which { ALL, PID, PGID }

    /**
     * What the wait found: the child's pid and real uid, the wait4 status word, and waitid's
     * si_code (CLD_*) and si_status, and the child's resource usage with its own children's
     * (what wait4 and waitid store in *rusage: Linux's getrusage(child, RUSAGE_BOTH)).
     */
    public record Result(int pid, int uid, int waitStatus, int code, int status, ResourceUsage usage) {}

    /** Waits as described above; returns null when WNOHANG and no child has news. */
    public static Result await(Task waiter, Which which, int id, int options) {
        ThreadGroup g = waiter.group();
        Result now = scan(g, which, id, options);
        if (now != null || (options & WaitStatus.WNOHANG) != 0) return now;
        Result[] found = new Result[1];
        Wakeup w = g.links.childEvents.await(waiter, () -> (found[0] = scan(g, which, id, options)) != null, Waiter.FOREVER);
        if (w == Wakeup.READY) return found[0];
        throw new LinuxException(Errno.ERESTARTSYS);
    }

    private static Result scan(ThreadGroup g, Which which, int id, int options) {
        synchronized (g.kernel().treeLock()) {
            boolean any = false;
            // Tracees first (ptrace_do_wait): every one is eligible without __WALL/__WCLONE, and
            // its ptrace-stops are reported without WUNTRACED.
            for (Tracee t : List.copyOf(g.links.tracees)) {
                if (!selected(t, which, id)) continue;
                boolean keep = (options & WaitStatus.WNOWAIT) != 0;
                if (t.exited) {
                    if ((options & WaitStatus.WEXITED) == 0) continue;
                    any = true;
                    if (!keep) g.links.tracees.remove(t);
                    SigInfo.Child info = SigInfo.Child.ofExit(Signal.SIGCHLD, t.tid, t.task.group().credentials().uid(), t.exitStatus);
                    return new Result(t.tid, info.uid(), t.exitStatus, info.code(), info.status(), ResourceUsage.ZERO);
                }
                any = true;
                if (t.stopped && t.unreported) {
                    if (!keep) t.unreported = false;
                    return new Result(t.tid, t.task.group().credentials().uid(), 0x7f | t.stopCode << 8, t.stopWhy, t.stopCode,
                            ResourceUsage.ZERO);
                }
            }
            for (ThreadGroup c : List.copyOf(g.links.children)) {
                if (!selected(c, which, id) || !cloneKindMatches(c, options)) continue;
                ProcessLinks l = c.links;
                // A zombie counts only for a wait that wants exits (Linux's wait_task_zombie
                // returns before the child clears notask_error).
                if (l.zombie && (options & WaitStatus.WEXITED) == 0) continue;
                any = true;
                boolean keep = (options & WaitStatus.WNOWAIT) != 0;
                if (l.zombie) {
                    SigInfo.Child info = SigInfo.Child.ofExit(Signal.SIGCHLD, c.pid(), c.credentials().uid(), c.waitStatus());
                    ResourceUsage used = c.usage().plus(c.childrenUsage());
                    if (!keep) {
                        // wait_task_zombie: the parent's children figures take the child's and its children's.
                        g.accounting.childReaped(used);
                        ProcessExit.reap(c);
                    }
                    return new Result(c.pid(), info.uid(), c.waitStatus(), info.code(), info.status(), used);
                }
                if (l.stopped && l.unreportedStop != 0 && (options & WaitStatus.WSTOPPED) != 0) {
                    int sig = l.unreportedStop;
                    if (!keep) l.unreportedStop = 0;
                    return new Result(c.pid(), c.credentials().uid(), WaitStatus.stopped(Signal.of(sig)), SigCode.CLD_STOPPED, sig,
                            c.usage().plus(c.childrenUsage()));
                }
                if (l.unreportedContinue && (options & WaitStatus.WCONTINUED) != 0) {
                    if (!keep) l.unreportedContinue = false;
                    return new Result(c.pid(), c.credentials().uid(), WaitStatus.CONTINUED, SigCode.CLD_CONTINUED, Signal.SIGCONT.number(),
                            c.usage().plus(c.childrenUsage()));
                }
            }
            if (!any) throw new LinuxException(Errno.ECHILD);
            return null;
        }
    }

    private static boolean selected(Tracee t, Which which, int id) {
        return switch (which) {
            case ALL -> true;
            case PID -> t.tid == id;
            case PGID -> t.task.group().processGroup() == id;
        };
    }

    private static boolean selected(ThreadGroup c, Which which, int id) {
        return switch (which) {
            case ALL -> true;
            case PID -> c.pid() == id;
            case PGID -> c.processGroup() == id;
        };
    }

    /**
     * A "clone child" is one whose exit signal is not SIGCHLD: only __WCLONE waits for those,
     * only its absence for the others, and __WALL for both (Linux's eligible_child).
     */
    private static boolean cloneKindMatches(ThreadGroup c, int options) {
        if ((options & WaitStatus.__WALL) != 0) return true;
        boolean cloneChild = c.links.exitSignal != Signal.SIGCHLD.number();
        return cloneChild == ((options & WaitStatus.__WCLONE) != 0);
    }
}
