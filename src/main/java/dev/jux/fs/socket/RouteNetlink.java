package dev.jux.fs.socket;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The kernel's side of NETLINK_ROUTE (net/core/rtnetlink.c with the handlers of
 * net/ipv4/devinet.c, net/ipv6/addrconf.c, net/ipv4/fib_frontend.c and net/ipv6/route.c) for
 * Jux's fixed network of one interface, {@link LoopbackInterface lo}: RTM_GETLINK (dump, or by
 * index or IFLA_IFNAME), RTM_GETADDR, RTM_GETROUTE and RTM_GETRULE dumps, an empty RTM_GETNEIGH
 * dump, RTM_GETROUTE's lookup of one destination (`ip route get`). The objects are described as
 * the host's Linux 6.x describes lo (attribute order included, less the statistics Jux does not
 * keep: those are zero). A request that would change the network (NEW/DEL/SET) is EPERM
 * without CAP_NET_ADMIN, as rtnetlink_rcv_msg checks, and with it EOPNOTSUPP unless it asks for
 * what already is (see {@link #change}): the network is fixed.
 */
final class RouteNetlink {
    private RouteNetlink() {}

    static final int NLMSG_NOOP = 1, NLMSG_ERROR = 2, NLMSG_DONE = 3, NLMSG_MIN_TYPE = 0x10;
    static final int NLM_F_REQUEST = 1, NLM_F_MULTI = 2, NLM_F_ACK = 4, NLM_F_DUMP = 0x300, NLM_F_CAPPED = 0x100,
            NLM_F_REPLACE = 0x100, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;
    static final int RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_NEWADDR = 20, RTM_GETADDR = 22, RTM_NEWROUTE = 24,
            RTM_GETROUTE = 26, RTM_GETNEIGH = 30, RTM_NEWRULE = 32, RTM_GETRULE = 34;
    /** The largest type rtnetlink knows (RTM_MAX of Linux 6.x): larger ones are EOPNOTSUPP before anything else. */
    static final int RTM_MAX = 123;
    static final int AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10, RTNL_FAMILY_IPMR = 128, RTNL_FAMILY_IP6MR = 129;
    /** Attribute numbers (linux/if_link.h, if_addr.h, rtnetlink.h). */
    private static final int IFLA_ADDRESS = 1, IFLA_BROADCAST = 2, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_QDISC = 6,
            IFLA_STATS = 7, IFLA_TXQLEN = 13, IFLA_MAP = 14, IFLA_OPERSTATE = 16, IFLA_LINKMODE = 17, IFLA_STATS64 = 23,
            IFLA_GROUP = 27, IFLA_PROMISCUITY = 30, IFLA_NUM_TX_QUEUES = 31, IFLA_NUM_RX_QUEUES = 32, IFLA_CARRIER = 33,
            IFLA_CARRIER_CHANGES = 35, IFLA_PROTO_DOWN = 39, IFLA_GSO_MAX_SEGS = 40, IFLA_GSO_MAX_SIZE = 41,
            IFLA_EXT_MASK = 29, IFLA_MIN_MTU = 50, IFLA_MAX_MTU = 51, IFLA_ALT_IFNAME = 53;
    /** The flags dev_change_flags lets a request change (IFF_UP, IFF_DEBUG, IFF_NOARP, IFF_PROMISC, IFF_MULTICAST...). */
    private static final int CHANGEABLE_FLAGS = 0x1 | 0x4 | 0x20 | 0x80 | 0x100 | 0x200 | 0x1000 | 0x2000 | 0x4000 | 0x8000;
    private static final int IFADDRMSG = 8;
    private static final int IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_LABEL = 3, IFA_CACHEINFO = 6, IFA_FLAGS = 8, IFA_PROTO = 11;
    private static final int RTA_DST = 1, RTA_SRC = 2, RTA_OIF = 4, RTA_UID = 25, RTA_PRIORITY = 6, RTA_PREFSRC = 7, RTA_CACHEINFO = 12,
            RTA_TABLE = 15, RTA_PREF = 20;
    private static final int FRA_PRIORITY = 6, FRA_SUPPRESS_PREFIXLEN = 14, FRA_TABLE = 15, FRA_PROTOCOL = 21, FR_ACT_TO_TBL = 1;
    private static final int RT_TABLE_DEFAULT = 253, RT_TABLE_MAIN = 254;
    private static final int IFA_F_PERMANENT = 0x80, RT_SCOPE_UNIVERSE = 0, RT_SCOPE_LINK = 253, RT_SCOPE_HOST = 254,
            RT_TABLE_LOCAL = 255, RTPROT_KERNEL = 2, RTN_LOCAL = 2, RTN_BROADCAST = 3, IFAPROT_KERNEL_LO = 1;
    /** IF_OPER_UNKNOWN: what lo reports, having no carrier of its own to watch. */
    private static final int IF_OPER_UNKNOWN = 0;
    /** sizeof struct rtnl_link_stats (24 u32) and rtnl_link_stats64 (25 u64) in Linux 6.x; struct rtnl_link_ifmap. */
    private static final int STATS_SIZE = 96, STATS64_SIZE = 200, IFMAP_SIZE = 32;
    /** Sizes of the family headers: rtgenmsg, ifinfomsg, ifaddrmsg, rtmsg. */
    private static final int RTGENMSG = 1, IFINFOMSG = 16, RTMSG = 12;
    /** rtm_flags of a route lookup's answer: RTM_F_CLONED, and the cache flags RTCF_LOCAL and RTCF_BROADCAST. */
    private static final int RTM_F_CLONED = 0x200, RTCF_LOCAL = 0x80000000, RTCF_BROADCAST = 0x10000000;

    /**
     * An error with the message Linux's handler sets for it (NL_SET_ERR_MSG): sent as
     * NLMSGERR_ATTR_MSG to a socket with NETLINK_EXT_ACK. The socket catches it, as it does
     * LinuxException.
     */
    static final class Refused extends RuntimeException {
        final Errno errno;

        Refused(Errno errno, String message) {
            super(message, null, false, false);
            this.errno = errno;
        }
    }

    /** What one request gets: single replies (one datagram each), or the messages of a dump (null if none). */
    record Answer(List<byte[]> replies, List<byte[]> dump) {
        static final Answer NOTHING = new Answer(List.of(), null);
    }

    /**
     * rtnetlink_rcv_msg for one request {@code msg} (its whole nlmsghdr and payload, positioned
     * at 0) from port {@code port} of a process with user id {@code uid}; {@code admin}: the
     * sender has CAP_NET_ADMIN; {@code strict}: NETLINK_GET_STRICT_CHK. Errors are thrown, for
     * the caller to answer with NLMSG_ERROR.
     */
    static Answer handle(ByteBuffer msg, int port, int uid, boolean admin, boolean strict) {
        ByteBuffer m = msg.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int len = m.getInt(0), type = m.getShort(4) & 0xffff, flags = m.getShort(6) & 0xffff, seq = m.getInt(8);
        if (type > RTM_MAX) throw new LinuxException(Errno.EOPNOTSUPP);
        int payload = len - NetlinkWriter.HEADER;
        if (payload < RTGENMSG) return Answer.NOTHING; // "All the messages must have at least 1 byte length"
        int family = m.get(NetlinkWriter.HEADER) & 0xff;
        boolean get = ((type - NLMSG_MIN_TYPE) & 3) == 2;
        if (!get && !admin) throw new LinuxException(Errno.EPERM);
        if (!get) return change(type, m, len, flags);
        boolean dump = (flags & NLM_F_DUMP) != 0; // NLM_F_ROOT or NLM_F_MATCH, as rtnetlink_rcv_msg tests
        if (dump) {
            return switch (type) {
                case RTM_GETLINK -> {
                    if (strict && payload >= IFINFOMSG && m.getInt(NetlinkWriter.HEADER + 4) != 0) {
                        throw new Refused(Errno.EINVAL, "Filter by device index not supported for link dumps");
                    }
                    yield new Answer(List.of(), List.of(link(NLM_F_MULTI, seq, port)));
                }
                case RTM_GETADDR -> new Answer(List.of(), addresses(family, seq, port));
                case RTM_GETROUTE -> new Answer(List.of(), routes(family, seq, port));
                case RTM_GETRULE -> new Answer(List.of(), rules(family, seq, port));
                case RTM_GETNEIGH -> new Answer(List.of(), List.of()); // none that is not NUD_NOARP
                default -> throw new LinuxException(Errno.EOPNOTSUPP);
            };
        }
        if (type == RTM_GETROUTE) return new Answer(List.of(routeLookup(m, len, family, seq, port, uid)), null);
        if (type != RTM_GETLINK) throw new LinuxException(Errno.EOPNOTSUPP);
        // rtnl_getlink: by ifi_index, else by IFLA_IFNAME or IFLA_ALT_IFNAME; EINVAL with neither.
        if (payload < IFINFOMSG) throw new LinuxException(Errno.EINVAL);
        int index = m.getInt(NetlinkWriter.HEADER + 4);
        String name = index > 0 ? null : nameAttribute(m, len);
        if (index <= 0 && name == null) throw new LinuxException(Errno.EINVAL);
        boolean lo = index > 0 ? index == LoopbackInterface.INDEX : name.equals(LoopbackInterface.NAME_STRING);
        if (!lo) throw new LinuxException(Errno.ENODEV);
        return new Answer(List.of(link(0, seq, port)), null);
    }

    /**
     * A request that would change the network (NEW/DEL/SET, from root). Jux's network is fixed,
     * so only requests for what already is succeed, as they do on Linux without changing
     * anything: RTM_NEWLINK for lo with its own flags, MTU, queue length and name (`ip link set
     * lo up`; EEXIST with NLM_F_EXCL), RTM_NEWADDR of lo's own address (EEXIST unless
     * NLM_F_REPLACE, as inet_rtm_newaddr says for an address that exists); ENODEV for another
     * interface; everything else EOPNOTSUPP.
     */
    private static Answer change(int type, ByteBuffer m, int len, int flags) {
        if (type == RTM_NEWLINK) {
            if (len - NetlinkWriter.HEADER < IFINFOMSG) throw new LinuxException(Errno.EINVAL);
            int index = m.getInt(NetlinkWriter.HEADER + 4);
            String name = nameAttribute(m, len);
            boolean lo = index > 0 ? index == LoopbackInterface.INDEX : LoopbackInterface.NAME_STRING.equals(name);
            if (!lo) throw new LinuxException(index > 0 || (flags & NLM_F_CREATE) == 0 ? Errno.ENODEV : Errno.EOPNOTSUPP);
            if ((flags & NLM_F_EXCL) != 0) throw new LinuxException(Errno.EEXIST);
            if (!linkUnchanged(m, len)) throw new LinuxException(Errno.EOPNOTSUPP);
            return Answer.NOTHING;
        }
        if (type == RTM_NEWADDR) {
            if (len - NetlinkWriter.HEADER < IFADDRMSG) throw new LinuxException(Errno.EINVAL);
            int family = m.get(NetlinkWriter.HEADER) & 0xff, prefix = m.get(NetlinkWriter.HEADER + 1) & 0xff;
            int index = m.getInt(NetlinkWriter.HEADER + 4);
            if (family != AF_INET && family != AF_INET6) throw new LinuxException(Errno.EOPNOTSUPP);
            if (index != LoopbackInterface.INDEX) throw new LinuxException(Errno.ENODEV);
            byte[] local = attribute(m, len, IFADDRMSG, IFA_LOCAL);
            if (local == null) local = attribute(m, len, IFADDRMSG, IFA_ADDRESS);
            boolean v4 = family == AF_INET;
            byte[] own = v4 ? LoopbackInterface.IPV4_ADDRESS : LoopbackInterface.IPV6_ADDRESS;
            int ownPrefix = v4 ? LoopbackInterface.IPV4_PREFIX : LoopbackInterface.IPV6_PREFIX;
            if (local == null || !Arrays.equals(local, own) || prefix != ownPrefix) throw new LinuxException(Errno.EOPNOTSUPP);
            if ((flags & NLM_F_EXCL) != 0 || (flags & NLM_F_REPLACE) == 0) {
                if (v4) throw new Refused(Errno.EEXIST, "ipv4: Address already assigned.");
                throw new LinuxException(Errno.EEXIST);
            }
            return Answer.NOTHING;
        }
        throw new LinuxException(Errno.EOPNOTSUPP);
    }

    /**
     * Whether an RTM_NEWLINK for lo asks for nothing new: the flags rtnl_dev_combine_flags makes
     * (ifi_change 0 meaning all) agree with lo's in every bit a request may change, and each
     * attribute is lo's own value (IFLA_EXT_MASK only shapes answers).
     */
    private static boolean linkUnchanged(ByteBuffer m, int len) {
        int want = m.getInt(NetlinkWriter.HEADER + 8), change = m.getInt(NetlinkWriter.HEADER + 12);
        if (want != 0 || change != 0) {
            int combined = change == 0 ? want : (want & change) | (LoopbackInterface.DEVICE_FLAGS & ~change);
            if ((combined & CHANGEABLE_FLAGS) != (LoopbackInterface.DEVICE_FLAGS & CHANGEABLE_FLAGS)) return false;
        }
        int at = NetlinkWriter.HEADER + IFINFOMSG;
        while (at + NetlinkWriter.ATTR_HEADER <= len) {
            int alen = m.getShort(at) & 0xffff, atype = m.getShort(at + 2) & 0x3fff;
            if (alen < NetlinkWriter.ATTR_HEADER || at + alen > len) break;
            int vlen = alen - NetlinkWriter.ATTR_HEADER;
            int u32 = vlen >= 4 ? m.getInt(at + NetlinkWriter.ATTR_HEADER) : -1;
            boolean same = switch (atype) {
                case IFLA_IFNAME, IFLA_ALT_IFNAME -> true; // the name found lo
                case IFLA_EXT_MASK -> true;
                case IFLA_MTU -> vlen == 4 && u32 == LoopbackInterface.MTU;
                case IFLA_TXQLEN -> vlen == 4 && u32 == LoopbackInterface.TX_QUEUE_LEN;
                case IFLA_GROUP -> vlen == 4 && u32 == 0;
                default -> false;
            };
            if (!same) return false;
            at += NetlinkWriter.align(alen);
        }
        return true;
    }

    /** The value of the first attribute of {@code type} after a family header of {@code header} bytes, or null. */
    private static byte[] attribute(ByteBuffer m, int len, int header, int type) {
        int at = NetlinkWriter.HEADER + header;
        while (at + NetlinkWriter.ATTR_HEADER <= len) {
            int alen = m.getShort(at) & 0xffff, atype = m.getShort(at + 2) & 0x3fff;
            if (alen < NetlinkWriter.ATTR_HEADER || at + alen > len) break;
            if (atype == type) {
                byte[] v = new byte[alen - NetlinkWriter.ATTR_HEADER];
                m.get(at + NetlinkWriter.ATTR_HEADER, v);
                return v;
            }
            at += NetlinkWriter.align(alen);
        }
        return null;
    }

    /** The IFLA_IFNAME (or IFLA_ALT_IFNAME) attribute of an RTM_GETLINK request (up to its NUL), or null. */
    private static String nameAttribute(ByteBuffer m, int len) {
        byte[] v = attribute(m, len, IFINFOMSG, IFLA_IFNAME);
        if (v == null) v = attribute(m, len, IFINFOMSG, IFLA_ALT_IFNAME);
        if (v == null) return null;
        int n = 0;
        while (n < v.length && v[n] != 0) n++;
        return new String(v, 0, n, StandardCharsets.ISO_8859_1);
    }

    /**
     * RTM_GETROUTE without NLM_F_DUMP (`ip route get`; inet_rtm_getroute, inet6_rtm_getroute):
     * the route a packet to RTA_DST takes. Every 127.0.0.0/8 address (and 0.0.0.0) is local
     * through lo, 127.255.255.255 broadcast, ::1 local; anything else ENETUNREACH, as Jux's
     * network has no other route. EINVAL for a short header or an address of the wrong size.
     */
    private static byte[] routeLookup(ByteBuffer m, int len, int family, int seq, int port, int uid) {
        if (family != AF_INET && family != AF_INET6) throw new LinuxException(Errno.EOPNOTSUPP);
        if (len - NetlinkWriter.HEADER < RTMSG) throw new LinuxException(Errno.EINVAL);
        int size = family == AF_INET ? 4 : 16;
        byte[] dst = attribute(m, len, RTMSG, RTA_DST), src = attribute(m, len, RTMSG, RTA_SRC);
        if ((dst != null && dst.length != size) || (src != null && src.length != size)) throw new LinuxException(Errno.EINVAL);
        if (dst == null) dst = new byte[size];
        NetlinkWriter w = new NetlinkWriter(RTM_NEWROUTE, 0, seq, port);
        if (family == AF_INET) {
            boolean any = dst[0] == 0 && dst[1] == 0 && dst[2] == 0 && dst[3] == 0;
            if (dst[0] != 127 && !any) throw new LinuxException(Errno.ENETUNREACH);
            boolean broadcast = dst[0] == 127 && dst[1] == -1 && dst[2] == -1 && dst[3] == -1;
            int flags = RTM_F_CLONED | RTCF_LOCAL | (broadcast ? RTCF_BROADCAST : 0);
            w.u8(AF_INET).u8(32).u8(src != null ? 32 : 0).u8(0).u8(RT_TABLE_MAIN).u8(0).u8(RT_SCOPE_UNIVERSE)
                    .u8(broadcast ? RTN_BROADCAST : RTN_LOCAL).u32(flags);
            w.attrU32(RTA_TABLE, RT_TABLE_MAIN).attr(RTA_DST, dst);
            if (src != null) w.attr(RTA_SRC, src);
            w.attrU32(RTA_OIF, LoopbackInterface.INDEX)
                    .attr(RTA_PREFSRC, LoopbackInterface.IPV4_ADDRESS)
                    .attrU32(RTA_UID, uid)
                    .attr(RTA_CACHEINFO, new byte[32]);
            return w.bytes();
        }
        if (!Arrays.equals(dst, LoopbackInterface.IPV6_ADDRESS)) throw new LinuxException(Errno.ENETUNREACH);
        // rt6_fill_node: the source asked for (or ::) as a /128, then the local route of ::1.
        w.u8(AF_INET6).u8(128).u8(128).u8(0).u8(RT_TABLE_LOCAL).u8(RTPROT_KERNEL).u8(RT_SCOPE_UNIVERSE).u8(RTN_LOCAL).u32(0);
        w.attrU32(RTA_TABLE, RT_TABLE_LOCAL)
                .attr(RTA_DST, dst)
                .attr(RTA_SRC, src != null ? src : new byte[16])
                .attr(RTA_PREFSRC, LoopbackInterface.IPV6_ADDRESS)
                .attrU32(RTA_PRIORITY, 0)
                .attrU32(RTA_OIF, LoopbackInterface.INDEX)
                .attr(RTA_CACHEINFO, new byte[32])
                .attrU8(RTA_PREF, 0);
        return w.bytes();
    }

    /** rtnl_fill_ifinfo for lo: an RTM_NEWLINK. */
    static byte[] link(int flags, int seq, int port) {
        NetlinkWriter w = new NetlinkWriter(RTM_NEWLINK, flags, seq, port);
        w.u8(AF_UNSPEC).u8(0).u16(LoopbackInterface.ARPHRD_LOOPBACK).u32(LoopbackInterface.INDEX)
                .u32(LoopbackInterface.DEVICE_FLAGS).u32(0);
        w.attrString(IFLA_IFNAME, LoopbackInterface.NAME_STRING)
                .attrU32(IFLA_TXQLEN, LoopbackInterface.TX_QUEUE_LEN)
                .attrU8(IFLA_OPERSTATE, IF_OPER_UNKNOWN)
                .attrU8(IFLA_LINKMODE, 0)
                .attrU32(IFLA_MTU, LoopbackInterface.MTU)
                .attrU32(IFLA_MIN_MTU, 0)
                .attrU32(IFLA_MAX_MTU, 0)
                .attrU32(IFLA_GROUP, 0)
                .attrU32(IFLA_PROMISCUITY, 0)
                .attrU32(IFLA_NUM_TX_QUEUES, 1)
                .attrU32(IFLA_GSO_MAX_SEGS, 65535)
                .attrU32(IFLA_GSO_MAX_SIZE, 65536)
                .attrU32(IFLA_NUM_RX_QUEUES, 1)
                .attrU8(IFLA_CARRIER, 1)
                .attrU32(IFLA_CARRIER_CHANGES, 0)
                .attrU8(IFLA_PROTO_DOWN, 0)
                .attr(IFLA_MAP, new byte[IFMAP_SIZE])
                .attr(IFLA_ADDRESS, LoopbackInterface.HARDWARE_ADDRESS)
                .attr(IFLA_BROADCAST, LoopbackInterface.HARDWARE_ADDRESS)
                .attr(IFLA_STATS64, new byte[STATS64_SIZE])
                .attr(IFLA_STATS, new byte[STATS_SIZE])
                .attrString(IFLA_QDISC, LoopbackInterface.QDISC);
        return w.bytes();
    }

    /** struct ifa_cacheinfo of a permanent address: preferred and valid lifetimes infinite, created at boot. */
    private static byte[] addressCacheInfo() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        return b.putInt(-1).putInt(-1).putInt(0).putInt(0).array();
    }

    /** RTM_GETADDR's dump (rtnl_dump_all over the families, or one family): lo's 127.0.0.1/8 and ::1/128. */
    static List<byte[]> addresses(int family, int seq, int port) {
        List<byte[]> out = new ArrayList<>();
        boolean all = family != AF_INET && family != AF_INET6;
        if (all || family == AF_INET) {
            // inet_fill_ifaddr
            NetlinkWriter w = new NetlinkWriter(RTM_NEWADDR, NLM_F_MULTI, seq, port);
            w.u8(AF_INET).u8(LoopbackInterface.IPV4_PREFIX).u8(IFA_F_PERMANENT).u8(RT_SCOPE_HOST).u32(LoopbackInterface.INDEX);
            w.attr(IFA_ADDRESS, LoopbackInterface.IPV4_ADDRESS)
                    .attr(IFA_LOCAL, LoopbackInterface.IPV4_ADDRESS)
                    .attrString(IFA_LABEL, LoopbackInterface.NAME_STRING)
                    .attrU32(IFA_FLAGS, IFA_F_PERMANENT)
                    .attr(IFA_CACHEINFO, addressCacheInfo());
            out.add(w.bytes());
        }
        if (all || family == AF_INET6) {
            // inet6_fill_ifaddr
            NetlinkWriter w = new NetlinkWriter(RTM_NEWADDR, NLM_F_MULTI, seq, port);
            w.u8(AF_INET6).u8(LoopbackInterface.IPV6_PREFIX).u8(IFA_F_PERMANENT).u8(RT_SCOPE_HOST).u32(LoopbackInterface.INDEX);
            w.attr(IFA_ADDRESS, LoopbackInterface.IPV6_ADDRESS)
                    .attr(IFA_CACHEINFO, addressCacheInfo())
                    .attrU32(IFA_FLAGS, IFA_F_PERMANENT)
                    .attrU8(IFA_PROTO, IFAPROT_KERNEL_LO);
            out.add(w.bytes());
        }
        return out;
    }

    /**
     * RTM_GETROUTE's dump: the routes Linux makes for lo, all in the local table: 127.0.0.0/8
     * and 127.0.0.1 local, 127.255.255.255 broadcast, ::1 local. The main table has none for lo.
     */
    static List<byte[]> routes(int family, int seq, int port) {
        List<byte[]> out = new ArrayList<>();
        boolean all = family != AF_INET && family != AF_INET6;
        if (all || family == AF_INET) {
            byte[] net = {127, 0, 0, 0}, broadcast = {127, (byte) 255, (byte) 255, (byte) 255};
            out.add(route4(net, 8, RT_SCOPE_HOST, RTN_LOCAL, seq, port));
            out.add(route4(LoopbackInterface.IPV4_ADDRESS, 32, RT_SCOPE_HOST, RTN_LOCAL, seq, port));
            out.add(route4(broadcast, 32, RT_SCOPE_LINK, RTN_BROADCAST, seq, port));
        }
        if (all || family == AF_INET6) {
            // rt6_fill_node for the local route of ::1
            NetlinkWriter w = new NetlinkWriter(RTM_NEWROUTE, NLM_F_MULTI, seq, port);
            w.u8(AF_INET6).u8(128).u8(0).u8(0).u8(RT_TABLE_LOCAL).u8(RTPROT_KERNEL).u8(RT_SCOPE_UNIVERSE).u8(RTN_LOCAL).u32(0);
            w.attrU32(RTA_TABLE, RT_TABLE_LOCAL)
                    .attr(RTA_DST, LoopbackInterface.IPV6_ADDRESS)
                    .attrU32(RTA_PRIORITY, 0)
                    .attrU32(RTA_OIF, LoopbackInterface.INDEX)
                    .attr(RTA_CACHEINFO, new byte[32])
                    .attrU8(RTA_PREF, 0);
            out.add(w.bytes());
        }
        return out;
    }

    /**
     * RTM_GETRULE's dump (fib_nl_dumprule, over the families in Linux's order): each family's
     * default policy rules, as a new network namespace has them: local (priority 0), main
     * (32766) and, for IPv4, default (32767); the multicast routing families' one rule each.
     */
    static List<byte[]> rules(int family, int seq, int port) {
        List<byte[]> out = new ArrayList<>();
        boolean all = family != AF_INET && family != AF_INET6 && family != RTNL_FAMILY_IPMR && family != RTNL_FAMILY_IP6MR;
        if (all || family == AF_INET) {
            out.add(rule(AF_INET, RT_TABLE_LOCAL, 0, seq, port));
            out.add(rule(AF_INET, RT_TABLE_MAIN, 32766, seq, port));
            out.add(rule(AF_INET, RT_TABLE_DEFAULT, 32767, seq, port));
        }
        if (all || family == RTNL_FAMILY_IPMR) out.add(rule(RTNL_FAMILY_IPMR, RT_TABLE_DEFAULT, 32767, seq, port));
        if (all || family == RTNL_FAMILY_IP6MR) out.add(rule(RTNL_FAMILY_IP6MR, RT_TABLE_MAIN, 32767, seq, port));
        if (all || family == AF_INET6) {
            out.add(rule(AF_INET6, RT_TABLE_LOCAL, 0, seq, port));
            out.add(rule(AF_INET6, RT_TABLE_MAIN, 32766, seq, port));
        }
        return out;
    }

    /** fib_nl_fill_rule for a rule "from all lookup {@code table}" made by the kernel; priority 0 is left out. */
    private static byte[] rule(int family, int table, int priority, int seq, int port) {
        NetlinkWriter w = new NetlinkWriter(RTM_NEWRULE, NLM_F_MULTI, seq, port);
        w.u8(family).u8(0).u8(0).u8(0).u8(table).u8(0).u8(0).u8(FR_ACT_TO_TBL).u32(0);
        w.attrU32(FRA_TABLE, table).attrU32(FRA_SUPPRESS_PREFIXLEN, -1).attrU8(FRA_PROTOCOL, RTPROT_KERNEL);
        if (priority != 0) w.attrU32(FRA_PRIORITY, priority);
        return w.bytes();
    }

    /** fib_dump_info for an IPv4 route of the local table through lo, with 127.0.0.1 as its preferred source. */
    private static byte[] route4(byte[] dst, int prefix, int scope, int type, int seq, int port) {
        NetlinkWriter w = new NetlinkWriter(RTM_NEWROUTE, NLM_F_MULTI, seq, port);
        w.u8(AF_INET).u8(prefix).u8(0).u8(0).u8(RT_TABLE_LOCAL).u8(RTPROT_KERNEL).u8(scope).u8(type).u32(0);
        w.attrU32(RTA_TABLE, RT_TABLE_LOCAL)
                .attr(RTA_DST, dst)
                .attr(RTA_PREFSRC, LoopbackInterface.IPV4_ADDRESS)
                .attrU32(RTA_OIF, LoopbackInterface.INDEX);
        return w.bytes();
    }
}
