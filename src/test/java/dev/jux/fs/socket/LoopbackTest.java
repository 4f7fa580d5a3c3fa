package dev.jux.fs.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.testing.TestWaiters;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The loopback network belongs to one Jux instance: two kernels' port tables never meet. */
class LoopbackTest {
    private static byte[] v4(int port) {
        return InetName.v4(0x7f000001, port).sockaddr(InetName.AF_INET);
    }

    private static int port(TcpSocket s) {
        byte[] b = s.localName();
        return (b[2] & 0xff) << 8 | b[3] & 0xff;
    }

    private static TcpSocket listening(Loopback net, int port) {
        TcpSocket l = new TcpSocket(net, InetName.AF_INET, 0, 0, 0);
        l.bind(v4(port), true);
        l.listen(4);
        return l;
    }

    @Test
    void twoNetworksHaveTheirOwnPorts() {
        Loopback one = new Loopback(), two = new Loopback();
        TcpSocket a = listening(one, 0);
        int p = port(a);
        TcpSocket b = listening(two, p); // the same port, another network: free
        assertEquals(p, port(b));
        TcpSocket again = new TcpSocket(one, InetName.AF_INET, 0, 0, 0);
        LinuxException e = assertThrows(LinuxException.class, () -> again.bind(v4(p), true));
        assertEquals(Errno.EADDRINUSE, e.errno());
        b.release();
        TcpSocket c = new TcpSocket(two, InetName.AF_INET, 0, 0, 0);
        e = assertThrows(LinuxException.class, () -> c.connect(new TestWaiters.Parking(), v4(p)));
        assertEquals(Errno.ECONNREFUSED, e.errno());
        a.release();
    }

    /** Nothing leaves the sandbox: another host is unreachable, for TCP and UDP alike (a native run would go out). */
    @Test
    void otherHostsAreUnreachable() {
        Loopback net = new Loopback();
        byte[] far = InetName.v4(0xc0000201, 80).sockaddr(InetName.AF_INET); // 192.0.2.1
        TcpSocket t = new TcpSocket(net, InetName.AF_INET, 0, 0, 0);
        assertEquals(Errno.ENETUNREACH, assertThrows(LinuxException.class, () -> t.connect(new TestWaiters.Parking(), far)).errno());
        UdpSocket u = new UdpSocket(net, InetName.AF_INET, 0, 0, 0);
        assertEquals(Errno.ENETUNREACH, assertThrows(LinuxException.class, () -> u.connect(new TestWaiters.Parking(), far)).errno());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(1);
            assertEquals(Errno.ENETUNREACH, assertThrows(LinuxException.class, () -> u.send(new TestWaiters.Parking(), one, far, 0)).errno());
        }
        byte[] far6 = new InetName(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 80, 0, 0).sockaddr(InetName.AF_INET6);
        TcpSocket t6 = new TcpSocket(net, InetName.AF_INET6, 0, 0, 0);
        assertEquals(Errno.ENETUNREACH, assertThrows(LinuxException.class, () -> t6.connect(new TestWaiters.Parking(), far6)).errno());
        t.release();
        u.release();
        t6.release();
    }

    @Test
    void bytesCrossAConnection() {
        Loopback net = new Loopback();
        TcpSocket l = listening(net, 0);
        TcpSocket c = new TcpSocket(net, InetName.AF_INET, 0, 0, 0);
        c.connect(new TestWaiters.Parking(), v4(port(l)));
        TcpSocket s = l.accept(new TestWaiters.Parking(), 0, 0, 0);
        try (Arena arena = Arena.ofConfined()) {
            byte[] msg = "over the loopback".getBytes(StandardCharsets.US_ASCII);
            assertEquals(msg.length, c.write(new TestWaiters.Parking(), arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, msg)));
            MemorySegment dst = arena.allocate(64);
            long n = s.read(new TestWaiters.Parking(), dst);
            assertArrayEquals(msg, dst.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            c.release();
            assertEquals(0, s.read(new TestWaiters.Parking(), dst)); // end of file after the peer's close
        }
        s.release();
        l.release();
    }
}
