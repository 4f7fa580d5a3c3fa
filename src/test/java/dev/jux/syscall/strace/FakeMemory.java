package dev.jux.syscall.strace;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.mm.UserMemory;
import java.nio.charset.StandardCharsets;

/**
 * Guest memory for tests: one byte array mapped at {@link #BASE}; anything outside it faults
 * with EFAULT, like an unmapped page. {@code put*} methods place data and return its address.
 */
final class FakeMemory implements UserMemory {
    static final long BASE = 0x7ffd0000L;

    private final byte[] bytes;
    private int top;

    FakeMemory(int size) {
        bytes = new byte[size];
    }

    FakeMemory() {
        this(1 << 16);
    }

    @Override
    public void read(long addr, byte[] dst, int off, int len) {
        System.arraycopy(bytes, index(addr, len), dst, off, len);
    }

    @Override
    public void write(long addr, byte[] src, int off, int len) {
        System.arraycopy(src, off, bytes, index(addr, len), len);
    }

    private int index(long addr, int len) {
        if (addr < BASE || addr + len > BASE + bytes.length || len < 0) {
            throw new LinuxException(Errno.EFAULT);
        }
        return (int) (addr - BASE);
    }

    /** Places bytes at the next 16-byte aligned address. */
    long put(byte[] data) {
        top = (top + 15) & ~15;
        long addr = BASE + top;
        write(addr, data);
        top += data.length;
        return addr;
    }

    /** Places a NUL-terminated string. */
    long putString(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return put(java.util.Arrays.copyOf(b, b.length + 1));
    }

    /** Places raw bytes of a string without a NUL (a buffer). */
    long putBytes(String s) {
        return put(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Places little-endian 64-bit values (an array of pointers, a struct of longs). */
    long putLongs(long... values) {
        byte[] b = new byte[values.length * 8];
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < 8; j++) b[i * 8 + j] = (byte) (values[i] >>> (8 * j));
        }
        return put(b);
    }

    long putInts(int... values) {
        byte[] b = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < 4; j++) b[i * 4 + j] = (byte) (values[i] >>> (8 * j));
        }
        return put(b);
    }

    /** Reserves {@code size} zero bytes. */
    long alloc(int size) {
        return put(new byte[size]);
    }

    /** The address one past the mapped bytes: reading there faults. */
    long end() {
        return BASE + bytes.length;
    }
}
