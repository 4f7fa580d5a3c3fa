package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;

/** A process's resource limits (getrlimit(2)), with Linux's defaults for a new init process. */
public final class Limits {
    public static final long INFINITY = -1L;
    public static final int CPU = 0, FSIZE = 1, DATA = 2, STACK = 3, CORE = 4, RSS = 5, NPROC = 6,
            NOFILE = 7, MEMLOCK = 8, AS = 9, LOCKS = 10, SIGPENDING = 11, MSGQUEUE = 12, NICE = 13,
            RTPRIO = 14, RTTIME = 15, COUNT = 16;

    private final long[] soft = new long[COUNT];
    private final long[] hard = new long[COUNT];

    public Limits() {
        java.util.Arrays.fill(soft, INFINITY);
        java.util.Arrays.fill(hard, INFINITY);
        set(STACK, 8L << 20, INFINITY);
        set(CORE, 0, INFINITY);
        set(NOFILE, 1024, 1L << 20);
        set(MEMLOCK, 8L << 20, 8L << 20);
        set(NPROC, 63_000, 63_000);
        set(SIGPENDING, 63_000, 63_000);
        set(MSGQUEUE, 819_200, 819_200);
        set(NICE, 0, 0);
        set(RTPRIO, 0, 0);
    }

    public synchronized long soft(int resource) {
        return soft[check(resource)];
    }

    public synchronized long hard(int resource) {
        return hard[check(resource)];
    }

    /**
     * setrlimit semantics: EINVAL if soft exceeds hard; raising the hard limit needs
     * CAP_SYS_RESOURCE (EPERM otherwise).
     */
    public synchronized void set(int resource, long newSoft, long newHard, boolean privileged) {
        check(resource);
        if (Long.compareUnsigned(newSoft, newHard) > 0) throw new LinuxException(Errno.EINVAL);
        if (!privileged && Long.compareUnsigned(newHard, hard[resource]) > 0) throw new LinuxException(Errno.EPERM);
        if (resource == NOFILE && Long.compareUnsigned(newHard, 1L << 20) > 0) throw new LinuxException(Errno.EPERM);
        soft[resource] = newSoft;
        hard[resource] = newHard;
    }

    private void set(int resource, long s, long h) {
        soft[resource] = s;
        hard[resource] = h;
    }

    private static int check(int resource) {
        if (resource < 0 || resource >= COUNT) throw new LinuxException(Errno.EINVAL);
        return resource;
    }
}
