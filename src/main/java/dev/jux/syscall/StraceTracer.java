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
 * them (see syscall/strace). Buffers are shown from guest memory after the call. Children are
 * followed, as {@code strace -f}: while more than one process exists, each line starts with
 * {@code [pid N] }. A call is printed when it returns (strace's "&lt;unfinished ...&gt;" and
 * "resumed" pairs for calls that block while others run are not made).
 */
public final class StraceTracer implements SyscallTracer, TraceSink {
    private final PrintStream out;

    public StraceTracer(PrintStream out) {
        this.out = out;
    }

    /** A successful execve's line, formatted from the old memory before the new image replaces it. */
    private final ThreadLocal<String> execLine = new ThreadLocal<>();

    @Override
    public boolean announcesBeforeCall(SyscallEntry entry) {
        return entry.number() == SyscallNumbers.EXIT || entry.number() == SyscallNumbers.EXIT_GROUP || isExec(entry.number());
    }

    @Override
    public void beforeCall(Task task, int nr, Args args) {
        if (isExec(nr)) {
            execLine.set(StraceFormatter.formatAligned(nr, args.toArray(), 0, task.memory()));
            return;
        }
        // exit and exit_group never return: strace prints them with "= ?".
        print(task, StraceFormatter.align(StraceFormatter.formatCall(nr, args.toArray(), 0, task.memory()), "?"));
    }

    private static boolean isExec(int nr) {
        return nr == SyscallNumbers.EXECVE || nr == SyscallNumbers.EXECVEAT;
    }

    @Override
    public void afterCall(Task task, int nr, Args args, long result) {
        String saved = isExec(nr) ? execLine.get() : null;
        execLine.remove();
        if (saved != null && result == 0) {
            print(task, saved);
            return;
        }
        print(task, StraceFormatter.formatAligned(nr, args.toArray(), result, task.memory()));
    }

    @Override
    public void signal(Task task, SigInfo info) {
        print(task, StraceEvents.signal(info));
    }

    @Override
    public void exited(Task task, int status) {
        print(task, WaitStatus.isSignaled(status)
                ? StraceEvents.killed(Signal.of(WaitStatus.termSignal(status)), (status & 0x80) != 0)
                : StraceEvents.exited(WaitStatus.exitCode(status)));
    }

    /** strace's printleader: "[pid N] " in front while it traces more than one process. */
    private void print(Task task, String line) {
        out.println(task.kernel().pids().size() > 1 ? String.format("[pid %5d] %s", task.tid(), line) : line);
    }
}
