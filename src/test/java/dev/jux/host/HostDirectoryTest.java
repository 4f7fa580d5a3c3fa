package dev.jux.host;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each HostDirectory operation does what the host call does, checked against the host's view through java.nio. */
class HostDirectoryTest {
    @TempDir
    Path tmp;

    private HostDirectory root;
    private final Arena arena = Arena.ofConfined();

    @BeforeEach
    void open() {
        root = HostDirectory.open(tmp);
    }

    @AfterEach
    void close() {
        root.close();
        arena.close();
    }

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static void assertErrno(Errno expected, Runnable op) {
        assertEquals(expected.number(), assertThrows(HostException.class, op::run).errno());
    }

    private HostStat stat(String name) {
        return assertInstanceOf(HostLookup.Found.class, root.lookup(b(name))).stat();
    }

    /** The process umask, which the host applies to modes given at creation. */
    private static int umask() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Umask:")) return Integer.parseInt(line.substring(6).trim(), 8);
        }
        return 022;
    }

    @Test
    void createWriteAndReadBack() throws IOException {
        int flags = LibcFiles.O_RDWR | LibcFiles.O_CREAT | LibcFiles.O_EXCL;
        try (HostFile f = root.openFile(b("file"), flags, 0640)) {
            assertEquals(5, f.pwrite(arena.allocateFrom("hello", UTF_8).asSlice(0, 5), 0));
            MemorySegment in = arena.allocate(16);
            assertEquals(5, f.pread(in, 0));
            assertEquals("hello", new String(in.asSlice(0, 5).toArray(JAVA_BYTE), UTF_8));
            assertEquals(0, f.statusFlags() & LibcFiles.O_NONBLOCK, "the O_NONBLOCK of the open is cleared");
        }
        assertEquals("hello", Files.readString(tmp.resolve("file")));
        HostStat st = stat("file");
        assertTrue(st.isRegularFile());
        assertEquals(5, st.size());
        assertEquals(1, st.nlink());
        assertEquals(0640 & ~umask(), st.mode() & 07777);
        assertErrno(Errno.EEXIST, () -> root.openFile(b("file"), flags, 0640));
    }

    @Test
    void lookupAgreesWithTheHost() throws IOException {
        Files.writeString(tmp.resolve("f"), "12345678");
        Files.createDirectory(tmp.resolve("d"));
        Files.createSymbolicLink(tmp.resolve("l"), Path.of("f"));
        for (String name : List.of("f", "d", "l")) {
            Path p = tmp.resolve(name);
            Map<String, Object> unix = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
            HostStat st = stat(name);
            assertEquals(unix.get("ino"), st.ino(), name);
            assertEquals(unix.get("dev"), st.dev(), name);
            assertEquals(unix.get("mode"), st.mode(), name);
            assertEquals(unix.get("uid"), st.uid(), name);
            assertEquals(unix.get("gid"), st.gid(), name);
            assertEquals(((Number) unix.get("nlink")).longValue(), st.nlink(), name);
            assertEquals(unix.get("size"), st.size(), name);
        }
        assertTrue(stat("l").isSymlink());
        assertTrue(stat("d").isDirectory());
        assertInstanceOf(HostLookup.Missing.class, root.lookup(b("nothing")));
        assertEquals(root.stat().ino(), Files.getAttribute(tmp, "unix:ino"));
    }

    @Test
    void readdirListsNamesInodesAndTypes() throws IOException {
        Files.writeString(tmp.resolve("file"), "x");
        root.mkdir(b("dir"), 0755);
        root.symlink(b("link"), b("file"));
        root.mknod(b("fifo"), HostStat.S_IFIFO | 0600, 0);
        root.mknod(b("sock"), HostStat.S_IFSOCK | 0600, 0);
        byte[] oddName = {'o', (byte) 0xff, (byte) 0xfe, 'd'};  // not UTF-8: names are bytes
        root.mknod(oddName, HostStat.S_IFREG | 0600, 0);

        Map<String, Integer> types = new HashMap<>();
        boolean sawOdd = false;
        for (HostDirEntry e : root.readdir()) {
            if (java.util.Arrays.equals(e.name(), oddName)) {
                sawOdd = true;
                continue;
            }
            types.put(e.nameString(), e.type());
            assertEquals(stat(e.nameString()).ino(), e.ino(), e.nameString());
        }
        assertTrue(sawOdd);
        assertEquals(Map.of("file", HostDirEntry.DT_REG, "dir", HostDirEntry.DT_DIR, "link", HostDirEntry.DT_LNK,
                "fifo", HostDirEntry.DT_FIFO, "sock", HostDirEntry.DT_SOCK), types);
        assertEquals(HostStat.S_IFIFO, stat("fifo").type());
    }

    @Test
    void readdirOfALargeDirectoryTakesSeveralCalls() throws IOException {
        String pad = "n".repeat(200);  // 3000 entries of ~224 bytes: far more than one 32 KiB getdents64
        for (int i = 0; i < 3000; i++) Files.createFile(tmp.resolve(pad + i));
        Set<String> seen = new HashSet<>();
        List<HostDirEntry> entries = root.readdir();
        for (HostDirEntry e : entries) assertTrue(seen.add(e.nameString()), "listed twice: " + e.nameString());
        assertEquals(3000, entries.size());
        assertTrue(seen.contains(pad + 0) && seen.contains(pad + 2999));
    }

    @Test
    void mkdirOpenDirectoryAndWorkInside() throws IOException {
        root.mkdir(b("sub"), 0750);
        assertErrno(Errno.EEXIST, () -> root.mkdir(b("sub"), 0750));
        assertEquals(0750 & ~umask(), stat("sub").mode() & 07777);
        try (HostDirectory sub = root.openDirectory(b("sub"))) {
            assertEquals(stat("sub"), sub.stat());
            sub.mkdir(b("inner"), 0700);
            try (HostFile f = sub.openFile(b("data"), LibcFiles.O_WRONLY | LibcFiles.O_CREAT, 0600)) {
                f.pwrite(arena.allocateFrom("in sub", UTF_8).asSlice(0, 6), 0);
            }
            assertEquals(List.of("data", "inner"), sub.readdir().stream().map(HostDirEntry::nameString).sorted().toList());
        }
        assertEquals("in sub", Files.readString(tmp.resolve("sub/data")));
        assertTrue(Files.isDirectory(tmp.resolve("sub/inner")));
    }

    @Test
    void openingTheWrongKindOfEntryFails() throws IOException {
        Files.writeString(tmp.resolve("file"), "x");
        Files.createDirectory(tmp.resolve("dir"));
        root.mknod(b("fifo"), HostStat.S_IFIFO | 0600, 0);
        assertErrno(Errno.ENOTDIR, () -> root.openDirectory(b("file")));
        assertErrno(Errno.ENOENT, () -> root.openDirectory(b("missing")));
        assertErrno(Errno.ENOENT, () -> root.openFile(b("missing"), LibcFiles.O_RDONLY, 0));
        assertErrno(Errno.EISDIR, () -> root.openFile(b("dir"), LibcFiles.O_RDONLY, 0));
        assertErrno(Errno.EISDIR, () -> root.openFile(b("dir"), LibcFiles.O_RDWR, 0));
        // A host FIFO would block an open for reading until a writer came; it is refused at once.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertErrno(Errno.ENXIO, () -> root.openFile(b("fifo"), LibcFiles.O_RDONLY, 0));
            assertErrno(Errno.ENXIO, () -> root.openFile(b("fifo"), LibcFiles.O_WRONLY, 0));
        });
    }

    @Test
    void openFileTruncatesAndAppends() throws IOException {
        Files.writeString(tmp.resolve("f"), "old contents");
        try (HostFile f = root.openFile(b("f"), LibcFiles.O_WRONLY | LibcFiles.O_TRUNC, 0)) {
            assertEquals(0, f.size());
        }
        Files.writeString(tmp.resolve("f"), "abc");
        try (HostFile f = root.openFile(b("f"), LibcFiles.O_WRONLY | LibcFiles.O_APPEND, 0)) {
            assertEquals(LibcFiles.O_APPEND, f.statusFlags() & LibcFiles.O_APPEND);
            f.pwrite(arena.allocateFrom("def", UTF_8).asSlice(0, 3), 0);  // O_APPEND wins over the offset
        }
        assertEquals("abcdef", Files.readString(tmp.resolve("f")));
    }

    @Test
    void renamePlainNoreplaceAndExchangeAcrossDirectories() throws IOException {
        root.mkdir(b("a"), 0755);
        root.mkdir(b("b"), 0755);
        try (HostDirectory a = root.openDirectory(b("a")); HostDirectory bDir = root.openDirectory(b("b"))) {
            Files.writeString(tmp.resolve("a/x"), "x");
            Files.writeString(tmp.resolve("a/f"), "f");
            Files.createDirectory(tmp.resolve("b/d"));
            long fIno = (Long) Files.getAttribute(tmp.resolve("a/f"), "unix:ino");
            long dIno = (Long) Files.getAttribute(tmp.resolve("b/d"), "unix:ino");

            a.rename(b("x"), bDir, b("y"), 0);
            assertEquals("x", Files.readString(tmp.resolve("b/y")));
            assertFalse(Files.exists(tmp.resolve("a/x")));

            assertErrno(Errno.EEXIST, () -> bDir.rename(b("y"), a, b("f"), LibcFiles.RENAME_NOREPLACE));
            assertEquals("f", Files.readString(tmp.resolve("a/f")));

            a.rename(b("f"), bDir, b("d"), LibcFiles.RENAME_EXCHANGE);
            assertEquals(dIno, Files.getAttribute(tmp.resolve("a/f"), "unix:ino"));
            assertTrue(Files.isDirectory(tmp.resolve("a/f")));
            assertEquals(fIno, Files.getAttribute(tmp.resolve("b/d"), "unix:ino"));
            assertEquals("f", Files.readString(tmp.resolve("b/d")));

            assertErrno(Errno.ENOENT, () -> a.rename(b("f"), bDir, b("missing"), LibcFiles.RENAME_EXCHANGE));
            // A plain rename replaces the target, as rename(2) does.
            bDir.rename(b("y"), bDir, b("d"), 0);
            assertEquals("x", Files.readString(tmp.resolve("b/d")));
        }
    }

    @Test
    void hardLinksCountAndShareTheInode() throws IOException {
        Files.writeString(tmp.resolve("f"), "data");
        root.mkdir(b("other"), 0755);
        root.link(b("f"), root, b("g"));
        assertEquals(2, stat("f").nlink());
        try (HostDirectory other = root.openDirectory(b("other"))) {
            root.link(b("g"), other, b("h"));
            assertEquals(3, stat("f").nlink());
            assertEquals(stat("f").ino(), assertInstanceOf(HostLookup.Found.class, other.lookup(b("h"))).stat().ino());
            assertErrno(Errno.EEXIST, () -> root.link(b("f"), other, b("h")));
        }
        root.unlink(b("f"));
        assertEquals(2, stat("g").nlink());
        assertInstanceOf(HostLookup.Missing.class, root.lookup(b("f")));
        assertErrno(Errno.ENOENT, () -> root.link(b("f"), root, b("again")));
    }

    @Test
    void unlinkAndRmdirRefuseTheWrongKind() throws IOException {
        Files.writeString(tmp.resolve("f"), "x");
        Files.createDirectories(tmp.resolve("full/child"));
        Files.createDirectory(tmp.resolve("empty"));
        assertErrno(Errno.ENOTEMPTY, () -> root.rmdir(b("full")));
        assertErrno(Errno.EISDIR, () -> root.unlink(b("empty")));
        assertErrno(Errno.ENOTDIR, () -> root.rmdir(b("f")));
        assertErrno(Errno.ENOENT, () -> root.unlink(b("missing")));
        root.rmdir(b("empty"));
        root.unlink(b("f"));
        assertFalse(Files.exists(tmp.resolve("empty")) || Files.exists(tmp.resolve("f")));
    }

    @Test
    void symlinkKeepsItsTargetBytes() {
        byte[] longTarget = b("a/".repeat(2000) + "end");  // 4003 bytes: past readlink's first buffer
        root.symlink(b("long"), longTarget);
        assertArrayEquals(longTarget, root.readlink(b("long")));
        byte[] odd = {'/', (byte) 0xff, 'x'};
        root.symlink(b("odd"), odd);
        assertArrayEquals(odd, root.readlink(b("odd")));
        assertEquals(odd.length, stat("odd").size());
        assertErrno(Errno.EEXIST, () -> root.symlink(b("odd"), b("x")));
        root.mkdir(b("d"), 0755);
        assertErrno(Errno.EINVAL, () -> root.readlink(b("d")));
    }

    @Test
    void utimensSetsNanosecondsAndHonoursOmitAndNow() throws IOException {
        Files.writeString(tmp.resolve("f"), "x");
        root.utimens(b("f"), 1_000_000_000L, 123_456_789L, 1_500_000_000L, 987_654_321L);
        HostStat st = stat("f");
        assertEquals(1_000_000_000L, st.atimeSec());
        assertEquals(123_456_789L, st.atimeNsec());
        assertEquals(1_500_000_000L, st.mtimeSec());
        assertEquals(987_654_321L, st.mtimeNsec());

        long before = System.currentTimeMillis() / 1000 - 2;
        root.utimens(b("f"), 0, LibcFiles.UTIME_OMIT, 0, LibcFiles.UTIME_NOW);
        st = stat("f");
        assertEquals(1_000_000_000L, st.atimeSec());
        assertEquals(123_456_789L, st.atimeNsec());
        assertTrue(st.mtimeSec() >= before, "mtime is now");
        assertErrno(Errno.EINVAL, () -> root.utimens(b("f"), 0, 1_000_000_000L, 0, 0));
    }

    @Test
    void chmodAndChownOfAChild() throws IOException {
        Files.writeString(tmp.resolve("f"), "x");
        root.chmod(b("f"), 04751);
        assertEquals(04751, stat("f").mode() & 07777);
        root.chmod(b("f"), 0604);
        assertEquals(HostStat.S_IFREG | 0604, stat("f").mode());
        root.chown(b("f"), -1, -1);
        int uid = stat("f").uid();
        if (uid == 0) {  // root may give files away
            root.chown(b("f"), 1234, 5678);
            assertEquals(1234, stat("f").uid());
            assertEquals(5678, stat("f").gid());
        } else {
            assertErrno(Errno.EPERM, () -> root.chown(b("f"), 0, -1));
        }
    }

    @Test
    void statfsDescribesTheHostFileSystem() throws IOException {
        HostStatfs fs = root.statfs();
        assertTrue(fs.blockSize() > 0 && fs.nameMax() > 0, fs.toString());
        assertTrue(fs.blocksAvailable() <= fs.blocksFree() && fs.blocksFree() <= fs.blocks(), fs.toString());
        var store = Files.getFileStore(tmp);
        assertEquals(store.getTotalSpace(), fs.blocks() * fs.fragmentSize());
        root.mkdir(b("sub"), 0755);
        try (HostDirectory sub = root.openDirectory(b("sub"))) {
            HostStatfs same = sub.statfs();
            assertEquals(fs.type(), same.type());
            assertEquals(fs.fsid(), same.fsid());
        }
    }

    @Test
    void aMountRootMayBeReachedThroughASymlink() throws IOException {
        Files.createDirectory(tmp.resolve("real"));
        Files.createSymbolicLink(tmp.resolve("alias"), Path.of("real"));
        try (HostDirectory d = HostDirectory.open(tmp.resolve("alias"))) {
            assertEquals(Files.getAttribute(tmp.resolve("real"), "unix:ino"), d.stat().ino());
        }
        assertErrno(Errno.ENOENT, () -> HostDirectory.open(tmp.resolve("missing")));
        Files.writeString(tmp.resolve("file"), "x");
        assertErrno(Errno.ENOTDIR, () -> HostDirectory.open(tmp.resolve("file")));
    }

    @Test
    void aClosedDirectoryAnswersEbadf() {
        HostDirectory d = HostDirectory.open(tmp);
        d.close();
        d.close();
        assertErrno(Errno.EBADF, () -> d.lookup(b("x")));
        assertErrno(Errno.EBADF, d::readdir);
        assertErrno(Errno.EBADF, () -> root.rename(b("x"), d, b("y"), 0));
    }
}
