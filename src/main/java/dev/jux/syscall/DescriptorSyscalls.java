package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Rlimit;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.FdTable;
import dev.jux.fs.File;
import dev.jux.fs.pipe.PipeEnd;
import dev.jux.kernel.Task;
import static dev.jux.abi.Fcntl.*;

/** System calls on the descriptor table itself: close, dup, fcntl, and pipes, which make two fds. */
final class DescriptorSyscalls {
    private DescriptorSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.CLOSE, Support.FULL, "", DescriptorSyscalls::close);
        t.add(SyscallNumbers.PIPE, Support.FULL, "", (task, a) -> pipe2(task, a.a0(), 0));
        t.add(SyscallNumbers.PIPE2, Support.FULL, "", (task, a) -> pipe2(task, a.a0(), a.i(1)));
        t.add(SyscallNumbers.DUP, Support.FULL, "", DescriptorSyscalls::dup);
        t.add(SyscallNumbers.DUP2, Support.FULL, "", DescriptorSyscalls::dup2);
        t.add(SyscallNumbers.DUP3, Support.FULL, "", DescriptorSyscalls::dup3);
        t.add(SyscallNumbers.FCNTL, Support.PARTIAL, "fd and status flags, dup, pipe size (F_SETPIPE_SZ as for root: no pipe-max-size limit), POSIX and OFD record locks (no deadlock detection: one process); no leases, owners or seals", DescriptorSyscalls::fcntl);
    }

    /** Implements pipe(2) and pipe2(2); the fds are written only if both could be allocated. */
    static long pipe2(Task t, long fdsAddr, int flags) {
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK | OpenFlags.O_DIRECT)) != 0) throw new LinuxException(Errno.EINVAL);
        var creds = t.group().credentials();
        PipeEnd[] ends = PipeEnd.create(flags & (OpenFlags.O_NONBLOCK | OpenFlags.O_DIRECT), creds.fsuid(), creds.fsgid());
        FdTable files = t.group().files();
        boolean cloexec = (flags & OpenFlags.O_CLOEXEC) != 0;
        long limit = t.group().limits().soft(Rlimit.RLIMIT_NOFILE);
        int r = -1, w = -1;
        try {
            r = files.install(ends[0], 0, cloexec, limit);
            w = files.install(ends[1], 0, cloexec, limit);
            byte[] out = new byte[8];
            java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(r).putInt(w);
            t.memory().write(fdsAddr, out);
            return 0;
        } catch (LinuxException e) {
            if (r >= 0) files.close(r); else ends[0].release();
            if (w >= 0) files.close(w); else ends[1].release();
            throw e;
        }
    }

    private static long fdLimit(Task t) {
        return t.group().limits().soft(Rlimit.RLIMIT_NOFILE);
    }

    /** Implements dup(2). */
    static long dup(Task t, Args a) {
        FdTable files = t.group().files();
        return files.install(files.get(a.i(0)), 0, false, fdLimit(t));
    }

    /** Implements dup2(2): the same fd twice is a no-op that still checks it. */
    static long dup2(Task t, Args a) {
        FdTable files = t.group().files();
        int oldFd = a.i(0), newFd = a.i(1);
        files.get(oldFd);
        if (oldFd == newFd) return newFd;
        return files.duplicateTo(oldFd, newFd, false, fdLimit(t));
    }

    /** Implements dup3(2): EINVAL for equal fds or flags other than O_CLOEXEC. */
    static long dup3(Task t, Args a) {
        int oldFd = a.i(0), newFd = a.i(1), flags = a.i(2);
        if ((flags & ~OpenFlags.O_CLOEXEC) != 0) throw new LinuxException(Errno.EINVAL);
        FdTable files = t.group().files();
        files.get(oldFd);
        if (oldFd == newFd) throw new LinuxException(Errno.EINVAL);
        return files.duplicateTo(oldFd, newFd, (flags & OpenFlags.O_CLOEXEC) != 0, fdLimit(t));
    }

    /** Implements fcntl(2) for fd flags, status flags, dup and the pipe size. */
    static long fcntl(Task t, Args a) {
        FdTable files = t.group().files();
        int fd = a.i(0), cmd = a.i(1);
        File f = files.get(fd);
        if (LockSyscalls.isLockCommand(cmd)) return LockSyscalls.fcntl(t, f, cmd, a.a2());
        switch (cmd) {
            case F_DUPFD, F_DUPFD_CLOEXEC -> {
                int min = a.i(2);
                if (min < 0 || min >= fdLimit(t)) throw new LinuxException(Errno.EINVAL);
                return files.install(f, min, cmd == F_DUPFD_CLOEXEC, fdLimit(t));
            }
            case F_GETFD -> {
                return files.closeOnExec(fd) ? FD_CLOEXEC : 0;
            }
            case F_SETFD -> {
                files.setCloseOnExec(fd, (a.i(2) & FD_CLOEXEC) != 0);
                return 0;
            }
            case F_GETFL -> {
                return f.statusFlags();
            }
            case F_SETFL -> {
                f.setStatusFlags(a.i(2));
                return 0;
            }
            case F_ADD_SEALS -> {
                return MemfdSyscalls.addSeals(f, a.i(2));
            }
            case F_GET_SEALS -> {
                return MemfdSyscalls.getSeals(f);
            }
            case F_GETPIPE_SZ -> {
                if (f.pipe() == null) throw new LinuxException(Errno.EBADF);
                return f.pipe().capacity();
            }
            case F_SETPIPE_SZ -> {
                if (f.pipe() == null) throw new LinuxException(Errno.EBADF);
                return f.pipe().setCapacity(a.a2());
            }
            default -> throw new LinuxException(Errno.EINVAL);
        }
    }

    /** Implements close(2). */
    static long close(Task t, Args a) {
        t.group().files().close(a.i(0));
        return 0;
    }

}
