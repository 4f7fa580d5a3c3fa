package dev.jux.fs.socket;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.fs.IoctlArg;
import dev.jux.wait.WaitQueue;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * An AF_INET or AF_INET6 socket on Jux's {@link Loopback} network, and its open file
 * description: what TCP and UDP share (net/ipv4/af_inet.c, net/ipv6/af_inet6.c): the family,
 * bind(2) with its address checks, the names, the IP-level options, fstat and fcntl.
 */
public abstract sealed class InetSocket extends SocketFile implements SocketOptions.Owner permits TcpSocket, UdpSocket {
    public static final int IPPROTO_IP = 0, IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_IPV6 = 41;
    public static final int SIOCINQ = 0x541B, SIOCOUTQ = 0x5411;
    static final int IP_TOS = 1, IP_TTL = 2, IP_PKTINFO = 8, IP_MTU_DISCOVER = 10, IP_RECVERR = 11, IP_RECVTOS = 13;
    static final int IPV6_UNICAST_HOPS = 16, IPV6_MTU_DISCOVER = 23, IPV6_RECVERR = 25, IPV6_V6ONLY = 26,
            IPV6_RECVPKTINFO = 49, IPV6_TCLASS = 67;
    static final int RCV_SHUTDOWN = 1, SEND_SHUTDOWN = 2, SHUTDOWN_MASK = 3;
    /** recvmsg's MSG_ERRQUEUE: the socket's error queue, which is always empty here (EAGAIN, as ip_recv_error). */
    static final int MSG_ERRQUEUE = 0x2000;

    final Loopback net;
    final int family;
    final SocketOptions options;
    final WaitQueue wait = new WaitQueue();
    /** SOL_IP, SOL_IPV6 and protocol-level integer options, by (level << 32 | name). */
    private final Map<Long, Integer> intOptions = new HashMap<>();

    // Guarded by net.lock.
    /** The bound address (host and port), null while unbound. */
    InetName local;
    /** bind(2) chose a host that is not "any" (Linux's SOCK_BINDADDR_LOCK): a disconnect keeps it. Else null. */
    InetName boundByUser;
    /** bind(2) chose the port (SOCK_BINDPORT_LOCK): a disconnect keeps it, else the port is given up. */
    boolean portLocked;
    boolean v6only;
    Errno error;
    int shutdown;

    InetSocket(Loopback net, int family, int flags, int uid, int gid, int sndbuf, int rcvbuf) {
        super(flags, uid, gid);
        this.net = net;
        this.family = family;
        this.options = new SocketOptions(this, sndbuf, rcvbuf);
    }

    public SocketOptions options() {
        return options;
    }

    @Override
    public int domain() {
        return family;
    }

    @Override
    public Ucred peerCredentials() {
        return new Ucred(0, 65534, 65534); // no peer credentials: sk_peer_cred is NULL, shown as the overflow ids
    }

    @Override
    public int takeErrorNumber() {
        synchronized (net.lock) {
            Errno e = takeError();
            return e == null ? 0 : e.number();
        }
    }

    Errno takeError() {
        Errno e = error;
        error = null;
        return e;
    }

    void setOwner(int newFlags, int newUid, int newGid) {
        flags = OpenFlags.O_RDWR | (newFlags & OpenFlags.O_NONBLOCK);
        uid = newUid;
        gid = newGid;
    }

    boolean nonBlocking(int msgFlags) {
        return (msgFlags & UnixSocket.MSG_DONTWAIT) != 0 || (flags & OpenFlags.O_NONBLOCK) != 0;
    }

    Wakeup await(Waiter w, WaitQueue q, BooleanSupplier ready, long deadline) {
        return q.await(w, () -> {
            synchronized (net.lock) {
                return ready.getAsBoolean();
            }
        }, deadline);
    }

    /** Options a connection inherits from its listener (sk_clone_lock copies the socket). */
    void inherit(InetSocket from) {
        options.sndbuf = from.options.sndbuf;
        options.rcvbuf = from.options.rcvbuf;
        options.rcvTimeout = from.options.rcvTimeout;
        options.sndTimeout = from.options.sndTimeout;
        synchronized (from.intOptions) {
            intOptions.putAll(from.intOptions);
        }
        v6only = from.v6only;
    }

    // ---------------------------------------------------------------- addresses

    /**
     * A destination for connect/sendto: EINVAL if short, EAFNOSUPPORT for another family (a
     * UDP socket of AF_INET6 also takes AF_INET, as ip6_datagram_connect does), ENETUNREACH for
     * an address that is not on the loopback network or a v4 peer of an IPV6_V6ONLY socket.
     * "Any" (0.0.0.0, ::) means this host, as Linux routes it.
     */
    InetName destination(byte[] raw) {
        int f = family;
        if (family == InetName.AF_INET6 && this instanceof UdpSocket && InetName.family(raw) == InetName.AF_INET) {
            if (v6only) throw new LinuxException(Errno.EAFNOSUPPORT);
            f = InetName.AF_INET;
        }
        InetName to = InetName.parse(raw, f);
        if (to.isV4() && family == InetName.AF_INET6 && v6only) throw new LinuxException(Errno.ENETUNREACH);
        if (to.isAny()) return (to.isV4() ? InetName.LOOPBACK4 : InetName.LOOPBACK6).withPort(to.port());
        if (!to.isLoopback()) throw new LinuxException(Errno.ENETUNREACH);
        return to;
    }

