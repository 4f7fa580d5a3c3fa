package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.socket.NetlinkSocket;
import dev.jux.kernel.Credentials;
import dev.jux.kernel.Task;

/**
 * socket(2) and socketpair(2) for AF_NETLINK (netlink_create). The other socket calls reach
 * the {@link NetlinkSocket} through SocketSyscalls.
 */
final class NetlinkSocketSyscalls {
    private NetlinkSocketSyscalls() {}

    static final int SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_TYPE_MASK = 0xf;
    /** MAX_LINKS: netlink protocol numbers are below it. */
    static final int MAX_LINKS = 32;

    /**
     * netlink_create's checks in its order: a type other than SOCK_RAW and SOCK_DGRAM is
     * ESOCKTNOSUPPORT, a protocol out of range EPROTONOSUPPORT; and a protocol Jux lacks (all but
     * NETLINK_ROUTE: audit, uevents, generic netlink...) EPROTONOSUPPORT, as Linux answers for
     * one no module provides.
     */
    private static void check(int type, int protocol) {
        int base = type & SOCK_TYPE_MASK;
        if (base != SOCK_RAW && base != SOCK_DGRAM) throw new LinuxException(Errno.ESOCKTNOSUPPORT);
        if (protocol < 0 || protocol >= MAX_LINKS) throw new LinuxException(Errno.EPROTONOSUPPORT);
        if (protocol != NetlinkSocket.NETLINK_ROUTE) throw new LinuxException(Errno.EPROTONOSUPPORT);
    }

    static NetlinkSocket create(Task t, int type, int protocol) {
        check(type, protocol);
        Credentials c = t.group().credentials();
        return new NetlinkSocket(t.kernel().loopback().netlinkPorts(), type & SOCK_TYPE_MASK, type & SocketSyscalls.SOCK_NONBLOCK,
                c.fsuid(), c.fsgid());
    }

    /** socketpair(2): the socket is made (and checked) first, then sock_no_socketpair says EOPNOTSUPP. */
    static void pair(int type, int protocol) {
        check(type, protocol);
        throw new LinuxException(Errno.EOPNOTSUPP);
    }
}
