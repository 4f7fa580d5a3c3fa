package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Rlimit;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.File;
import dev.jux.kernel.SignalFd;
import dev.jux.kernel.Task;

/** signalfd(2) and signalfd4(2): kernel/SignalFd. */
final class SignalFdSyscalls {
    private SignalFdSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.SIGNALFD, Support.FULL, "", (task, a) -> signalfd(task, a.i(0), a.a1(), a.a2(), 0));
        t.add(SyscallNumbers.SIGNALFD4, Support.PARTIAL, "a signalfd polled from another process reports its creator's signals",
                (task, a) -> signalfd(task, a.i(0), a.a1(), a.a2(), a.i(3)));
    }

    /** do_signalfd4: EINVAL for other flags or a sizemask other than 8; fd -1 makes one, else fd's mask changes (EINVAL if it is no signalfd). */
    static long signalfd(Task t, int fd, long maskAddr, long sizemask, int flags) {
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK)) != 0) throw new LinuxException(Errno.EINVAL);
        if (sizemask != 8) throw new LinuxException(Errno.EINVAL);
        long mask = t.memory().readLong(maskAddr);
        if (fd == -1) {
            File f = new SignalFd(t.group(), mask, flags);
            return t.group().files().install(f, 0, (flags & OpenFlags.O_CLOEXEC) != 0, t.group().limits().soft(Rlimit.RLIMIT_NOFILE));
        }
        File f = t.group().files().get(fd);
        if (f == null) throw new LinuxException(Errno.EBADF);
        if (!(f instanceof SignalFd s)) throw new LinuxException(Errno.EINVAL);
        s.setMask(mask);
        return fd;
    }
}
