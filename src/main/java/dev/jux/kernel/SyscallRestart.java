package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.SignalAction;
import dev.jux.abi.SyscallNumbers;
import dev.jux.platform.UserRegisters;

/**
 * What becomes of a system call that a signal interrupted (arch/x86/kernel/signal.c:
 * handle_signal and arch_do_signal_or_restart). Blocking calls return one of the
 * kernel-internal codes; this decides, once the signal's fate is known, between EINTR and
 * running the call again ({@code syscall} is two bytes: rip -= 2, rax = the call number).
 */
final class SyscallRestart {
    private SyscallRestart() {}

    private static final int SYSCALL_INSN_SIZE = 2;

    /** A handler is about to run with {@code saFlags}. */
    static void beforeHandler(TaskSignals s, UserRegisters r, long saFlags) {
        long nr = s.syscallNumber();
        if (nr == -1) return;
        s.setSyscallNumber(-1);
        Errno e = restartCode(r.rax);
        if (e == null) return;
        switch (e) {
            case ERESTART_RESTARTBLOCK, ERESTARTNOHAND -> r.rax = -Errno.EINTR.number();
            case ERESTARTSYS -> {
                if ((saFlags & SignalAction.SA_RESTART) == 0) r.rax = -Errno.EINTR.number();
                else again(r, nr);
            }
            case ERESTARTNOINTR -> again(r, nr);
            default -> { }
        }
    }

    /** No handler ran (the signal was ignored, or stopped and continued the task): every code restarts. */
    static void withoutHandler(TaskSignals s, UserRegisters r) {
        long nr = s.syscallNumber();
        if (nr == -1) return;
        s.setSyscallNumber(-1);
        Errno e = restartCode(r.rax);
        if (e == null) return;
        if (e == Errno.ERESTART_RESTARTBLOCK) again(r, SyscallNumbers.RESTART_SYSCALL);
        else again(r, nr);
    }

    private static void again(UserRegisters r, long nr) {
        r.rax = nr;
        r.rip -= SYSCALL_INSN_SIZE;
    }

    private static Errno restartCode(long rax) {
        if (rax > -Errno.ERESTARTSYS.number() || rax < -Errno.ERESTART_RESTARTBLOCK.number()) return null;
        Errno e = Errno.of((int) -rax);
        return e != null && e.isRestart() ? e : null;
    }
}
