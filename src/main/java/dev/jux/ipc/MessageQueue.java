package dev.jux.ipc;

import dev.jux.abi.Errno;
import dev.jux.wait.WaitQueue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

/**
 * One message queue (Linux's struct msg_queue): the messages in arrival order, their byte
 * count against the queue's limit (msg_qbytes), the statistics msqid64_ds shows, and the
 * sleeping receivers and senders. Guarded by the monitor of the {@link IpcIds} that holds it.
 */
public final class MessageQueue extends IpcObject {
    /** How msgrcv's msgtyp chooses (ipc/msg.c: convert_mode). */
    public enum Search { ANY, EQUAL, NOT_EQUAL, LESS_EQUAL, NUMBER }

    final LinkedList<Message> messages = new LinkedList<>();
    long cbytes;
    long qbytes;
    long stime, rtime;
    int lspid, lrpid;
    final List<MsgReceiver> receivers = new ArrayList<>();
    /** Senders waiting for room: woken by every receive, IPC_SET and IPC_RMID (ss_wakeup), they look again. */
    final WaitQueue senders = new WaitQueue();
    /** Bumped on every change that may make room, so a sleeping sender knows to look again. */
    volatile long roomChanges;

    MessageQueue(IpcPerm perm, long qbytes) {
        super(perm);
        this.qbytes = qbytes;
    }

    /** msg_fits_inqueue: the bytes and the count of messages are both bounded by msg_qbytes. */
    boolean fits(int size) {
        return Long.compareUnsigned(cbytes + size, qbytes) <= 0 && Long.compareUnsigned(messages.size() + 1L, qbytes) <= 0;
    }

    /** testmsg. */
    static boolean matches(Message m, long type, Search search) {
        return switch (search) {
            case ANY, NUMBER -> true;
            case EQUAL -> m.type() == type;
            case NOT_EQUAL -> m.type() != type;
            case LESS_EQUAL -> m.type() <= type;
        };
    }

    /** find_msg: the first match; for LESS_EQUAL the first of the lowest type; for NUMBER the type-th message (from 0). */
    Message find(long type, Search search) {
        Message found = null;
        long count = 0;
        for (Message m : messages) {
            if (search == Search.LESS_EQUAL) {
                if (m.type() <= type && (found == null || m.type() < found.type())) found = m;
            } else if (search == Search.NUMBER) {
                if (count++ == type) return m;
            } else if (matches(m, type, search)) {
                return m;
            }
        }
        return found;
    }

    /** pipelined_send: gives {@code m} to the first sleeping receiver that wants it (true); one it is too long for gets E2BIG. */
    boolean handOver(Message m, long now) {
        for (Iterator<MsgReceiver> it = receivers.iterator(); it.hasNext(); ) {
            MsgReceiver r = it.next();
            if (!matches(m, r.type, r.search)) continue;
            it.remove();
            if (r.maxSize < m.size()) {
                r.finish(Errno.E2BIG.number());
                continue;
            }
            lrpid = r.tid;
            rtime = now;
            r.finish(m);
            return true;
        }
        return false;
    }

    void wakeSenders() {
        roomChanges++;
        senders.wakeAll();
    }

    @Override
    void destroy() {
        for (MsgReceiver r : receivers) r.finish(Errno.EIDRM.number());
        receivers.clear();
        wakeSenders();
    }
}
