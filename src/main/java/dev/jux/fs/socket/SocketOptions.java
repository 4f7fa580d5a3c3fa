package dev.jux.fs.socket;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The SOL_SOCKET options of a socket (unix or inet) (sk_setsockopt/sk_getsockopt in net/core/sock.c).
 * Values are the bytes the guest passes; an int option needs 4 bytes (EINVAL), a get copies
 * at most the option's size. Timeouts are kept in jiffies of a 250 Hz clock, as the host's
 * Linux does, so a value read back is rounded as there.
 */
public final class SocketOptions {
    public static final int SOL_SOCKET = 1;
    public static final int SO_DEBUG = 1, SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_DONTROUTE = 5,
            SO_BROADCAST = 6, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_OOBINLINE = 10,
            SO_PRIORITY = 12, SO_LINGER = 13, SO_REUSEPORT = 15, SO_PASSCRED = 16, SO_PEERCRED = 17,
            SO_RCVLOWAT = 18, SO_SNDLOWAT = 19, SO_RCVTIMEO_OLD = 20, SO_SNDTIMEO_OLD = 21,
            SO_ACCEPTCONN = 30, SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33, SO_PROTOCOL = 38, SO_DOMAIN = 39,
            SO_RCVTIMEO_NEW = 66, SO_SNDTIMEO_NEW = 67;
    /** net.core.wmem_default/rmem_default and wmem_max/rmem_max: Linux's defaults. */
    static final int DEFAULT_BUFFER = 212992, MAX_BUFFER = 212992;
    /** SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF as x86-64 Linux 6.x computes them. */
    static final int MIN_SNDBUF = 4608, MIN_RCVBUF = 2304;
    static final long NO_TIMEOUT = Long.MAX_VALUE;
    private static final int HZ = 250;
    private static final long NANOS_PER_JIFFY = 1_000_000_000L / HZ;

    /** What the read-only options report: the socket these options belong to. */
    interface Owner {
        int type();

        int domain();

        int protocol();

        int takeErrorNumber();

        boolean isListening();

        Ucred peerCredentials();
    }

    private final Owner socket;
    volatile int sndbuf, rcvbuf;
    /** SO_RCVBUF was set (SOCK_RCVBUF_LOCK): TCP stops growing the buffer on its own. */
    volatile boolean rcvbufLocked;
    volatile boolean passcred;
    volatile int rcvlowat = 1;
    /** Nanoseconds (a whole number of jiffies), or NO_TIMEOUT. */
    volatile long rcvTimeout = NO_TIMEOUT, sndTimeout = NO_TIMEOUT;
    private volatile boolean debug, reuseAddr, reusePort, keepAlive, broadcast, dontRoute, oobInline;
    private volatile int priority;
    private volatile int lingerOn, lingerSeconds;

    SocketOptions(Owner socket) {
        this(socket, DEFAULT_BUFFER, DEFAULT_BUFFER);
    }

    /** Options with the protocol's default buffer sizes (TCP: tcp_wmem[1] and tcp_rmem[1]). */
    SocketOptions(Owner socket, int sndbuf, int rcvbuf) {
        this.socket = socket;
        this.sndbuf = sndbuf;
        this.rcvbuf = rcvbuf;
    }

    boolean reuseAddr() {
        return reuseAddr;
    }

    boolean reusePort() {
        return reusePort;
    }

    void setReuse(boolean addr, boolean port) {
        reuseAddr = addr;
        reusePort = port;
    }

    /** SO_LINGER on with a zero timeout: close aborts the connection (tcp_close sends a reset). */
    boolean lingersWithZeroTimeout() {
        return lingerOn != 0 && lingerSeconds == 0;
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] intBytes(int v) {
        byte[] b = new byte[4];
        le(b).putInt(v);
        return b;
    }

    /** getsockopt(SOL_SOCKET, name): the full value (the caller copies min(len, size)). ENOPROTOOPT for others. */
    public byte[] get(int name) {
        return switch (name) {
            case SO_TYPE -> intBytes(socket.type());
            case SO_PROTOCOL -> intBytes(socket.protocol());
            case SO_DOMAIN -> intBytes(socket.domain());
            case SO_ERROR -> intBytes(socket.takeErrorNumber());
            case SO_ACCEPTCONN -> intBytes(socket.isListening() ? 1 : 0);
            case SO_PEERCRED -> socket.peerCredentials().bytes();
            case SO_PASSCRED -> intBytes(passcred ? 1 : 0);
            case SO_SNDBUF -> intBytes(sndbuf);
            case SO_RCVBUF -> intBytes(rcvbuf);
            case SO_REUSEADDR -> intBytes(reuseAddr ? 1 : 0);
            case SO_REUSEPORT -> intBytes(reusePort ? 1 : 0);
            case SO_KEEPALIVE -> intBytes(keepAlive ? 1 : 0);
            case SO_BROADCAST -> intBytes(broadcast ? 1 : 0);
            case SO_DONTROUTE -> intBytes(dontRoute ? 1 : 0);
            case SO_OOBINLINE -> intBytes(oobInline ? 1 : 0);
            case SO_DEBUG -> intBytes(debug ? 1 : 0);
            case SO_PRIORITY -> intBytes(priority);
            case SO_RCVLOWAT -> intBytes(rcvlowat);
            case SO_SNDLOWAT -> intBytes(1);
            case SO_LINGER -> {
                byte[] b = new byte[8];
                le(b).putInt(lingerOn).putInt(lingerSeconds);
                yield b;
            }
            case SO_RCVTIMEO_OLD, SO_RCVTIMEO_NEW -> timeval(rcvTimeout);
            case SO_SNDTIMEO_OLD, SO_SNDTIMEO_NEW -> timeval(sndTimeout);
            default -> throw new LinuxException(Errno.ENOPROTOOPT);
        };
    }

