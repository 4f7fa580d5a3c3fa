package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Rlimit;
import dev.jux.abi.Signal;
import dev.jux.abi.SyscallNumbers;
import dev.jux.abi.WaitStatus;
import dev.jux.fs.File;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Location;
import dev.jux.kernel.Exec;
import dev.jux.kernel.Task;
import dev.jux.loader.ArgLimits;
import dev.jux.mm.UserMemory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.jux.abi.AtFlags.AT_EMPTY_PATH;
import static dev.jux.abi.AtFlags.AT_FDCWD;
import static dev.jux.abi.AtFlags.AT_SYMLINK_NOFOLLOW;

/** execve and execveat: the system-call side of {@link Exec} (arguments from user memory, the dirfd). */
final class ExecSyscalls {
    private ExecSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.EXECVE, Support.PARTIAL, NOTE, (task, a) -> exec(task, AT_FDCWD, a.a0(), a.a1(), a.a2(), 0));
        t.add(SyscallNumbers.EXECVEAT, Support.PARTIAL, NOTE, (task, a) -> exec(task, a.i(0), a.a1(), a.a2(), a.a3(), a.i(4)));
    }

    private static final String NOTE = "ELF (static, static-pie, PIE, dynamic through PT_INTERP) and #! scripts;"
            + " no noexec mounts, no setuid; ETXTBSY only for the program itself, not for writing a running one;"
            + " FPU/SSE state is not reset";

    /** Linux's MAX_ARG_STRINGS: more pointers than this in argv or envp is E2BIG. */
    private static final long MAX_ARG_STRINGS = 0x7fffffffL;

    /**
     * do_execveat_common, in Linux's order: the path (EFAULT, ENAMETOOLONG, ENOENT if empty
     * without AT_EMPTY_PATH), the flags (EINVAL), opening the file (do_open_execat), counting
     * argv and envp (EFAULT), the stack limit (E2BIG), copying the filename, envp and argv
     * strings (EFAULT, E2BIG), then the binary handlers (ENOEXEC, ELOOP...). Only then does
     * the process change ({@link Exec#commit}); it returns 0 into the new program's RAX.
     */
    static long exec(Task t, int dirfd, long pathAddr, long argvAddr, long envpAddr, int flags) {
        ByteString path = PathArgs.read(t, pathAddr);
        boolean emptyPath = (flags & AT_EMPTY_PATH) != 0;
        if (path.isEmpty() && !emptyPath) throw new LinuxException(Errno.ENOENT);
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) throw new LinuxException(Errno.EINVAL);

        Exec.Caller caller = Exec.Caller.of(t.group());
        Location file;
        if (path.isEmpty()) {
            File f = t.group().files().get(dirfd);
            file = f.location();
            if (file == null) throw new LinuxException(Errno.EACCES);   // a pipe: not a regular file
            Exec.check(t.kernel(), file, caller.walker());
        } else {
            Location start = PathArgs.start(t, dirfd, path);
            file = Exec.open(t.kernel(), caller.walker(), start, path, (flags & AT_SYMLINK_NOFOLLOW) == 0);
        }

        // bprm->filename: the path itself, or a /dev/fd name for a path relative to a dirfd.
        byte[] filename;
        boolean viaFd = dirfd != AT_FDCWD && (path.isEmpty() || path.byteAt(0) != '/');
        if (!viaFd) {
            filename = path.toByteArray();
        } else {
            String fd = "/dev/fd/" + dirfd + (path.isEmpty() ? "" : "/");
            byte[] prefix = fd.getBytes(StandardCharsets.US_ASCII);
            filename = Arrays.copyOf(prefix, prefix.length + path.length());
            System.arraycopy(path.toByteArray(), 0, filename, prefix.length, path.length());
        }
        boolean inaccessible = viaFd && t.group().files().closeOnExec(dirfd);

        UserMemory mem = t.memory();
        List<Long> argvPointers = pointers(mem, argvAddr);
        List<Long> envpPointers = pointers(mem, envpAddr);
        if (argvPointers.isEmpty()) {
            t.kernel().log().infoOnce("exec-null-argv", "process " + t.group().pid()
                    + " launched '" + new String(filename, StandardCharsets.UTF_8) + "' with NULL argv: empty string added");
        }
        long limit = ArgLimits.limit(t.group().limits().soft(Rlimit.RLIMIT_STACK));
        long pointerBytes = 8L * (Math.max(argvPointers.size(), 1) + (long) envpPointers.size());
        if (limit <= pointerBytes) throw new LinuxException(Errno.E2BIG);
        long[] room = {limit - pointerBytes};
        take(room, filename.length + 1L);
        List<byte[]> envp = strings(mem, envpPointers, room);
        List<byte[]> argv = strings(mem, argvPointers, room);

        Exec.Image image = Exec.prepare(t.kernel(), caller, file, filename, path.isEmpty(), inaccessible, argv, envp);
        int formerTid = t.tid();
        try {
            Exec.commit(t, image);
        } catch (LinuxException e) {
            // Past the point of no return there is no process to return an error to: Linux
            // kills it with SIGSEGV.
            t.group().exit(WaitStatus.signaled(Signal.SIGSEGV, false));
            return SyscallTable.EXITED;
        }
        dev.jux.kernel.PtraceStops.execed(t, formerTid);
        return 0;
    }

    /**
     * count(): the pointers of a NULL-terminated vector (NULL itself is empty). Like Linux it
     * reads to the end (a bad pointer anywhere is EFAULT), but keeps only as many as could
     * ever fit the argument space: a longer vector is E2BIG anyway.
     */
    private static List<Long> pointers(UserMemory mem, long addr) {
        List<Long> out = new ArrayList<>();
        if (addr == 0) return out;
        long count = 0;
        for (long p = addr; ; p += 8) {
            long s = mem.readLong(p);
            if (s == 0) break;
            if (++count > MAX_ARG_STRINGS) throw new LinuxException(Errno.E2BIG);
            if (out.size() <= MAX_KEPT) out.add(s);
        }
        if (count > out.size()) throw new LinuxException(Errno.E2BIG);
        return out;
    }

    /** More pointers than fit the largest argument space (6 MiB) cannot pass the stack limit. */
    private static final int MAX_KEPT = (int) (ArgLimits.limit(-1) / 8);

    /**
     * copy_strings: reads the strings last to first, as Linux copies them: EFAULT for a bad
     * one, E2BIG for one longer than MAX_ARG_STRLEN or when they no longer fit the room left.
     */
    private static List<byte[]> strings(UserMemory mem, List<Long> pointers, long[] room) {
        byte[][] out = new byte[pointers.size()][];
        for (int k = pointers.size() - 1; k >= 0; k--) {
            byte[] s = mem.readCBytes(pointers.get(k), ArgLimits.MAX_ARG_STRLEN, Errno.E2BIG);
            take(room, s.length + 1L);
            out[k] = s;
        }
        return Arrays.asList(out);
    }

    private static void take(long[] room, long bytes) {
        if (bytes > room[0]) throw new LinuxException(Errno.E2BIG);
        room[0] -= bytes;
    }
}
