package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Rlimit;
import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfoLayout;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.File;
import dev.jux.fs.FdTable;
import dev.jux.fs.procfs.ProcFs;
import dev.jux.kernel.PidFd;
import dev.jux.kernel.Ptrace;
import dev.jux.kernel.SignalSender;
import dev.jux.kernel.Task;
import dev.jux.kernel.ThreadGroup;

/**
 * pidfd_open(2), pidfd_send_signal(2) and pidfd_getfd(2) (kernel/pid.c, kernel/signal.c), over
 * kernel/PidFd. waitid's P_PIDFD is in WaitSyscalls, clone's CLONE_PIDFD in kernel/Clone.
 */
final class PidFdSyscalls {
    private PidFdSyscalls() {}

    /** pidfd_open's PIDFD_NONBLOCK (O_NONBLOCK) and PIDFD_THREAD (O_EXCL, Linux 6.9: a pidfd of one thread). */
    static final int PIDFD_NONBLOCK = OpenFlags.O_NONBLOCK, PIDFD_THREAD = OpenFlags.O_EXCL;
    /** pidfd_send_signal's scopes (Linux 6.9). */
    static final int PIDFD_SIGNAL_THREAD = 1, PIDFD_SIGNAL_THREAD_GROUP = 2, PIDFD_SIGNAL_PROCESS_GROUP = 4;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.PIDFD_OPEN, Support.PARTIAL, "PIDFD_NONBLOCK; PIDFD_THREAD (thread pidfds, Linux 6.9) is EINVAL",
                (task, a) -> open(task, a.i(0), a.i(1)));
        t.add(SyscallNumbers.PIDFD_SEND_SIGNAL, Support.FULL, "", (task, a) -> sendSignal(task, a.i(0), a.i(1), a.a2(), a.i(3)));
        t.add(SyscallNumbers.PIDFD_GETFD, Support.FULL, "", (task, a) -> getFd(task, a.i(0), a.i(1), a.i(2)));
    }

    /** pidfd_open: EINVAL for other flags or pid <= 0, ESRCH for no such process, ENOENT for a thread's id. */
    static long open(Task t, int pid, int flags) {
        if ((flags & ~(PIDFD_NONBLOCK | PIDFD_THREAD)) != 0) throw new LinuxException(Errno.EINVAL);
        if ((flags & PIDFD_THREAD) != 0) throw new LinuxException(Errno.EINVAL, "thread pidfds are not supported");
        if (pid <= 0) throw new LinuxException(Errno.EINVAL);
        ThreadGroup g = t.kernel().process(pid);
        if (g == null) {
            // A live thread's id names no thread group: ENOENT in current Linux (6.18 measured;
            // kernels before pidfs's rework said EINVAL).
            if (t.kernel().task(pid) != null) throw new LinuxException(Errno.ENOENT);
            throw new LinuxException(Errno.ESRCH);
        }
        return install(t, new PidFd(g, flags));
    }

    /** A new fd for {@code f}, always close-on-exec (pidfd_create). */
    static int install(Task t, PidFd f) {
        return t.group().files().install(f, 0, true, t.group().limits().soft(Rlimit.RLIMIT_NOFILE));
    }

    /**
     * pidfd_send_signal: EINVAL for unknown or several scope flags, EBADF unless pidfd is one,
     * then with a siginfo its si_signo must be sig (EINVAL) and only the caller itself may be
     * sent a kernel-looking si_code (EPERM); then kill(2)'s rules, ESRCH once reaped.
     */
    static long sendSignal(Task t, int pidfd, int sig, long info, int flags) {
        int scopes = PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP;
        if ((flags & ~scopes) != 0 || Integer.bitCount(flags) > 1) throw new LinuxException(Errno.EINVAL);
        ThreadGroup target = signalTarget(t, pidfd);
        if (info != 0) {
            t.memory().checkAccess(info, SigInfoLayout.SIZE, false);
            if (t.memory().readInt(info + SigInfoLayout.SIGNO) != sig) throw new LinuxException(Errno.EINVAL);
            int code = t.memory().readInt(info + SigInfoLayout.CODE);
            boolean self = target == t.group() && flags != PIDFD_SIGNAL_PROCESS_GROUP;
            if (!self && (code >= 0 || code == SigCode.SI_TKILL)) throw new LinuxException(Errno.EPERM);
        }
        if (target == null || t.kernel().process(target.pid()) != target) throw new LinuxException(Errno.ESRCH);
        if (sig < 0 || sig > 64) throw new LinuxException(Errno.EINVAL);
        switch (flags) {
            case PIDFD_SIGNAL_THREAD -> SignalSender.killThread(t, target.pid(), target.pid(), sig);
            case PIDFD_SIGNAL_PROCESS_GROUP -> SignalSender.kill(t, -target.processGroup(), sig);
            default -> {
                if (info == 0) {
                    SignalSender.kill(t, target.pid(), sig);
                } else {
                    if (!SignalSender.permitted(t.group(), target, sig)) throw new LinuxException(Errno.EPERM);
                    if (sig != 0) SignalSender.toProcess(target, SignalSyscalls.userInfo(t, sig, info));
                }
            }
        }
        return 0;
    }

    /**
     * pidfd_getfd: EINVAL for flags, EBADF unless pidfd is one, ESRCH once the process is
     * reaped, EPERM without ptrace's attach rights, EBADF for a target fd it does not have;
     * the copy is close-on-exec.
     */
    static long getFd(Task t, int pidfd, int targetFd, int flags) {
        if (flags != 0) throw new LinuxException(Errno.EINVAL);
        ThreadGroup target = pidFd(t, pidfd).process();
        if (t.kernel().process(target.pid()) != target) throw new LinuxException(Errno.ESRCH);
        if (target != t.group() && !Ptrace.mayAttach(t.group(), target)) throw new LinuxException(Errno.EPERM);
        File f;
        try {
            f = target.files().get(targetFd);
        } catch (LinuxException e) {
            // An exiting process has let its files go: that is ESRCH, not EBADF (pidfd_getfd).
            if (target.isExiting() || target.isZombie()) throw new LinuxException(Errno.ESRCH);
            throw e;
        }
        FdTable.holdReference(f);
        try {
            return t.group().files().install(f, 0, true, t.group().limits().soft(Rlimit.RLIMIT_NOFILE));
        } finally {
            FdTable.dropReference(f);
        }
    }

    /**
     * The process pidfd_send_signal's fd names (pidfd_to_pid): a pidfd's, or that of a /proc/PID
     * directory's fd, null if that process is gone; EBADF for any other file.
     */
    private static ThreadGroup signalTarget(Task t, int fd) {
        File f = t.group().files().get(fd);
        if (f instanceof PidFd p) return p.process();
        int pid = f.location() == null || f.isPathOnly() ? 0 : ProcFs.processDirectoryPid(f.location());
        if (pid == 0) throw new LinuxException(Errno.EBADF);
        return t.kernel().process(pid);
    }

    /** The pidfd behind {@code fd}: EBADF for any other file (pidfd_get_pid). */
    static PidFd pidFd(Task t, int fd) {
        if (!(t.group().files().get(fd) instanceof PidFd p)) throw new LinuxException(Errno.EBADF);
        return p;
    }
}
