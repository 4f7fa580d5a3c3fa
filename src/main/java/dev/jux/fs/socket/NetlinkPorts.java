package dev.jux.fs.socket;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.util.HashMap;
import java.util.Map;

/**
 * One Jux instance's netlink port ids (Linux's nl_table for NETLINK_ROUTE in one network
 * namespace): which socket holds which id, and the lock every netlink socket of the instance
 * takes (a datagram from one user socket to another touches two).
 */
public final class NetlinkPorts {
    /** Guards every netlink socket of this instance. */
    final Object lock = new Object();
    private final Map<Integer, NetlinkSocket> bound = new HashMap<>();
    /** netlink_autobind's next id after a collision: negative, from -4097 down (Linux picks them at random there). */
    private int rover = -4097;

    /** netlink_insert: {@code s} takes {@code port}; EADDRINUSE if another socket holds it. With {@link #lock} held. */
    void insert(NetlinkSocket s, int port) {
        if (bound.putIfAbsent(port, s) != null) throw new LinuxException(Errno.EADDRINUSE);
        s.port = port;
        s.bound = true;
    }

    /** netlink_autobind: the process's id if free, else the next free negative one. With {@link #lock} held. */
    void autobind(NetlinkSocket s, int pid) {
        int port = pid;
        while (bound.containsKey(port)) {
            port = rover;
            rover = rover == Integer.MIN_VALUE ? -4097 : rover - 1;
        }
        insert(s, port);
    }

    /** The socket bound to {@code port}, or null. With {@link #lock} held. */
    NetlinkSocket find(int port) {
        return bound.get(port);
    }

    /** Every bound socket (for a multicast). With {@link #lock} held. */
    Iterable<NetlinkSocket> all() {
        return bound.values();
    }

    /** Frees {@code s}'s id (close). With {@link #lock} held. */
    void remove(NetlinkSocket s) {
        if (s.bound) bound.remove(s.port, s);
    }
}
