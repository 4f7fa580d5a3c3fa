package dev.jux.syscall.strace;

import dev.jux.abi.DeviceNumber;
import dev.jux.abi.Fcntl;
import dev.jux.abi.FileMode;
import dev.jux.abi.Hex;
import dev.jux.abi.Rlimit;
import dev.jux.abi.SeekWhence;
import dev.jux.abi.SigSet;
import dev.jux.abi.SignalAction;
import dev.jux.abi.Termios;

/**
 * Structs read from guest memory and printed the way strace prints them without -v: a few
 * leading fields, then "...". Each returns NULL for a null pointer and the pointer in hex if
 * the struct cannot be read. Layouts are x86-64's.
 */
final class StructFormats {
    private StructFormats() {}

    /** struct stat (144 bytes): st_mode at 24, st_rdev at 40, st_size at 48. */
    static String stat(GuestMemory mem, long addr) {
        byte[] b = read(mem, addr, 144);
        if (b == null) return Printer.pointer(addr);
        int mode = Bytes.s32(b, 24);
        String second = FileMode.isDevice(mode)
                ? "st_rdev=" + DeviceNumber.render(Bytes.s64(b, 40))
                : "st_size=" + Bytes.s64(b, 48);
        return "{st_mode=" + FileMode.render(mode) + ", " + second + ", ...}";
    }

    /** struct timespec: {tv_sec, tv_nsec}. */
    static String timespec(GuestMemory mem, long addr) {
        byte[] b = read(mem, addr, 16);
        if (b == null) return Printer.pointer(addr);
        return "{tv_sec=" + Bytes.s64(b, 0) + ", tv_nsec=" + Bytes.s64(b, 8) + "}";
    }

    /** struct timeval: {tv_sec, tv_usec}. */
    static String timeval(GuestMemory mem, long addr) {
        byte[] b = read(mem, addr, 16);
        if (b == null) return Printer.pointer(addr);
        return timeval(b, 0);
    }

    private static String timeval(byte[] b, int off) {
        return "{tv_sec=" + Bytes.s64(b, off) + ", tv_usec=" + Bytes.s64(b, off + 8) + "}";
    }

    /** struct timezone: two ints. */
    static String timezone(GuestMemory mem, long addr) {
        byte[] b = read(mem, addr, 8);
        if (b == null) return Printer.pointer(addr);
        return "{tz_minuteswest=" + Bytes.s32(b, 0) + ", tz_dsttime=" + Bytes.s32(b, 4) + "}";
    }

    /** struct rusage: the two times, then "...". */
    static String rusage(GuestMemory mem, long addr) {
        byte[] b = read(mem, addr, 32);
        if (b == null) return Printer.pointer(addr);
        return "{ru_utime=" + timeval(b, 0) + ", ru_stime=" + timeval(b, 16) + ", ...}";
    }

    /** struct rlimit64: {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}. */
    static String rlimit(GuestMemory mem, long addr) {
        byte[] b = read(mem, addr, 16);
        if (b == null) return Printer.pointer(addr);
        return "{rlim_cur=" + Rlimit.renderValue(Bytes.s64(b, 0))
                + ", rlim_max=" + Rlimit.renderValue(Bytes.s64(b, 8)) + "}";
    }

    /** struct utsname: six 65-byte strings, read whole; strace shows sysname and nodename. */
    static String utsname(GuestMemory mem, long addr) {
        byte[] b = read(mem, addr, 6 * 65);
        if (b == null) return Printer.pointer(addr);
        return "{sysname=" + field(b, 0, 65) + ", nodename=" + field(b, 65, 65) + ", ...}";
    }

    private static String field(byte[] b, int off, int size) {
        int n = 0;
        while (n < size && b[off + n] != 0) n++;
        byte[] s = java.util.Arrays.copyOfRange(b, off, off + n);
        return QuotedString.quote(s, n);
    }

    /**
     * strace 6.1 reads 88 bytes for a struct sigaction (its sigset field is 64 bytes), so one
     * that ends less than 88 bytes before an unmapped page shows as a pointer; Jux reads as
     * much to print the same, and uses the first 32.
     */
    private static final int STRACE_SIGACTION_READ = 88;

