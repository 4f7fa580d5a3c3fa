package dev.jux.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** HeldFd: the fd outlives a close() for as long as a call on another thread is using it. */
class HostHeldFdTest {
    private static final int F_GETFD = 1;

    private static boolean isOpen(int fd) {
        return Libc.fcntl(fd, F_GETFD, 0) >= 0;
    }

    @Test
    void closeWaitsForTheCallInFlight() throws Exception {
        int raw = Libc.open("/", LibcFiles.O_PATH | LibcFiles.O_DIRECTORY | LibcFiles.O_CLOEXEC);
        assertTrue(raw >= 0);
        HeldFd fd = new HeldFd(raw);
        CountDownLatch inCall = new CountDownLatch(1), closed = new CountDownLatch(1);
        AtomicInteger seenOpen = new AtomicInteger(-1);
        Thread user = new Thread(() -> fd.call("test", f -> {
            inCall.countDown();
            try {
                closed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seenOpen.set(isOpen(f) ? 1 : 0);
            return 0;
        }));
        user.start();
        assertTrue(inCall.await(10, TimeUnit.SECONDS));
        fd.close();
        assertTrue(isOpen(raw), "still open while the call runs");
        assertEquals(Errno.EBADF.number(), assertThrows(HostException.class, () -> fd.call("late", f -> 0)).errno());
        closed.countDown();
        user.join();
        assertEquals(1, seenOpen.get());
        assertTrue(!isOpen(raw), "closed once the last call returned");
    }

    @Test
    void eintrIsRetriedAndOtherErrorsThrow() {
        int raw = Libc.open("/", LibcFiles.O_PATH | LibcFiles.O_DIRECTORY | LibcFiles.O_CLOEXEC);
        HeldFd fd = new HeldFd(raw);
        try {
            AtomicInteger calls = new AtomicInteger();
            assertEquals(7, fd.call("retry", f -> calls.incrementAndGet() < 3 ? -Errno.EINTR.number() : 7));
            assertEquals(3, calls.get());
            HostException e = assertThrows(HostException.class, () -> fd.call("fail", f -> -Errno.EACCES.number()));
            assertEquals(Errno.EACCES.number(), e.errno());
        } finally {
            fd.close();
        }
    }
}
