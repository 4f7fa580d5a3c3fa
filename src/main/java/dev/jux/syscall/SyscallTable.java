package dev.jux.syscall;

import dev.jux.abi.Signal;
import dev.jux.abi.Errno;
import dev.jux.abi.SyscallNumbers;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.PtraceStops;
import dev.jux.kernel.SyscallDispatcher;
import dev.jux.kernel.Task;
import dev.jux.abi.WaitStatus;
import dev.jux.platform.UserRegisters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The x86-64 system-call table: number to handler. Decodes the registers, calls the handler,
 * turns a {@link LinuxException} into {@code -errno} in RAX. Any other exception is a kernel
 * bug: logged as an oops with the call and its arguments, and the process is killed.
 */
public final class SyscallTable implements SyscallDispatcher {
    private static final int SIZE = 512;
    private final SyscallEntry[] entries = new SyscallEntry[SIZE];
    private volatile SyscallTracer tracer;

    /** The table with every family Jux implements. */
    public static SyscallTable standard() {
        SyscallTable t = new SyscallTable();
        FileSyscalls.register(t);
        CopySyscalls.register(t);
        LockSyscalls.register(t);
        MountSyscalls.register(t);
        DescriptorSyscalls.register(t);
        PollSyscalls.register(t);
        EventSyscalls.register(t);
        SocketSyscalls.register(t);
        OpenSyscalls.register(t);
        StatSyscalls.register(t);
        NamespaceSyscalls.register(t);
        AttributeSyscalls.register(t);
        XattrSyscalls.register(t);
        CwdSyscalls.register(t);
        MemorySyscalls.register(t);
        MemoryLockSyscalls.register(t);
        MemfdSyscalls.register(t);
        ProcessSyscalls.register(t);
        ForkSyscalls.register(t);
        WaitSyscalls.register(t);
        PtraceSyscalls.register(t);
        ProcessVmSyscalls.register(t);
        GroupSyscalls.register(t);
        ExecSyscalls.register(t);
        FutexSyscalls.register(t);
        SysvIpcSyscalls.register(t);
        SysvShmSyscalls.register(t);
        SchedSyscalls.register(t);
        CredentialSyscalls.register(t);
        CapabilitySyscalls.register(t);
        SignalSyscalls.register(t);
        TimeSyscalls.register(t);
        TimerSyscalls.register(t);
        SignalFdSyscalls.register(t);
        InotifySyscalls.register(t);
        PidFdSyscalls.register(t);
        PosixTimerSyscalls.register(t);
        MiscSyscalls.register(t);
        SystemInfoSyscalls.register(t);
        return t;
    }

    public void setTracer(SyscallTracer tracer) {
        this.tracer = tracer;
    }

    void add(int number, Support support, String note, SyscallHandler handler) {
        if (entries[number] != null) throw new IllegalStateException("syscall " + number + " registered twice");
        String name = Objects.requireNonNull(SyscallNumbers.name(number), "no name for syscall " + number);
        entries[number] = new SyscallEntry(number, name, handler, support, note);
    }

    public SyscallEntry entry(int number) {
        return number >= 0 && number < SIZE ? entries[number] : null;
    }

    /** Every implemented call, by number. */
    public List<SyscallEntry> entries() {
        List<SyscallEntry> out = new ArrayList<>();
        for (SyscallEntry e : entries) if (e != null) out.add(e);
        return out;
    }

    @Override
    public void dispatch(Task task) {
        UserRegisters r = task.registers();
        long nr = r.rax;
        task.signals().setSyscallNumber(nr);
        if (task.tracee() != null) {
            // A ptrace syscall-enter-stop: the tracer may change the number (orig_rax) and the
            // arguments; -1 skips the call, leaving RAX (-ENOSYS unless the tracer set it).
            if (!PtraceStops.syscallEntry(task)) return;
            nr = task.signals().syscallNumber();
            if (nr == -1) {
                PtraceStops.syscallExit(task);
                return;
            }
        }
        Args args = new Args(r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9);
        SyscallEntry e = nr >= 0 && nr < SIZE ? entries[(int) nr] : null;
        SyscallTracer t = tracer;
        long result;
        if (e == null) {
            result = unknown(task, nr);
        } else {
            if (t != null && t.announcesBeforeCall(e)) t.beforeCall(task, (int) nr, args);
            result = invoke(task, e, args);
        }
        // The restart codes (ERESTARTSYS...) stay in RAX: signal delivery, right after this
        // call, turns them into EINTR or runs the call again (kernel/SyscallRestart).
        // exit and exit_group do not return; everything else leaves its result in RAX.
        if (result != EXITED) r.rax = result;
        if (t != null && result != EXITED) t.afterCall(task, (int) nr, args, result);
        if (result != EXITED && task.tracee() != null) PtraceStops.syscallExit(task);
    }

    // The rare cases below are methods of their own: dispatch and invoke run every system
    // call, and HotSpot inlines and compiles them sooner the smaller they are.

    private static long unknown(Task task, long nr) {
        task.kernel().log().infoOnce("nosys" + nr, "unknown syscall " + nr
                + (nr >= 0 && nr < SIZE && SyscallNumbers.name((int) nr) != null ? " (" + SyscallNumbers.name((int) nr) + ")" : "")
                + ": ENOSYS");
        return -Errno.ENOSYS.number();
    }

    /** Returned by handlers that ended the task: no result is written back. */
    static final long EXITED = Long.MIN_VALUE;

    private static long invoke(Task task, SyscallEntry e, Args args) {
        try {
            return e.handler().call(task, args);
        } catch (LinuxException x) {
            return -x.errno().number();
        } catch (RuntimeException | StackOverflowError x) {
            return oops(task, e, args, x);
        }
    }

    private static long oops(Task task, SyscallEntry e, Args args, Throwable x) {
        task.kernel().log().oops(e.name() + Arrays.toString(Arrays.stream(args.toArray()).mapToObj(Long::toHexString).toArray())
                + " in pid " + task.group().pid(), x);
        task.group().exit(WaitStatus.signaled(Signal.SIGKILL, false));
        return EXITED;
    }
}
