package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.socket.InetSocket;
import dev.jux.fs.socket.TcpSocket;
import dev.jux.fs.socket.UdpSocket;
import dev.jux.kernel.Credentials;
import dev.jux.kernel.Task;

/**
 * socket(2) for AF_INET and AF_INET6 (inet_create, inet6_create): the protocol switch. The
 * other socket calls reach the {@link InetSocket} through SocketSyscalls.
 */
final class InetSocketSyscalls {
    private InetSocketSyscalls() {}

    static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_TYPE_MASK = 0xf, IPPROTO_MAX = 263;

    /**
     * A new TCP or UDP socket. SOCK_STREAM takes protocol 0 or IPPROTO_TCP, SOCK_DGRAM 0 or
     * IPPROTO_UDP (others EPROTONOSUPPORT); other types are ESOCKTNOSUPPORT. SOCK_RAW is EPERM
     * without CAP_NET_RAW and EPROTONOSUPPORT with it (Jux has no raw sockets), and with
     * protocol 0 always EPROTONOSUPPORT, as Linux's wildcard raw entry answers.
     */
    static InetSocket create(Task t, int domain, int type, int protocol) {
        if (protocol < 0 || protocol >= IPPROTO_MAX) throw new LinuxException(Errno.EINVAL);
        Credentials c = t.group().credentials();
        int flags = type & SocketSyscalls.SOCK_NONBLOCK;
        return switch (type & SOCK_TYPE_MASK) {
            case SOCK_STREAM -> {
                if (protocol != 0 && protocol != InetSocket.IPPROTO_TCP) throw new LinuxException(Errno.EPROTONOSUPPORT);
                yield new TcpSocket(t.kernel().loopback(), domain, flags, c.fsuid(), c.fsgid());
            }
            case SOCK_DGRAM -> {
                if (protocol != 0 && protocol != InetSocket.IPPROTO_UDP) throw new LinuxException(Errno.EPROTONOSUPPORT);
                yield new UdpSocket(t.kernel().loopback(), domain, flags, c.fsuid(), c.fsgid());
            }
            case SOCK_RAW -> {
                if (protocol != 0 && !c.isRoot()) throw new LinuxException(Errno.EPERM);
                throw new LinuxException(Errno.EPROTONOSUPPORT);
            }
            default -> throw new LinuxException(Errno.ESOCKTNOSUPPORT);
        };
    }
}
