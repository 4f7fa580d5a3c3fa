package dev.jux.mm;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.nio.charset.StandardCharsets;

/**
 * A process's user memory as the kernel sees it through system-call pointers. Every access is
 * checked against the process's mappings: an unmapped or inaccessible address throws
 * {@link LinuxException} with {@link Errno#EFAULT}, as Linux's copy_from_user/copy_to_user do.
 */
public interface UserMemory {
    /** Copies {@code len} bytes at user address {@code addr} into {@code dst[off..]}. */
    void read(long addr, byte[] dst, int off, int len);

    /** Copies {@code src[off..off+len)} to user address {@code addr}. */
    void write(long addr, byte[] src, int off, int len);

    default byte[] read(long addr, int len) {
        byte[] b = new byte[len];
        read(addr, b, 0, len);
        return b;
    }

    default void write(long addr, byte[] src) {
        write(addr, src, 0, src.length);
    }

    default long readLong(long addr) {
        byte[] b = read(addr, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[i] & 0xff);
        return v;
    }

    default int readInt(long addr) {
        byte[] b = read(addr, 4);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    default void writeLong(long addr, long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (8 * i));
        write(addr, b);
    }

    default void writeInt(long addr, int v) {
        write(addr, new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
    }

    /**
     * Reads a NUL-terminated string that fits in {@code size} bytes with its NUL, as Linux's
     * strncpy_from_user(dst, src, size) does: callers pass Linux's limit as it is, so PATH_MAX
     * (4096) allows a path of 4095 bytes. A string that does not fit fails with {@code tooLong}
     * (ENAMETOOLONG for a path), one that runs into an inaccessible page with EFAULT.
     */
    default String readCString(long addr, int size, Errno tooLong) {
        return new String(readCBytes(addr, size, tooLong), StandardCharsets.UTF_8);
    }

    /** As {@link #readCString} but the raw bytes, for paths and names that need not be UTF-8. */
    default byte[] readCBytes(long addr, int size, Errno tooLong) {
        byte[] buf = new byte[Math.max(0, Math.min(size, 256))];
        int n = 0;
        while (n < size) {
            // Read up to the end of the current page at a time: the next page may be unmapped.
            int chunk = (int) Math.min(4096 - ((addr + n) & 4095), size - n);
            if (n + chunk > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + chunk));
            read(addr + n, buf, n, chunk);
            for (int i = n; i < n + chunk; i++) {
                if (buf[i] == 0) return java.util.Arrays.copyOf(buf, i);
            }
            n += chunk;
        }
        throw new LinuxException(tooLong);
    }
}
