package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.SigSet;
import dev.jux.abi.Signal;
import dev.jux.abi.SyscallNumbers;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.SignalDisposition;
import dev.jux.kernel.SignalSet;
import dev.jux.kernel.SignalSender;
import dev.jux.kernel.Task;
import dev.jux.mm.AddressSpace;

/** Signal dispositions, masks and sending. Running user handlers needs the signal frame of issue 4. */
final class SignalSyscalls {
    private SignalSyscalls() {}

    static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    /** The kernel's sigset_t on x86-64 is 64 bits; any other size is EINVAL. */
    static final long SIGSET_SIZE = SigSet.SIZE;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.RT_SIGACTION, Support.PARTIAL, "dispositions are kept; handlers run from issue 4 on", SignalSyscalls::rtSigaction);
        t.add(SyscallNumbers.RT_SIGPROCMASK, Support.FULL, "", SignalSyscalls::rtSigprocmask);
        t.add(SyscallNumbers.RT_SIGPENDING, Support.FULL, "", SignalSyscalls::rtSigpending);
        t.add(SyscallNumbers.KILL, Support.FULL, "a process, a group (0, -pgrp) or all (-1); pid 1 is not protected from its own guest (unlike a namespace init)", SignalSyscalls::kill);
        t.add(SyscallNumbers.TGKILL, Support.FULL, "", SignalSyscalls::tgkill);
        t.add(SyscallNumbers.TKILL, Support.FULL, "", SignalSyscalls::tkill);
    }

    private static int checkSignal(int sig) {
        if (sig < 1 || sig > 64) throw new LinuxException(Errno.EINVAL);
        return sig;
    }

    /** Implements rt_sigaction(2). struct kernel_sigaction: handler, flags, restorer, mask. */
    static long rtSigaction(Task t, Args a) {
        int sig = checkSignal(a.i(0));
        if (a.a3() != SIGSET_SIZE) throw new LinuxException(Errno.EINVAL);
        AddressSpace mem = t.memory();
        SignalDisposition old = t.group().action(sig);
        SignalDisposition next = null;
        if (a.a1() != 0) {
            if (sig == Signal.SIGKILL.number() || sig == Signal.SIGSTOP.number()) throw new LinuxException(Errno.EINVAL);
            next = new SignalDisposition(mem.readLong(a.a1()), mem.readLong(a.a1() + 8), mem.readLong(a.a1() + 16),
                    mem.readLong(a.a1() + 24) & ~SignalSet.UNBLOCKABLE);
        }
        if (a.a2() != 0) {
            mem.writeLong(a.a2(), old.handler());
            mem.writeLong(a.a2() + 8, old.flags());
            mem.writeLong(a.a2() + 16, old.restorer());
            mem.writeLong(a.a2() + 24, old.mask());
        }
        if (next != null) t.group().setAction(sig, next);
        return 0;
    }

    /** Implements rt_sigprocmask(2). SIGKILL and SIGSTOP are silently left unblocked, as on Linux. */
    static long rtSigprocmask(Task t, Args a) {
        if (a.a3() != SIGSET_SIZE) throw new LinuxException(Errno.EINVAL);
        long old = t.signalMask();
        if (a.a1() != 0) {
            long set = t.memory().readLong(a.a1());
            switch (a.i(0)) {
                case SIG_BLOCK -> t.setSignalMask(old | set);
                case SIG_UNBLOCK -> t.setSignalMask(old & ~set);
                case SIG_SETMASK -> t.setSignalMask(set);
                default -> throw new LinuxException(Errno.EINVAL);
            }
        }
        if (a.a2() != 0) t.memory().writeLong(a.a2(), old);
        return 0;
    }

    /** Implements rt_sigpending(2): the signals pending and blocked. */
    static long rtSigpending(Task t, Args a) {
        if (a.a1() > SIGSET_SIZE) throw new LinuxException(Errno.EINVAL);
        t.memory().writeLong(a.a0(), t.pendingSignals() & t.signalMask());
        return 0;
    }

    /** Implements kill(2) (kernel/SignalSender): a process, a group, or everyone. Signal 0 only checks. */
    static long kill(Task t, Args a) {
        int sig = a.i(1);
        if (sig != 0) checkSignal(sig);
        SignalSender.kill(t, a.i(0), sig);
        return 0;
    }

    /** Implements tgkill(2). */
    static long tgkill(Task t, Args a) {
        int tgid = a.i(0), tid = a.i(1), sig = a.i(2);
        if (tgid <= 0 || tid <= 0) throw new LinuxException(Errno.EINVAL);
        if (sig != 0) checkSignal(sig);
        SignalSender.killThread(t, tgid, tid, sig);
        return 0;
    }

    /** Implements tkill(2). */
    static long tkill(Task t, Args a) {
        int tid = a.i(0), sig = a.i(1);
        if (tid <= 0) throw new LinuxException(Errno.EINVAL);
        if (sig != 0) checkSignal(sig);
        SignalSender.killThread(t, 0, tid, sig);
        return 0;
    }
}
