package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Rlimit;
import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import dev.jux.abi.WaitStatus;
import dev.jux.mm.AddressSpace;
import dev.jux.platform.Context;
import dev.jux.platform.Trap;
import dev.jux.platform.UserRegisters;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A thread of a guest process. It owns a CPU context and loops: run guest code until a trap,
 * handle the trap (system call, fault, kick), deliver pending signals, repeat, until its
 * thread group exits.
 */
public final class Task implements Waiter {
    private final Kernel kernel;
    private final ThreadGroup group;
    private volatile int tid;
    /** Set when this thread alone is to end (exit(2), or killed by another thread's execve). */
    private volatile boolean threadExiting;
    /** This thread's exit(2) status, kept for a leader that ends before the other threads. */
    private volatile int exitStatus;
    private final Context cpu;
    private long signalMask;
    private final PendingSignals pending = new PendingSignals();
    private long clearChildTid;
    private long robustList;
    private volatile Thread thread;
    private volatile boolean sleeping;
    private final TaskSignals signals = new TaskSignals();
    private final TaskUsage usage = new TaskUsage();
    private final SchedState sched = new SchedState();
    /** This task's ptrace link (see {@link Ptrace}); null when nobody traces it. */
    private volatile Tracee tracee;
    /** The address space this task's CPU runs on (attached to it), from the task's own thread. */
    private AddressSpace runsOn;
    /** personality(2)'s value: per task on Linux, copied by fork and clone (see {@link Personas}). */
    private volatile int personality;


    Task(Kernel kernel, ThreadGroup group, int tid, Context cpu) {
        this.kernel = kernel;
        this.group = group;
        this.tid = tid;
        this.cpu = cpu;
    }

    public Kernel kernel() {
        return kernel;
    }

    public ThreadGroup group() {
        return group;
    }

    public AddressSpace memory() {
        return group.memory();
    }

    public int tid() {
        return tid;
    }

    /** execve from a non-leader thread: it takes over the leader's tid (Linux's de_thread). */
    void takeTid(int newTid) {
        tid = newTid;
    }

    /** True for the thread whose tid is the process's pid. */
    public boolean isLeader() {
        return tid == group.pid();
    }

    /**
     * exit(2): ends this thread only, with {@code status} (the process's wait status if it is
     * the last thread and nothing ended the process as a whole).
     */
    public void exitThread(int status) {
        exitStatus = status;
        threadExiting = true;
    }

    /** Ends this thread from another one (execve's de_thread): it stops at its next trap. */
    void killThread() {
        threadExiting = true;
        wake();
    }

    /** True once this thread alone is ending (exit(2), or killed by execve): it is leaving its process's thread list. */
    boolean isLeavingAlone() {
        return threadExiting;
    }

    int exitStatus() {
        return exitStatus;
    }

    /** True once this task is to leave its trap loop: its process or the thread alone is ending. */
    public boolean isEnding() {
        return threadExiting || group.isExiting();
    }

    public UserRegisters registers() {
        return cpu.registers();
    }

    Context cpu() {
        return cpu;
    }

    /** The Java thread the task runs on (null before it started). */
    Thread thread() {
        return thread;
    }

    /** Alternate stack, saved mask, restart block, the call being handled: see {@link TaskSignals}. */
    public TaskSignals signals() {
        return signals;
    }

    /** rt_sigreturn: takes back the frame at the stack pointer; returns the restored rax. */
    public long sigreturn() {
        return SignalDelivery.sigreturn(this);
    }

    public synchronized long signalMask() {
        return signalMask;
    }

    public synchronized void setSignalMask(long mask) {
        signalMask = mask & ~SignalSet.UNBLOCKABLE;
    }

    /** The signals pending for this thread alone (not the process's). */
    long threadPendingSignals() {
        return pending.set();
    }

    /** This thread's CPU time, faults and context switches (RUSAGE_THREAD). */
    public dev.jux.abi.ResourceUsage usage() {
        return usage.read(thread);
    }

