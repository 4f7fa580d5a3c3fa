package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Signal;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.ChildWait;
import dev.jux.kernel.PidFd;
import dev.jux.kernel.Task;
import dev.jux.mm.AddressSpace;

import static dev.jux.abi.WaitStatus.*;

/** wait4 and waitid (kernel/ChildWait). */
final class WaitSyscalls {
    private WaitSyscalls() {}

    static final int P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;
    /** struct rusage on x86-64. */
    static final int RUSAGE_SIZE = 144;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.WAIT4, Support.PARTIAL, "*rusage is the child's and its reaped children's usage (CPU time from the host threads)", WaitSyscalls::wait4);
        t.add(SyscallNumbers.WAITID, Support.FULL, "", WaitSyscalls::waitid);
    }

    /** Implements wait4(2): pid > 0 that child, -1 any, 0 the caller's group, < -1 the group -pid. */
    static long wait4(Task t, Args a) {
        int pid = a.i(0), options = a.i(2);
        if ((options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) != 0) throw new LinuxException(Errno.EINVAL);
        if (pid == Integer.MIN_VALUE) throw new LinuxException(Errno.ESRCH);
        ChildWait.Which which;
        int id;
        if (pid > 0) {
            which = ChildWait.Which.PID;
            id = pid;
        } else if (pid == -1) {
            which = ChildWait.Which.ALL;
            id = 0;
        } else {
            which = ChildWait.Which.PGID;
            id = pid == 0 ? t.group().processGroup() : -pid;
        }
        ChildWait.Result r = ChildWait.await(t, which, id, options | WEXITED);
        if (r == null) return 0;
        if (a.a1() != 0) t.memory().writeInt(a.a1(), r.waitStatus());
        if (a.a3() != 0) t.memory().write(a.a3(), r.usage().toBytes());
        return r.pid();
    }

    /** Implements waitid(2): fills si_signo, si_errno, si_code, si_pid, si_uid and si_status (all zero if WNOHANG found nothing). */
    static long waitid(Task t, Args a) {
        int idType = a.i(0), id = a.i(1), options = a.i(3);
        if ((options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) != 0) {
            throw new LinuxException(Errno.EINVAL);
        }
        if ((options & (WEXITED | WSTOPPED | WCONTINUED)) == 0) throw new LinuxException(Errno.EINVAL);
        boolean nonblockingPidfd = false;
        ChildWait.Which which = switch (idType) {
            case P_ALL -> ChildWait.Which.ALL;
            case P_PID -> {
                if (id <= 0) throw new LinuxException(Errno.EINVAL);
                yield ChildWait.Which.PID;
            }
            case P_PGID -> {
                if (id < 0) throw new LinuxException(Errno.EINVAL);
                if (id == 0) id = t.group().processGroup();
                yield ChildWait.Which.PGID;
            }
            case P_PIDFD -> {
                if (id < 0) throw new LinuxException(Errno.EINVAL);
                PidFd pidfd = PidFdSyscalls.pidFd(t, id);
                nonblockingPidfd = (pidfd.statusFlags() & OpenFlags.O_NONBLOCK) != 0;
                id = pidfd.process().pid();
                yield ChildWait.Which.PID;
            }
            default -> throw new LinuxException(Errno.EINVAL);
        };
        ChildWait.Result r;
        try {
            r = ChildWait.await(t, which, id, nonblockingPidfd ? options | WNOHANG : options);
            // A PIDFD_NONBLOCK pidfd makes a wait that would block fail with EAGAIN (kernel_waitid).
            if (r == null && nonblockingPidfd && (options & WNOHANG) == 0) throw new LinuxException(Errno.EAGAIN);
        } catch (LinuxException e) {
            // Linux fills infop even when the wait failed, and a bad infop turns any error into EFAULT.
            writeInfo(t, a.a2(), null);
            throw e;
        }
        writeInfo(t, a.a2(), r);
        if (r != null && a.a4() != 0) t.memory().write(a.a4(), r.usage().toBytes());
        return 0;
    }

    /** The fields waitid stores: zeros when nothing was found. */
    private static void writeInfo(Task t, long info, ChildWait.Result r) {
        if (info == 0) return;
        AddressSpace m = t.memory();
        m.writeInt(info, r == null ? 0 : Signal.SIGCHLD.number());
        m.writeInt(info + 4, 0);
        m.writeInt(info + 8, r == null ? 0 : r.code());
        m.writeInt(info + 16, r == null ? 0 : r.pid());
        m.writeInt(info + 20, r == null ? 0 : r.uid());
        m.writeInt(info + 24, r == null ? 0 : r.status());
    }
}
