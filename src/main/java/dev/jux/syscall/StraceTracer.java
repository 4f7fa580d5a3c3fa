package dev.jux.syscall;

import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import dev.jux.abi.SyscallNumbers;
import dev.jux.abi.WaitStatus;
import dev.jux.kernel.Task;
import dev.jux.kernel.TraceSink;
import dev.jux.syscall.strace.StraceEvents;
import dev.jux.syscall.strace.StraceFormatter;
import java.io.PrintStream;

/**
 * {@code --strace}: one line per system call and per signal or exit event, as strace prints
 * them (see syscall/strace). Buffers are shown from guest memory after the call.
 */
public final class StraceTracer implements SyscallTracer, TraceSink {
    private final PrintStream out;

    public StraceTracer(PrintStream out) {
        this.out = out;
    }

    @Override
    public boolean announcesBeforeCall(SyscallEntry entry) {
        return entry.number() == SyscallNumbers.EXIT || entry.number() == SyscallNumbers.EXIT_GROUP;
    }

    @Override
    public void beforeCall(Task task, int nr, Args args) {
        // exit and exit_group never return: strace prints them with "= ?".
        out.println(StraceFormatter.align(StraceFormatter.formatCall(nr, args.toArray(), 0, task.memory()), "?"));
    }

    @Override
    public void afterCall(Task task, int nr, Args args, long result) {
        out.println(StraceFormatter.formatAligned(nr, args.toArray(), result, task.memory()));
    }

    @Override
    public void signal(Task task, SigInfo info) {
        out.println(StraceEvents.signal(info));
    }

    @Override
    public void exited(Task task, int status) {
        out.println(WaitStatus.isSignaled(status)
                ? StraceEvents.killed(Signal.of(WaitStatus.termSignal(status)), (status & 0x80) != 0)
                : StraceEvents.exited(WaitStatus.exitCode(status)));
    }
}
