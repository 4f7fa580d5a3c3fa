package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.SyscallNumbers;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Task;
import dev.jux.host.HostRandom;
import static dev.jux.abi.RandomFlags.*;

/** System calls with no better home: randomness. */
final class MiscSyscalls {
    private MiscSyscalls() {}

    /** getrandom returns at most this much per call when the request is larger (Linux: 32 MiB - 1). */
    static final int GETRANDOM_MAX = (32 << 20) - 1;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.GETRANDOM, Support.FULL, "", MiscSyscalls::getrandom);
    }

    /** Implements getrandom(2). The pool is always initialized, so it never blocks. */
    static long getrandom(Task t, Args a) {
        int flags = a.i(2);
        if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0) throw new LinuxException(Errno.EINVAL);
        if ((flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE)) throw new LinuxException(Errno.EINVAL);
        long len = Long.compareUnsigned(a.a1(), GETRANDOM_MAX) > 0 ? GETRANDOM_MAX : a.a1();
        long done = 0;
        byte[] chunk = new byte[(int) Math.min(len, 65536)];
        while (done < len) {
            int n = (int) Math.min(chunk.length, len - done);
            HostRandom.fill(chunk, 0, n);
            try {
                t.memory().write(a.a0() + done, chunk, 0, n);
            } catch (LinuxException e) {
                if (done > 0) return done;
                throw e;
            }
            done += n;
        }
        return done;
    }
}
