package dev.jux.fs.socket;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.util.Arrays;

/**
 * An internet socket address (ip(7), ipv6(7)): 16 address bytes in IPv6 form, an IPv4 address
 * held as ::ffff:a.b.c.d as Linux's dual-stack sockets see it, and a port. The loopback
 * network knows 127.0.0.0/8 and ::1 as local, 0.0.0.0 and :: as "any".
 */
public record InetName(byte[] address, int port, int flowInfo, int scopeId) {
    public static final int AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10;
    /** sizeof(struct sockaddr_in), sizeof(struct sockaddr_in6) and SIN6_LEN_RFC2133 (no scope id). */
    public static final int SOCKADDR_IN = 16, SOCKADDR_IN6 = 28, SOCKADDR_IN6_RFC2133 = 24;
    private static final byte[] V4_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    public static final InetName ANY4 = v4(0, 0), ANY6 = new InetName(new byte[16], 0, 0, 0);
    public static final InetName LOOPBACK4 = v4(0x7f000001, 0), LOOPBACK6 = new InetName(loopback6(), 0, 0, 0);

    private static byte[] loopback6() {
        byte[] b = new byte[16];
        b[15] = 1;
        return b;
    }

    /** The IPv4 address {@code ip} (host order) as ::ffff:ip. */
    public static InetName v4(int ip, int port) {
        byte[] b = Arrays.copyOf(V4_PREFIX, 16);
        b[12] = (byte) (ip >>> 24);
        b[13] = (byte) (ip >>> 16);
        b[14] = (byte) (ip >>> 8);
        b[15] = (byte) ip;
        return new InetName(b, port, 0, 0);
    }

    public static int family(byte[] raw) {
        return raw.length < 2 ? -1 : (raw[0] & 0xff) | (raw[1] & 0xff) << 8;
    }

    /**
     * A sockaddr_in (EINVAL if shorter than 16 bytes) or sockaddr_in6 (EINVAL below 24) of the
     * family {@code family}; EAFNOSUPPORT for another family. AF_INET's zero padding is ignored.
     */
    public static InetName parse(byte[] raw, int family) {
        if (family == AF_INET) {
            if (raw.length < SOCKADDR_IN) throw new LinuxException(Errno.EINVAL);
            if (family(raw) != AF_INET) throw new LinuxException(Errno.EAFNOSUPPORT);
            int ip = (raw[4] & 0xff) << 24 | (raw[5] & 0xff) << 16 | (raw[6] & 0xff) << 8 | raw[7] & 0xff;
            return v4(ip, port(raw));
        }
        if (raw.length < SOCKADDR_IN6_RFC2133) throw new LinuxException(Errno.EINVAL);
        if (family(raw) != AF_INET6) throw new LinuxException(Errno.EAFNOSUPPORT);
        int flow = le32(raw, 4);
        int scope = raw.length >= SOCKADDR_IN6 ? le32(raw, 24) : 0;
        return new InetName(Arrays.copyOfRange(raw, 8, 24), port(raw), flow, scope);
    }

    private static int port(byte[] raw) {
        return (raw[2] & 0xff) << 8 | raw[3] & 0xff;
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    public InetName withPort(int p) {
        return new InetName(address, p, 0, 0);
    }

    /** The same host without port, flow or scope: what a bound or connected address compares on. */
    public InetName host() {
        return port == 0 && flowInfo == 0 && scopeId == 0 ? this : new InetName(address, 0, 0, 0);
    }

    public boolean isV4() {
        return Arrays.equals(address, 0, 12, V4_PREFIX, 0, 12);
    }

    /** 0.0.0.0 or :: (for a v4 address in a v6 socket, ::ffff:0.0.0.0 is "any" too, as Linux binds it). */
    public boolean isAny() {
        for (int i = isV4() ? 12 : 0; i < 16; i++) if (address[i] != 0) return false;
        return true;
    }

    /** An address of this machine: 127.0.0.0/8 or ::1. */
    public boolean isLoopback() {
        if (isV4()) return address[12] == 127;
        return Arrays.equals(address, LOOPBACK6.address);
    }

    public boolean sameHost(InetName o) {
        return Arrays.equals(address, o.address);
    }

    /** The sockaddr bytes for a socket of {@code family}: a v4 address in a v6 socket shows as ::ffff:a.b.c.d. */
    public byte[] sockaddr(int family) {
        if (family == AF_INET) {
            byte[] b = new byte[SOCKADDR_IN];
            b[0] = AF_INET;
            b[2] = (byte) (port >> 8);
            b[3] = (byte) port;
            System.arraycopy(address, 12, b, 4, 4);
            return b;
        }
        byte[] b = new byte[SOCKADDR_IN6];
        b[0] = AF_INET6;
        b[2] = (byte) (port >> 8);
        b[3] = (byte) port;
        System.arraycopy(address, 0, b, 8, 16);
        return b;
    }

    /** This name as a {@link SocketName} seen by a socket of {@code family}. */
    public SocketName as(int family) {
        byte[] b = sockaddr(family);
        return () -> b.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InetName n && port == n.port && Arrays.equals(address, n.address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + port;
    }

    @Override
    public String toString() {
        if (isV4()) return (address[12] & 0xff) + "." + (address[13] & 0xff) + "." + (address[14] & 0xff) + "." + (address[15] & 0xff) + ":" + port;
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) s.append(':');
            s.append(Integer.toHexString((address[i] & 0xff) << 8 | address[i + 1] & 0xff));
        }
        return s.append("]:").append(port).toString();
    }
}