    /** This thread's precise CPU time in nanoseconds (CLOCK_THREAD_CPUTIME_ID). */
    public long cpuNanos() {
        return TaskUsage.cpuNanos(thread);
    }

    public long pendingSignals() {
        return pending.set() | group.pendingSignals();
    }

    /**
     * Takes a pending signal in {@code set}, the thread's own first (sigtimedwait's
     * dequeue_signal), or null.
     */
    public SigInfo dequeueSignal(long set) {
        SigInfo info = pending.take(set);
        return collected(info != null ? info : group.takePending(set));
    }

    /** Drops pending instances of {@code signal} for this thread and its process (SIG_IGN set). */
    public void discardPending(int signal) {
        pending.discard(signal);
        group.discardPending(signal);
    }

    /**
     * Queues a thread-directed signal (tgkill, a fault) and makes the thread notice it; false
     * when the same signal was already pending (a standard signal is queued once).
     */
    public boolean post(SigInfo info) {
        boolean queued = pending.add(info);
        wake();
        group.signalWaiters.wakeAll(dev.jux.abi.Poll.POLLIN);
        return queued;
    }

    /** Sends {@code signal} to this thread from itself, as the kernel does for SIGPIPE (SI_USER). */
    public void postFromSelf(Signal signal) {
        post(new SigInfo.Kill(signal, SigCode.SI_USER, group.pid(), group.credentials().uid()));
    }

    /**
     * Makes the task look at its state again: ends a {@link #block} in progress and kicks the
     * CPU out of guest code. From the task's own thread there is nothing to interrupt.
     */
    @Override
    public void wake() {
        Thread th = thread;
        if (th == Thread.currentThread()) return;
        if (th != null) LockSupport.unpark(th);
        cpu.kick();
    }

    /** Makes the CPU leave guest code (the end of a time slice, see {@link CpuGate}). */
    void kickCpu() {
        cpu.kick();
    }

    /** The task's ptrace link, or null if it is not traced. */
    public Tracee tracee() {
        return tracee;
    }

    void setTracee(Tracee t) {
        tracee = t;
    }

    /** Scheduling policy, priority, nice value and CPU affinity of this thread. */
    public SchedState sched() {
        return sched;
    }

    /** True if a signal is pending that the task does not block, or its process is ending. */
    public boolean hasDeliverableSignal() {
        if (isEnding() || PtraceStops.trapPending(this)) return true;
        long deliverable = pendingSignals() & (~signalMask() | SignalSet.UNBLOCKABLE);
        // An ignored signal never interrupts a wait: Linux drops it when it is sent (sig_ignored);
        // Jux drops it at the next delivery.
        for (long rest = deliverable; rest != 0; rest &= rest - 1) {
            // A tracer sees even ignored signals (sig_ignored is false for a traced task).
            if (tracee != null || !isIgnored(Long.numberOfTrailingZeros(rest) + 1)) return true;
        }
        return false;
    }

    private boolean isIgnored(int sig) {
        SignalDisposition action = group.action(sig);
        return action.isIgnore() || (action.isDefault() && Signal.of(sig).defaultAction() == Signal.DefaultAction.IGNORE);
    }

