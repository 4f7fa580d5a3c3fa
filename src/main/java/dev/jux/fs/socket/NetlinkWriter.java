package dev.jux.fs.socket;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink message in host (little-endian) byte order: a struct nlmsghdr, the
 * family's fixed header and route attributes (struct rtattr/nlattr: length, type, value padded
 * to 4 bytes), as Linux's nlmsg_put and nla_put write them.
 */
final class NetlinkWriter {
    static final int HEADER = 16, ATTR_HEADER = 4;

    private byte[] bytes = new byte[256];
    private int size;

    /** A message of {@code type} with {@code flags} answering sequence number {@code seq}, for port {@code port}. */
    NetlinkWriter(int type, int flags, int seq, int port) {
        u32(0); // nlmsg_len, filled in by bytes()
        u16(type);
        u16(flags);
        u32(seq);
        u32(port);
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }

    NetlinkWriter u8(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
        return this;
    }

    NetlinkWriter u16(int v) {
        return u8(v).u8(v >>> 8);
    }

    NetlinkWriter u32(int v) {
        return u16(v).u16(v >>> 16);
    }

    NetlinkWriter raw(byte[] v) {
        ensure(v.length);
        System.arraycopy(v, 0, bytes, size, v.length);
        size += v.length;
        return this;
    }

    /** Pads the message to a multiple of 4 bytes (NLMSG_ALIGN), as before attributes that follow a copied payload. */
    void pad() {
        while ((size & 3) != 0) u8(0);
    }

    /** An attribute of {@code type} holding {@code value} (nla_put). */
    NetlinkWriter attr(int type, byte[] value) {
        u16(ATTR_HEADER + value.length);
        u16(type);
        raw(value);
        pad();
        return this;
    }

    NetlinkWriter attrU8(int type, int v) {
        return attr(type, new byte[] {(byte) v});
    }

    NetlinkWriter attrU32(int type, int v) {
        return attr(type, new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
    }

    /** A NUL-terminated string attribute (nla_put_string). */
    NetlinkWriter attrString(int type, String v) {
        byte[] s = v.getBytes(StandardCharsets.US_ASCII);
        return attr(type, Arrays.copyOf(s, s.length + 1));
    }

    /** The finished message, its nlmsg_len set (the length without the trailing padding, which is never added). */
    byte[] bytes() {
        byte[] out = Arrays.copyOf(bytes, size);
        out[0] = (byte) size;
        out[1] = (byte) (size >>> 8);
        out[2] = (byte) (size >>> 16);
        out[3] = (byte) (size >>> 24);
        return out;
    }
}