    /**
     * bind(2) (inet_bind_sk, inet6_bind_sk): EINVAL for a short address, EAFNOSUPPORT for another
     * family (AF_UNSPEC with INADDR_ANY passes on AF_INET, for old programs), EADDRNOTAVAIL for
     * an address that is not local, EACCES for a port below 1024 without {@code privileged}
     * (CAP_NET_BIND_SERVICE), EINVAL if already bound, EADDRINUSE if taken.
     */
    public void bind(byte[] raw, boolean privileged) {
        InetName at;
        if (family == InetName.AF_INET) {
            if (raw.length < InetName.SOCKADDR_IN) throw new LinuxException(Errno.EINVAL);
            int fam = InetName.family(raw);
            if (fam == InetName.AF_UNSPEC) {
                raw = raw.clone();
                raw[0] = InetName.AF_INET;
                raw[1] = 0;
                if (!InetName.parse(raw, InetName.AF_INET).isAny()) throw new LinuxException(Errno.EAFNOSUPPORT);
            }
            at = InetName.parse(raw, InetName.AF_INET);
        } else {
            at = InetName.parse(raw, InetName.AF_INET6);
            if (at.isV4() && v6only) throw new LinuxException(Errno.EINVAL);
        }
        if (!at.isAny() && !at.isLoopback()) throw new LinuxException(Errno.EADDRNOTAVAIL);
        if (at.port() != 0 && at.port() < Loopback.FIRST_UNPRIVILEGED && !privileged) throw new LinuxException(Errno.EACCES);
        synchronized (net.lock) {
            if (local != null || !canBind()) throw new LinuxException(Errno.EINVAL);
            net.bind(this, at.host(), at.port());
            boundByUser = at.isAny() ? null : local.host();
            portLocked = at.port() != 0;
        }
    }

    /** Whether bind may still run (a TCP socket must be closed: TCP_CLOSE). */
    abstract boolean canBind();

    /** Binds to an ephemeral port if unbound (inet_autobind), on {@code host}. With net.lock held. */
    void autobind(InetName host) {
        if (local == null) net.bind(this, host, 0);
    }

    /** The host an automatic bind uses: the one bind(2) chose, or "any". */
    InetName autobindHost() {
        return boundByUser != null ? boundByUser : anyHost();
    }

    /** The "any" address of this socket's family. */
    InetName anyHost() {
        return family == InetName.AF_INET ? InetName.ANY4 : InetName.ANY6;
    }

    /** The address a connection to {@code to} comes from: the bound host unless "any", else the loopback of {@code to}'s kind. */
    InetName sourceFor(InetName to) {
        if (local != null && !local.isAny()) return local;
        InetName host = to.isV4() ? InetName.LOOPBACK4 : InetName.LOOPBACK6;
        return host.withPort(local == null ? 0 : local.port());
    }

    /** getsockname: the bound address, or the family's "any" with port 0. */
    public byte[] localName() {
        synchronized (net.lock) {
            return (local == null ? anyHost() : local).sockaddr(family);
        }
    }

    /** getpeername: ENOTCONN unless connected. */
    public abstract byte[] peerName();

    public abstract void listen(int backlog);

    public abstract void connect(Waiter w, byte[] raw);

    public abstract void shutdown(int how);

    /** sendmsg: {@code raw} is the destination or null. */
    public abstract long send(Waiter w, MemorySegment data, byte[] raw, int msgFlags);

    /** recvmsg into {@code dst}; {@code from} in the result is the sender for datagrams. */
    public abstract Received receive(Waiter w, MemorySegment dst, int msgFlags);

    /** Whether an EPIPE from a send raises SIGPIPE: TCP's does, unless MSG_NOSIGNAL. */
    public boolean sendsSigpipe(int msgFlags) {
        return this instanceof TcpSocket && (msgFlags & UnixSocket.MSG_NOSIGNAL) == 0;
    }

    // ---------------------------------------------------------------- options

    private static long key(int level, int name) {
        return (long) level << 32 | (name & 0xffffffffL);
    }