    private static byte[] timeval(long nanos) {
        byte[] b = new byte[16];
        if (nanos != NO_TIMEOUT) le(b).putLong(nanos / 1_000_000_000L).putLong(nanos % 1_000_000_000L / 1000);
        return b;
    }

    /** setsockopt(SOL_SOCKET, name, value); {@code value} holds optlen bytes. */
    public void set(int name, byte[] value) {
        switch (name) {
            case SO_RCVTIMEO_OLD, SO_RCVTIMEO_NEW -> rcvTimeout = timeout(value);
            case SO_SNDTIMEO_OLD, SO_SNDTIMEO_NEW -> sndTimeout = timeout(value);
            case SO_LINGER -> {
                if (value.length < 8) throw new LinuxException(Errno.EINVAL);
                lingerOn = le(value).getInt(0) != 0 ? 1 : 0;
                lingerSeconds = le(value).getInt(4);
            }
            case SO_TYPE, SO_PROTOCOL, SO_DOMAIN, SO_ERROR, SO_ACCEPTCONN, SO_PEERCRED -> throw new LinuxException(Errno.ENOPROTOOPT);
            default -> setInt(name, value);
        }
    }

    private void setInt(int name, byte[] value) {
        if (!knownInt(name)) throw new LinuxException(Errno.ENOPROTOOPT);
        if (value.length < 4) throw new LinuxException(Errno.EINVAL);
        int v = le(value).getInt(0);
        boolean on = v != 0;
        switch (name) {
            // sk_setsockopt: clamp to the maximum (as unsigned), then double, at least the minimum.
            case SO_SNDBUF -> sndbuf = (int) Math.max(Math.min(Integer.toUnsignedLong(v), MAX_BUFFER) * 2, MIN_SNDBUF);
            case SO_RCVBUF -> {
                rcvbuf = (int) Math.max(Math.min(Integer.toUnsignedLong(v), MAX_BUFFER) * 2, MIN_RCVBUF);
                rcvbufLocked = true;
            }
            case SO_SNDBUFFORCE -> sndbuf = (int) Math.max(Math.min(Math.max(v, 0), Integer.MAX_VALUE / 2) * 2L, MIN_SNDBUF);
            case SO_RCVBUFFORCE -> {
                rcvbuf = (int) Math.max(Math.min(Math.max(v, 0), Integer.MAX_VALUE / 2) * 2L, MIN_RCVBUF);
                rcvbufLocked = true;
            }
            case SO_PASSCRED -> passcred = on;
            case SO_REUSEADDR -> reuseAddr = on;
            case SO_REUSEPORT -> reusePort = on;
            case SO_KEEPALIVE -> keepAlive = on;
            case SO_BROADCAST -> broadcast = on;
            case SO_DONTROUTE -> dontRoute = on;
            case SO_OOBINLINE -> oobInline = on;
            case SO_DEBUG -> debug = on;
            case SO_PRIORITY -> priority = v;
            case SO_RCVLOWAT -> rcvlowat = v < 0 ? Integer.MAX_VALUE : (v == 0 ? 1 : v);
            case SO_SNDLOWAT -> throw new LinuxException(Errno.ENOPROTOOPT);
            default -> throw new LinuxException(Errno.ENOPROTOOPT);
        }
    }

    private static boolean knownInt(int name) {
        return switch (name) {
            case SO_SNDBUF, SO_RCVBUF, SO_SNDBUFFORCE, SO_RCVBUFFORCE, SO_PASSCRED, SO_REUSEADDR, SO_REUSEPORT,
                 SO_KEEPALIVE, SO_BROADCAST, SO_DONTROUTE, SO_OOBINLINE, SO_DEBUG, SO_PRIORITY, SO_RCVLOWAT -> true;
            default -> false;
        };
    }

    /** sock_set_timeout: EINVAL if short, EDOM for a bad tv_usec; {0, 0} is no timeout, a negative one 0. */
    private static long timeout(byte[] value) {
        if (value.length < 16) throw new LinuxException(Errno.EINVAL);
        long sec = le(value).getLong(0), usec = le(value).getLong(8);
        if (usec < 0 || usec >= 1_000_000) throw new LinuxException(Errno.EDOM);
        if (sec < 0) return 0;
        if (sec == 0 && usec == 0) return NO_TIMEOUT;
        long usecPerJiffy = 1_000_000L / HZ;
        if (sec >= Long.MAX_VALUE / HZ / NANOS_PER_JIFFY - 1) return NO_TIMEOUT;
        long jiffies = sec * HZ + (usec + usecPerJiffy - 1) / usecPerJiffy;
        return jiffies * NANOS_PER_JIFFY;
    }
}
