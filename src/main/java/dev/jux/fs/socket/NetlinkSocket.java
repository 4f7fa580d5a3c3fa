package dev.jux.fs.socket;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Poll;
import dev.jux.fs.IoctlArg;
import dev.jux.wait.PollTable;
import dev.jux.wait.WaitQueue;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.List;

/**
 * An AF_NETLINK socket of protocol NETLINK_ROUTE (net/netlink/af_netlink.c) and its open file
 * description. A request sent to the kernel (port 0) is answered at once, as Linux's
 * rtnetlink_rcv runs inside sendmsg: {@link RouteNetlink} makes the replies and they go onto
 * this socket's queue, one datagram each; a dump's objects come as datagrams of whole messages,
 * then NLMSG_DONE in a datagram of its own made when the previous one is read (netlink_dump's
 * pacing); NLMSG_ERROR carries errors and, when NLM_F_ACK asks, the 0 of success. Port ids
 * (bind, autobind: the pid, then negative ids) are per Jux instance ({@link NetlinkPorts}); root
 * may also send to another socket's port or to the members of a group.
 */
public final class NetlinkSocket extends SocketFile implements SocketOptions.Owner {
    public static final int AF_NETLINK = 16, NETLINK_ROUTE = 0, SOL_NETLINK = 270;
    static final int NETLINK_ADD_MEMBERSHIP = 1, NETLINK_DROP_MEMBERSHIP = 2, NETLINK_PKTINFO = 3,
            NETLINK_BROADCAST_ERROR = 4, NETLINK_NO_ENOBUFS = 5, NETLINK_LISTEN_ALL_NSID = 8,
            NETLINK_LIST_MEMBERSHIPS = 9, NETLINK_CAP_ACK = 10, NETLINK_EXT_ACK = 11, NETLINK_GET_STRICT_CHK = 12;
    /** sizeof(struct sockaddr_nl). */
    static final int SOCKADDR_NL = 12;
    /** RTNLGRP_MAX: the multicast groups NETLINK_ROUTE has (rtnetlink_net_init's cfg.groups). */
    static final int ROUTE_GROUPS = 36;
    /** What a queued datagram costs beyond its data (an sk_buff's truesize), counted against SO_RCVBUF. */
    static final int OVERHEAD = 768;
    /** NLMSG_GOODSIZE with 4 KiB pages, and the cap on max_recvmsg_len (SKB_WITH_OVERHEAD(32768)): a dump datagram's size. */
    static final int DUMP_SIZE = 3776, DUMP_SIZE_MAX = 32448;
    /** NLM_F_ACK_TLVS in an NLMSG_ERROR's flags, and its message attribute. */
    private static final int NLM_F_ACK_TLVS = 0x200, NLMSGERR_ATTR_MSG = 1;

    /** One queued datagram and who sent it (port 0: the kernel; {@code group}: the multicast group, else 0). */
    private record Datagram(byte[] data, int fromPort, int group, Ucred credentials) {}

    private record Name(int port, long groups) implements SocketName {
        @Override
        public byte[] sockaddr() {
            ByteBuffer b = ByteBuffer.allocate(SOCKADDR_NL).order(ByteOrder.LITTLE_ENDIAN);
            return b.putShort((short) AF_NETLINK).putShort((short) 0).putInt(port).putInt((int) groups).array();
        }
    }

    private final NetlinkPorts ports;
    private final int type;
    final SocketOptions options = new SocketOptions(this);
    private final WaitQueue wait = new WaitQueue();

    // Guarded by ports.lock.
    int port;
    boolean bound;
    /** The multicast groups joined (bit g - 1 for group g); {@code ngroups} 0 until a group was first asked for. */
    private long groups;
    private int ngroups;
    private int dstPort, dstGroup;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private long queued;
    private Errno error;
    private boolean pktinfo, broadcastError, noEnobufs, listenAllNsid, capAck, extAck, strictCheck, dead;
    private int maxRecvmsgLen;
    /** A dump being read: the messages not yet sent and its NLMSG_DONE; null when none runs (cb_running). */
    private ArrayDeque<byte[]> dumpLeft;
    private byte[] dumpDone;

