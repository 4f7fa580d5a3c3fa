package dev.jux.kernel;

import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import dev.jux.abi.SignalAction;

/**
 * A traced task's ptrace link (Linux's task->ptrace, ->parent, ->exit_code, ->last_siginfo,
 * ->ptrace_message): who traces it, with which options, and its current ptrace-stop. The
 * tracer is a process (any of its threads may issue requests and wait; Linux ties the link to
 * one tracer thread). Every field changes under {@link Kernel#treeLock()}; the volatile ones
 * are read without it by the parked tracee.
 */
public final class Tracee {
    final Task task;
    /** The tracing process; null once detached. */
    volatile ThreadGroup tracer;
    /** Attached by PTRACE_SEIZE (or inherited from a seized parent): event-stops instead of SIGSTOP. */
    final boolean seized;
    volatile int options;

    /** In a ptrace-stop, parked until {@link #resumed}. */
    volatile boolean stopped;
    volatile boolean resumed;
    /** The stop's code (a signal, SIGTRAP | event << 8, SIGTRAP | 0x80) as wait reports it, and whether wait has yet to. */
    int stopCode;
    boolean unreported;
    /** CLD_TRAPPED, or CLD_STOPPED for a group-stop or PTRACE_EVENT_STOP. */
    int stopWhy;
    /** The stop's siginfo (null for a group-stop: PTRACE_GETSIGINFO is EINVAL then). */
    volatile SigInfo siginfo;
    /** What PTRACE_GET_SYSCALL_INFO reports (PtraceRequest.SYSCALL_INFO_*). */
    volatile int syscallOp;
    /** PTRACE_GETEVENTMSG. */
    volatile long eventMessage;
    /** The signal to deliver once resumed (0: none). */
    volatile int resumeSignal;
    /** Resumed with PTRACE_SYSCALL: stop at the next system call's entry and exit. */
    volatile boolean syscallTrace;
    /** PTRACE_INTERRUPT (or a seized auto-attach) asked for a PTRACE_EVENT_STOP trap. */
    volatile boolean trapPending;
    /** PTRACE_SETSIGINFO's replacement for the signal of the current signal-delivery-stop. */
    volatile SigInfo lastSetSiginfo;

    /** The task ended and its exit status is for the tracer's wait; exitStatus is the wait status. */
    boolean exited;
    int exitStatus;
    /** The task's tid (kept for the wait that reports its exit; a non-leader's execve changes it). */
    volatile int tid;

    Tracee(Task task, ThreadGroup tracer, boolean seized, int options) {
        this.task = task;
        this.tracer = tracer;
        this.seized = seized;
        this.options = options;
        this.tid = task.tid();
    }

    public Task task() {
        return task;
    }

    public ThreadGroup tracer() {
        return tracer;
    }

    public boolean seized() {
        return seized;
    }

    public int options() {
        return options;
    }

    public boolean isStopped() {
        return stopped;
    }

    public SigInfo siginfo() {
        return siginfo;
    }

    public int syscallOp() {
        return syscallOp;
    }

    public long eventMessage() {
        return eventMessage;
    }

    /** True while ptrace set the trap flag for PTRACE_SINGLESTEP (GETREGS hides it, SETREGS keeps it). */
    public boolean stepping() {
        return stepping;
    }

    boolean has(int option) {
        return (options & option) != 0;
    }

    /**
     * Enters a ptrace-stop on the tracee's own thread (Linux's ptrace_stop): records the stop,
     * tells the tracer (SIGCHLD with {@code why}, a wake of its waiters), parks until a resume,
     * a detach or the task's death, and returns the signal the tracer resumed it with (for a
     * signal-delivery-stop, the signal to deliver; 0 suppresses it).
     */
    int stop(int code, SigInfo info, int why, int op, int defaultSignal) {
        return stop(code, info, why, op, defaultSignal, false);
    }

    /**
     * As above; {@code atExit} is PTRACE_EVENT_EXIT's stop, made by a task that is already
     * ending: only a resume, the tracer's end or a SIGKILL ({@link #killedAtExit}) ends it.
     */
    int stop(int code, SigInfo info, int why, int op, int defaultSignal, boolean atExit) {
        ThreadGroup t;
        synchronized (task.kernel().treeLock()) {
            t = tracer;
            if (t == null || (!atExit && task.isEnding()) || (atExit && killedAtExit)) return defaultSignal;
            stopCode = code;
            lastSetSiginfo = null;
            stopWhy = why;
            siginfo = info;
            syscallOp = op;
            resumeSignal = defaultSignal;
            resumed = false;
            unreported = true;
            stopped = true;
            notifyTracer(t, task, why, code & 0x7f);
        }
        // The condition runs on the tracee's thread: it serves the tracer's requests for CPU
        // state only that thread may touch (the FPU/SSE/AVX image of a KVM vCPU).
        task.parkUntil(() -> {
            runRequests();
            return resumed || tracer == null || (atExit ? killedAtExit : task.isEnding()) || (listening && notified);
        });
        failRequests();
        boolean notify;
        synchronized (task.kernel().treeLock()) {
            notify = !atExit && listening && notified && !resumed && tracer != null && !task.isEnding();
            listening = false;
            notified = false;
            stopped = false;
            unreported = false;
            siginfo = null;
            syscallOp = 0;
            if (!notify) return resumeSignal;
        }
        // PTRACE_LISTEN ended by SIGCONT: the tracer hears of it through a new
        // PTRACE_EVENT_STOP trap (Linux's JOBCTL_TRAP_NOTIFY), then the signal is delivered.
        int trapCode = Signal.SIGTRAP.number() | dev.jux.abi.PtraceRequest.EVENT_STOP << 8;
        return stop(trapCode, trap(task, trapCode), CLD_TRAPPED, op, 0);
    }

