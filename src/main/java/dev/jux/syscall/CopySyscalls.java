package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Signal;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.File;
import dev.jux.fs.FileCopy;
import dev.jux.kernel.Task;

/** In-kernel copies between fds: sendfile(2) and copy_file_range(2). The logic is fs/FileCopy. */
final class CopySyscalls {
    private CopySyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.SENDFILE, Support.FULL, "from a regular file to any writable file (pipes get what room they have)", CopySyscalls::sendfile);
        t.add(SyscallNumbers.COPY_FILE_RANGE, Support.FULL, "between regular files of one file system (EXDEV across), as a plain copy", CopySyscalls::copyFileRange);
    }

    /** Implements sendfile(2): sendfile(out_fd, in_fd, *offset, count). */
    static long sendfile(Task t, Args a) {
        var files = t.group().files();
        Long pos = a.a2() != 0 ? t.memory().readLong(a.a2()) : null;
        File in = files.get(a.i(1));
        File out = files.get(a.i(0));
        FileCopy.Result r;
        try {
            r = FileCopy.sendfile(t, in, out, pos, a.a3());
        } catch (LinuxException e) {
            if (e.errno() == Errno.EPIPE) t.postFromSelf(Signal.SIGPIPE);
            throw e;
        }
        if (pos != null) t.memory().writeLong(a.a2(), r.inPos());
        return r.count();
    }

    /** Implements copy_file_range(2). */
    static long copyFileRange(Task t, Args a) {
        var files = t.group().files();
        File in = files.get(a.i(0));
        File out = files.get(a.i(2));
        Long posIn = a.a1() != 0 ? t.memory().readLong(a.a1()) : null;
        Long posOut = a.a3() != 0 ? t.memory().readLong(a.a3()) : null;
        long[] positions = new long[2];
        long n = FileCopy.copyFileRange(in, posIn, out, posOut, a.a4(), a.i(5), positions);
        if (n > 0) {
            if (posIn != null) t.memory().writeLong(a.a1(), positions[0]);
            if (posOut != null) t.memory().writeLong(a.a3(), positions[1]);
        }
        return n;
    }
}
