package dev.jux.syscall.strace;

import dev.jux.abi.Hex;

/**
 * Arrays in guest memory as strace prints them: at most 32 elements, then "...". If the first
 * element cannot be read the whole array shows as its address; if a later one cannot, the list
 * ends with {@code ... /* 0x102000 *}{@code /}, the address that failed.
 */
final class ArrayFormats {
    private ArrayFormats() {}

    /** How iov_base is shown. */
    enum IovData {
        /** iov_len bytes of each buffer (writev: the data the call was given). */
        ALL,
        /** The first {@code limit} bytes across the buffers in order (readv: what was read). */
        RETURNED,
        /** Just the pointers (readv that failed: there is no data to show). */
        POINTERS
    }

    /** {@code [{iov_base="hello", iov_len=5}, ...]}; {@code limit} is used with RETURNED. */
    static String iovecs(GuestMemory mem, long addr, long count, IovData data, long limit) {
        if (addr == 0) return "NULL";
        // Like strace, give up on an array whose size or end does not fit in 64 bits.
        if (Long.compareUnsigned(count, -1L >>> 4) > 0 || Long.compareUnsigned(addr + 16 * count, addr) < 0) {
            return Hex.of(addr);
        }
        StringBuilder sb = new StringBuilder("[");
        long left = limit;
        for (long i = 0; Long.compareUnsigned(i, count) < 0; i++) {
            if (i > 0) sb.append(", ");
            if (i == Printer.MAX_STRLEN) return sb.append("...]").toString();
            long elem = addr + 16 * i;
            byte[] b = mem.read(elem, 16);
            if (b == null) return i == 0 ? Hex.of(addr) : sb.append(unreadable(elem)).toString();
            long base = Bytes.s64(b, 0);
            long len = Bytes.s64(b, 8);
            String shown = switch (data) {
                case ALL -> Printer.buffer(mem, base, len);
                case POINTERS -> Printer.pointer(base);
                case RETURNED -> {
                    long n = Long.compareUnsigned(len, left) < 0 ? len : left;
                    left -= n;
                    yield Printer.buffer(mem, base, n);
                }
            };
            sb.append("{iov_base=").append(shown).append(", iov_len=")
                    .append(Long.toUnsignedString(len)).append('}');
        }
        return sb.append(']').toString();
    }

    /** sysconf(_SC_NGROUPS_MAX) on Linux: strace shows a longer group list as its address. */
    private static final long NGROUPS_MAX = 65536;

    /** getgroups/setgroups' list of {@code count} gids (an unsigned int): {@code [100, 200]}. */
    static String groups(GuestMemory mem, long addr, long count) {
        count &= 0xffffffffL;
        if (count > NGROUPS_MAX) return Printer.pointer(addr);
        if (addr == 0) return "NULL";
        if (Long.compareUnsigned(addr + 4 * count, addr) < 0) return Hex.of(addr);
        StringBuilder sb = new StringBuilder("[");
        for (long i = 0; i < count; i++) {
            if (i > 0) sb.append(", ");
            if (i == Printer.MAX_STRLEN) return sb.append("...]").toString();
            long elem = addr + 4 * i;
            Integer g = mem.readInt(elem);
            if (g == null) return i == 0 ? Hex.of(addr) : sb.append(unreadable(elem)).toString();
            sb.append(CredentialDecoders.id(g));
        }
        return sb.append(']').toString();
    }

    /** execve's argv: {@code ["ls", "-l"]}, each string cut at 32 bytes. */
    static String argv(GuestMemory mem, long addr) {
        if (addr == 0) return "NULL";
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; ; i++) {
            long slot = addr + 8L * i;
            Long p = mem.readLong(slot);
            if (p == null) return i == 0 ? Hex.of(addr) : sb.append(", ").append(unreadable(slot)).toString();
            if (p == 0) return sb.append(']').toString();
            if (i > 0) sb.append(", ");
            if (i == Printer.MAX_STRLEN) return sb.append("...]").toString();
            sb.append(Printer.cString(mem, p));
        }
    }

    private static String unreadable(long addr) {
        return "... /* " + Hex.of(addr) + " */]";
    }

    /** The most envp entries counted, so a corrupt array cannot stall the tracer. */
    private static final int MAX_ENV = 1 << 20;

    /**
     * execve's envp: strace shows only the address and the count,
     * {@code 0x7ffd2a1e3c48 /* 23 vars *}{@code /}, adding ", unterminated" if the array runs
     * into unreadable memory before its NULL.
     */
    static String envp(GuestMemory mem, long addr) {
        if (addr == 0) return "NULL";
        int n = 0;
        boolean terminated = false;
        while (n < MAX_ENV) {
            Long p = mem.readLong(addr + 8L * n);
            if (p == null) break;
            if (p == 0) {
                terminated = true;
                break;
            }
            n++;
        }
        if (!terminated && n == 0) return Hex.of(addr);
        return Hex.of(addr) + " /* " + n + (n == 1 ? " var" : " vars") + (terminated ? "" : ", unterminated") + " */";
    }

    /** pipe/pipe2's two fds: {@code [3, 4]}. */
    static String fdPair(GuestMemory mem, long addr) {
        if (addr == 0) return "NULL";
        byte[] b = mem.read(addr, 8);
        if (b == null) return Hex.of(addr);
        return "[" + Bytes.s32(b, 0) + ", " + Bytes.s32(b, 4) + "]";
    }

    /**
     * getdents/getdents64's buffer: the address and how many entries the kernel wrote,
     * counted by walking d_reclen (at offset 16 in both dirent layouts).
     */
    static String direntCount(GuestMemory mem, long addr, long bytes) {
        byte[] b = bytes > 0 ? mem.read(addr, (int) Math.min(bytes, Integer.MAX_VALUE)) : new byte[0];
        if (b == null) return Printer.pointer(addr);
        int n = 0;
        for (int off = 0; off + 18 <= b.length; n++) {
            int reclen = Bytes.u16(b, off + 16);
            if (reclen == 0) break;
            off += reclen;
        }
        return Printer.pointer(addr) + " /* " + n + " entries */"; // strace says "1 entries" too
    }
}
