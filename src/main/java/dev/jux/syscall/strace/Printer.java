package dev.jux.syscall.strace;

import dev.jux.abi.Hex;

/**
 * Builds a comma-separated argument list, with the value styles strace uses: pointers in hex
 * (NULL for 0), strings quoted and cut at 32 bytes, paths in full.
 */
final class Printer {
    /** strace's default -s: how many bytes of a string or elements of an array it shows. */
    static final int MAX_STRLEN = 32;
    /** Linux's PATH_MAX, the most strace reads of a path. */
    static final int PATH_MAX = 4096;

    private final StringBuilder sb = new StringBuilder();
    private final GuestMemory mem;

    Printer(GuestMemory mem) {
        this.mem = mem;
    }

    GuestMemory mem() {
        return mem;
    }

    /** Appends one argument, already formatted. */
    Printer add(String text) {
        if (!sb.isEmpty()) sb.append(", ");
        sb.append(text);
        return this;
    }

    Printer decimal(long v) {
        return add(Long.toString(v));
    }

    /** An unsigned 64-bit value (size_t, iovcnt) in decimal. */
    Printer unsigned(long v) {
        return add(Long.toUnsignedString(v));
    }

    Printer hex(long v) {
        return add(Hex.of(v));
    }

    Printer ptr(long addr) {
        return add(pointer(addr));
    }

    Printer path(long addr) {
        return add(path(mem, addr));
    }

    /** A buffer of {@code len} bytes (read after the call for read-like calls). */
    Printer buffer(long addr, long len) {
        return add(buffer(mem, addr, len));
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    static String pointer(long addr) {
        return addr == 0 ? "NULL" : Hex.of(addr);
    }

    /** A path: read up to PATH_MAX bytes, shown whole. */
    static String path(GuestMemory mem, long addr) {
        if (addr == 0) return "NULL";
        GuestMemory.CString s = mem.readCString(addr, PATH_MAX);
        if (s == null) return Hex.of(addr);
        return QuotedString.quote(s.bytes(), s.length()) + (s.terminated() ? "" : "...");
    }

    /** A NUL-terminated string cut at 32 bytes, as strace prints argv strings. */
    static String cString(GuestMemory mem, long addr) {
        if (addr == 0) return "NULL";
        GuestMemory.CString s = mem.readCString(addr, MAX_STRLEN + 1);
        if (s == null) return Hex.of(addr);
        boolean cut = s.length() > MAX_STRLEN;
        return QuotedString.quote(s.bytes(), Math.min(s.length(), MAX_STRLEN)) + (cut ? "..." : "");
    }

    /** {@code len} bytes at {@code addr}, cut at 32 with "..." after the quote. */
    static String buffer(GuestMemory mem, long addr, long len) {
        return buffer(mem, addr, len, false);
    }

    static String buffer(GuestMemory mem, long addr, long len, boolean hex) {
        if (addr == 0) return "NULL";
        // Nothing to read, so nothing can fault: strace prints "" even for a bad address.
        if (len == 0) return "\"\"";
        boolean cut = Long.compareUnsigned(len, MAX_STRLEN) > 0;
        int n = cut ? MAX_STRLEN : (int) len;
        // strace reads one byte more than it shows when it cuts, so a buffer that ends exactly
        // 32 bytes before an unmapped page prints as a pointer there; do the same.
        byte[] b = mem.read(addr, cut ? n + 1 : n);
        if (b == null) return Hex.of(addr);
        String q = hex ? QuotedString.quoteHex(b, n) : QuotedString.quote(b, n);
        return cut ? q + "..." : q;
    }
}
