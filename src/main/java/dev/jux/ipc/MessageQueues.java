package dev.jux.ipc;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Credentials;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;

/**
 * System V message queues (Linux's ipc/msg.c): msgget, msgsnd, msgrcv and the msgctl
 * commands. Linux's default limits (MSGMAX, MSGMNB, MSGMNI) apply, and besides them a cap on
 * the memory all queues hold together, so that root raising msg_qbytes cannot make the guest
 * fill the host's memory: past it a send waits (or EAGAIN) as on a full queue.
 */
public final class MessageQueues {
    public static final int MSGMAX = 8192, MSGMNB = 16384, MSGMNI = 32000;
    /** MSGSSZ, MSGSEG: the segment size and count msginfo reports. */
    static final int MSGSSZ = 16, MSGSEG = 0xffff;
    /** The memory all queues may hold (Jux's cap): text plus {@link #MESSAGE_OVERHEAD} per message. */
    public static final long TOTAL_CAP = 64L << 20;
    static final int MESSAGE_OVERHEAD = 64;
    public static final int IPC_NOWAIT = 04000, MSG_NOERROR = 010000, MSG_EXCEPT = 020000, MSG_COPY = 040000;

    /** A msqid64_ds. */
    public record Stat(int id, IpcPermView perm, long stime, long rtime, long ctime, long cbytes, long qnum, long qbytes, int lspid, int lrpid) {}

    /** struct msginfo, in its order, and what IPC_INFO/MSG_INFO return: the highest index in use (0 if none). */
    public record Info(int maxIndex, int msgpool, int msgmap, int msgmax, int msgmnb, int msgmni, int msgssz, int msgtql, int msgseg) {}

    private final IpcIds<MessageQueue> ids = new IpcIds<>(MSGMNI);
    private long totalCost;
    private long totalBytes;
    private long totalMessages;

    public IpcIds<MessageQueue> ids() {
        return ids;
    }

    /** msgget. */
    public int get(Credentials c, int key, int flags) {
        synchronized (ids) {
            return ids.get(c, key, flags, perm -> new MessageQueue(perm, MSGMNB), q -> { });
        }
    }

    private static long cost(Message m) {
        return m.size() + MESSAGE_OVERHEAD;
    }

    /**
     * msgsnd (ipc/msg.c: do_msgsnd) once the type and text are read: EINVAL for a bad id,
     * EACCES without write permission, then either a sleeping receiver takes the message, the
     * queue does, or the sender waits for room (EAGAIN with IPC_NOWAIT); EIDRM if the queue
     * goes meanwhile, ERESTARTNOHAND on a signal.
     */
    public void send(Waiter w, Credentials c, int pid, int msqid, Message m, int flags) {
        MessageQueue q;
        synchronized (ids) {
            q = ids.byId(msqid);
        }
        while (true) {
            long seen;
            boolean overCap;
            synchronized (ids) {
                if (q.removed) throw new LinuxException(Errno.EIDRM);
                q.perm.check(c, IpcPerm.WRITE);
                overCap = totalCost + cost(m) > TOTAL_CAP;
                if (q.fits(m.size()) && !overCap) {
                    long now = IpcObject.now();
                    q.lspid = pid;
                    q.stime = now;
                    if (!q.handOver(m, now)) {
                        q.messages.add(m);
                        q.cbytes += m.size();
                        totalCost += cost(m);
                        totalBytes += m.size();
                        totalMessages++;
                    }
                    return;
                }
                if ((flags & IPC_NOWAIT) != 0) throw new LinuxException(Errno.EAGAIN);
                seen = q.roomChanges;
            }
            final long before = seen;
            // Room made in another queue does not wake this one: past the memory cap, look again now and then.
            long deadline = overCap ? System.nanoTime() + 10_000_000L : Waiter.FOREVER;
            Wakeup how = q.senders.await(w, () -> q.roomChanges != before || q.removed, deadline);
            if (q.removed) throw new LinuxException(Errno.EIDRM);
            if (how == Wakeup.INTERRUPTED) throw new LinuxException(Errno.ERESTARTNOHAND);
        }
    }

