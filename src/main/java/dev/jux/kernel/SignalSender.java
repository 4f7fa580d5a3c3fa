package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import dev.jux.abi.WaitStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Sending signals between processes, with what Linux does at send time (kernel/signal.c's
 * prepare_signal, sig_ignored and complete_signal): a stop signal discards a pending SIGCONT
 * and SIGCONT discards pending stops and continues a stopped process; a signal that would be
 * ignored and is not blocked is dropped (so SIGCHLD's default never interrupts a wait);
 * SIGKILL ends the process at once. Also kill(2)'s routing (a pid, a group, everyone) and its
 * permission check.
 */
public final class SignalSender {
    private SignalSender() {}

    static final long STOP_SIGNALS = SignalSet.bit(Signal.SIGSTOP.number()) | SignalSet.bit(Signal.SIGTSTP.number())
            | SignalSet.bit(Signal.SIGTTIN.number()) | SignalSet.bit(Signal.SIGTTOU.number());
    static final long CONTINUE = SignalSet.bit(Signal.SIGCONT.number());

    /**
     * Sends a process-directed signal (kill, SIGCHLD): any task of the process that does not
     * block it takes it. Returns whether it was queued (not dropped as ignored, already pending,
     * or sent to an ending process, nor acted on at once as SIGKILL).
     */
    public static boolean toProcess(ThreadGroup target, SigInfo info) {
        return send(target, null, info);
    }

    /** Sends a thread-directed signal (tgkill, tkill); returns whether it was queued, as {@link #toProcess}. */
    public static boolean toTask(Task target, SigInfo info) {
        return send(target.group(), target, info);
    }

    private static boolean send(ThreadGroup g, Task task, SigInfo info) {
        if (g.isExiting() || g.isZombie()) {
            if (info.signal() == Signal.SIGKILL && !g.isZombie()) PtraceStops.killedWhileExiting(g);
            return false;
        }
        int n = info.signal().number();
        long bit = SignalSet.bit(n);
        if ((bit & STOP_SIGNALS) != 0) {
            g.discardPending(CONTINUE);
        } else if (n == Signal.SIGCONT.number()) {
            g.discardPending(STOP_SIGNALS);
            JobControl.continued(g);
            PtraceStops.continued(g);
        }
        if (n == Signal.SIGKILL.number()) {
            g.exit(WaitStatus.signaled(Signal.SIGKILL, false));
            g.wakeTasks();
            return false;
        }
        Task receiver = task != null ? task : first(g);
        if (ignoredAtSend(g, receiver, n)) return false;
        if (task != null) return task.post(info);
        boolean queued = g.post(info);
        g.wakeTasks();
        return queued;
    }

    /**
     * Any live task of {@code g}, or null. The tasks may be ending on their own threads as we
     * look (a SIGCONT lets a stopped process act on a pending SIGTERM), so this reads one
     * snapshot of the list rather than asking it twice.
     */
    private static Task first(ThreadGroup g) {
        for (Task t : g.tasks()) return t;
        return null;
    }

    /** Linux's sig_ignored: ignored (explicitly, or by default) and not blocked. */
    private static boolean ignoredAtSend(ThreadGroup g, Task receiver, int n) {
        if (receiver != null && SignalSet.contains(receiver.signalMask(), n)) return false;
        // A tracer wants to see even ignored signals (Linux's sig_ignored).
        if (receiver != null && receiver.tracee() != null) return false;
        SignalDisposition action = g.action(n);
        if (action.isIgnore()) return true;
        return action.isDefault() && (Signal.of(n).defaultAction() == Signal.DefaultAction.IGNORE || n == Signal.SIGCONT.number());
    }

    /**
     * Linux's check_kill_permission: root (CAP_KILL) may signal anyone; otherwise the sender's
     * real or effective uid must be the target's real or saved uid. SIGCONT within a session
     * is always allowed.
     */
    public static boolean permitted(ThreadGroup sender, ThreadGroup target, int sig) {
        Credentials s = sender.credentials(), t = target.credentials();
        if (s.euid() == 0) return true;
        if (s.euid() == t.suid() || s.euid() == t.uid() || s.uid() == t.suid() || s.uid() == t.uid()) return true;
        return sig == Signal.SIGCONT.number() && sender.session() == target.session();
    }

    /**
     * kill(2): pid > 0 one process; 0 the caller's process group; -1 every process but pid 1
     * and the caller; below -1 the group -pid. Signal 0 only checks. ESRCH if nothing
     * matched, EPERM if nothing could be signalled for want of permission.
     */
    public static void kill(Task sender, int pid, int sig) {
        ThreadGroup self = sender.group();
        Kernel kernel = self.kernel();
        SigInfo info = sig == 0 ? null : new SigInfo.Kill(Signal.of(sig), SigCode.SI_USER, self.pid(), self.credentials().uid());
        if (pid > 0) {
            ThreadGroup target = kernel.process(pid);
            if (target == null) throw new LinuxException(Errno.ESRCH);
            deliver(self, target, sig, info);
            return;
        }
        if (pid == Integer.MIN_VALUE) throw new LinuxException(Errno.ESRCH);
        synchronized (kernel.treeLock()) {
            if (pid == -1) {
                int count = 0;
                Errno error = null;
                for (ThreadGroup p : List.copyOf(kernel.processes())) {
                    if (p.pid() <= 1 || p == self) continue;
                    count++;
                    try {
                        deliver(self, p, sig, info);
                    } catch (LinuxException e) {
                        if (e.errno() != Errno.EPERM) error = e.errno();
                    }
                }
                if (count == 0) throw new LinuxException(Errno.ESRCH);
                if (error != null) throw new LinuxException(error);
                return;
            }
            int group = pid == 0 ? self.processGroup() : -pid;
            boolean success = false;
            Errno last = Errno.ESRCH;
            for (ThreadGroup p : groupMembers(kernel, group)) {
                try {
                    deliver(self, p, sig, info);
                    success = true;
                } catch (LinuxException e) {
                    last = e.errno();
                }
            }
            if (!success) throw new LinuxException(last);
        }
    }

    /** The processes (zombies included, as on Linux until they are reaped) of process group {@code pgrp}. */
    static List<ThreadGroup> groupMembers(Kernel kernel, int pgrp) {
        List<ThreadGroup> out = new ArrayList<>();
        for (ThreadGroup p : kernel.processes()) if (p.processGroup() == pgrp) out.add(p);
        return out;
    }

    private static void deliver(ThreadGroup sender, ThreadGroup target, int sig, SigInfo info) {
        if (!permitted(sender, target, sig)) throw new LinuxException(Errno.EPERM);
        if (info != null) toProcess(target, info);
    }

    /**
     * tgkill(2) (tgid > 0) and tkill(2) (tgid 0): the thread {@code tid}, which must belong to
 * process {@code tgid} when one is given. A thread that has ended is ESRCH.
     */
    public static void killThread(Task sender, int tgid, int tid, int sig) {
        ThreadGroup self = sender.group();
        Task t = self.kernel().task(tid);
        ThreadGroup target = t == null ? null : t.group();
        if (target == null || (tgid > 0 && target.pid() != tgid)) throw new LinuxException(Errno.ESRCH);
        if (!permitted(self, target, sig)) throw new LinuxException(Errno.EPERM);
        if (sig == 0) return;
        toTask(t, new SigInfo.Kill(Signal.of(sig), SigCode.SI_TKILL, self.pid(), self.credentials().uid()));
    }
}