    /** The default of a known integer option at {@code level}, or null if unknown (ENOPROTOOPT). */
    Integer optionDefault(int level, int name) {
        if (level == IPPROTO_IP) {
            return switch (name) {
                case IP_TOS, IP_PKTINFO, IP_RECVERR, IP_RECVTOS -> 0;
                case IP_TTL -> 64;
                case IP_MTU_DISCOVER -> this instanceof TcpSocket ? 1 : 0;
                default -> null;
            };
        }
        if (level == IPPROTO_IPV6 && family == InetName.AF_INET6) {
            return switch (name) {
                case IPV6_V6ONLY, IPV6_TCLASS, IPV6_RECVERR, IPV6_RECVPKTINFO, IPV6_MTU_DISCOVER -> 0;
                case IPV6_UNICAST_HOPS -> 64;
                default -> null;
            };
        }
        return protocolOptionDefault(level, name);
    }

    /** The protocol's own level (IPPROTO_TCP, IPPROTO_UDP): the option's default or null. */
    abstract Integer protocolOptionDefault(int level, int name);

    /** Whether {@code level} is one this socket answers at all (others: EOPNOTSUPP). */
    private boolean knownLevel(int level) {
        return level == IPPROTO_IP || (level == IPPROTO_IPV6 && family == InetName.AF_INET6) || level == protocol();
    }

    private static boolean isBoolean(int level, int name) {
        return (level == IPPROTO_IPV6 && (name == IPV6_V6ONLY || name == IPV6_RECVERR || name == IPV6_RECVPKTINFO))
                || (level == IPPROTO_IP && (name == IP_PKTINFO || name == IP_RECVERR || name == IP_RECVTOS));
    }

    /** getsockopt at a level other than SOL_SOCKET: the value's bytes. */
    public byte[] getOption(int level, int name) {
        if (!knownLevel(level)) throw new LinuxException(Errno.EOPNOTSUPP);
        Integer d = optionDefault(level, name);
        if (d == null) throw new LinuxException(Errno.ENOPROTOOPT);
        int v;
        if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY) {
            synchronized (net.lock) {
                v = v6only ? 1 : 0;
            }
        } else {
            synchronized (intOptions) {
                v = intOptions.getOrDefault(key(level, name), d);
            }
        }
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    /** setsockopt at a level other than SOL_SOCKET: integer options are stored (IPV6_V6ONLY acts; EINVAL once bound). */
    public void setOption(int level, int name, byte[] value) {
        if (!knownLevel(level)) throw new LinuxException(Errno.EOPNOTSUPP);
        if (optionDefault(level, name) == null) throw new LinuxException(Errno.ENOPROTOOPT);
        if (value.length < 4) throw new LinuxException(Errno.EINVAL);
        int v = (value[0] & 0xff) | (value[1] & 0xff) << 8 | (value[2] & 0xff) << 16 | (value[3] & 0xff) << 24;
        if (isBoolean(level, name) || (level == IPPROTO_TCP && isTcpBoolean(name))) v = v != 0 ? 1 : 0;
        if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY) {
            synchronized (net.lock) {
                if (local != null) throw new LinuxException(Errno.EINVAL);
                v6only = v != 0;
            }
            return;
        }
        checkOption(level, name, v);
        if (level == IPPROTO_IP && name == IP_TTL && v == -1) v = 64; // -1: the default again
        synchronized (intOptions) {
            intOptions.put(key(level, name), v);
        }
    }

    boolean isTcpBoolean(int name) {
        return false;
    }

    /** EINVAL for a value the option does not take (the protocol's own rules). */
    void checkOption(int level, int name, int v) {
        if (level == IPPROTO_IP && name == IP_TTL && v != -1 && (v < 1 || v > 255)) throw new LinuxException(Errno.EINVAL);
    }

    // ---------------------------------------------------------------- the file

    /** read(2): a zero-length read is 0 at once (sock_read_iter), unlike recv(2) with length 0. */
    @Override
    public long read(Waiter waiter, MemorySegment dst) {
        if (dst.byteSize() == 0) return 0;
        return receive(waiter, dst, 0).result();
    }

    @Override
    public long write(Waiter waiter, MemorySegment src) {
        return send(waiter, src, null, 0);
    }

    @Override
    public boolean epipeRaisesSigpipe() {
        return this instanceof TcpSocket;
    }

    /** SIOCOUTQ: bytes sent and not yet acknowledged; on the loopback the peer has them at once. */
    abstract int unsentBytes();

    /** SIOCINQ/FIONREAD, SIOCOUTQ and the interface requests (lo only); others ENOTTY (inet_ioctl's ENOIOCTLCMD). */
    @Override
    public long ioctl(Waiter caller, int request, IoctlArg arg) {
        switch (request) {
            case SIOCINQ -> arg.writeInt(readableBytes());
            case SIOCOUTQ -> arg.writeInt(unsentBytes());
            default -> {
                if (!LoopbackInterface.handles(request)) throw new LinuxException(Errno.ENOTTY);
                return LoopbackInterface.ioctl(request, arg, family == InetName.AF_INET);
            }
        }
        return 0;
    }
}
