package dev.jux.syscall.strace;

import dev.jux.abi.Errno;
import dev.jux.abi.Hex;
import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import dev.jux.abi.SyscallNumbers;

/**
 * The lines strace prints for events rather than calls: a signal delivered
 * ({@code --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---}) and the end
 * of a process ({@code +++ exited with 0 +++}, {@code +++ killed by SIGKILL +++}).
 */
public final class StraceEvents {
    private StraceEvents() {}

    /** The audit architecture seccomp reports for x86-64 (EM_X86_64 | 64BIT | LE). */
    private static final int AUDIT_ARCH_X86_64 = 0xc000003e;

    /** {@code --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, ...} ---}. */
    public static String signal(SigInfo info) {
        Signal sig = info.signal();
        StringBuilder sb = new StringBuilder("--- ").append(sig.name())
                .append(" {si_signo=").append(sig.name())
                .append(", si_code=").append(SigCode.render(sig, info.code()));
        switch (info) {
            case SigInfo.Kill k -> sb.append(", si_pid=").append(k.pid()).append(", si_uid=").append(k.uid());
            case SigInfo.Queue q -> sb.append(", si_pid=").append(q.pid()).append(", si_uid=").append(q.uid())
                    .append(value(q.value()));
            case SigInfo.Timer t -> sb.append(", si_timerid=").append(t.timerId())
                    .append(", si_overrun=").append(t.overrun()).append(value(t.value()));
            case SigInfo.Child c -> sb.append(", si_pid=").append(c.pid()).append(", si_uid=").append(c.uid())
                    .append(", si_status=").append(childStatus(c))
                    .append(", si_utime=").append(c.utime()).append(", si_stime=").append(c.stime());
            case SigInfo.Fault f -> sb.append(", si_addr=").append(Printer.pointer(f.addr()));
            case SigInfo.Poll p -> sb.append(", si_band=").append(p.band()).append(", si_fd=").append(p.fd());
            case SigInfo.Kernel k -> {}
            case SigInfo.Seccomp s -> {
                if (s.errno() != 0) sb.append(", si_errno=").append(errnoName(s.errno()));
                String name = SyscallNumbers.name(s.syscall());
                sb.append(", si_call_addr=").append(Printer.pointer(s.callAddr()))
                        .append(", si_syscall=").append(name != null ? "__NR_" + name : Integer.toString(s.syscall()))
                        .append(", si_arch=").append(s.arch() == AUDIT_ARCH_X86_64 ? "AUDIT_ARCH_X86_64" : Hex.of(s.arch()));
            }
        }
        return sb.append("} ---").toString();
    }

    /** {@code +++ exited with 0 +++}; only the low 8 bits of the status survive, as in wait(2). */
    public static String exited(int status) {
        return "+++ exited with " + (status & 0xff) + " +++";
    }

    /** {@code +++ killed by SIGSEGV (core dumped) +++}. */
    public static String killed(Signal signal, boolean coreDumped) {
        return "+++ killed by " + signal.name() + (coreDumped ? " (core dumped)" : "") + " +++";
    }

    /** A sigval: strace shows it both as the int and as the pointer. */
    private static String value(long v) {
        return ", si_int=" + (int) v + ", si_ptr=" + Printer.pointer(v);
    }

    private static String childStatus(SigInfo.Child c) {
        if (c.code() == SigCode.CLD_EXITED) return Integer.toString(c.status());
        Signal s = Signal.of(c.status());
        return s != null ? s.name() : Integer.toString(c.status());
    }

    private static String errnoName(int errno) {
        Errno e = Errno.of(errno);
        return e != null ? e.name() : Integer.toString(errno);
    }
}
