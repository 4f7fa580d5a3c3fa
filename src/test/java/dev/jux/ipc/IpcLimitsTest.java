package dev.jux.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Credentials;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import org.junit.jupiter.api.Test;

/**
 * What the differential tests cannot reach: the ids' numbering after removals and the limits
 * (natively the host's own objects count against the same limits, and filling them would
 * disturb other programs).
 */
class IpcLimitsTest {
    private static final Credentials ROOT = Credentials.ROOT;
    private static final Waiter NEVER_WAITS = new Waiter() {
        @Override
        public Wakeup block(java.util.function.BooleanSupplier ready, long deadline) {
            throw new AssertionError("no wait expected");
        }

        @Override
        public void wake() {}
    };

    private static Errno errno(Runnable r) {
        return assertThrows(LinuxException.class, r::run).errno();
    }

    @Test
    void idsTakeTheLowestFreeIndexAndANewSequenceNumber() {
        Semaphores s = new Semaphores();
        int a = s.get(ROOT, IpcIds.IPC_PRIVATE, 1, 0600);
        int b = s.get(ROOT, IpcIds.IPC_PRIVATE, 1, 0600);
        assertEquals(0, a);                       // index 0, seq 0
        assertEquals(IpcIds.IPCMNI + 1, b);       // index 1, seq 1
        s.remove(ROOT, a);
        int c = s.get(ROOT, IpcIds.IPC_PRIVATE, 1, 0600);
        assertEquals(2 * IpcIds.IPCMNI, c);       // index 0 again, seq 2
        assertEquals(Errno.EINVAL, errno(() -> s.query(ROOT, a, 0, Semaphores.Query.GETVAL)));   // the stale id names nothing
        assertEquals(0, s.query(ROOT, c, 0, Semaphores.Query.GETVAL));
    }

    @Test
    void semaphoreSetsAndSemaphoresAreLimited() {
        Semaphores s = new Semaphores();
        int perSet = Semaphores.SEMMSL;
        int sets = Semaphores.SEMMNS / perSet;
        for (int i = 0; i < sets; i++) s.get(ROOT, IpcIds.IPC_PRIVATE, perSet, 0600);
        int left = Semaphores.SEMMNS - sets * perSet;
        if (left > 0) s.get(ROOT, IpcIds.IPC_PRIVATE, left, 0600);
        assertEquals(Errno.ENOSPC, errno(() -> s.get(ROOT, IpcIds.IPC_PRIVATE, 1, 0600)));

        Semaphores few = new Semaphores();
        for (int i = 0; i < Semaphores.SEMMNI; i++) few.get(ROOT, IpcIds.IPC_PRIVATE, 1, 0600);
        assertEquals(Errno.ENOSPC, errno(() -> few.get(ROOT, IpcIds.IPC_PRIVATE, 1, 0600)));
        assertEquals(Semaphores.SEMMNI - 1, few.ids().maxIndex());
    }

    @Test
    void allQueuesTogetherHoldAtMostTheCap() {
        MessageQueues mq = new MessageQueues();
        int a = mq.get(ROOT, IpcIds.IPC_PRIVATE, 0600);
        mq.set(ROOT, a, 0, 0, 0600, Long.MAX_VALUE);   // root may lift the queue's own limit
        byte[] text = new byte[MessageQueues.MSGMAX];
        long sent = 0;
        while (true) {
            try {
                mq.send(NEVER_WAITS, ROOT, 1, a, new Message(1, text), MessageQueues.IPC_NOWAIT);
                sent++;
            } catch (LinuxException e) {
                assertEquals(Errno.EAGAIN, e.errno());
                break;
            }
        }
        assertEquals(MessageQueues.TOTAL_CAP / (MessageQueues.MSGMAX + MessageQueues.MESSAGE_OVERHEAD), sent);
        int b = mq.get(ROOT, IpcIds.IPC_PRIVATE, 0600);
        assertEquals(Errno.EAGAIN, errno(() -> mq.send(NEVER_WAITS, ROOT, 1, b, new Message(1, text), MessageQueues.IPC_NOWAIT)));
        mq.remove(ROOT, a);
        mq.send(NEVER_WAITS, ROOT, 1, b, new Message(1, text), MessageQueues.IPC_NOWAIT);   // the memory came back
        assertTrue(mq.stat(ROOT, b, false, true).qnum() == 1);
    }

    @Test
    void anUnprivilegedOwnerCannotRaiseQbytesAboveMsgmnb() {
        MessageQueues mq = new MessageQueues();
        Credentials user = Credentials.of(1000, 1000);
        int q = mq.get(user, IpcIds.IPC_PRIVATE, 0600);
        assertEquals(Errno.EPERM, errno(() -> mq.set(user, q, 1000, 1000, 0600, MessageQueues.MSGMNB + 1)));
        mq.set(user, q, 1000, 1000, 0600, MessageQueues.MSGMNB);
        assertEquals(Errno.EPERM, errno(() -> mq.remove(Credentials.of(1001, 1001), q)));
    }
}
