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
