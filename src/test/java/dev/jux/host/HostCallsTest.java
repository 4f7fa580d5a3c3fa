package dev.jux.host;

import static dev.jux.host.LibcFiles.AT_FDCWD;
import static dev.jux.host.LibcFiles.AT_SYMLINK_NOFOLLOW;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw calls of {@link Libc} and {@link LibcFiles}: the -errno convention, their results
 * against Java's own file API, and that only native memory is passed to the host.
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
    void hostSystemCallNumbersAreLinuxs() throws IllegalAccessException {
        int checked = 0;
        for (java.lang.reflect.Field f : Libc.class.getDeclaredFields()) {
            if (!f.getName().startsWith("SYS_")) continue;
            String name = f.getName().substring(4).toLowerCase(java.util.Locale.ROOT);
            assertEquals(dev.jux.abi.SyscallNumbers.number(name), f.getLong(null), f.getName());
            checked++;
        }
        assertTrue(checked >= 40, "numbers checked: " + checked);
    }

    @Test
    void fstatatAgreesWithJava() throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "hello");
        MemorySegment st = arena.allocate(HostStat.SIZE, 8);
        assertEquals(0, LibcFiles.fstatat(dirFd, c("f"), st, AT_SYMLINK_NOFOLLOW));
        HostStat s = HostStat.decode(st);
        assertEquals(5, s.size());
        assertEquals(((Number) Files.getAttribute(f, "unix:ino")).longValue(), s.ino());
        assertEquals(((Number) Files.getAttribute(f, "unix:mode")).intValue(), s.mode());
    }

    @Test
    void getdents64ListsEveryEntry() throws IOException {
        Set<String> want = new TreeSet<>(Set.of(".", ".."));
        for (int i = 0; i < 20; i++) {
            Files.createFile(tmp.resolve("entry" + i));
            want.add("entry" + i);
        }
        int fd = LibcFiles.openat(dirFd, c("."), LibcFiles.O_RDONLY | LibcFiles.O_DIRECTORY | LibcFiles.O_CLOEXEC, 0);
        assertTrue(fd >= 0);
        try {
            MemorySegment buf = arena.allocate(65536, 8);
            long n = LibcFiles.getdents64(fd, buf);
            assertTrue(n > 0, "getdents64: " + n);
            assertEquals(0, LibcFiles.getdents64(fd, buf), "one call holds the whole small directory");
            // struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, then the name.
            Set<String> got = new TreeSet<>();
            for (long at = 0; at < n; at += Short.toUnsignedInt(buf.get(JAVA_SHORT, at + 16))) {
                got.add(buf.getString(at + 19));
            }
            assertEquals(want, got);
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void renameat2AndMknodatWork() throws IOException {
        MemorySegment fifo = c("fifo"), moved = c("moved");
        int mode = HostStat.S_IFIFO | 0600;
        assertEquals(0, LibcFiles.mknodat(dirFd, fifo, mode, 0));
        Files.createFile(tmp.resolve("other"));
        assertEquals(errno(Errno.EEXIST), LibcFiles.renameat2(dirFd, fifo, dirFd, c("other"), LibcFiles.RENAME_NOREPLACE));
        assertEquals(0, LibcFiles.renameat2(dirFd, fifo, dirFd, moved, 0));
        assertTrue(Files.readAttributes(tmp.resolve("moved"), BasicFileAttributes.class, NOFOLLOW_LINKS).isOther());
        assertTrue(Files.notExists(tmp.resolve("fifo"), NOFOLLOW_LINKS));
    }

    @Test
    void heapMemoryIsRefusedBeforeTheCall() {
        // A heap segment's address() is an offset in its array: passed on, the kernel would
        // read or write whatever host memory that number names.
        MemorySegment heap = MemorySegment.ofArray(new byte[HostStat.SIZE]);
        assertThrows(IllegalArgumentException.class, () -> LibcFiles.fstatat(dirFd, c("."), heap, 0));
        assertThrows(IllegalArgumentException.class, () -> Libc.read(dirFd, heap, 1));
    }

    @Test
    void mmapFailuresCarryTheErrno() {
        HostException e = assertThrows(HostException.class, () -> Libc.mmap(4096, Libc.PROT_READ, Libc.MAP_SHARED, -1, 0));
        assertTrue(e.getMessage().contains("mmap"), e.getMessage());
        MemorySegment m = Libc.mmap(8192, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        assertEquals(8192, m.byteSize());
        m.set(JAVA_LONG, 8184, 42);
        assertEquals(42, m.get(JAVA_LONG, 8184));
        assertEquals(0, Libc.munmap(m));
    }

    @Test
    void futimensSetsTheFdsTimes() throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        int fd = LibcFiles.openat(dirFd, c("f"), LibcFiles.O_RDWR | LibcFiles.O_CLOEXEC, 0);
        assertTrue(fd >= 0);
        try {
            MemorySegment times = arena.allocate(32, 8);
            times.set(JAVA_LONG, 0, 1_000_000_000L);   // atime
            times.set(JAVA_LONG, 8, LibcFiles.UTIME_OMIT);
            times.set(JAVA_LONG, 16, 1_200_000_000L);  // mtime
            times.set(JAVA_LONG, 24, 5);
            assertEquals(0, LibcFiles.futimens(fd, times));
            assertEquals(1_200_000_000_000_000_005L, Files.getLastModifiedTime(f).to(java.util.concurrent.TimeUnit.NANOSECONDS));
            assertEquals(errno(Errno.EBADF), LibcFiles.futimens(-1, times));
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void statxReportsWhatFstatatDoes() throws IOException {
        Files.writeString(tmp.resolve("f"), "0123456789");
        MemorySegment sx = arena.allocate(256, 8), st = arena.allocate(HostStat.SIZE, 8);
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
