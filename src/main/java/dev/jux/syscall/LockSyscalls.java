package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SeekWhence;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.File;
import dev.jux.fs.FileFlags;
import dev.jux.fs.lock.FileLocks;
import dev.jux.kernel.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import static dev.jux.abi.Fcntl.*;

/**
 * Advisory locks: flock(2) and fcntl(2)'s record-lock commands (decoding struct flock only;
 * the locks themselves are fs/lock/FileLocks).
 */
final class LockSyscalls {
    private LockSyscalls() {}

    static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    /** sizeof(struct flock) on x86-64: l_type, l_whence (shorts), pad, l_start, l_len, l_pid, pad. */
    static final int FLOCK_SIZE = 32;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.FLOCK, Support.FULL, "", LockSyscalls::flock);
    }

    /** Implements flock(2). */
    static long flock(Task t, Args a) {
        File f = t.group().files().get(a.i(0));
        if (f.isPathOnly()) throw new LinuxException(Errno.EBADF);
        int op = a.i(1);
        boolean nb = (op & LOCK_NB) != 0;
        switch (op & ~LOCK_NB) {
            case LOCK_SH -> FileLocks.flock(t, f, false, nb);
            case LOCK_EX -> FileLocks.flock(t, f, true, nb);
            case LOCK_UN -> FileLocks.funlock(f);
            default -> throw new LinuxException(Errno.EINVAL);
        }
        return 0;
    }

    static boolean isLockCommand(int cmd) {
        return cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW
                || cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
    }

    /** fcntl(2) F_GETLK, F_SETLK, F_SETLKW and their F_OFD_ forms. */
    static long fcntl(Task t, File f, int cmd, long addr) {
        if (f.isPathOnly()) throw new LinuxException(Errno.EBADF);
        byte[] raw = new byte[FLOCK_SIZE];
        t.memory().read(addr, raw, 0, raw.length);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort(0), whence = b.getShort(2);
        long lStart = b.getLong(8), lLen = b.getLong(16);
        int lPid = b.getInt(24);
        boolean ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
        Object owner = ofd ? f : t.group().files();
        boolean get = cmd == F_GETLK || cmd == F_OFD_GETLK;
        if (get && type != FileLocks.F_RDLCK && type != FileLocks.F_WRLCK) throw new LinuxException(Errno.EINVAL);
        // flock_to_posix_lock: the range.
        long base = switch (whence) {
            case SeekWhence.SEEK_SET -> 0;
            case SeekWhence.SEEK_CUR -> f.seek(0, SeekWhence.SEEK_CUR);
            case SeekWhence.SEEK_END -> f.stat().size();
            default -> throw new LinuxException(Errno.EINVAL);
        };
        if (lStart > 0 && base > Long.MAX_VALUE - lStart) throw new LinuxException(Errno.EOVERFLOW);
        long start = base + lStart;
        if (start < 0) throw new LinuxException(Errno.EINVAL);
        long end;
        if (lLen > 0) {
            if (lLen - 1 > FileLocks.OFFSET_MAX - start) throw new LinuxException(Errno.EOVERFLOW);
            end = start + lLen - 1;
        } else if (lLen < 0) {
            end = start - 1;
            start += lLen;
            if (start < 0) throw new LinuxException(Errno.EINVAL);
        } else {
            end = FileLocks.OFFSET_MAX;
        }
        if (get) {
            if (ofd && lPid != 0) throw new LinuxException(Errno.EINVAL);
            FileLocks.Lock l = FileLocks.test(f, owner, type == FileLocks.F_WRLCK, start, end);
            if (l == null) {
                b.putShort(0, (short) FileLocks.F_UNLCK);
            } else {
                b.putShort(0, (short) (l.exclusive() ? FileLocks.F_WRLCK : FileLocks.F_RDLCK));
                b.putShort(2, (short) SeekWhence.SEEK_SET);
                b.putLong(8, l.start());
                b.putLong(16, l.end() == FileLocks.OFFSET_MAX ? 0 : l.end() - l.start() + 1);
                b.putInt(24, l.pid());
            }
            t.memory().write(addr, raw, 0, raw.length);
            return 0;
        }
        switch (type) {
            case FileLocks.F_RDLCK -> {
                if (!FileFlags.readable(f.statusFlags())) throw new LinuxException(Errno.EBADF);
            }
            case FileLocks.F_WRLCK -> {
                if (!FileFlags.writable(f.statusFlags())) throw new LinuxException(Errno.EBADF);
            }
            case FileLocks.F_UNLCK -> { }
            default -> throw new LinuxException(Errno.EINVAL);
        }
        if (ofd && lPid != 0) throw new LinuxException(Errno.EINVAL);
        boolean wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
        FileLocks.set(t, f, owner, ofd ? -1 : t.group().pid(), type, start, end, wait);
        return 0;
    }
}
