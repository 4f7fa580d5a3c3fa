package dev.jux.host;

import static dev.jux.host.HostDirectoryTest.assertErrno;
import static dev.jux.host.HostDirectoryTest.b;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jux.abi.Errno;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HostFile's operations on a fresh regular file in a temporary directory. */
class HostFileTest {
    @TempDir
    Path tmp;

    private final Arena arena = Arena.ofConfined();
    private HostDirectory dir;
    private HostFile file;

    @BeforeEach
    void open() {
        dir = HostDirectory.open(tmp);
        file = dir.openFile(b("f"), LibcFiles.O_RDWR | LibcFiles.O_CREAT | LibcFiles.O_EXCL, 0600);
    }

    @AfterEach
    void close() {
        file.close();
        dir.close();
        arena.close();
    }

    private MemorySegment bytes(String s) {
        byte[] a = s.getBytes(UTF_8);
        return arena.allocate(a.length).copyFrom(MemorySegment.ofArray(a));
    }

    private String read(long offset, int len) {
        MemorySegment buf = arena.allocate(len);
        long n = file.pread(buf, offset);
        return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), UTF_8);
    }

    @Test
    void preadAndPwriteAtOffsets() throws IOException {
        assertEquals(5, file.pwrite(bytes("hello"), 0));
        assertEquals(5, file.pwrite(bytes("world"), 10));
        assertEquals(15, file.size());
        assertEquals("hello", read(0, 5));
        assertEquals("lo\0\0\0\0\0wor", read(3, 10));
        assertEquals("ld", read(13, 100), "a read across the end is short");
        assertEquals("", read(15, 10), "and 0 at the end");
        assertEquals("hello\0\0\0\0\0world", Files.readString(tmp.resolve("f")));
    }

    @Test
    void statMatchesTheDirectoryLookup() {
        file.pwrite(bytes("abc"), 0);
        HostStat st = file.stat();
        assertEquals(assertFound(dir.lookup(b("f"))), st);
        assertTrue(st.isRegularFile());
        assertEquals(3, st.size());
    }

    private static HostStat assertFound(HostLookup l) {
        return ((HostLookup.Found) l).stat();
    }

    @Test
    void truncateShrinksAndGrows() {
        file.pwrite(bytes("0123456789"), 0);
        file.truncate(4);
        assertEquals(4, file.size());
        assertEquals("0123", read(0, 100));
        file.truncate(8);
        assertEquals("0123\0\0\0\0", read(0, 100));
        assertErrno(Errno.EINVAL, () -> file.truncate(-1));
    }

    @Test
    void fallocateKeepSizeAllocatesWithoutGrowing() {
        HostStat before = file.stat();
        try {
            file.fallocate(LibcFiles.FALLOC_FL_KEEP_SIZE, 0, 1 << 20);
        } catch (HostException e) {
            assumeTrue(e.errno() != Errno.EOPNOTSUPP.number(), "the temporary directory's file system has no fallocate");
            throw e;
        }
        HostStat after = file.stat();
        assertEquals(0, after.size());
        assertTrue(after.blocks() >= before.blocks() + (1 << 20) / 512, before.blocks() + " -> " + after.blocks());

        file.fallocate(0, 0, 8192);
        assertEquals(8192, file.size(), "without KEEP_SIZE the file grows");
        assertErrno(Errno.EINVAL, () -> file.fallocate(0, 0, 0));
    }

    @Test
    void punchingAHoleReadsBackZeros() {
        file.pwrite(bytes("x".repeat(16384)), 0);
        try {
            file.fallocate(LibcFiles.FALLOC_FL_PUNCH_HOLE | LibcFiles.FALLOC_FL_KEEP_SIZE, 4096, 8192);
        } catch (HostException e) {
            assumeTrue(e.errno() != Errno.EOPNOTSUPP.number(), "no hole punching here");
            throw e;
        }
        assertEquals(16384, file.size());
        assertEquals("x", read(4095, 1));
        assertArrayEquals(new byte[8192], read(4096, 8192).getBytes(UTF_8));
        assertEquals("x", read(12288, 1));
        assertEquals(4096, file.seek(0, LibcFiles.SEEK_HOLE), "the hole is where the host's extents say");
        assertEquals(12288, file.seek(4096, LibcFiles.SEEK_DATA));
    }

    @Test
    void seekFindsDataPastASparseStart() {
        file.pwrite(bytes("data"), 1 << 20);
        assertEquals(1 << 20, file.seek(0, LibcFiles.SEEK_DATA));
        assertEquals((1 << 20) + 4, file.seek(0, LibcFiles.SEEK_END));
        assertErrno(Errno.ENXIO, () -> file.seek((1 << 20) + 4, LibcFiles.SEEK_DATA));
    }

    @Test
    void syncsChmodChownAndTimes() {
        file.pwrite(bytes("durable"), 0);
        file.fsync();
        file.fdatasync();
        file.chmod(0640);
        assertEquals(HostStat.S_IFREG | 0640, file.stat().mode());
        file.chown(-1, -1);
        file.utimens(2_000_000_000L, 1, 2_000_000_001L, 999_999_999L);
        HostStat st = file.stat();
        assertEquals(2_000_000_000L, st.atimeSec());
        assertEquals(1, st.atimeNsec());
        assertEquals(2_000_000_001L, st.mtimeSec());
        assertEquals(999_999_999L, st.mtimeNsec());
    }

    @Test
    void aReadOnlyFileRefusesWrites() {
        try (HostFile ro = dir.openFile(b("f"), LibcFiles.O_RDONLY, 0)) {
            assertEquals(LibcFiles.O_RDONLY, ro.statusFlags() & LibcFiles.O_ACCMODE);
            assertErrno(Errno.EBADF, () -> ro.pwrite(bytes("x"), 0));
            assertErrno(Errno.EINVAL, () -> ro.truncate(0));
        }
    }

    @Test
    void aClosedFileAnswersEbadf() {
        file.close();
        file.close();
        assertErrno(Errno.EBADF, () -> file.pread(arena.allocate(1), 0));
        assertErrno(Errno.EBADF, file::stat);
        assertErrno(Errno.EBADF, file::fsync);
    }
}
