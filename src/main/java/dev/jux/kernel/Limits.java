package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;

import static dev.jux.abi.Rlimit.*;

/** A process's resource limits (getrlimit(2)), with Linux's defaults for a new init process. */
public final class Limits implements dev.jux.mm.MemoryLimits {
    public static final long INFINITY = RLIM64_INFINITY;

    private final long[] soft = new long[RLIM_NLIMITS];
    private final long[] hard = new long[RLIM_NLIMITS];

    public Limits() {
        java.util.Arrays.fill(soft, INFINITY);
        java.util.Arrays.fill(hard, INFINITY);
        set(RLIMIT_STACK, 8L << 20, INFINITY);
        set(RLIMIT_CORE, 0, INFINITY);
        set(RLIMIT_NOFILE, 1024, 1L << 20);
        set(RLIMIT_MEMLOCK, 8L << 20, 8L << 20);
        set(RLIMIT_NPROC, 63_000, 63_000);
        set(RLIMIT_SIGPENDING, 63_000, 63_000);
        set(RLIMIT_MSGQUEUE, 819_200, 819_200);
        set(RLIMIT_NICE, 0, 0);
        set(RLIMIT_RTPRIO, 0, 0);
    }

    /** fork(2): the child starts with the parent's limits. */
    void copyFrom(Limits other) {
        long[] s, h;
        synchronized (other) {
            s = other.soft.clone();
            h = other.hard.clone();
        }
        synchronized (this) {
            System.arraycopy(s, 0, soft, 0, s.length);
            System.arraycopy(h, 0, hard, 0, h.length);
        }
    }

    @Override
    public long addressSpace() {
        return soft(RLIMIT_AS);
    }

    @Override
    public long data() {
        return soft(RLIMIT_DATA);
    }

    @Override
    public long stack() {
        return soft(RLIMIT_STACK);
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
        if (resource == RLIMIT_NOFILE && Long.compareUnsigned(newHard, 1L << 20) > 0) throw new LinuxException(Errno.EPERM);
        soft[resource] = newSoft;
        hard[resource] = newHard;
    }

    private void set(int resource, long s, long h) {
        soft[resource] = s;
        hard[resource] = h;
    }

    private static int check(int resource) {
        if (resource < 0 || resource >= RLIM_NLIMITS) throw new LinuxException(Errno.EINVAL);
        return resource;
    }
}