    /** socket(AF_NETLINK, type, NETLINK_ROUTE): {@code type} is SOCK_RAW or SOCK_DGRAM; {@code flags} may hold O_NONBLOCK. */
    public NetlinkSocket(NetlinkPorts ports, int type, int flags, int uid, int gid) {
        super(flags, uid, gid);
        this.ports = ports;
        this.type = type;
    }

    public SocketOptions options() {
        return options;
    }

    @Override
    public int type() {
        return type;
    }

    @Override
    public int domain() {
        return AF_NETLINK;
    }

    @Override
    public int protocol() {
        return NETLINK_ROUTE;
    }

    @Override
    public int takeErrorNumber() {
        synchronized (ports.lock) {
            Errno e = error;
            error = null;
            return e == null ? 0 : e.number();
        }
    }

    @Override
    public boolean isListening() {
        return false;
    }

    @Override
    public Ucred peerCredentials() {
        return new Ucred(0, 65534, 65534); // sk_peer_cred is NULL: the overflow ids
    }

    private static int ffs(int v) {
        return v == 0 ? 0 : Integer.numberOfTrailingZeros(v) + 1;
    }

    private static long groupMask(int group) {
        return group == 0 ? 0 : 1L << (group - 1);
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    // ------------------------------------------------------------- names

    /** getsockname(2): the port id (0 while unbound) and the first 32 groups. */
    public byte[] localName() {
        synchronized (ports.lock) {
            return new Name(port, groups & 0xffffffffL).sockaddr();
        }
    }

    /** getpeername(2): the default destination (never ENOTCONN: unconnected is the kernel, port 0). */
    public byte[] peerName() {
        synchronized (ports.lock) {
            return new Name(dstPort, groupMask(dstGroup)).sockaddr();
        }
    }

    /**
     * bind(2) (netlink_bind): EINVAL for a short address or another family, EINVAL for a port
     * other than the one already bound; port 0 autobinds (the caller's pid, else a negative id),
     * another is taken as given (EADDRINUSE if held). nl_groups joins the first 32 groups.
     */
    public void bind(byte[] raw, Caller c) {
        if (raw.length < SOCKADDR_NL) throw new LinuxException(Errno.EINVAL);
        ByteBuffer a = le(raw);
        if ((a.getShort(0) & 0xffff) != AF_NETLINK) throw new LinuxException(Errno.EINVAL);
        int pid = a.getInt(4), g = a.getInt(8);
        synchronized (ports.lock) {
            if (g != 0) ngroups = ROUTE_GROUPS; // netlink_realloc_groups; NETLINK_ROUTE lets anyone listen
            if (bound && pid != port) throw new LinuxException(Errno.EINVAL);
            if (!bound) {
                if (pid != 0) ports.insert(this, pid);
                else ports.autobind(this, c.pid());
            }
            if (g == 0 && (groups & 0xffffffffL) == 0) return;
            groups = (groups & ~0xffffffffL) | (g & 0xffffffffL);
        }
    }

    /**
     * connect(2) (netlink_connect): AF_UNSPEC goes back to the kernel as the destination; a
     * port or group other than the kernel's needs root (EPERM: NETLINK_ROUTE lacks
     * NL_CFG_F_NONROOT_SEND); autobinds.
     */
    public void connect(byte[] raw, Caller c) {
        if (raw.length < 2) throw new LinuxException(Errno.EINVAL);
        ByteBuffer a = le(raw);
        int family = a.getShort(0) & 0xffff;
        synchronized (ports.lock) {
            if (family == 0) {
                dstPort = dstGroup = 0;
                return;
            }
            if (family != AF_NETLINK || raw.length < SOCKADDR_NL) throw new LinuxException(Errno.EINVAL);
            int pid = a.getInt(4), g = a.getInt(8);
            if ((pid != 0 || g != 0) && c.euid() != 0) throw new LinuxException(Errno.EPERM);
            if (!bound) ports.autobind(this, c.pid());
            dstPort = pid;
            dstGroup = ffs(g);
        }
    }

    // ------------------------------------------------------------- sending

    /**
     * sendmsg(2) (netlink_sendmsg): EOPNOTSUPP for MSG_OOB, ENODATA for nothing, EINVAL for a
     * bad address, EPERM for a non-kernel destination without root, EMSGSIZE past SO_SNDBUF - 32.
     * To the kernel, each request in the datagram is answered (netlink_rcv_skb); to a port, the
     * datagram is queued there (ECONNREFUSED if none holds it, EAGAIN if its queue is full).
     */
    public long send(Waiter w, MemorySegment data, byte[] raw, int msgFlags, Caller c) {
        if ((msgFlags & UnixSocket.MSG_OOB) != 0) throw new LinuxException(Errno.EOPNOTSUPP);
        long len = data.byteSize();
        if (len == 0) throw new LinuxException(Errno.ENODATA);
        int toPort, toGroup;
        if (raw != null) {
            if (raw.length < SOCKADDR_NL || (le(raw).getShort(0) & 0xffff) != AF_NETLINK) throw new LinuxException(Errno.EINVAL);
            toPort = le(raw).getInt(4);
            toGroup = ffs(le(raw).getInt(8));
            if ((toPort != 0 || toGroup != 0) && c.euid() != 0) throw new LinuxException(Errno.EPERM);
        } else {
            synchronized (ports.lock) {
                toPort = dstPort;
                toGroup = dstGroup;
            }
        }
        if (len > options.sndbuf - 32) throw new LinuxException(Errno.EMSGSIZE);
        byte[] bytes = new byte[(int) len];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) len);
        Wakes wakes = new Wakes();
        try {
            synchronized (ports.lock) {
                if (!bound) ports.autobind(this, c.pid());
                if (toGroup != 0) broadcast(bytes, toPort, toGroup, c, wakes);
                if (toPort == 0) {
                    answer(bytes, c, wakes);
                } else {
                    NetlinkSocket target = ports.find(toPort);
                    if (target == null) throw new LinuxException(Errno.ECONNREFUSED);
                    if (target.queued > target.options.rcvbuf) throw new LinuxException(Errno.EAGAIN);
                    target.enqueue(new Datagram(bytes, port, 0, c.messageCredentials()), wakes);
                }
            }
        } finally {
            wakes.fire();
        }
        return len;
    }

    /** netlink_broadcast: a copy to every socket that joined {@code group} (the sender too, not {@code exceptPort}), dropped where full. */
    private void broadcast(byte[] bytes, int exceptPort, int group, Caller c, Wakes wakes) {
        for (NetlinkSocket s : ports.all()) {
            if (s.port == exceptPort || group > s.ngroups || (s.groups & groupMask(group)) == 0) continue;
            if (s.queued > s.options.rcvbuf) s.overrun(wakes);
            else s.enqueue(new Datagram(bytes, port, group, c.messageCredentials()), wakes);
        }
    }

    private void enqueue(Datagram d, Wakes wakes) {
        queue.add(d);
        queued += d.data.length + OVERHEAD;
        wakes.add(wait, Poll.POLLIN | Poll.POLLRDNORM);
    }

    /** netlink_overrun: a message the full queue could not take is reported as ENOBUFS (POLLERR), unless NETLINK_NO_ENOBUFS. */
    private void overrun(Wakes wakes) {
        if (noEnobufs) return;
        error = Errno.ENOBUFS;
        wakes.add(wait, Poll.POLLERR);
    }

    /** A message from the kernel (netlink_unicast with MSG_DONTWAIT): dropped, and the loss reported, if the queue is full. */
    private void fromKernel(byte[] data, Wakes wakes) {
        if (queued > options.rcvbuf) {
            overrun(wakes);
            return;
        }
        enqueue(new Datagram(data, 0, 0, new Ucred(0, 0, 0)), wakes);
    }

    /**
     * netlink_rcv_skb: each whole message in turn (a short or overlong header ends the walk);
     * only requests are handled, control types (below NLMSG_MIN_TYPE) are skipped; an error or
     * NLM_F_ACK is answered with NLMSG_ERROR, except for a dump that started.
     */
    private void answer(byte[] bytes, Caller c, Wakes wakes) {
        ByteBuffer b = le(bytes);
        int at = 0;
        while (bytes.length - at >= NetlinkWriter.HEADER) {
            int len = b.getInt(at), msgFlags = b.getShort(at + 6) & 0xffff, type = b.getShort(at + 4) & 0xffff;
            if (len < NetlinkWriter.HEADER || bytes.length - at < len) return;
            ByteBuffer msg = b.slice(at, len).order(ByteOrder.LITTLE_ENDIAN);
            Errno err = null;
            String message = null;
            boolean dumping = false;
            if ((msgFlags & RouteNetlink.NLM_F_REQUEST) != 0 && type >= RouteNetlink.NLMSG_MIN_TYPE) {
                try {
                    RouteNetlink.Answer a = RouteNetlink.handle(msg, port, c.uid(), c.euid() == 0, strictCheck);
                    if (a.dump() != null) {
                        if (dumpLeft != null) throw new LinuxException(Errno.EBUSY); // netlink_dump_start: one at a time
                        startDump(a.dump(), b.getInt(at + 8), wakes);
                        dumping = true;
                    }
                    for (byte[] r : a.replies()) fromKernel(r, wakes);
                } catch (LinuxException e) {
                    err = e.errno();
                } catch (RouteNetlink.Refused e) {
                    err = e.errno;
                    message = e.getMessage();
                }
            }
            if (!dumping && ((msgFlags & RouteNetlink.NLM_F_ACK) != 0 || err != null)) fromKernel(ack(msg, err, message), wakes);
            at += Math.min(NetlinkWriter.align(len), bytes.length - at);
        }
    }

    /**
     * netlink_ack: NLMSG_ERROR with -errno (0 for success) and the request's header, followed
     * by its payload on an error unless NETLINK_CAP_ACK (else NLM_F_CAPPED says it is left out),
     * then, with NETLINK_EXT_ACK, the handler's {@code message} as NLMSGERR_ATTR_MSG (NLM_F_ACK_TLVS).
     */
    private byte[] ack(ByteBuffer request, Errno err, String message) {
        int len = request.getInt(0);
        boolean full = err != null && !capAck, tlv = extAck && message != null;
        int flags = (full ? 0 : RouteNetlink.NLM_F_CAPPED) | (tlv ? NLM_F_ACK_TLVS : 0);
        NetlinkWriter w = new NetlinkWriter(RouteNetlink.NLMSG_ERROR, flags, request.getInt(8), port);
        w.u32(err == null ? 0 : -err.number());
        byte[] copy = new byte[full ? len : NetlinkWriter.HEADER];
        request.get(0, copy);
        w.raw(copy);
        if (tlv) {
            w.pad();
            w.attrString(NLMSGERR_ATTR_MSG, message);
        }
        return w.bytes();
    }

    private void startDump(List<byte[]> messages, int seq, Wakes wakes) {
        dumpLeft = new ArrayDeque<>(messages);
        NetlinkWriter done = new NetlinkWriter(RouteNetlink.NLMSG_DONE, RouteNetlink.NLM_F_MULTI, seq, port);
        dumpDone = done.u32(0).bytes();
        dumpStep(wakes);
    }

    /**
     * netlink_dump: the next datagram of the running dump: as many whole messages as fit in
     * max(NLMSG_GOODSIZE, the largest receive buffer seen), or, once they are all sent, NLMSG_DONE.
     * With the queue over SO_RCVBUF it waits for the reader (whose next receive calls it again),
     * so no part of a dump is lost.
     */
    private void dumpStep(Wakes wakes) {
        if (queued > options.rcvbuf) return;
        if (dumpLeft.isEmpty()) {
            byte[] done = dumpDone;
            dumpLeft = null;
            dumpDone = null;
            fromKernel(done, wakes);
            return;
        }
        int limit = Math.max(DUMP_SIZE, maxRecvmsgLen), size = 0, n = 0;
        for (byte[] m : dumpLeft) {
            if (n > 0 && size + m.length > limit) break;
            size += m.length;
            n++;
        }
        byte[] chunk = new byte[size];
        for (int off = 0; n > 0; n--) {
            byte[] m = dumpLeft.poll();
            System.arraycopy(m, 0, chunk, off, m.length);
            off += m.length;
        }
        fromKernel(chunk, wakes);
    }

    // ------------------------------------------------------------- receiving

    /**
     * recvmsg(2) (netlink_recvmsg): one datagram (MSG_TRUNC: its full length, and the flag when
     * cut), MSG_PEEK, MSG_DONTWAIT or O_NONBLOCK (EAGAIN), SO_RCVTIMEO; a pending error (ENOBUFS)
     * first. The sender's sockaddr_nl is the name. Reading lets a running dump go on.
     */
    public Received receive(Waiter w, MemorySegment dst, int msgFlags) {
        if ((msgFlags & UnixSocket.MSG_OOB) != 0) throw new LinuxException(Errno.EOPNOTSUPP);
        boolean peek = (msgFlags & UnixSocket.MSG_PEEK) != 0;
        boolean nonBlocking = (msgFlags & UnixSocket.MSG_DONTWAIT) != 0 || (flags & OpenFlags.O_NONBLOCK) != 0;
        long deadline = UnixSocket.deadline(nonBlocking, options.rcvTimeout);
        Datagram d;
        Wakes wakes = new Wakes();
        while (true) {
            synchronized (ports.lock) {
                if (error != null) {
                    Errno e = error;
                    error = null;
                    throw new LinuxException(e);
                }
                d = peek ? queue.peekFirst() : queue.pollFirst();
                if (d != null) {
                    if (!peek) queued -= d.data.length + OVERHEAD;
                    maxRecvmsgLen = (int) Math.min(Math.max(maxRecvmsgLen, dst.byteSize()), DUMP_SIZE_MAX);
                    if (dumpLeft != null && queued <= options.rcvbuf / 2) dumpStep(wakes);
                    break;
                }
                if (deadline == 0) throw new LinuxException(Errno.EAGAIN);
            }
            Wakeup r = wait.await(w, () -> {
                synchronized (ports.lock) {
                    return !queue.isEmpty() || error != null;
                }
            }, deadline);
            if (r == Wakeup.INTERRUPTED) throw UnixSocket.interrupted(deadline);
            if (r == Wakeup.TIMED_OUT) deadline = 0;
        }
        wakes.fire();
        int len = d.data.length;
        long size = Math.min(dst.byteSize(), len);
        MemorySegment.copy(d.data, 0, dst, ValueLayout.JAVA_BYTE, 0, (int) size);
        long result = (msgFlags & UnixSocket.MSG_TRUNC) != 0 ? len : size;
        Ucred creds = options.passcred ? d.credentials : null;
        Received.ControlMessage info = null;
        synchronized (ports.lock) {
            // netlink_cmsg_recv_pktinfo: struct nl_pktinfo, the group the datagram was sent to (0: unicast).
            if (pktinfo) info = new Received.ControlMessage(SOL_NETLINK, NETLINK_PKTINFO, le(new byte[4]).putInt(0, d.group).array());
        }
        return new Received(result, size < len ? UnixSocket.MSG_TRUNC : 0, new Name(d.fromPort, groupMask(d.group)), creds, null, info);
    }

    // ------------------------------------------------------------- options

    /**
     * setsockopt(SOL_NETLINK) (netlink_setsockopt): a value shorter than an int counts as 0;
     * memberships take a group 1..36 (EINVAL otherwise); NETLINK_LISTEN_ALL_NSID needs root;
     * ENOPROTOOPT for other levels and names. NETLINK_PKTINFO adds a control message to each receive.
     */
    public void setOption(int level, int name, byte[] value, Caller c) {
        if (level != SOL_NETLINK) throw new LinuxException(Errno.ENOPROTOOPT);
        int v = value.length >= 4 ? le(value).getInt(0) : 0;
        boolean on = v != 0;
        synchronized (ports.lock) {
            switch (name) {
                case NETLINK_PKTINFO -> pktinfo = on;
                case NETLINK_ADD_MEMBERSHIP, NETLINK_DROP_MEMBERSHIP -> {
                    ngroups = ROUTE_GROUPS;
                    if (v <= 0 || v > ngroups) throw new LinuxException(Errno.EINVAL);
                    if (name == NETLINK_ADD_MEMBERSHIP) groups |= groupMask(v);
                    else groups &= ~groupMask(v);
                }
                case NETLINK_BROADCAST_ERROR -> broadcastError = on;
                case NETLINK_NO_ENOBUFS -> noEnobufs = on;
                case NETLINK_LISTEN_ALL_NSID -> {
                    if (c.euid() != 0) throw new LinuxException(Errno.EPERM);
                    listenAllNsid = on;
                }
                case NETLINK_CAP_ACK -> capAck = on;
                case NETLINK_EXT_ACK -> extAck = on;
                case NETLINK_GET_STRICT_CHK -> strictCheck = on;
                default -> throw new LinuxException(Errno.ENOPROTOOPT);
            }
        }
    }

    /**
     * getsockopt(SOL_NETLINK) (netlink_getsockopt): a flag as an int (EINVAL for a buffer
     * shorter than one); NETLINK_LIST_MEMBERSHIPS the group bitmap, as many whole u32s as fit in
     * {@code len}. Returns the bytes to copy; {@link #optionLength} is the length to report.
     */
    public byte[] getOption(int level, int name, int len) {
        if (level != SOL_NETLINK) throw new LinuxException(Errno.ENOPROTOOPT);
        synchronized (ports.lock) {
            if (name == NETLINK_LIST_MEMBERSHIPS) {
                int words = Math.min(len / 4, (ngroups + 31) / 32);
                ByteBuffer b = ByteBuffer.allocate(4 * words).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < words; i++) b.putInt((int) (groups >>> (32 * i)));
                return b.array();
            }
            boolean v = switch (name) {
                case NETLINK_PKTINFO -> pktinfo;
                case NETLINK_BROADCAST_ERROR -> broadcastError;
                case NETLINK_NO_ENOBUFS -> noEnobufs;
                case NETLINK_LISTEN_ALL_NSID -> listenAllNsid;
                case NETLINK_CAP_ACK -> capAck;
                case NETLINK_EXT_ACK -> extAck;
                case NETLINK_GET_STRICT_CHK -> strictCheck;
                default -> throw new LinuxException(Errno.ENOPROTOOPT);
            };
            if (len < 4) throw new LinuxException(Errno.EINVAL);
            return new byte[] {(byte) (v ? 1 : 0), 0, 0, 0};
        }
    }

    /** The optlen getsockopt(SOL_NETLINK, name) reports: NETLINK_LIST_MEMBERSHIPS says the size it needs. */
    public int optionLength(int name, byte[] copied) {
        if (name != NETLINK_LIST_MEMBERSHIPS) return copied.length;
        synchronized (ports.lock) {
            return 4 * ((ngroups + 31) / 32);
        }
    }

    // ------------------------------------------------------------- the file

    @Override
    public long read(Waiter waiter, MemorySegment dst) {
        if (dst.byteSize() == 0) return 0;
        return receive(waiter, dst, 0).result();
    }

    /** netlink_sendmsg: nothing to send is ENODATA. */
    @Override
    public boolean writesNothing() {
        return true;
    }

    @Override
    public long write(Waiter waiter, MemorySegment src) {
        return send(waiter, src, null, 0, UnixSocket.callerOf(waiter));
    }

    @Override
    public boolean epipeRaisesSigpipe() {
        return false;
    }

    /** datagram_poll: always writable, readable with a datagram queued, POLLERR with an error pending. */
    @Override
    public int poll(PollTable table) {
        if (table != null) table.watch(wait);
        synchronized (ports.lock) {
            int mask = Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND;
            if (error != null) mask |= Poll.POLLERR;
            if (!queue.isEmpty()) mask |= Poll.POLLIN | Poll.POLLRDNORM;
            return mask;
        }
    }

    /** Netlink has no ioctls of its own; the interface requests answer for lo as on any socket (sock_do_ioctl's dev_ioctl). */
    @Override
    public long ioctl(Waiter caller, int request, IoctlArg arg) {
        if (LoopbackInterface.handles(request)) return LoopbackInterface.ioctl(request, arg, false);
        throw new LinuxException(Errno.ENOTTY);
    }

    @Override
    public void release() {
        synchronized (ports.lock) {
            if (dead) return;
            dead = true;
            ports.remove(this);
            queue.clear();
            queued = 0;
            dumpLeft = null;
        }
        wait.wakeAll();
    }
}
