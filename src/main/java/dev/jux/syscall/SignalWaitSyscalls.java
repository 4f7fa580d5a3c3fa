package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SigInfo;
import dev.jux.abi.SigInfoLayout;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.SignalSet;
import dev.jux.kernel.Task;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.util.function.ToLongFunction;

/**
 * Waiting for signals: pause, rt_sigsuspend, rt_sigtimedwait, and restart_syscall, which
 * continues a call interrupted with ERESTART_RESTARTBLOCK (see kernel/SyscallRestart).
 */
final class SignalWaitSyscalls {
    private SignalWaitSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.PAUSE, Support.FULL, "", SignalWaitSyscalls::pause);
        t.add(SyscallNumbers.RT_SIGSUSPEND, Support.FULL, "", SignalWaitSyscalls::rtSigsuspend);
        t.add(SyscallNumbers.RT_SIGTIMEDWAIT, Support.FULL, "", SignalWaitSyscalls::rtSigtimedwait);
        t.add(SyscallNumbers.RESTART_SYSCALL, Support.FULL, "", SignalWaitSyscalls::restartSyscall);
    }

    /** Implements pause(2): sleeps until a signal; a handler makes it EINTR, anything else restarts it. */
    static long pause(Task t, Args a) {
        t.block(() -> false, Waiter.FOREVER);
        throw new LinuxException(Errno.ERESTARTNOHAND);
    }

    /**
     * Implements rt_sigsuspend(2): waits with the given mask; the old mask comes back after the
     * handler (it is what the signal frame saves) or at once if none runs (saved_sigmask).
     */
    static long rtSigsuspend(Task t, Args a) {
        if (a.a1() != SignalSyscalls.SIGSET_SIZE) throw new LinuxException(Errno.EINVAL);
        long mask = t.memory().readLong(a.a0());
        t.signals().saveMask(t.signalMask());
        t.setSignalMask(mask);
        t.block(() -> false, Waiter.FOREVER);
        throw new LinuxException(Errno.ERESTARTNOHAND);
    }

    /**
     * Implements rt_sigtimedwait(2): takes a pending signal of the set (unblocking the set while
     * waiting, as Linux's real_blocked), EAGAIN when the timeout passes, EINTR when another
     * signal comes first.
     */
    static long rtSigtimedwait(Task t, Args a) {
        if (a.a3() != SignalSyscalls.SIGSET_SIZE) throw new LinuxException(Errno.EINVAL);
        long set = t.memory().readLong(a.a0()) & ~SignalSet.UNBLOCKABLE;
        long deadline = Waiter.FOREVER;
        if (a.a2() != 0) {
            long timeout = TimeSyscalls.readTimespec(t, a.a2());
            deadline = TimeSyscalls.saturatingAdd(System.nanoTime(), timeout);
        }
        SigInfo info = t.dequeueSignal(set);
        if (info == null) {
            long blocked = t.signalMask();
            t.setSignalMask(blocked & ~set);
            Wakeup w;
            try {
                w = t.block(() -> (t.pendingSignals() & set) != 0, deadline);
            } finally {
                t.setSignalMask(blocked);
            }
            info = t.dequeueSignal(set);
            if (info == null) throw new LinuxException(w == Wakeup.TIMED_OUT ? Errno.EAGAIN : Errno.EINTR);
        }
        if (a.a1() != 0) t.memory().write(a.a1(), SigInfoLayout.encode(info));
        return info.signal().number();
    }

    /** Implements restart_syscall(2): whatever the interrupted call left to do, or EINTR. */
    static long restartSyscall(Task t, Args a) {
        ToLongFunction<Task> block = t.signals().takeRestartBlock();
        if (block == null) throw new LinuxException(Errno.EINTR);
        return block.applyAsLong(t);
    }
}
