package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.PtraceRequest;
import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import java.util.List;

/**
 * The tracer's side of ptrace(2) (Linux's kernel/ptrace.c): making and breaking the link
 * (TRACEME, ATTACH, SEIZE, DETACH, the tracer's death), finding a tracee that is stopped for
 * the caller (ptrace_check_attach), resuming it, PTRACE_INTERRUPT and PTRACE_KILL. The tracee's
 * side, the stops themselves, is {@link PtraceStops}.
 */
public final class Ptrace {
    private Ptrace() {}

    /** PTRACE_TRACEME: the parent becomes the tracer. EPERM if already traced. */
    public static void traceMe(Task task) {
        synchronized (task.kernel().treeLock()) {
            ThreadGroup parent = task.group().links.parent;
            if (task.tracee() != null || parent == null) throw new LinuxException(Errno.EPERM);
            link(task, parent, false, 0);
        }
    }

    /**
     * PTRACE_ATTACH (a SIGSTOP follows) and PTRACE_SEIZE (no stop; {@code options} set at once).
     * ESRCH for no such task, EPERM for oneself, a thread of one's own process, an already
     * traced task or one the caller may not trace (ptrace_may_access).
     */
    public static void attach(Task caller, int tid, boolean seize, int options) {
        Kernel kernel = caller.kernel();
        Task target = kernel.task(tid);
        if (target == null) throw new LinuxException(Errno.ESRCH);
        synchronized (kernel.treeLock()) {
            if (target.isEnding()) throw new LinuxException(Errno.ESRCH);
            if (target.group() == caller.group()) throw new LinuxException(Errno.EPERM);
            if (!mayAttach(caller.group(), target.group())) throw new LinuxException(Errno.EPERM);
            if (target.tracee() != null) throw new LinuxException(Errno.EPERM);
            link(target, caller.group(), seize, options);
        }
        if (!seize) SignalSender.toTask(target, new SigInfo.Kernel(Signal.SIGSTOP));
    }

    /**
     * ptrace_may_access(PTRACE_MODE_ATTACH_REALCREDS): root, or a caller whose real uid and gid
     * are the target's real, effective and saved ids while the target is dumpable.
     */
    public static boolean mayAttach(ThreadGroup caller, ThreadGroup target) {
        Credentials c = caller.credentials(), t = target.credentials();
        if (c.euid() == 0) return true;
        boolean sameUser = c.uid() == t.uid() && c.uid() == t.euid() && c.uid() == t.suid();
        boolean sameGroup = c.gid() == t.gid() && c.gid() == t.egid() && c.gid() == t.sgid();
        return sameUser && sameGroup && target.prctlState().dumpable == 1;
    }

    /** Under the tree lock. */
    static Tracee link(Task target, ThreadGroup tracer, boolean seized, int options) {
        Tracee t = new Tracee(target, tracer, seized, options);
        target.setTracee(t);
        tracer.links.tracees.add(t);
        return t;
    }

    /** Under the tree lock: the link goes; a stopped tracee runs again with {@code signal}. */
    static void unlink(Tracee t, int signal) {
        ThreadGroup tracer = t.tracer;
        if (tracer != null) tracer.links.tracees.remove(t);
        t.tracer = null;
        t.syscallTrace = false;
        t.trapPending = false;
        if (t.task.tracee() == t) t.task.setTracee(null);
        if (t.stopped) t.resume(signal);
    }

    /**
     * ptrace_check_attach: the caller's tracee {@code tid}, which must be in a ptrace-stop
     * unless {@code anyState}; ESRCH otherwise.
     */
    public static Tracee stoppedTracee(Task caller, int tid, boolean anyState) {
        synchronized (caller.kernel().treeLock()) {
            for (Tracee t : caller.group().links.tracees) {
                if (t.tid != tid || t.exited) continue;
                if (!anyState && !t.stopped) break;
                return t;
            }
        }
        throw new LinuxException(Errno.ESRCH);
    }

    /** PTRACE_CONT, PTRACE_SYSCALL, PTRACE_SINGLESTEP (as CONT): resumes a stopped tracee with {@code signal}. */
    public static void resume(Tracee t, boolean syscalls, int signal) {
        resume(t, syscalls, false, signal);
    }

