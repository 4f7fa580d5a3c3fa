package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.PtraceRequest;
import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import dev.jux.platform.UserRegisters;

/**
 * The tracee's side of ptrace: the places where a traced task stops for its tracer (Linux's
 * ptrace_report_syscall_entry/exit, ptrace_signal, ptrace_event, do_jobctl_trap). Each runs on
 * the tracee's own thread and returns at once for a task nobody traces.
 */
public final class PtraceStops {
    private PtraceStops() {}

    /**
     * Syscall-enter-stop (after PTRACE_SYSCALL). As on Linux, RAX reads -ENOSYS during the stop and
     * orig_rax is the call number; the tracer may change both and the arguments. Returns false
     * if the task was killed meanwhile (the call is not made).
     */
    public static boolean syscallEntry(Task task) {
        Tracee t = task.tracee();
        if (t == null || !t.syscallTrace) return true;
        UserRegisters r = task.registers();
        r.rax = -Errno.ENOSYS.number();
        int code = Signal.SIGTRAP.number() | (t.has(PtraceRequest.O_TRACESYSGOOD) ? 0x80 : 0);
        t.stop(code, Tracee.trap(task, code), Tracee.CLD_TRAPPED, PtraceRequest.SYSCALL_INFO_ENTRY, 0);
        return !task.isEnding();
    }

    /** Syscall-exit-stop: RAX holds the result, which the tracer may change. */
    public static void syscallExit(Task task) {
        Tracee t = task.tracee();
        if (t == null || !t.syscallTrace || task.isEnding()) return;
        int code = Signal.SIGTRAP.number() | (t.has(PtraceRequest.O_TRACESYSGOOD) ? 0x80 : 0);
        t.stop(code, Tracee.trap(task, code), Tracee.CLD_TRAPPED, PtraceRequest.SYSCALL_INFO_EXIT, 0);
    }

    /**
     * Signal-delivery-stop (ptrace_signal): the tracer sees {@code info} first and resumes with
     * the signal to deliver: 0 suppresses it, another number replaces it (siginfo SI_USER from
     * the tracer, unless PTRACE_SETSIGINFO gave one). A replacement the task blocks is queued
     * again. Returns what to deliver now, or null.
     */
    static SigInfo signalDelivery(Task task, SigInfo info) {
        Tracee t = task.tracee();
        int sig = info.signal().number();
        if (t == null || sig == Signal.SIGKILL.number()) return info;
        int chosen = t.stop(sig, info, Tracee.CLD_TRAPPED, PtraceRequest.SYSCALL_INFO_NONE, sig);
        if (task.isEnding() || chosen == 0) return null;
        SigInfo after = t.lastSetSiginfo != null ? t.lastSetSiginfo : info;
        t.lastSetSiginfo = null;
        if (after.signal().number() != chosen) {
            ThreadGroup tracer = t.tracer;
            int pid = tracer == null ? 0 : tracer.pid(), uid = tracer == null ? 0 : tracer.credentials().uid();
            after = new SigInfo.Kill(Signal.of(chosen), SigCode.SI_USER, pid, uid);
        }
        if (SignalSet.contains(task.signalMask(), chosen)) {
            task.post(after);
            return null;
        }
        return after;
    }

    /**
     * A stop signal's default action in a traced task: a group-stop reported to the tracer
     * (code the signal; seized: signal | PTRACE_EVENT_STOP << 8, no siginfo), after which the
     * tracee runs on when resumed.
     */
    static void groupStop(Task task, Signal signal) {
        Tracee t = task.tracee();
        int code = signal.number() | (t.seized ? PtraceRequest.EVENT_STOP << 8 : 0);
        // A seized tracee's group-stop is a PTRACE_EVENT_STOP with a siginfo (ptrace_do_notify); a plain one has none.
        SigInfo info = t.seized ? new SigInfo.Kill(signal, code, task.tid(), task.group().credentials().uid()) : null;
        t.stop(code, info, Tracee.CLD_STOPPED, PtraceRequest.SYSCALL_INFO_NONE, 0);
    }

    /** PTRACE_SETSIGINFO: what the current signal-delivery-stop delivers if resumed with its signal. */
    public static void setSiginfo(Tracee t, SigInfo info) {
        t.siginfo = info;
        t.lastSetSiginfo = info;
    }

    /**
     * SIGCONT was sent to {@code g}: its listening tracees leave their stop with a new
     * PTRACE_EVENT_STOP trap, blocked or not (Linux's ptrace_trap_notify from prepare_signal).
     */
    static void continued(ThreadGroup g) {
        for (Task task : g.tasks()) {
            Tracee t = task.tracee();
            if (t != null && t.listening) {
                t.notified = true;
                task.wake();
            }
        }
    }

    /** PTRACE_INTERRUPT's trap (and a seized auto-attached child's first stop): SIGTRAP | PTRACE_EVENT_STOP << 8. */
    static void trapIfPending(Task task) {
        Tracee t = task.tracee();
        if (t == null || !t.trapPending) return;
        t.trapPending = false;
        int code = Signal.SIGTRAP.number() | PtraceRequest.EVENT_STOP << 8;
        t.stop(code, Tracee.trap(task, code), Tracee.CLD_STOPPED, PtraceRequest.SYSCALL_INFO_NONE, 0);
    }

    /** True if a PTRACE_INTERRUPT waits to be taken (it ends blocking calls as a signal does). */
    static boolean trapPending(Task task) {
        Tracee t = task.tracee();
        return t != null && t.trapPending;
    }

