package dev.jux.fs.procfs;

import dev.jux.fs.socket.LoopbackInterface;

/**
 * /proc/PID/net (and /proc/net, a link to self/net): the text files that describe Jux's one
 * interface, lo, in Linux's formats (net/core/net-procfs.c, net/ipv6/addrconf.c,
 * net/ipv4/fib_trie.c): what net-tools' ifconfig and netstat -i read. Jux counts no packets,
 * so the statistics are zero.
 */
final class NetFiles {
    private NetFiles() {}

    /** /proc/net/dev: dev_seq_show's two header lines, then one line of counters per interface. */
    static String dev() {
        StringBuilder b = new StringBuilder();
        b.append("Inter-|   Receive                                                |  Transmit\n");
        b.append(" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n");
        b.append(String.format("%6s:%8d %7d %4d %4d %4d %5d %10d %9d %8d %7d %4d %4d %4d %5d %7d %10d%n",
                LoopbackInterface.NAME_STRING, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        return b.toString();
    }

    /** /proc/net/if_inet6 (if6_seq_show): address, ifindex, prefix length, scope (IFA_HOST), flags (IFA_F_PERMANENT), name. */
    static String ifInet6() {
        StringBuilder hex = new StringBuilder();
        for (byte x : LoopbackInterface.ipv6Address()) hex.append(String.format("%02x", x & 0xff));
        return String.format("%s %02x %02x %02x %02x %8s%n", hex, LoopbackInterface.INDEX, 128, 0x10, 0x80, LoopbackInterface.NAME_STRING);
    }

    /** /proc/net/route (fib_route_seq_show): the header padded to 127 columns; the main table has no route through lo. */
    static String route() {
        return String.format("%-127s%n", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT");
    }
}