    /**
     * As above; {@code step} (PTRACE_SINGLESTEP) sets the trap flag, so the tracee traps with
     * SIGTRAP after one instruction (a platform that cannot single-step runs on).
     */
    public static void resume(Tracee t, boolean syscalls, boolean step, int signal) {
        checkSignal(signal);
        synchronized (t.task.kernel().treeLock()) {
            if (!t.stopped) throw new LinuxException(Errno.ESRCH);
            t.syscallTrace = syscalls;
            setStep(t, step);
            t.resume(signal);
        }
    }

    /** PTRACE_DETACH: the tracee runs on untraced, with {@code signal} if it was stopped at a signal. */
    public static void detach(Tracee t, int signal) {
        checkSignal(signal);
        synchronized (t.task.kernel().treeLock()) {
            if (t.stopped) setStep(t, false);
            unlink(t, signal);
        }
    }

    /** PTRACE_INTERRUPT: a seized tracee enters a PTRACE_EVENT_STOP trap soon (EIO unless seized). */
    public static void interrupt(Tracee t) {
        if (!t.seized) throw new LinuxException(Errno.EIO);
        synchronized (t.task.kernel().treeLock()) {
            if (t.stopped) return;
            t.trapPending = true;
        }
        t.task.wake();
    }

    /**
     * PTRACE_LISTEN: a seized tracee in a group-stop (or another PTRACE_EVENT_STOP) stays
     * stopped, but SIGCONT ends the stop with a new PTRACE_EVENT_STOP trap. EIO for any other
     * stop.
     */
    public static void listen(Tracee t) {
        synchronized (t.task.kernel().treeLock()) {
            if (!t.stopped) throw new LinuxException(Errno.ESRCH);
            SigInfo si = t.siginfo;
            if (!t.seized || si == null || si.code() >> 8 != PtraceRequest.EVENT_STOP) throw new LinuxException(Errno.EIO);
            t.listening = true;
        }
        t.task.wake();
    }

    /** PTRACE_KILL: SIGKILL, if the tracee is still there. */
    public static void kill(Tracee t) {
        SignalSender.toTask(t.task, new SigInfo.Kernel(Signal.SIGKILL));
    }

    /** PTRACE_SETOPTIONS: EINVAL for unknown bits. */
    public static void setOptions(Tracee t, long options) {
        if ((options & ~(long) PtraceRequest.O_MASK) != 0) throw new LinuxException(Errno.EINVAL);
        t.options = (int) options;
    }

    /** user_enable/disable_single_step: TF is ptrace's while it set it. */
    private static void setStep(Tracee t, boolean step) {
        dev.jux.platform.UserRegisters r = t.task.registers();
        if (step) {
            if ((r.rflags & TRAP_FLAG) == 0) t.stepping = true;
            r.rflags |= TRAP_FLAG;
        } else if (t.stepping) {
            r.rflags &= ~TRAP_FLAG;
            t.stepping = false;
        }
    }

    private static final long TRAP_FLAG = 0x100;

    private static void checkSignal(int signal) {
        if (signal < 0 || signal > Signal.NSIG) throw new LinuxException(Errno.EIO);
    }

    /**
     * The tracer process {@code tracer} ended (exit_ptrace): its tracees run on untraced
     * (a signal-delivery-stop delivers its signal); with PTRACE_O_EXITKILL they get SIGKILL.
     */
    static void tracerExited(ThreadGroup tracer) {
        List<Tracee> killed = new java.util.ArrayList<>();
        synchronized (tracer.kernel().treeLock()) {
            for (Tracee t : List.copyOf(tracer.links.tracees)) {
                if (t.has(PtraceRequest.O_EXITKILL) && !t.exited) killed.add(t);
                unlink(t, t.stopWhy == Tracee.CLD_TRAPPED && t.siginfo != null && (t.stopCode & ~0x7f) == 0 ? t.stopCode : 0);
            }
        }
        for (Tracee t : killed) SignalSender.toTask(t.task, new SigInfo.Kernel(Signal.SIGKILL));
    }

    /** The tracer's pid for /proc/PID/status (0 if none). */
    public static int tracerPid(Task task) {
        Tracee t = task.tracee();
        ThreadGroup g = t == null ? null : t.tracer;
        return g == null ? 0 : g.pid();
    }

    /** SIGCHLD codes the wait of a stop reports. */
    static final int CLD_TRAPPED = SigCode.CLD_TRAPPED;
}
