package dev.jux.fs.socket;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Poll;
import dev.jux.wait.PollTable;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/**
 * A UDP socket on the loopback network (udp(7)): a datagram goes straight onto the queue of
 * the socket bound to its destination, or is dropped if there is none or that queue holds
 * SO_RCVBUF already. A connected socket only receives from its peer, and a datagram it sends
 * to a port nobody has bound leaves ECONNREFUSED for its next call, as Linux reports the
 * ICMP port-unreachable (__udp4_lib_err) to connected sockets only.
 */
public final class UdpSocket extends InetSocket {
    /** write(2) of 0 bytes sends an empty datagram, as send(2) does. */
    @Override
    public boolean writesNothing() {
        return true;
    }

    static final int DEFAULT_BUFFER = 212992;
    /** What a queued datagram costs its receiver beyond its data (sk_buff truesize). */
    static final int OVERHEAD = 768;
    /** The largest payload: 65535 less the IPv4 and UDP headers; IPv6's payload length leaves out its header. */
    static final int MAX_V4 = 65507, MAX_V6 = 65527;
    static final int UDP_CORK = 1;

    private record Datagram(byte[] data, InetName from) {}

    // Guarded by net.lock.
    /** The default destination (connect), or null. */
    InetName peer;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private long queued;
    private boolean dead;

    public UdpSocket(Loopback net, int family, int flags, int uid, int gid) {
        super(net, family, flags, uid, gid, DEFAULT_BUFFER, DEFAULT_BUFFER);
    }

    @Override
    public int type() {
        return UnixSocket.SOCK_DGRAM;
    }

    @Override
    public int protocol() {
        return IPPROTO_UDP;
    }

    @Override
    public boolean isListening() {
        return false;
    }

    @Override
    boolean canBind() {
        return true;
    }

    @Override
    Integer protocolOptionDefault(int level, int name) {
        return level == IPPROTO_UDP && name == UDP_CORK ? 0 : null;
    }

    @Override
    public byte[] peerName() {
        synchronized (net.lock) {
            if (peer == null) throw new LinuxException(Errno.ENOTCONN);
            return peer.sockaddr(family);
        }
    }

    @Override
    public void listen(int backlog) {
        throw new LinuxException(Errno.EOPNOTSUPP);
    }

    /** connect(2) (ip4_datagram_connect, ip6_datagram_connect): sets the default peer; AF_UNSPEC undoes it (udp_disconnect). */
    @Override
    public void connect(Waiter w, byte[] raw) {
        if (raw.length < 2) throw new LinuxException(Errno.EINVAL);
        if (InetName.family(raw) == InetName.AF_UNSPEC) {
            synchronized (net.lock) {
                // __udp_disconnect: the host goes back to what bind chose, the port unless bind chose it.
                peer = null;
                if (!portLocked) net.unbind(this);
                else local = autobindHost().withPort(local.port());
            }
            return;
        }
        InetName to = destination(raw);
        synchronized (net.lock) {
            autobind(autobindHost());
            if (local.isAny()) local = sourceFor(to);
            peer = to.host().withPort(to.port());
        }
    }

    /** shutdown(2): ENOTCONN unless connected (the bits are set anyway, as inet_shutdown does). */
    @Override
    public void shutdown(int how) {
        if (how < 0 || how > 2) throw new LinuxException(Errno.EINVAL);
        boolean connected;
        synchronized (net.lock) {
            shutdown |= how + 1;
            connected = peer != null;
        }
        wait.wakeAll();
        if (!connected) throw new LinuxException(Errno.ENOTCONN);
    }

