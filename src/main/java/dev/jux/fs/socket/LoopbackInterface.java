package dev.jux.fs.socket;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.IoctlArg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The one network interface a Jux guest has, "lo" (index 1): its data, which RouteNetlink
 * reports too (so the ioctls and netlink always agree), and the SIOCGIF* ioctls on any
 * socket that report it (dev_ioctl, devinet_ioctl): glibc's and musl's if_nametoindex and
 * if_indextoname, and programs that ask for lo's flags, MTU or address. Any other name is
 * ENODEV: the host's interfaces do not exist inside the sandbox. The address requests
 * (SIOCGIFADDR, SIOCGIFNETMASK, SIOCGIFBRDADDR, SIOCGIFDSTADDR) are AF_INET's only (ENOTTY on
 * other sockets, as Linux); SIOCGIFCONF lists lo's IPv4 address.
 */
public final class LoopbackInterface {
    private LoopbackInterface() {}

    public static final int SIOCGIFNAME = 0x8910, SIOCGIFCONF = 0x8912, SIOCGIFFLAGS = 0x8913, SIOCGIFADDR = 0x8915, SIOCGIFDSTADDR = 0x8917,
            SIOCGIFBRDADDR = 0x8919, SIOCGIFNETMASK = 0x891b, SIOCGIFMTU = 0x8921, SIOCGIFHWADDR = 0x8927,
            SIOCGIFINDEX = 0x8933, SIOCGIFTXQLEN = 0x8942;
    /** sizeof(struct ifreq) and IFNAMSIZ. */
    static final int IFREQ = 40, IFNAMSIZ = 16;
    public static final int INDEX = 1;
    static final int MTU = 65536, TX_QUEUE_LEN = 1000, ARPHRD_LOOPBACK = 772;
    public static final String NAME_STRING = "lo";
    static final String QDISC = "noqueue";
    /** dev_get_flags: IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP (rtnetlink's ifi_flags). */
    static final int DEVICE_FLAGS = 0x10049;
    /** SIOCGIFFLAGS's short ifr_flags: the low 16 bits (IFF_LOWER_UP does not fit). */
    static final int FLAGS = DEVICE_FLAGS & 0xffff;
    /** lo's hardware address and broadcast address: all zero, six bytes (ARPHRD_LOOPBACK). */
    static final byte[] HARDWARE_ADDRESS = new byte[6];
    /** 127.0.0.1/8 and ::1/128, in network byte order. */
    static final byte[] IPV4_ADDRESS = {127, 0, 0, 1}, IPV6_ADDRESS = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static final int IPV4_PREFIX = 8, IPV6_PREFIX = 128;
    private static final byte[] NAME = NAME_STRING.getBytes(StandardCharsets.US_ASCII);

    public static boolean handles(int request) {
        return switch (request) {
            case SIOCGIFNAME, SIOCGIFCONF, SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFDSTADDR, SIOCGIFBRDADDR, SIOCGIFNETMASK, SIOCGIFMTU,
                 SIOCGIFHWADDR, SIOCGIFINDEX, SIOCGIFTXQLEN -> true;
            default -> false;
        };
    }

    /** Answers {@code request} (one {@link #handles} accepts) on a socket; {@code inet4}: an AF_INET socket. */
    public static long ioctl(int request, IoctlArg arg, boolean inet4) {
        boolean addressRequest = request == SIOCGIFADDR || request == SIOCGIFNETMASK || request == SIOCGIFBRDADDR || request == SIOCGIFDSTADDR;
        if (addressRequest && !inet4) throw new LinuxException(Errno.ENOTTY);
        if (request == SIOCGIFCONF) return ifconf(arg);
        ByteBuffer r = ByteBuffer.wrap(arg.read(IFREQ)).order(ByteOrder.LITTLE_ENDIAN);
        if (request == SIOCGIFNAME) {
            if (r.getInt(IFNAMSIZ) != INDEX) throw new LinuxException(Errno.ENODEV);
            byte[] name = new byte[IFNAMSIZ];
            System.arraycopy(NAME, 0, name, 0, NAME.length);
            r.put(0, name);
            arg.write(r.array());
            return 0;
        }
        if (!isLo(r)) throw new LinuxException(Errno.ENODEV);
        byte[] union = new byte[IFREQ - IFNAMSIZ];
        ByteBuffer u = ByteBuffer.wrap(union).order(ByteOrder.LITTLE_ENDIAN);
        switch (request) {
            case SIOCGIFINDEX -> u.putInt(0, INDEX);
            case SIOCGIFFLAGS -> u.putShort(0, (short) FLAGS);
            case SIOCGIFMTU -> u.putInt(0, MTU);
            case SIOCGIFTXQLEN -> u.putInt(0, TX_QUEUE_LEN);
            case SIOCGIFHWADDR -> u.putShort(0, (short) ARPHRD_LOOPBACK);
            case SIOCGIFADDR, SIOCGIFDSTADDR -> sockaddrIn(u, ByteBuffer.wrap(IPV4_ADDRESS).getInt());
            case SIOCGIFNETMASK -> sockaddrIn(u, -1 << (32 - IPV4_PREFIX));
            case SIOCGIFBRDADDR -> sockaddrIn(u, 0);
            default -> throw new LinuxException(Errno.ENOTTY);
        }
        r.put(IFNAMSIZ, union);
        arg.write(r.array());
        return 0;
    }

    /**
     * SIOCGIFCONF (dev_ifconf, inet_gifconf) on any socket: one struct ifreq per IPv4 address,
     * lo's 127.0.0.1. struct ifconf is {int ifc_len; char *ifc_buf}: without a buffer ifc_len
     * becomes the size needed; with one, the entries that fit are written and ifc_len is their size.
     */
    private static long ifconf(IoctlArg arg) {
        ByteBuffer c = ByteBuffer.wrap(arg.read(16)).order(ByteOrder.LITTLE_ENDIAN);
        int len = c.getInt(0);
        long buf = c.getLong(8);
        int written = 0;
        if (buf == 0) {
            written = IFREQ;
        } else if (len >= IFREQ) {
            ByteBuffer r = ByteBuffer.allocate(IFREQ).order(ByteOrder.LITTLE_ENDIAN);
            r.put(0, NAME);
            ByteBuffer u = r.slice(IFNAMSIZ, IFREQ - IFNAMSIZ).order(ByteOrder.LITTLE_ENDIAN);
            sockaddrIn(u, ByteBuffer.wrap(IPV4_ADDRESS).getInt());
            arg.at(buf).write(r.array());
            written = IFREQ;
        }
        c.putInt(0, written);
        arg.write(c.array());
        return 0;
    }

    /** lo's ::1 in network byte order (a copy). */
    public static byte[] ipv6Address() {
        return IPV6_ADDRESS.clone();
    }

    private static void sockaddrIn(ByteBuffer u, int ip) {
        u.putShort(0, (short) InetName.AF_INET);
        u.order(ByteOrder.BIG_ENDIAN).putInt(4, ip).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Whether ifr_name is "lo" (the kernel reads at most IFNAMSIZ - 1 bytes of it). */
    private static boolean isLo(ByteBuffer r) {
        int len = 0;
        while (len < IFNAMSIZ - 1 && r.get(len) != 0) len++;
        if (len != NAME.length) return false;
        for (int i = 0; i < len; i++) if (r.get(i) != NAME[i]) return false;
        return true;
    }
}
