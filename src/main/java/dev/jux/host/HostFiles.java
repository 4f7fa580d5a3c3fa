package dev.jux.host;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Host file operations on raw host fds, returning -errno on failure; EINTR is retried. */
public final class HostFiles {
    private HostFiles() {}

    public static final long TCGETS = 0x5401, TIOCGWINSZ = 0x5413;
    private static final int EINTR = 4;

    public static long read(int fd, MemorySegment dst) {
        long r;
        do r = Libc.read(fd, dst, dst.byteSize()); while (r == -EINTR);
        return r;
    }

    public static long write(int fd, MemorySegment src) {
        long r;
        do r = Libc.write(fd, src, src.byteSize()); while (r == -EINTR);
        return r;
    }

    /**
     * The host's readiness of one fd for {@code events}, without waiting (poll(2) with timeout
     * 0): the revents bits, or -errno.
     */
    public static int pollNow(int fd, int events) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pfd = a.allocate(8, 8);
            pfd.set(ValueLayout.JAVA_INT, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, (short) events);
            int r;
            do r = Libc.poll(pfd, 1, 0); while (r == -EINTR);
            return r < 0 ? r : pfd.get(ValueLayout.JAVA_SHORT, 6) & 0xffff;
        }
    }

    /** An ioctl that fills a struct of {@code out.length} bytes; returns 0 or -errno. */
    public static int ioctlRead(int fd, long request, byte[] out) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(out.length, 64), 8);
            int r = Libc.ioctl(fd, request, buf);
            if (r >= 0) MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, out, 0, out.length);
            return r;
        }
    }

    /** fstat of a host fd, or null if the fd is not open (or fstat fails). */
    public static HostStat fstat(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(HostStat.SIZE, 8);
            return Libc.fstat(fd, st) < 0 ? null : HostStat.decode(st);
        }
    }

    /**
     * A new open file description of what the host fd {@code fd} refers to (open(2) of the
     * host's /proc/self/fd/N), close-on-exec; the new fd or -errno. The caller limits
     * {@code flags} to what the fd itself allows.
     */
    public static int reopen(int fd, int flags) {
        return Libc.open("/proc/self/fd/" + fd, flags | 0x80000 /* O_CLOEXEC */);
    }

    /** The access mode (O_RDONLY, O_WRONLY or O_RDWR) the host fd was opened with, or -errno. */
    public static int accessMode(int fd) {
        int fl = Libc.fcntl(fd, 3 /* F_GETFL */, 0);
        return fl < 0 ? fl : fl & 3;
    }

    public static void close(int fd) {
        Libc.close(fd);
    }

    /** The host's name for one of Jux's own fds (its /proc/self/fd link), or null. */
    public static String describeFd(int fd) {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** A small host text file (such as /proc/cpuinfo), or null if it cannot be read. */
    public static String readHostText(String path) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(path), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