    /**
     * udp_sendmsg/udpv6_sendmsg: EDESTADDRREQ without a destination, EINVAL for port 0,
     * EMSGSIZE past the largest payload, EPIPE after SHUT_WR, a pending error first.
     */
    @Override
    public long send(Waiter w, MemorySegment data, byte[] raw, int msgFlags) {
        if ((msgFlags & UnixSocket.MSG_OOB) != 0) throw new LinuxException(Errno.EOPNOTSUPP);
        if (raw != null && family == InetName.AF_INET && raw.length >= InetName.SOCKADDR_IN && InetName.family(raw) == InetName.AF_UNSPEC) {
            raw = raw.clone(); // udp_sendmsg takes AF_UNSPEC as AF_INET
            raw[0] = InetName.AF_INET;
        }
        InetName to = raw == null ? null : destination(raw);
        long len = data.byteSize();
        if (len > (family == InetName.AF_INET ? MAX_V4 : MAX_V6)) throw new LinuxException(Errno.EMSGSIZE);
        if (to != null && to.port() == 0) throw new LinuxException(Errno.EINVAL);
        byte[] bytes = new byte[(int) len];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) len);
        UdpSocket target;
        synchronized (net.lock) {
            if ((shutdown & SEND_SHUTDOWN) != 0) throw new LinuxException(Errno.EPIPE);
            if (to == null) {
                if (peer == null) throw new LinuxException(Errno.EDESTADDRREQ);
                to = peer;
            }
            if (error != null) throw new LinuxException(takeError());
            autobind(autobindHost());
            InetName source = sourceFor(to);
            target = net.udpTarget(to, source);
            if (target == null) {
                if (peer != null && peer.equals(to)) error = Errno.ECONNREFUSED; // the ICMP port unreachable
            } else if (target.queued + bytes.length + OVERHEAD <= target.options.rcvbuf || target.queue.isEmpty()) {
                target.queue.add(new Datagram(bytes, source));
                target.queued += bytes.length + OVERHEAD;
            } else {
                target = null; // the receiver's buffer is full: dropped
            }
        }
        if (target != null) target.wait.wakeAll(Poll.POLLIN | Poll.POLLRDNORM);
        return len;
    }

    /** udp_recvmsg: one datagram (MSG_TRUNC: its full length, and the flag when cut), MSG_PEEK, MSG_DONTWAIT; end of file after SHUT_RD. */
    @Override
    public Received receive(Waiter w, MemorySegment dst, int msgFlags) {
        if ((msgFlags & UnixSocket.MSG_OOB) != 0) throw new LinuxException(Errno.EOPNOTSUPP);
        if ((msgFlags & MSG_ERRQUEUE) != 0) throw new LinuxException(Errno.EAGAIN);
        boolean peek = (msgFlags & UnixSocket.MSG_PEEK) != 0;
        long deadline = UnixSocket.deadline(nonBlocking(msgFlags), options.rcvTimeout);
        Datagram d;
        while (true) {
            synchronized (net.lock) {
                d = peek ? queue.peekFirst() : queue.pollFirst();
                if (d != null) {
                    if (!peek) queued -= d.data.length + OVERHEAD;
                    break;
                }
                if (error != null) throw new LinuxException(takeError());
                if ((shutdown & RCV_SHUTDOWN) != 0) return new Received(0, 0, null, null, null);
                if (deadline == 0) throw new LinuxException(Errno.EAGAIN);
            }
            Wakeup r = await(w, wait, () -> !queue.isEmpty() || error != null || (shutdown & RCV_SHUTDOWN) != 0, deadline);
            if (r == Wakeup.INTERRUPTED) throw UnixSocket.interrupted(deadline);
            if (r == Wakeup.TIMED_OUT) deadline = 0;
        }
        int len = d.data.length;
        long size = Math.min(dst.byteSize(), len);
        MemorySegment.copy(d.data, 0, dst, ValueLayout.JAVA_BYTE, 0, (int) size);
        long result = (msgFlags & UnixSocket.MSG_TRUNC) != 0 ? len : size;
        return new Received(result, size < len ? UnixSocket.MSG_TRUNC : 0, d.from.as(family), null, null);
    }

    @Override
    public void release() {
        synchronized (net.lock) {
            if (dead) return;
            dead = true;
            net.unbind(this);
            queue.clear();
            queued = 0;
        }
        wait.wakeAll();
    }

    /** FIONREAD/SIOCINQ on a datagram socket: the size of the next datagram (udp_ioctl's first_packet_length). */
    @Override
    public int readableBytes() {
        synchronized (net.lock) {
            return queue.isEmpty() ? 0 : queue.peekFirst().data.length;
        }
    }

    @Override
    int unsentBytes() {
        return 0;
    }

    /** udp_poll (datagram_poll): always writable; readable with a datagram queued. */
    @Override
    public int poll(PollTable table) {
        if (table != null) table.watch(wait);
        synchronized (net.lock) {
            int mask = Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND;
            if (error != null) mask |= Poll.POLLERR;
            if (shutdown == SHUTDOWN_MASK) mask |= Poll.POLLHUP;
            if ((shutdown & RCV_SHUTDOWN) != 0) mask |= Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLRDHUP;
            if (!queue.isEmpty()) mask |= Poll.POLLIN | Poll.POLLRDNORM;
            return mask;
        }
    }
}
