package dev.jux.fs.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.testing.TestWaiters;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * What the differential test (net_netlink.c) cannot show, because a native run as root would
 * change the host's network or needs a second process: requests that change the network as
 * root (EOPNOTSUPP: the network is fixed), datagrams between user sockets (root only), a
 * multicast to a group's members, replies dropped on a full queue (ENOBUFS), port ids per
 * Jux instance.
 */
class NetlinkSocketTest {
    private static final Caller ROOT = new Caller(100, 0, 0, 0, 0), USER = new Caller(100, 1000, 1000, 1000, 1000);
    private static final int MSG_DONTWAIT = UnixSocket.MSG_DONTWAIT;

    private static byte[] address(int port, int groups) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 16).putShort((short) 0).putInt(port).putInt(groups).array();
    }

    /** A request header of {@code type} with {@code flags} and an 8-byte family header of zeros. */
    private static byte[] request(int type, int flags, int seq) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(24).putShort((short) type).putShort((short) flags)
                .putInt(seq).putInt(0).array();
    }

    private static long send(NetlinkSocket s, byte[] data, byte[] to, Caller c) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(data.length);
            MemorySegment.copy(data, 0, seg, ValueLayout.JAVA_BYTE, 0, data.length);
            return s.send(new TestWaiters.Parking(), seg, to, 0, c);
        }
    }

    /** Receives one datagram without waiting: its bytes (as a little-endian buffer) and the sender's name. */
    private record Got(ByteBuffer data, ByteBuffer from) {}

    private static Got receive(NetlinkSocket s) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(65536);
            Received r = s.receive(new TestWaiters.Parking(), seg, MSG_DONTWAIT);
            byte[] b = seg.asSlice(0, r.result()).toArray(ValueLayout.JAVA_BYTE);
            return new Got(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN), ByteBuffer.wrap(r.from().sockaddr()).order(ByteOrder.LITTLE_ENDIAN));
        }
    }

    private static Errno receiveError(NetlinkSocket s) {
        return assertThrows(LinuxException.class, () -> receive(s)).errno();
    }

    private static NetlinkSocket socket(NetlinkPorts ports) {
        return new NetlinkSocket(ports, 3, 0, 0, 0);
    }

    /** A request with a family header of {@code body} bytes after the nlmsghdr. */
    private static byte[] request(int type, int flags, int seq, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(16 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putInt(16 + body.length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0).put(body).array();
    }

    private static int error(ByteBuffer reply) {
        assertEquals(RouteNetlink.NLMSG_ERROR, reply.getShort(4));
        return reply.getInt(16);
    }

    /** Root asking for what already is succeeds, as on Linux (`ip link set lo up`); a real change is EOPNOTSUPP. */
    @Test
    void rootMayAskForWhatAlreadyIs() {
        NetlinkSocket s = socket(new NetlinkPorts());
        int ack = RouteNetlink.NLM_F_REQUEST | RouteNetlink.NLM_F_ACK;
        // ifinfomsg {family, type, index 1, flags IFF_UP, change IFF_UP}
        byte[] up = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 1).putInt(8, 1).putInt(12, 1).array();
        send(s, request(RouteNetlink.RTM_NEWLINK, ack, 1, up), null, ROOT);
        assertEquals(0, error(receive(s).data()));
        byte[] down = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 1).putInt(8, 0).putInt(12, 1).array();
        send(s, request(RouteNetlink.RTM_NEWLINK, ack, 2, down), null, ROOT);
        assertEquals(-Errno.EOPNOTSUPP.number(), error(receive(s).data()));
        byte[] other = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 7).putInt(8, 1).putInt(12, 1).array();
        send(s, request(RouteNetlink.RTM_NEWLINK, ack, 3, other), null, ROOT);
        assertEquals(-Errno.ENODEV.number(), error(receive(s).data()));
        // ifaddrmsg {AF_INET, 8, 0, 0, index 1} + IFA_LOCAL 127.0.0.1: it exists.
        byte[] lo = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).put(0, (byte) 2).put(1, (byte) 8).putInt(4, 1)
                .putShort(8, (short) 8).putShort(10, (short) 2).put(12, new byte[] {127, 0, 0, 1}).array();
        send(s, request(RouteNetlink.RTM_NEWADDR, ack | RouteNetlink.NLM_F_CREATE | RouteNetlink.NLM_F_EXCL, 4, lo), null, ROOT);
        ByteBuffer exists = receive(s).data();
        assertEquals(-Errno.EEXIST.number(), error(exists));
        assertEquals(0, exists.getShort(6) & 0x200, "no extended ack unless asked");
        send(s, request(RouteNetlink.RTM_NEWADDR, ack | RouteNetlink.NLM_F_REPLACE, 5, lo), null, ROOT);
        assertEquals(0, error(receive(s).data()));
        // With NETLINK_EXT_ACK the error carries the handler's message (NLMSGERR_ATTR_MSG).
        s.setOption(NetlinkSocket.SOL_NETLINK, NetlinkSocket.NETLINK_EXT_ACK, new byte[] {1, 0, 0, 0}, ROOT);
        send(s, request(RouteNetlink.RTM_NEWADDR, ack | RouteNetlink.NLM_F_CREATE | RouteNetlink.NLM_F_EXCL, 6, lo), null, ROOT);
        ByteBuffer told = receive(s).data();
        assertEquals(0x200, told.getShort(6) & 0x200);
        int attr = 16 + 4 + 32; // nlmsgerr, then the whole 32-byte request
        assertEquals(1, told.getShort(attr + 2));
        byte[] text = new byte[told.getShort(attr) - 5];
        told.get(attr + 4, text);
        assertEquals("ipv4: Address already assigned.", new String(text, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(told.limit(), told.getInt(0));
        s.release();
    }

    @Test
    void changesAreEpermForUsersAndEopnotsuppForRoot() {
        NetlinkSocket s = socket(new NetlinkPorts());
        for (int type : new int[] {RouteNetlink.RTM_NEWADDR, RouteNetlink.RTM_NEWROUTE, 21 /* RTM_DELADDR */, 17 /* RTM_DELLINK */}) {
            send(s, request(type, RouteNetlink.NLM_F_REQUEST, 1), null, USER);
            ByteBuffer user = receive(s).data();
            assertEquals(RouteNetlink.NLMSG_ERROR, user.getShort(4));
            assertEquals(-Errno.EPERM.number(), user.getInt(16));
            send(s, request(type, RouteNetlink.NLM_F_REQUEST, 2), null, ROOT);
            ByteBuffer root = receive(s).data();
            assertEquals(-Errno.EOPNOTSUPP.number(), root.getInt(16));
            assertEquals(2, root.getInt(8));
        }
        s.release();
    }

    @Test
    void rootSendsToAnotherSocketsPortAndUsersMayNot() {
        NetlinkPorts ports = new NetlinkPorts();
        NetlinkSocket a = socket(ports), b = socket(ports);
        a.bind(address(0, 0), ROOT);
        b.bind(address(0, 0), ROOT);
        int aPort = ByteBuffer.wrap(a.localName()).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
        int bPort = ByteBuffer.wrap(b.localName()).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
        assertEquals(100, aPort); // the pid first
        assertTrue(bPort < -4096, "then a negative id: " + bPort);
        byte[] hello = request(0x7777, 0, 9);
        assertEquals(Errno.EPERM, assertThrows(LinuxException.class, () -> send(a, hello, address(bPort, 0), USER)).errno());
        assertEquals(24, send(a, hello, address(bPort, 0), ROOT));
        Got got = receive(b);
        assertEquals(0x7777, got.data().getShort(4)); // delivered as sent, not answered by the kernel
        assertEquals(aPort, got.from().getInt(4));
        assertEquals(Errno.EAGAIN, receiveError(a));
        assertEquals(Errno.ECONNREFUSED, assertThrows(LinuxException.class, () -> send(a, hello, address(4242, 0), ROOT)).errno());
        a.release();
        b.release();
    }

    @Test
    void aMulticastReachesTheGroupsMembers() {
        NetlinkPorts ports = new NetlinkPorts();
        NetlinkSocket sender = socket(ports), member = socket(ports), other = socket(ports);
        member.bind(address(0, 1 << 2), USER); // group 3: anyone may listen on NETLINK_ROUTE
        other.bind(address(0, 0), USER);
        send(sender, request(0x7777, 0, 1), address(0, 1 << 2), ROOT);
        Got got = receive(member);
        assertEquals(1 << 2, got.from().getInt(8));
        assertEquals(Errno.EAGAIN, receiveError(other));
        // The unicast part went to the kernel, which ignores a message that is not a request.
        assertEquals(Errno.EAGAIN, receiveError(sender));
        sender.release();
        member.release();
        other.release();
    }

    @Test
    void repliesToAFullQueueAreDroppedAndReportedAsEnobufs() {
        NetlinkSocket s = socket(new NetlinkPorts());
        s.options().set(SocketOptions.SO_RCVBUF, new byte[] {0, 0, 0, 0}); // the minimum, 2304
        byte[] ack = request(RouteNetlink.NLMSG_NOOP, RouteNetlink.NLM_F_REQUEST | RouteNetlink.NLM_F_ACK, 1);
        for (int i = 0; i < 10; i++) send(s, ack, null, USER);
        assertEquals(Errno.ENOBUFS, receiveError(s));
        int queued = 0;
        while (true) {
            try {
                receive(s);
                queued++;
            } catch (LinuxException e) {
                assertEquals(Errno.EAGAIN, e.errno());
                break;
            }
        }
        assertTrue(queued > 0 && queued < 10, "some acks were kept: " + queued);
        s.release();
    }

    /** The guest is untrusted: any bytes, with headers and attributes that lie about their lengths, give answers or errnos, never an exception. */
    @Test
    void garbageRequestsAreAnsweredOrRefusedNeverThrown() {
        java.util.Random random = new java.util.Random(7);
        NetlinkSocket s = socket(new NetlinkPorts());
        int[] types = {0, 1, 2, 3, 16, 17, 18, 20, 22, 24, 26, 30, 34, 123, 124, 0xffff};
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[1 + random.nextInt(200)];
            random.nextBytes(data);
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            if (data.length >= 16 && random.nextBoolean()) {
                b.putInt(0, random.nextBoolean() ? data.length : random.nextInt(data.length + 8) - 4);
                b.putShort(4, (short) types[random.nextInt(types.length)]);
                b.putShort(6, (short) (RouteNetlink.NLM_F_REQUEST | (random.nextBoolean() ? RouteNetlink.NLM_F_DUMP : 0)
                        | (random.nextBoolean() ? RouteNetlink.NLM_F_ACK : 0)));
            }
            try {
                send(s, data, null, random.nextBoolean() ? ROOT : USER);
            } catch (LinuxException e) {
                // an errno is fine
            }
            while (true) {
                try {
                    receive(s);
                } catch (LinuxException e) {
                    if (e.errno() == Errno.EAGAIN) break;
                }
            }
        }
        s.release();
    }

    /** A dump asked for while the queue is full waits for the reader instead of losing its objects. */
    @Test
    void aDumpWaitsForRoomInAFullQueue() {
        NetlinkSocket s = socket(new NetlinkPorts());
        s.options().set(SocketOptions.SO_RCVBUF, new byte[] {0, 0, 0, 0});
        byte[] ack = request(RouteNetlink.NLMSG_NOOP, RouteNetlink.NLM_F_REQUEST | RouteNetlink.NLM_F_ACK, 1);
        for (int i = 0; i < 10; i++) send(s, ack, null, USER); // more than 2304 bytes of acks: the queue is full
        send(s, request(RouteNetlink.RTM_GETLINK, RouteNetlink.NLM_F_REQUEST | RouteNetlink.NLM_F_DUMP, 2), null, USER);
        int links = 0, done = 0;
        while (done == 0) {
            Got got;
            try {
                got = receive(s);
            } catch (LinuxException e) {
                assertEquals(Errno.ENOBUFS, e.errno()); // the acks that found the queue full
                continue;
            }
            for (int at = 0; at < got.data().limit(); at += got.data().getInt(at)) {
                int type = got.data().getShort(at + 4);
                if (type == RouteNetlink.RTM_NEWLINK) links++;
                if (type == RouteNetlink.NLMSG_DONE) done++;
            }
        }
        assertEquals(1, links);
        s.release();
    }

    @Test
    void closingFreesThePortAndInstancesHaveTheirOwn() {
        NetlinkPorts one = new NetlinkPorts(), two = new NetlinkPorts();
        NetlinkSocket a = socket(one), b = socket(two);
        a.bind(address(0, 0), USER);
        b.bind(address(0, 0), USER);
        assertEquals(100, ByteBuffer.wrap(b.localName()).order(ByteOrder.LITTLE_ENDIAN).getInt(4));
        NetlinkSocket c = socket(one);
        assertEquals(Errno.EADDRINUSE, assertThrows(LinuxException.class, () -> c.bind(address(100, 0), USER)).errno());
        a.release();
        c.bind(address(100, 0), USER);
        c.release();
        b.release();
    }
}
