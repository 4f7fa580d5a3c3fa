package dev.jux.host;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToLongFunction;

/**
 * A host fd shared by threads, closed only once no call is using it. Without this, a close on
 * one thread while another is between reading the fd number and making its call would let that
 * call land on whatever the host hands out next under the same number, which could be a
 * directory outside every mount. Each {@link #call} holds a reference for its duration.
 */
final class HeldFd {
    private static final int EINTR = 4, EBADF = 9;

    private final int fd;
    private final AtomicInteger refs = new AtomicInteger(1);  // 1 for the open object itself
    private final AtomicBoolean closed = new AtomicBoolean();

    HeldFd(int fd) {
        this.fd = fd;
    }

    /**
     * Runs {@code op} on the fd and returns its non-negative result. A negative result is -errno
     * and throws {@link HostException}; EINTR is retried, since a signal Jux sends one of its own
     * threads (a vCPU kick) must not fail a host file operation. Closed: EBADF.
     */
    long call(String name, IntToLongFunction op) {
        acquire(name);
        try {
            long r;
            do r = op.applyAsLong(fd); while (r == -EINTR);
            if (r < 0) throw new HostException(name, (int) -r);
            return r;
        } finally {
            release();
        }
    }

    /** Closes the fd once every running call is done; later calls fail with EBADF. Idempotent. */
    void close() {
        if (closed.compareAndSet(false, true)) release();
    }

    private void acquire(String name) {
        for (int n = refs.get(); ; n = refs.get()) {
            if (n == 0 || closed.get()) throw new HostException(name, EBADF);
            if (refs.compareAndSet(n, n + 1)) return;
        }
    }

    private void release() {
        // close(2) is not retried on EINTR: Linux has released the fd by then either way.
        if (refs.decrementAndGet() == 0) Libc.close(fd);
    }
}
