package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.Signal;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.SignalInfo;
import dev.jux.kernel.Task;
import dev.jux.kernel.TraceSink;
import dev.jux.kernel.WaitStatus;
import java.io.PrintStream;

/** {@code --strace}: one line per system call and per signal or exit event, as strace prints them. */
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
        out.println(SyscallNumbers.name(nr) + "(" + args.i(0) + ") = ?");
    }

    @Override
    public void afterCall(Task task, int nr, Args args, long result) {
        String name = SyscallNumbers.name(nr);
        StringBuilder b = new StringBuilder(name != null ? name : "syscall_" + nr).append('(');
        long[] a = args.toArray();
        for (int i = 0; i < 6; i++) {
            if (i > 0) b.append(", ");
            b.append("0x").append(Long.toHexString(a[i]));
        }
        b.append(") = ");
        if (result < 0 && result >= -4095) {
            Errno e = Errno.of((int) -result);
            b.append("-1 ").append(e != null ? e.name() + " (" + e.message() + ")" : String.valueOf(-result));
        } else {
            b.append(result);
        }
        out.println(b);
    }

    @Override
    public void signal(Task task, SignalInfo info) {
        out.println("--- " + Signal.name(info.signo()) + " {si_signo=" + Signal.name(info.signo()) + ", si_code=" + info.code()
                + ", si_addr=0x" + Long.toHexString(info.address()) + "} ---");
    }

    @Override
    public void exited(Task task, int status) {
        if (WaitStatus.isSignaled(status)) {
            out.println("+++ killed by " + Signal.name(WaitStatus.termSignal(status)) + ((status & 0x80) != 0 ? " (core dumped)" : "") + " +++");
        } else {
            out.println("+++ exited with " + WaitStatus.exitCode(status) + " +++");
        }
    }
}