    /** A PTRACE_EVENT_x stop (fork, vfork, clone, exec) with its PTRACE_GETEVENTMSG value. */
    static void event(Task task, int event, long message) {
        Tracee t = task.tracee();
        if (t == null) return;
        t.eventMessage = message;
        int code = Signal.SIGTRAP.number() | event << 8;
        t.stop(code, Tracee.trap(task, code), Tracee.CLD_TRAPPED, PtraceRequest.SYSCALL_INFO_NONE, 0);
    }

    /**
     * A new task from clone/fork/vfork of {@code parent}: traced too (before it first runs) if the
     * parent's tracer asked for this kind of child (or CLONE_PTRACE); then the parent reports the
     * event with the new tid. Returns the event to report, 0 if none. Call before the child starts.
     */
    public static int attachChild(Task parent, Task child, boolean vfork, boolean thread, boolean clonePtrace, int exitSignal) {
        Tracee p = parent.tracee();
        if (p == null) return 0;
        int event, option;
        if (vfork) {
            event = PtraceRequest.EVENT_VFORK;
            option = PtraceRequest.O_TRACEVFORK;
        } else if (thread || exitSignal != Signal.SIGCHLD.number()) {
            event = PtraceRequest.EVENT_CLONE;
            option = PtraceRequest.O_TRACECLONE;
        } else {
            event = PtraceRequest.EVENT_FORK;
            option = PtraceRequest.O_TRACEFORK;
        }
        boolean traced = p.has(option);
        if (!traced && !clonePtrace) return 0;
        synchronized (parent.kernel().treeLock()) {
            ThreadGroup tracer = p.tracer;
            if (tracer == null) return 0;
            Tracee c = Ptrace.link(child, tracer, p.seized, p.options);
            // ptrace_init_task: a seized child starts in a PTRACE_EVENT_STOP trap, the others with SIGSTOP.
            if (p.seized) c.trapPending = true;
            else child.post(new SigInfo.Kernel(Signal.SIGSTOP));
        }
        return traced ? event : 0;
    }

    /** After clone started the child: the parent's event stop. */
    public static void childCreated(Task parent, int event, int childTid) {
        if (event != 0) event(parent, event, childTid);
    }

    /**
     * PTRACE_EVENT_EXIT (with PTRACE_O_TRACEEXIT): the task's trap loop ended; it stops before
     * its memory and files go, the message being its wait status. Not after a SIGKILL (Linux's
     * ptrace_stop refuses with a fatal signal pending).
     */
    static void exiting(Task task) {
        Tracee t = task.tracee();
        if (t == null || !t.has(PtraceRequest.O_TRACEEXIT)) return;
        ThreadGroup g = task.group();
        int status = g.isExiting() ? g.waitStatus() : task.exitStatus();
        if (dev.jux.abi.WaitStatus.isSignaled(status) && dev.jux.abi.WaitStatus.termSignal(status) == Signal.SIGKILL.number()) return;
        t.eventMessage = status;
        int code = Signal.SIGTRAP.number() | PtraceRequest.EVENT_EXIT << 8;
        t.stop(code, Tracee.trap(task, code), Tracee.CLD_TRAPPED, PtraceRequest.SYSCALL_INFO_NONE, 0, true);
    }

    /** SIGKILL for a process that is already exiting: its tasks leave their PTRACE_EVENT_EXIT stops. */
    static void killedWhileExiting(ThreadGroup g) {
        for (Task task : g.tasks()) {
            Tracee t = task.tracee();
            if (t != null) {
                t.killedAtExit = true;
                task.wake();
            }
        }
    }

    /** The vfork child exec'd or exited: PTRACE_EVENT_VFORK_DONE for a tracer with the option. */
    static void vforkDone(Task parent, int childPid) {
        Tracee t = parent.tracee();
        if (t != null && t.has(PtraceRequest.O_TRACEVFORKDONE)) event(parent, PtraceRequest.EVENT_VFORK_DONE, childPid);
    }

    /**
     * A successful execve: PTRACE_EVENT_EXEC (message: the former tid) with the option, else a
     * SIGTRAP for a tracee attached without PTRACE_SEIZE.
     */
    public static void execed(Task task, int formerTid) {
        Tracee t = task.tracee();
        if (t == null) return;
        t.tid = task.tid();   // de_thread gave a non-leader the leader's tid
        if (t.has(PtraceRequest.O_TRACEEXEC)) event(task, PtraceRequest.EVENT_EXEC, formerTid);
        else if (!t.seized) task.post(new SigInfo.Kernel(Signal.SIGTRAP));
    }

    /**
     * The task has ended with wait status {@code status}. Its tracer learns it through wait,
     * unless the tracer is the real parent and the whole process ended (the usual child exit
     * report covers it); a tracer process that ends releases its own tracees.
     */
    static void taskExited(Task task, int status, boolean processEnded) {
        ThreadGroup g = task.group();
        synchronized (task.kernel().treeLock()) {
            Tracee t = task.tracee();
            if (t != null && t.tracer != null) {
                ThreadGroup tracer = t.tracer;
                if (processEnded && tracer == g.links.parent) {
                    Ptrace.unlink(t, 0);
                } else {
                    t.exited = true;
                    t.exitStatus = status;
                    t.unreported = true;
                    // do_notify_parent to the tracer: SIGCHLD with the exit, unless it ignores SIGCHLD.
                    if (!tracer.action(Signal.SIGCHLD.number()).isIgnore()) {
                        SignalSender.toProcess(tracer, SigInfo.Child.ofExit(Signal.SIGCHLD, t.tid, g.credentials().uid(), status));
                    }
                    tracer.links.childEvents.wakeAll();
                }
            }
        }
        if (processEnded) Ptrace.tracerExited(g);
    }
}
