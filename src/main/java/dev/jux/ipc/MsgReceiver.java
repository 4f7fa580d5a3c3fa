package dev.jux.ipc;

import dev.jux.wait.Waiter;

/**
 * A msgrcv sleeping on its queue (Linux's struct msg_receiver). A sender that finds it
 * waiting for its kind of message hands the message over directly (pipelined_send); IPC_RMID
 * fails it with EIDRM; IPC_SET makes it search again.
 */
final class MsgReceiver {
    /** What {@link #result} holds when the receiver should search the queue again. */
    static final Object RETRY = new Object();

    final Waiter waiter;
    final long type;
    final MessageQueue.Search search;
    /** The largest message it takes (Integer.MAX_VALUE with MSG_NOERROR); a longer one is E2BIG for it. */
    final long maxSize;
    final int tid;
    /** null while it sleeps; then a {@link Message}, an errno number (Integer) or {@link #RETRY}. */
    volatile Object result;

    MsgReceiver(Waiter waiter, long type, MessageQueue.Search search, long maxSize, int tid) {
        this.waiter = waiter;
        this.type = type;
        this.search = search;
        this.maxSize = maxSize;
        this.tid = tid;
    }

    void finish(Object r) {
        result = r;
        waiter.wake();
    }
}
