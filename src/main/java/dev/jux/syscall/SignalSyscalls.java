package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.SigSet;
import dev.jux.abi.Signal;
import dev.jux.abi.SyscallNumbers;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SigInfoLayout;
import dev.jux.abi.SignalAction;
import dev.jux.kernel.AltStack;
import dev.jux.kernel.SignalDisposition;
import dev.jux.kernel.SignalSet;
import dev.jux.kernel.SignalSender;
import dev.jux.kernel.Task;
import dev.jux.kernel.ThreadGroup;
import dev.jux.mm.AddressSpace;

/** Signal dispositions, masks, sending, the alternate stack and sigreturn (kernel/SignalDelivery runs handlers). */
final class SignalSyscalls {
    private SignalSyscalls() {}

    static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    /** The kernel's sigset_t on x86-64 is 64 bits; any other size is EINVAL. */
    static final long SIGSET_SIZE = SigSet.SIZE;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.RT_SIGACTION, Support.FULL, "", SignalSyscalls::rtSigaction);
        t.add(SyscallNumbers.RT_SIGRETURN, Support.FULL, "", (task, a) -> task.sigreturn());
        t.add(SyscallNumbers.SIGALTSTACK, Support.FULL, "", SignalSyscalls::sigaltstack);
        t.add(SyscallNumbers.RT_SIGQUEUEINFO, Support.FULL, "", SignalSyscalls::rtSigqueueinfo);
        t.add(SyscallNumbers.RT_TGSIGQUEUEINFO, Support.FULL, "", SignalSyscalls::rtTgsigqueueinfo);
        SignalWaitSyscalls.register(t);
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

    /** The sa_flags bits Linux keeps (UAPI_SA_FLAGS); others are cleared, so that callers can probe for support. */
    static final long KNOWN_SA_FLAGS = SignalAction.SA_NOCLDSTOP | SignalAction.SA_NOCLDWAIT | SignalAction.SA_SIGINFO
            | SignalAction.SA_ONSTACK | SignalAction.SA_RESTART | SignalAction.SA_NODEFER | SignalAction.SA_RESETHAND
            | SignalAction.SA_EXPOSE_TAGBITS | SignalAction.SA_RESTORER;

    /** Implements rt_sigaction(2). struct kernel_sigaction: handler, flags, restorer, mask. */
    static long rtSigaction(Task t, Args a) {
        int sig = checkSignal(a.i(0));
        if (a.a3() != SIGSET_SIZE) throw new LinuxException(Errno.EINVAL);
        AddressSpace mem = t.memory();
        SignalDisposition old = t.group().action(sig);
        SignalDisposition next = null;
        if (a.a1() != 0) {
            if (sig == Signal.SIGKILL.number() || sig == Signal.SIGSTOP.number()) throw new LinuxException(Errno.EINVAL);
            next = new SignalDisposition(mem.readLong(a.a1()), mem.readLong(a.a1() + 8) & KNOWN_SA_FLAGS,
                    mem.readLong(a.a1() + 16), mem.readLong(a.a1() + 24) & ~SignalSet.UNBLOCKABLE);
        }
        if (a.a2() != 0) {
            mem.writeLong(a.a2(), old.handler());
            mem.writeLong(a.a2() + 8, old.flags());
            mem.writeLong(a.a2() + 16, old.restorer());
            mem.writeLong(a.a2() + 24, old.mask());
        }
        if (next != null) {
            t.group().setAction(sig, next);
            // POSIX: a pending signal whose action becomes "ignore" is discarded.
            if (next.isIgnore() || (next.isDefault() && Signal.of(sig).defaultAction() == Signal.DefaultAction.IGNORE)) {
                t.discardPending(sig);
            }
        }
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

    /** Implements sigaltstack(2): the old stack is reported only if the change succeeds. */
    static long sigaltstack(Task t, Args a) {
        AddressSpace mem = t.memory();
        long sp = t.registers().rsp;
        AltStack current = t.signals().altStack();
        if (a.a0() != 0) {
            AltStack wanted = new AltStack(mem.readLong(a.a0() + AltStack.OFFSET_SP), mem.readLong(a.a0() + AltStack.OFFSET_SIZE),
                    mem.readInt(a.a0() + AltStack.OFFSET_FLAGS));
            t.signals().setAltStack(AltStack.change(current, sp, wanted));
        }
        if (a.a1() != 0) {
            byte[] old = new byte[AltStack.STRUCT_SIZE];
            var b = java.nio.ByteBuffer.wrap(old).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.putLong(AltStack.OFFSET_SP, current.sp()).putInt(AltStack.OFFSET_FLAGS, current.reportedFlags(sp))
                    .putLong(AltStack.OFFSET_SIZE, current.size());
            mem.write(a.a1(), old);
        }
        return 0;
    }

    /** The siginfo a queueing call sends: the caller's si_code, si_pid, si_uid and si_value, with si_signo = sig. */
    static SigInfo userInfo(Task t, int sig, long uinfo) {
        AddressSpace mem = t.memory();
        int code = mem.readInt(uinfo + SigInfoLayout.CODE);
        return new SigInfo.Queue(Signal.of(sig), code, mem.readInt(uinfo + SigInfoLayout.PID), mem.readInt(uinfo + SigInfoLayout.UID),
                mem.readLong(uinfo + SigInfoLayout.VALUE));
    }

    /**
     * Not even root may pretend to be the kernel (si_code >= 0) or kill/tgkill (SI_TKILL) when
     * sending to another process (do_rt_sigqueueinfo).
     */
    private static void checkQueuedCode(Task t, long uinfo, int target) {
        int code = t.memory().readInt(uinfo + SigInfoLayout.CODE);
        if ((code >= 0 || code == SigCode.SI_TKILL) && target != t.group().pid()) throw new LinuxException(Errno.EPERM);
    }

    /**
     * Implements rt_sigqueueinfo(2) (do_rt_sigqueueinfo, kill_proc_info): the siginfo is read
     * first (EFAULT), a forged si_code is EPERM for another process, then kill(2)'s rules for
     * one process: ESRCH, EINVAL for a bad signal, EPERM without permission.
     */
    static long rtSigqueueinfo(Task t, Args a) {
        int pid = a.i(0), sig = a.i(1);
        t.memory().checkAccess(a.a2(), SigInfoLayout.SIZE, false);
        checkQueuedCode(t, a.a2(), pid);
        ThreadGroup target = pid > 0 ? t.kernel().process(pid) : null;
        if (target == null) throw new LinuxException(Errno.ESRCH);
        if (sig < 0 || sig > 64) throw new LinuxException(Errno.EINVAL);
        if (!SignalSender.permitted(t.group(), target, sig)) throw new LinuxException(Errno.EPERM);
        if (sig != 0) SignalSender.toProcess(target, userInfo(t, sig, a.a2()));
        return 0;
    }

    /** Implements rt_tgsigqueueinfo(2) (do_send_specific): the thread {@code tid} of process {@code tgid}. */
    static long rtTgsigqueueinfo(Task t, Args a) {
        int tgid = a.i(0), tid = a.i(1), sig = a.i(2);
        if (tgid <= 0 || tid <= 0) throw new LinuxException(Errno.EINVAL);
        t.memory().checkAccess(a.a3(), SigInfoLayout.SIZE, false);
        checkQueuedCode(t, a.a3(), tid);
        Task target = t.kernel().task(tid);
        if (target == null || target.group().pid() != tgid) throw new LinuxException(Errno.ESRCH);
        if (sig < 0 || sig > 64) throw new LinuxException(Errno.EINVAL);
        if (!SignalSender.permitted(t.group(), target.group(), sig)) throw new LinuxException(Errno.EPERM);
        if (sig != 0) SignalSender.toTask(target, userInfo(t, sig, a.a3()));
        return 0;
    }
}
