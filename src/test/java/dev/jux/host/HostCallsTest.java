package dev.jux.host;

import static dev.jux.host.LibcFiles.AT_FDCWD;
import static dev.jux.host.LibcFiles.AT_SYMLINK_NOFOLLOW;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw calls of {@link Libc} and {@link LibcFiles}: the -errno convention, and the raw
 * system-call fallbacks (used when glibc lacks a wrapper) against glibc's wrappers.
 */
class HostCallsTest {
    @TempDir
    Path tmp;

    private final Arena arena = Arena.ofConfined();
    private int dirFd;

    @BeforeEach
    void openTmp() {
        dirFd = LibcFiles.openat(AT_FDCWD, c(tmp.toString()), LibcFiles.O_PATH | LibcFiles.O_DIRECTORY | LibcFiles.O_CLOEXEC, 0);
        assertTrue(dirFd >= 0, "openat: " + dirFd);
    }

    @AfterEach
    void closeTmp() {
        Libc.close(dirFd);
        arena.close();
    }

    private MemorySegment c(String s) {
        return arena.allocateFrom(s, StandardCharsets.UTF_8);
    }

    private static int errno(Errno e) {
        return -e.number();
    }

    @Test
    void failuresAreMinusErrno() {
        MemorySegment st = arena.allocate(HostStat.SIZE, 8);
        assertEquals(errno(Errno.ENOENT), LibcFiles.fstatat(dirFd, c("missing"), st, AT_SYMLINK_NOFOLLOW));
        assertEquals(errno(Errno.EBADF), Libc.close(-1));
        assertEquals(errno(Errno.EBADF), LibcFiles.fsync(-1));
        assertEquals(errno(Errno.EEXIST), LibcFiles.mkdirat(dirFd, c("."), 0755));
        assertEquals(errno(Errno.ENOSYS), Libc.syscall(100_000, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void rawNewfstatatMatchesTheWrapper() throws IOException {
        Files.writeString(tmp.resolve("f"), "hello");
        MemorySegment a = arena.allocate(HostStat.SIZE, 8), b = arena.allocate(HostStat.SIZE, 8);
        assertEquals(0, LibcFiles.fstatat(dirFd, c("f"), a, AT_SYMLINK_NOFOLLOW));
        MemorySegment name = c("f");
        assertEquals(0, Libc.syscall(LibcFiles.SYS_NEWFSTATAT, dirFd, name.address(), b.address(), AT_SYMLINK_NOFOLLOW, 0, 0));
        assertEquals(HostStat.decode(a), HostStat.decode(b));
        assertEquals(5, HostStat.decode(a).size());
    }

    @Test
    void rawGetdents64MatchesTheWrapper() throws IOException {
        for (int i = 0; i < 20; i++) Files.createFile(tmp.resolve("entry" + i));
        byte[] viaWrapper = listing(LibcFiles::getdents64);
        byte[] viaSyscall = listing((fd, buf) -> Libc.syscall(LibcFiles.SYS_GETDENTS64, fd, buf.address(), buf.byteSize(), 0, 0, 0));
        assertArrayEquals(viaWrapper, viaSyscall);
        assertTrue(new String(viaWrapper, StandardCharsets.ISO_8859_1).contains("entry19"));
    }

    private byte[] listing(java.util.function.ToLongBiFunction<Integer, MemorySegment> getdents) {
        int fd = LibcFiles.openat(dirFd, c("."), LibcFiles.O_RDONLY | LibcFiles.O_DIRECTORY | LibcFiles.O_CLOEXEC, 0);
        assertTrue(fd >= 0);
        try {
            MemorySegment buf = arena.allocate(65536, 8);
            long n = getdents.applyAsLong(fd, buf);
            assertTrue(n > 0, "getdents64: " + n);
            assertEquals(0, getdents.applyAsLong(fd, buf), "one call holds the whole small directory");
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void rawRenameat2AndMknodatWork() throws IOException {
        MemorySegment fifo = c("fifo"), moved = c("moved");
        long mode = HostStat.S_IFIFO | 0600;
        assertEquals(0, Libc.syscall(LibcFiles.SYS_MKNODAT, dirFd, fifo.address(), mode, 0, 0, 0));
        Files.createFile(tmp.resolve("other"));
        MemorySegment other = c("other");
        assertEquals(errno(Errno.EEXIST), Libc.syscall(LibcFiles.SYS_RENAMEAT2, dirFd, fifo.address(), dirFd,
                other.address(), LibcFiles.RENAME_NOREPLACE, 0));
        assertEquals(0, Libc.syscall(LibcFiles.SYS_RENAMEAT2, dirFd, fifo.address(), dirFd, moved.address(), 0, 0));
        assertTrue(Files.readAttributes(tmp.resolve("moved"), BasicFileAttributes.class, NOFOLLOW_LINKS).isOther());
        assertTrue(Files.notExists(tmp.resolve("fifo"), NOFOLLOW_LINKS));
    }

    @Test
    void statxReportsWhatFstatatDoes() throws IOException {
        Files.writeString(tmp.resolve("f"), "0123456789");
        MemorySegment sx = arena.allocate(256, 8), sx2 = arena.allocate(256, 8), st = arena.allocate(HostStat.SIZE, 8);
        int basicStats = 0x7ff;
        assertEquals(0, LibcFiles.statx(dirFd, c("f"), AT_SYMLINK_NOFOLLOW, basicStats, sx));
        assertEquals(0, LibcFiles.fstatat(dirFd, c("f"), st, AT_SYMLINK_NOFOLLOW));
        HostStat s = HostStat.decode(st);
        // struct statx: u32 mask @0, u16 mode @28, u64 ino @32, u64 size @40, mtime {s64, u32} @112.
        assertEquals(basicStats, sx.get(JAVA_INT, 0) & basicStats);
        assertEquals(s.mode(), Short.toUnsignedInt(sx.get(JAVA_SHORT, 28)));
        assertEquals(s.ino(), sx.get(JAVA_LONG, 32));
        assertEquals(10, sx.get(JAVA_LONG, 40));
        assertEquals(s.mtimeSec(), sx.get(JAVA_LONG, 112));
        assertEquals(s.mtimeNsec(), sx.get(JAVA_INT, 120));
        MemorySegment name = c("f");
        assertEquals(0, Libc.syscall(LibcFiles.SYS_STATX, dirFd, name.address(), AT_SYMLINK_NOFOLLOW, basicStats, sx2.address(), 0));
        assertEquals(sx.get(JAVA_LONG, 32), sx2.get(JAVA_LONG, 32));
    }

    @Test
    void openat2ResolvesBeneathAndRefusesSymlinks() throws IOException {
        Files.createDirectory(tmp.resolve("sub"));
        Files.createSymbolicLink(tmp.resolve("link"), Path.of("sub"));
        MemorySegment how = LibcFiles.openHow(arena.allocate(24, 8),
                LibcFiles.O_PATH | LibcFiles.O_CLOEXEC, 0, LibcFiles.RESOLVE_BENEATH | LibcFiles.RESOLVE_NO_SYMLINKS);
        int fd = LibcFiles.openat2(dirFd, c("sub"), how);
        if (fd == errno(Errno.ENOSYS)) return;  // a kernel before 5.6: nothing more to check
        assertTrue(fd >= 0, "openat2: " + fd);
        Libc.close(fd);
        assertEquals(errno(Errno.EXDEV), LibcFiles.openat2(dirFd, c("../x"), how));
        assertEquals(errno(Errno.EXDEV), LibcFiles.openat2(dirFd, c("/etc"), how));
        assertEquals(errno(Errno.ELOOP), LibcFiles.openat2(dirFd, c("link"), how));
    }

    @Test
    void dupAndFcntlStatusFlags() throws IOException {
        Files.writeString(tmp.resolve("f"), "abc");
        int fd = LibcFiles.openat(dirFd, c("f"), LibcFiles.O_RDWR | LibcFiles.O_APPEND | LibcFiles.O_CLOEXEC, 0);
        assertTrue(fd >= 0);
        int copy = Libc.dup(fd);
        try {
            assertTrue(copy >= 0 && copy != fd);
            int flags = Libc.fcntl(copy, Libc.F_GETFL, 0);
            assertEquals(LibcFiles.O_RDWR, flags & LibcFiles.O_ACCMODE);
            assertEquals(LibcFiles.O_APPEND, flags & LibcFiles.O_APPEND);
            // dup shares the open file description, so status flags set on one show on the other.
            assertEquals(0, Libc.fcntl(copy, Libc.F_SETFL, flags | LibcFiles.O_NONBLOCK));
            assertEquals(LibcFiles.O_NONBLOCK, Libc.fcntl(fd, Libc.F_GETFL, 0) & LibcFiles.O_NONBLOCK);
            assertEquals(3, LibcFiles.lseek(copy, 0, LibcFiles.SEEK_END));
            assertEquals(3, LibcFiles.lseek(fd, 0, LibcFiles.SEEK_CUR));
            assertEquals(errno(Errno.EINVAL), LibcFiles.lseek(fd, -1, LibcFiles.SEEK_SET));
        } finally {
            Libc.close(copy);
            Libc.close(fd);
        }
    }

    @Test
    void preadPwriteAndSyncOnARawFd() {
        int fd = LibcFiles.openat(dirFd, c("data"), LibcFiles.O_RDWR | LibcFiles.O_CREAT | LibcFiles.O_EXCL | LibcFiles.O_CLOEXEC, 0600);
        assertTrue(fd >= 0);
        try {
            MemorySegment out = c("payload");  // 8 bytes with the NUL
            assertEquals(8, LibcFiles.pwrite(fd, out, 100));
            MemorySegment in = arena.allocate(8);
            assertEquals(8, LibcFiles.pread(fd, in, 100));
            assertEquals("payload", in.getString(0));
            assertEquals(0, LibcFiles.pread(fd, in, 108));
            assertEquals(0, LibcFiles.fsync(fd));
            assertEquals(0, LibcFiles.fdatasync(fd));
            assertEquals(0, LibcFiles.lseek(fd, 0, LibcFiles.SEEK_CUR), "pread/pwrite leave the position alone");
        } finally {
            Libc.close(fd);
        }
    }
}