    /**
     * msgrcv (ipc/msg.c: do_msgrcv) up to the copy to the user: EINVAL for a bad id, EACCES
     * without read permission, E2BIG for a message longer than {@code bufsz} without
     * MSG_NOERROR (it stays queued), ENOMSG with IPC_NOWAIT, else a sleep until a message
     * comes (EIDRM, ERESTARTNOHAND). MSG_COPY returns a copy of the {@code type}-th message
     * and leaves it queued.
     */
    public Message receive(Waiter w, Credentials c, int tid, int msqid, long bufsz, long type, int flags) {
        boolean copy = (flags & MSG_COPY) != 0;
        if (copy && ((flags & MSG_EXCEPT) != 0 || (flags & IPC_NOWAIT) == 0)) throw new LinuxException(Errno.EINVAL);
        MessageQueue.Search search;
        if (copy) search = MessageQueue.Search.NUMBER;
        else if (type == 0) search = MessageQueue.Search.ANY;
        else if (type < 0) {
            type = type == Long.MIN_VALUE ? Long.MAX_VALUE : -type;
            search = MessageQueue.Search.LESS_EQUAL;
        } else search = (flags & MSG_EXCEPT) != 0 ? MessageQueue.Search.NOT_EQUAL : MessageQueue.Search.EQUAL;
        boolean noError = (flags & MSG_NOERROR) != 0;
        MessageQueue q;
        synchronized (ids) {
            q = ids.byId(msqid);
        }
        while (true) {
            MsgReceiver r;
            synchronized (ids) {
                q.perm.check(c, IpcPerm.READ);
                if (q.removed) throw new LinuxException(Errno.EIDRM);
                Message m = q.find(type, search);
                if (m != null) {
                    if (bufsz < m.size() && !noError) throw new LinuxException(Errno.E2BIG);
                    if (copy) {
                        // copy_msg: the copy's buffer is min(bufsz, MSGMAX); a longer message does not fit it.
                        if (m.size() > Math.min(bufsz, MSGMAX)) throw new LinuxException(Errno.EINVAL);
                        return m;
                    }
                    q.messages.remove(m);
                    q.cbytes -= m.size();
                    totalCost -= cost(m);
                    totalBytes -= m.size();
                    totalMessages--;
                    q.rtime = IpcObject.now();
                    q.lrpid = tid;
                    q.wakeSenders();
                    return m;
                }
                if ((flags & IPC_NOWAIT) != 0) throw new LinuxException(Errno.ENOMSG);
                r = new MsgReceiver(w, type, search, noError ? Integer.MAX_VALUE : bufsz, tid);
                q.receivers.add(r);
            }
            Wakeup how = w.block(() -> r.result != null, Waiter.FOREVER);
            synchronized (ids) {
                if (r.result == null) {
                    q.receivers.remove(r);
                    throw new LinuxException(how == Wakeup.INTERRUPTED ? Errno.ERESTARTNOHAND : Errno.EINTR);
                }
            }
            Object result = r.result;
            if (result instanceof Message m) return m;
            if (result instanceof Integer errno) throw new LinuxException(Errno.of(errno));
            // RETRY: IPC_SET changed the queue; search again.
        }
    }

    /** IPC_STAT (read permission), MSG_STAT (by index, read permission), MSG_STAT_ANY (by index). */
    public Stat stat(Credentials c, int idOrIndex, boolean byIndex, boolean checkRead) {
        synchronized (ids) {
            MessageQueue q = byIndex ? ids.byIndex(idOrIndex) : ids.byId(idOrIndex);
            if (checkRead) q.perm.check(c, IpcPerm.READ);
            return stat(q);
        }
    }

    /** Every queue's msqid64_ds, in index order (/proc/sysvipc/msg). */
    public java.util.List<Stat> statAll() {
        synchronized (ids) {
            return ids.all().stream().map(MessageQueues::stat).toList();
        }
    }

    private static Stat stat(MessageQueue q) {
        return new Stat(q.perm.id, IpcPermView.of(q.perm), q.stime, q.rtime, q.ctime, q.cbytes, q.messages.size(), q.qbytes, q.lspid, q.lrpid);
    }

    /** IPC_INFO and MSG_INFO (which reports the queues, messages and bytes in use). */
    public Info info(boolean msgInfo) {
        synchronized (ids) {
            int pool = (int) ((long) MSGMNI * MSGMNB / 1024);
            int maxIndex = Math.max(0, ids.maxIndex());
            return msgInfo
                    ? new Info(maxIndex, ids.inUse(), (int) Math.min(totalMessages, Integer.MAX_VALUE), MSGMAX, MSGMNB, MSGMNI, MSGSSZ,
                            (int) Math.min(totalBytes, Integer.MAX_VALUE), MSGSEG)
                    : new Info(maxIndex, pool, MSGMNB, MSGMAX, MSGMNB, MSGMNI, MSGSSZ, MSGMNB, MSGSEG);
        }
    }

    /**
     * IPC_SET (ipc/msg.c: msgctl_down): owner, mode and msg_qbytes; EPERM unless owner,
     * creator or root, and EPERM for msg_qbytes above MSGMNB unless root (CAP_SYS_RESOURCE).
     * Sleeping receivers search again, senders look for room again.
     */
    public void set(Credentials c, int msqid, int uid, int gid, int mode, long qbytes) {
        synchronized (ids) {
            MessageQueue q = ids.byId(msqid);
            q.perm.checkOwner(c);
            if (Long.compareUnsigned(qbytes, MSGMNB) > 0 && !c.isRoot()) throw new LinuxException(Errno.EPERM);
            q.qbytes = qbytes;
            q.updatePerm(uid, gid, mode);
            for (MsgReceiver r : q.receivers) r.finish(MsgReceiver.RETRY);
            q.receivers.clear();
            q.wakeSenders();
        }
    }

    /** IPC_RMID: the messages go, receivers and senders fail with EIDRM (EPERM unless owner, creator or root). */
    public void remove(Credentials c, int msqid) {
        synchronized (ids) {
            MessageQueue q = ids.byId(msqid);
            q.perm.checkOwner(c);
            for (Message m : q.messages) {
                totalCost -= cost(m);
                totalBytes -= m.size();
                totalMessages--;
            }
            q.messages.clear();
            q.cbytes = 0;
            ids.remove(q);
        }
    }
}