    @Override
    public Wakeup block(BooleanSupplier ready, long deadline) {
        sleeping = true;
        try {
            while (true) {
                if (ready.getAsBoolean()) return Wakeup.READY;
                if (hasDeliverableSignal()) return Wakeup.INTERRUPTED;
                long left = deadline == FOREVER ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) return Wakeup.TIMED_OUT;
                usage.voluntarySwitch();
                LockSupport.parkNanos(this, left);
            }
        } finally {
            sleeping = false;
        }
    }

    /**
     * Waits, deaf to signals, until {@code condition} holds; every {@link #wake()} tests it
     * again. For waits only the process's death or a state change may end: a vfork parent, a
     * stopped process (Linux's TASK_KILLABLE and TASK_STOPPED). The condition must include
     * the process's exit.
     */
    void parkUntil(BooleanSupplier condition) {
        sleeping = true;
        try {
            while (!condition.getAsBoolean()) {
                usage.voluntarySwitch();
                LockSupport.park(this);
            }
        } finally {
            sleeping = false;
        }
    }

    /** True while the task sleeps in the kernel (/proc/PID/stat's S). */
    boolean isSleeping() {
        return sleeping;
    }

    /** Drops the thread-directed pending signals in {@code mask}. */
    void discardPending(long mask) {
        pending.discard(mask);
    }

    public synchronized void setClearChildTid(long address) {
        clearChildTid = address;
    }

    public synchronized long clearChildTid() {
        return clearChildTid;
    }

    public synchronized void setRobustList(long head) {
        robustList = head;
    }

    public synchronized long robustList() {
        return robustList;
    }

    /** Points the CPU at the group's current address space (after exec replaced it). */
    public void switchAddressSpace() {
        AddressSpace old = runsOn;
        if (old != null) old.detach(cpu);
        runsOn = memory();
        runsOn.attach(cpu);
    }

    /**
     * A new task's CPU as clone leaves it (copy_thread): the parent's registers with RAX 0,
     * the given stack if any (0: the parent's), the given TLS base if {@code setTls}, and the
     * parent's signal mask and FPU/SSE/AVX state.
     */
    void startAsCloneOf(Task parent, long stack, boolean setTls, long tls) {
        UserRegisters regs = registers();
        regs.copyFrom(parent.registers());
        regs.rax = 0;
        if (stack != 0) regs.rsp = stack;
        if (setTls) regs.fsBase = tls;
        setSignalMask(parent.signalMask());
        sched.inheritFrom(parent.sched);
        personality = parent.personality;
        cpu.setExtendedState(parent.cpu.extendedState());
    }

    public int personality() {
        return personality;
    }

    public void setPersonality(int value) {
        personality = value;
    }

    /**
     * Runs a blocking call with a temporary signal mask (ppoll, pselect6, epoll_pwait), as
     * Linux's set_user_sigmask + restore_saved_sigmask_unless: if a signal interrupted the
     * call, the temporary mask stays until that signal's handler frame is set up (the frame
     * saves the old mask, so sigreturn restores it); otherwise the old mask comes back at once.
     * {@code mask} null means no change.
     */
    public long withTemporaryMask(Long mask, java.util.function.LongSupplier call) {
        if (mask == null) return call.getAsLong();
        long old = signalMask();
        setSignalMask(mask);
        boolean interrupted = false;
        try {
            long r = call.getAsLong();
            interrupted = Errno.isError(r) && isInterruption(Errno.of((int) -r));
            return r;
        } catch (LinuxException e) {
            interrupted = isInterruption(e.errno());
            throw e;
        } finally {
            if (interrupted) signals.saveMask(old);
            else setSignalMask(old);
        }
    }

    private static boolean isInterruption(Errno e) {
        return e == Errno.EINTR || (e != null && e.isRestart());
    }

    /**
     * What exec resets in the calling thread besides the registers: the clear-child-tid
     * address and the robust futex list (exec_mm_release), the alternate signal stack and the
     * FPU/SSE state.
     */
    public void resetForExec() {
        synchronized (this) {
            clearChildTid = 0;
            robustList = 0;
        }
        // exec starts with the initial FPU state (fpu_flush_thread) and no alternate stack.
        signals.setAltStack(AltStack.DISABLED);
        cpu.setExtendedState(dev.jux.platform.ExtendedState.initial(signals.xsaveSize(cpu)));
    }

    /** Runs the thread until its group exits. */
    void run() {
        thread = Thread.currentThread();
        if (isEnding()) return;   // killed before it first ran
        runsOn = memory();
        runsOn.attach(cpu);
        try {
            runUntilEnd();
        } finally {
            runsOn.detach(cpu);
        }
    }

    private void runUntilEnd() {
        CpuGate gate = kernel.cpuGate();
        while (!isEnding()) {
            if (!roundTrip(gate)) break;
        }
        if (tracee != null) PtraceStops.exiting(this);
    }

    /**
     * One trip through guest code: run it until a trap, handle the trap, deliver signals.
     * False if the task was to end before it got a CPU. A method of its own, not the body of
     * runUntilEnd's loop, so that HotSpot compiles it once it has been called a few thousand
     * times: a loop in a method entered once is only compiled on-stack after ~60,000
     * iterations, and until then every system call's round trip ran in HotSpot's bytecode
     * interpreter (most of the getppid benchmark's warm-up, docs/platform-interp.md "Numbers").
     */
    private boolean roundTrip(CpuGate gate) {
        if (!gate.enter(this)) return false;
        Trap trap;
        try {
            trap = cpu.run();
        } finally {
            gate.leave(this);
        }
        switch (trap.kind()) {
            case SYSCALL -> kernel.syscalls().dispatch(this);
            case EXCEPTION -> handleException(trap);
            case INTERRUPTED -> { }
            case PLATFORM_ERROR -> platformError(trap);
        }
        if (!isEnding()) deliverSignals();
        return true;
    }

    private void platformError(Trap trap) {
        kernel.log().oops("platform: " + trap.detail() + " (pid " + group.pid() + ")", null);
        terminate(new SigInfo.Kernel(Signal.SIGKILL));
    }

    /** Gives the CPU back once the task has ended. */
    void releaseCpu() {
        cpu.close();
    }

    /** Turns a CPU exception into what Linux's trap handlers make of it (arch/x86/kernel/traps.c). */
    private void handleException(Trap trap) {
        UserRegisters r = registers();
        if (trap.vector() == Trap.PF) signals.recordPageFault(trap.errorCode() | 4, trap.faultAddress());
        else signals.recordTrap(trap.vector(), trap.errorCode());
        switch (trap.vector()) {
            case Trap.PF -> pageFault(trap);
            case Trap.DE -> fault(new SigInfo.Fault(Signal.SIGFPE, SigCode.FPE_INTDIV, r.rip));
            case Trap.UD -> fault(new SigInfo.Fault(Signal.SIGILL, SigCode.ILL_ILLOPN, r.rip));
            case Trap.BP -> fault(new SigInfo.Kernel(Signal.SIGTRAP));
            case Trap.DB -> fault(new SigInfo.Fault(Signal.SIGTRAP, SigCode.TRAP_TRACE, r.rip));
            case Trap.MF, Trap.XM -> fault(new SigInfo.Fault(Signal.SIGFPE, SigCode.FPE_FLTINV, r.rip));
            case Trap.AC -> fault(new SigInfo.Fault(Signal.SIGBUS, SigCode.BUS_ADRALN, 0));
            // #GP, #SS, #NP, #TS, #OF, #BR: Linux sends SIGSEGV with SI_KERNEL and no address.
            default -> fault(new SigInfo.Kernel(Signal.SIGSEGV));
        }
    }

    private void pageFault(Trap trap) {
        boolean write = (trap.errorCode() & 2) != 0, exec = (trap.errorCode() & 16) != 0;
        AddressSpace.FaultResult result;
        try {
            result = memory().handleFault(trap.faultAddress(), write, exec);
        } catch (LinuxException e) {
            if (e.errno() != Errno.ENOMEM) throw e;
            outOfMemory();
            return;
        }
        switch (result) {
            case RESOLVED -> usage.minorFault();
            case MAPERR -> fault(new SigInfo.Fault(Signal.SIGSEGV, SigCode.SEGV_MAPERR, trap.faultAddress()));
            case ACCERR -> fault(new SigInfo.Fault(Signal.SIGSEGV, SigCode.SEGV_ACCERR, trap.faultAddress()));
            case SIGBUS -> fault(new SigInfo.Fault(Signal.SIGBUS, SigCode.BUS_ADRERR, trap.faultAddress()));
        }
    }

    /**
     * Guest RAM ran out while a page was being filled in: the OOM killer picks the largest
     * process; if that is this one it dies by SIGKILL, otherwise the fault is retried.
     */
    private void outOfMemory() {
        if (OomKiller.outOfMemory(this)) terminate(new SigInfo.Kernel(Signal.SIGKILL));
    }

    /**
     * A synchronous fault signal. Linux forces it: if the thread blocks or ignores it, the
     * disposition is reset to the default, so the process dies rather than looping on the fault.
     */
    private void fault(SigInfo info) {
        force(info, false);
    }

    /**
     * force_sig_info_to_task: a signal the thread cannot refuse. Blocked or ignored (or
     * {@code toDefault}, Linux's HANDLER_SIG_DFL), its disposition becomes the default and it is
     * unblocked; then it is queued to this thread and delivered before returning to user mode.
     */
    void force(SigInfo info, boolean toDefault) {
        int sig = info.signal().number();
        SignalDisposition action = group.action(sig);
        boolean blocked = SignalSet.contains(signalMask(), sig);
        if (blocked || action.isIgnore() || toDefault) {
            group.setAction(sig, SignalDisposition.DEFAULT);
            if (blocked) setSignalMask(signalMask() & ~SignalSet.bit(sig));
        }
        pending.add(info);
    }

    /** A POSIX timer's signal being taken carries the overruns counted while it was pending. */
    private SigInfo collected(SigInfo info) {
        return info instanceof SigInfo.Timer t ? group.posixTimers().collect(t) : info;
    }

    /** Delivers the pending, unblocked signals, lowest number first. */
    private void deliverSignals() {
        // nothingToDeliver: the common case after a system call, without the locks of a pass
        // that would take nothing.
        while (!isEnding() && !nothingToDeliver()) {
            // Another thread took a stop signal: this one stops too (group stop).
            if (group.links.stopped && tracee == null) JobControl.parkStopped(this);
            PtraceStops.trapIfPending(this);
            if (isEnding()) break;
            long allowed = ~signalMask() | SignalSet.UNBLOCKABLE;
            // Faults first, as Linux's dequeue_synchronous_signal.
            SigInfo info = pending.take(allowed & SignalSet.SYNCHRONOUS);
            if (info == null) info = pending.take(allowed);
            if (info == null) info = group.takePending(allowed);
            if (info == null) break;
            info = collected(info);
            if (tracee != null && (info = PtraceStops.signalDelivery(this, info)) == null) continue;
            SignalDisposition action = group.action(info.signal().number());
            if (action.isIgnore()) continue;
            if (!action.isDefault()) {
                SignalDelivery.handle(this, info, action);
                continue;
            }
            switch (info.signal().defaultAction()) {
                case TERMINATE, CORE -> terminate(info);
                case STOP -> {
                    if (tracee != null) PtraceStops.groupStop(this, info.signal());
                    else JobControl.stop(this, info.signal());
                }
                // SIGCONT did its work when it was sent (JobControl.continued).
                case CONTINUE, IGNORE -> { }
            }
        }
        if (!isEnding()) SignalDelivery.finish(this);
    }

    /**
     * The common case after a system call, decided without taking a lock: nothing pending for
     * the thread or its process (blocked or not), no group stop, no tracer (whose PTRACE_INTERRUPT
     * and signal-delivery stops need the full path). A signal queued just after this check is
     * not lost: the sender queues it, then wakes the task, whose kick makes the next
     * {@code Context.run()} return at once, and this runs again.
     */
    private boolean nothingToDeliver() {
        return tracee == null && pending.set() == 0 && group.pendingSignals() == 0 && !group.links.stopped;
    }

    /** Kills the whole group with {@code info}'s signal, as its default action does. */
    private void terminate(SigInfo info) {
        if (kernel.tracer() != null) kernel.tracer().signal(this, info);
        // RLIMIT_CORE is 0 by default, so no core file is written, and the wait status only
        // says "core dumped" (0x80) when one was.
        boolean core = info.signal().defaultAction() == Signal.DefaultAction.CORE && group.limits().soft(Rlimit.RLIMIT_CORE) != 0;
        group.exit(WaitStatus.signaled(info.signal(), core));
    }
}
