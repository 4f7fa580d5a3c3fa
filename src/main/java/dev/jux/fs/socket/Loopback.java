package dev.jux.fs.socket;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Jux instance's loopback network (one per Kernel): the TCP and UDP port tables of its
 * AF_INET and AF_INET6 sockets and the lock that guards them all. Only 127.0.0.0/8 and ::1
 * exist; nothing reaches the host's network (docs/design.md, "Internet sockets").
 * <p>Bind conflicts follow inet_csk_bind_conflict and udp_lib_lport_inuse, simplified: two
 * sockets on one port conflict when their addresses overlap (an "any" address covers its
 * family, a dual-stack :: covers IPv4 too) unless both set SO_REUSEPORT, or both set
 * SO_REUSEADDR and (for TCP) the one already there is not listening.
 */
public final class Loopback {
    /** net.ipv4.ip_local_port_range's default. */
    static final int FIRST_EPHEMERAL = 32768, LAST_EPHEMERAL = 60999;
    /** net.ipv4.ip_unprivileged_port_start's default: lower ports need CAP_NET_BIND_SERVICE. */
    static final int FIRST_UNPRIVILEGED = 1024;

    /** Guards every inet socket of this network: connections and datagrams touch two at a time. */
    final Object lock = new Object();
    private final Map<Integer, List<InetSocket>> tcp = new HashMap<>(), udp = new HashMap<>();
    private int nextEphemeral = FIRST_EPHEMERAL;
    private final NetlinkPorts netlinkPorts = new NetlinkPorts();

    /** This instance's NETLINK_ROUTE port ids (the network namespace's, as Linux keeps them). */
    public NetlinkPorts netlinkPorts() {
        return netlinkPorts;
    }

    private Map<Integer, List<InetSocket>> table(InetSocket s) {
        return s instanceof TcpSocket ? tcp : udp;
    }

    /** Whether {@code s} (bound) receives what is sent to {@code dst}. */
    static boolean covers(InetSocket s, InetName dst) {
        InetName h = s.local;
        if (h.isAny()) {
            if (h.isV4()) return dst.isV4();
            return !s.v6only || !dst.isV4();
        }
        return h.sameHost(dst);
    }

    /** Whether two bindings' addresses overlap (the new one: host {@code h}, dual-stack unless {@code v6only}). */
    private static boolean overlap(InetSocket old, InetName h, boolean v6only) {
        InetName o = old.local;
        if (o.isAny() && h.isAny()) {
            boolean o4 = o.isV4() || !old.v6only, o6 = !o.isV4();
            boolean n4 = h.isV4() || !v6only, n6 = !h.isV4();
            return (o4 && n4) || (o6 && n6);
        }
        if (o.isAny()) return covers(old, h);
        if (h.isAny()) {
            if (h.isV4()) return o.isV4();
            return !v6only || !o.isV4();
        }
        return o.sameHost(h);
    }

    private boolean conflicts(InetSocket s, InetName host, int port, boolean listening) {
        List<InetSocket> there = table(s).get(port);
        if (there == null) return false;
        for (InetSocket o : there) {
            if (o == s || !overlap(o, host, s.v6only)) continue;
            if (o.options.reusePort() && s.options.reusePort()) continue;
            boolean bothReuse = o.options.reuseAddr() && s.options.reuseAddr();
            if (s instanceof TcpSocket) {
                boolean otherListens = ((TcpSocket) o).state == TcpSocket.State.LISTENING;
                if (listening ? !otherListens : bothReuse && !otherListens) continue;
            } else if (bothReuse) {
                continue;
            }
            return true;
        }
        return false;
    }

    /**
     * Gives {@code s} the address {@code host}:{@code port} (port 0: the next free port of the
     * ephemeral range); EADDRINUSE if taken. Called with {@link #lock} held.
     */
    void bind(InetSocket s, InetName host, int port) {
        if (port == 0) {
            int span = LAST_EPHEMERAL - FIRST_EPHEMERAL + 1;
            for (int i = 0; i < span && port == 0; i++) {
                int p = nextEphemeral;
                nextEphemeral = p == LAST_EPHEMERAL ? FIRST_EPHEMERAL : p + 1;
                if (!table(s).containsKey(p)) port = p;
            }
            if (port == 0) throw new LinuxException(Errno.EADDRINUSE);
        } else if (conflicts(s, host, port, false)) {
            throw new LinuxException(Errno.EADDRINUSE);
        }
        s.local = host.withPort(port);
        table(s).computeIfAbsent(port, k -> new ArrayList<>()).add(s);
    }

    /** listen(2)'s second look (inet_csk_listen_start): another listener on the port is EADDRINUSE. */
    void checkListen(TcpSocket s) {
        if (conflicts(s, s.local, s.local.port(), true)) throw new LinuxException(Errno.EADDRINUSE);
    }

    /** Enters an accepted connection, which shares its listener's port (inet_csk_clone_lock keeps the bind bucket). With {@link #lock} held. */
    void adopt(InetSocket s) {
        tcp.computeIfAbsent(s.local.port(), k -> new ArrayList<>()).add(s);
    }

    /** Takes {@code s} out of its port table (close, a failed or undone connect). With {@link #lock} held. */
    void unbind(InetSocket s) {
        if (s.local == null) return;
        List<InetSocket> there = table(s).get(s.local.port());
        if (there != null) {
            there.remove(s);
            if (there.isEmpty()) table(s).remove(s.local.port());
        }
        s.local = null;
    }

    /** The listening TCP socket a connection to {@code dst} reaches (a specific address before "any"), or null. */
    TcpSocket listener(InetName dst) {
        TcpSocket best = null;
        for (InetSocket s : tcp.getOrDefault(dst.port(), List.of())) {
            TcpSocket t = (TcpSocket) s;
            if (t.state != TcpSocket.State.LISTENING || !covers(t, dst)) continue;
            if (best == null || !t.local.isAny()) best = t;
        }
        return best;
    }

    /** The UDP socket a datagram from {@code src} to {@code dst} reaches: a connected match first, then a specific address, then "any". */
    UdpSocket udpTarget(InetName dst, InetName src) {
        UdpSocket best = null;
        int bestScore = -1;
        for (InetSocket s : udp.getOrDefault(dst.port(), List.of())) {
            UdpSocket u = (UdpSocket) s;
            if (!covers(u, dst)) continue;
            if (u.peer != null && !u.peer.equals(src)) continue;
            int score = (u.peer != null ? 2 : 0) + (u.local.isAny() ? 0 : 1);
            if (score > bestScore) {
                best = u;
                bestScore = score;
            }
        }
        return best;
    }
}