    /**
     * The kernel's struct sigaction: {sa_handler, sa_mask, sa_flags, sa_restorer}, the last
     * only when SA_RESTORER is set, as strace does.
     */
    static String sigaction(GuestMemory mem, long addr) {
        byte[] b = read(mem, addr, STRACE_SIGACTION_READ);
        if (b == null) return Printer.pointer(addr);
        long flags = Bytes.s64(b, SignalAction.OFFSET_FLAGS);
        StringBuilder sb = new StringBuilder("{sa_handler=")
                .append(SignalAction.renderHandler(Bytes.s64(b, SignalAction.OFFSET_HANDLER)))
                .append(", sa_mask=").append(SigSet.render(Bytes.s64(b, SignalAction.OFFSET_MASK)))
                .append(", sa_flags=").append(SignalAction.renderFlags(flags));
        if ((flags & SignalAction.SA_RESTORER) != 0) {
            sb.append(", sa_restorer=")
                    .append(Printer.pointer(Bytes.s64(b, SignalAction.OFFSET_RESTORER)));
        }
        return sb.append('}').toString();
    }

    /**
     * A sigset_t; strace decodes it only when sigsetsize is the kernel's 8 bytes (the call
     * fails with EINVAL otherwise) and shows the pointer for any other size.
     */
    static String sigset(GuestMemory mem, long addr, long size) {
        if (addr == 0) return "NULL";
        if (size != SigSet.SIZE) return Hex.of(addr);
        Long mask = mem.readLong(addr);
        return mask == null ? Hex.of(addr) : SigSet.render(mask);
    }

    /** struct winsize: four unsigned shorts. */
    static String winsize(GuestMemory mem, long addr) {
        byte[] b = read(mem, addr, 8);
        if (b == null) return Printer.pointer(addr);
        return "{ws_row=" + Bytes.u16(b, 0) + ", ws_col=" + Bytes.u16(b, 2)
                + ", ws_xpixel=" + Bytes.u16(b, 4) + ", ws_ypixel=" + Bytes.u16(b, 6) + "}";
    }

    /** struct termios: the four flag words, then "..." for c_line and c_cc. */
    static String termios(GuestMemory mem, long addr) {
        byte[] b = read(mem, addr, Termios.SIZE);
        if (b == null) return Printer.pointer(addr);
        return "{c_iflag=" + Termios.renderIflag(Bytes.s32(b, Termios.OFFSET_IFLAG))
                + ", c_oflag=" + Termios.renderOflag(Bytes.s32(b, Termios.OFFSET_OFLAG))
                + ", c_cflag=" + Termios.renderCflag(Bytes.s32(b, Termios.OFFSET_CFLAG))
                + ", c_lflag=" + Termios.renderLflag(Bytes.s32(b, Termios.OFFSET_LFLAG)) + ", ...}";
    }

    /**
     * struct flock: {l_type, l_whence, l_start, l_len}, plus l_pid when the kernel filled it
     * in (F_GETLK on return).
     */
    static String flock(GuestMemory mem, long addr, boolean withPid) {
        byte[] b = read(mem, addr, 32);
        if (b == null) return Printer.pointer(addr);
        String s = "{l_type=" + Fcntl.renderLockType(Bytes.s16(b, 0))
                + ", l_whence=" + SeekWhence.render(Bytes.s16(b, 2))
                + ", l_start=" + Bytes.s64(b, 8) + ", l_len=" + Bytes.s64(b, 16);
        return withPid ? s + ", l_pid=" + Bytes.s32(b, 24) + "}" : s + "}";
    }

    /** An int the kernel stores or reads through a pointer: {@code [42]}. */
    static String intRef(GuestMemory mem, long addr) {
        if (addr == 0) return "NULL";
        Integer v = mem.readInt(addr);
        return v == null ? Hex.of(addr) : "[" + v + "]";
    }

    /** A pointer-sized value stored through a pointer, shown as an address: {@code [0x7f...]}. */
    static String addressRef(GuestMemory mem, long addr) {
        if (addr == 0) return "NULL";
        Long v = mem.readLong(addr);
        return v == null ? Hex.of(addr) : "[" + Printer.pointer(v) + "]";
    }

    private static byte[] read(GuestMemory mem, long addr, int len) {
        return addr == 0 ? null : mem.read(addr, len);
    }
}