    private final java.util.concurrent.ConcurrentLinkedQueue<java.util.concurrent.FutureTask<?>> requests = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private void runRequests() {
        for (java.util.concurrent.FutureTask<?> f; (f = requests.poll()) != null; ) f.run();
    }

    private void failRequests() {
        for (java.util.concurrent.FutureTask<?> f; (f = requests.poll()) != null; ) f.cancel(false);
    }

    /**
     * Runs {@code work} on the stopped tracee's own thread and returns its result (ESRCH if the
     * tracee stops being stopped first, e.g. killed).
     */
    public <T> T onTraceeThread(java.util.concurrent.Callable<T> work) {
        java.util.concurrent.FutureTask<T> f = new java.util.concurrent.FutureTask<>(work);
        requests.add(f);
        task.wake();
        while (true) {
            try {
                return f.get(20, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (!stopped) {
                    f.cancel(false);
                    throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.ESRCH);
                }
            } catch (java.util.concurrent.CancellationException e) {
                throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.ESRCH);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EINTR);
            }
        }
    }

    /**
     * The tracee's XSAVE image as PTRACE_GETREGSET NT_X86_XSTATE gives it: Linux's struct
     * user_xstateregs, whose software bytes hold only XCR0, at offset 464 (xstate_fx_sw[0],
     * where gdb reads it).
     */
    public byte[] extendedState() {
        return onTraceeThread(() -> {
            byte[] x = task.cpu().extendedState();
            java.util.Arrays.fill(x, 464, 512, (byte) 0);
            java.nio.ByteBuffer.wrap(x).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(464, task.cpu().extendedFeatures());
            return x;
        });
    }

    /** Loads an XSAVE image (FXSAVE part only if shorter) into the tracee; EINVAL if the CPU would refuse it. */
    public void setExtendedState(byte[] image) {
        onTraceeThread(() -> {
            byte[] x = task.cpu().extendedState();
            System.arraycopy(image, 0, x, 0, Math.min(image.length, x.length));
            // xfpregs_set: the legacy area alone marks x87 and SSE as in use (XSTATE_BV |= FP|SSE),
            // or XRSTOR would load their initial state instead.
            if (image.length <= 512) x[512] |= 3;
            try {
                task.cpu().setExtendedState(x);
            } catch (IllegalArgumentException e) {
                throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EINVAL);
            }
            return null;
        });
    }

    /** SIGKILL reached the exiting task: no (more) PTRACE_EVENT_EXIT stop. */
    volatile boolean killedAtExit;

    /** PTRACE_LISTEN: the group-stopped tracee stays stopped until SIGCONT ({@link #notified}). */
    volatile boolean listening, notified;

    /** Set by PTRACE_SINGLESTEP: ptrace set the trap flag and clears it at the next other resume. */
    volatile boolean stepping;

    /** Resumes a stopped tracee (PTRACE_CONT, SYSCALL, DETACH...) with {@code signal}. Under the tree lock. */
    void resume(int signal) {
        resumeSignal = signal;
        resumed = true;
        task.wake();
    }

    /**
     * do_notify_parent_cldstop for the tracer: SIGCHLD unless it ignores SIGCHLD or set
     * SA_NOCLDSTOP, and a wake of its waiters. Under the tree lock.
     */
    static void notifyTracer(ThreadGroup tracer, Task task, int why, int status) {
        SignalDisposition action = tracer.action(Signal.SIGCHLD.number());
        if (!action.isIgnore() && (action.flags() & SignalAction.SA_NOCLDSTOP) == 0) {
            SignalSender.toProcess(tracer, new SigInfo.Child(why, task.tid(), task.group().credentials().uid(), status, 0, 0));
        }
        tracer.links.childEvents.wakeAll();
    }

    /** The siginfo of a ptrace event or syscall stop: SIGTRAP with si_code = the stop code (ptrace_do_notify). */
    static SigInfo trap(Task task, int code) {
        return new SigInfo.Kill(Signal.SIGTRAP, code, task.tid(), task.group().credentials().uid());
    }

    static final int CLD_TRAPPED = SigCode.CLD_TRAPPED, CLD_STOPPED = SigCode.CLD_STOPPED;
}
