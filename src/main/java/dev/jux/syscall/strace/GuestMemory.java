package dev.jux.syscall.strace;

import dev.jux.abi.LinuxException;
import dev.jux.mm.UserMemory;

/**
 * Reads a traced task's memory for the formatter and turns a fault into null: strace prints
 * the pointer in hex when it cannot read what it points to, so a bad address must never make
 * the formatter throw. A null {@link UserMemory} reads as all-unmapped.
 */
final class GuestMemory {
    private static final int PAGE_SIZE = 4096;

    private final UserMemory mem;

    GuestMemory(UserMemory mem) {
        this.mem = mem;
    }

    /** {@code len} bytes at {@code addr}, or null if any of them cannot be read. */
    byte[] read(long addr, int len) {
        if (mem == null) return null;
        try {
            return mem.read(addr, len);
        } catch (LinuxException e) {
            return null;
        }
    }

    Long readLong(long addr) {
        byte[] b = read(addr, 8);
        return b == null ? null : Bytes.s64(b, 0);
    }

    Integer readInt(long addr) {
        byte[] b = read(addr, 4);
        return b == null ? null : Bytes.s32(b, 0);
    }

    /** A NUL-terminated string: its bytes (without the NUL) and whether the NUL was found. */
    record CString(byte[] bytes, int length, boolean terminated) {}

    /**
     * Reads up to {@code max} bytes of a NUL-terminated string, a page at a time so that a
     * string ending just before an unmapped page still reads; null if a needed page faults.
     */
    CString readCString(long addr, int max) {
        if (mem == null) return null;
        byte[] buf = new byte[max];
        int n = 0;
        while (n < max) {
            int chunk = (int) Math.min(PAGE_SIZE - ((addr + n) & (PAGE_SIZE - 1)), max - n);
            try {
                mem.read(addr + n, buf, n, chunk);
            } catch (LinuxException e) {
                return null;
            }
            for (int i = n; i < n + chunk; i++) {
                if (buf[i] == 0) return new CString(buf, i, true);
            }
            n += chunk;
        }
        return new CString(buf, max, false);
    }
}
