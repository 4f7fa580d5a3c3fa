package dev.jux.host;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarantee hostfs rests on: nothing a HostDirectory does follows a host symlink or takes
 * more than one path component, so nothing reaches outside the directory it holds. The mount
 * is tmp/mount; tmp/outside stands for the rest of the host.
 */
class HostDirectorySafetyTest {
    @TempDir
    Path tmp;

    private Path mount, outside, secret, outsideDir;
    private HostDirectory root;

    /** Symlinks in the mount that lead out of it, by name. */
    private Map<String, String> escapes;

    @BeforeEach
    void setUp() throws IOException {
        mount = Files.createDirectory(tmp.resolve("mount"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        secret = Files.writeString(outside.resolve("secret"), "secret");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        outsideDir = Files.createDirectory(outside.resolve("dir"));
        escapes = Map.of(
                "abs", "/etc",
                "rel", "../..",
                "toSecret", secret.toString(),
                "toSecretRel", "../outside/secret",
                "toDir", "../outside/dir",
                "dangling", "../outside/new");
        for (var e : escapes.entrySet()) Files.createSymbolicLink(mount.resolve(e.getKey()), Path.of(e.getValue()));
        root = HostDirectory.open(mount);
    }

    /** Removes the mount's symlinks first: JUnit warns about each one leading out of @TempDir. */
    @AfterEach
    void tearDown() throws IOException {
        root.close();
        try (var paths = Files.walk(mount)) {
            for (Path p : paths.filter(Files::isSymbolicLink).toList()) Files.delete(p);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static int errno(Runnable op) {
        return assertThrows(HostException.class, op::run).errno();
    }

    private static void assertErrno(Errno expected, Runnable op) {
        assertEquals(expected.number(), errno(op));
    }

    private static void assertLoopOrNotDir(Runnable op) {
        int e = errno(op);
        assertTrue(e == Errno.ELOOP.number() || e == Errno.ENOTDIR.number(), "errno " + e);
    }

    @Test
    void lookupReportsEachEscapingSymlinkAsASymlink() {
        for (var e : escapes.entrySet()) {
            HostStat st = assertInstanceOf(HostLookup.Found.class, root.lookup(b(e.getKey()))).stat();
            assertTrue(st.isSymlink(), e.getKey());
            assertEquals(e.getValue().length(), st.size(), "a symlink's size is its target's length");
            assertArrayEquals(b(e.getValue()), root.readlink(b(e.getKey())));
        }
    }

    @Test
    void openDirectoryNeverFollowsASymlink() {
        for (String name : escapes.keySet()) assertLoopOrNotDir(() -> root.openDirectory(b(name)));
    }

    @Test
    void openFileNeverFollowsASymlink() throws IOException {
        int[] modes = {LibcFiles.O_RDONLY, LibcFiles.O_RDWR, LibcFiles.O_WRONLY | LibcFiles.O_TRUNC,
            LibcFiles.O_WRONLY | LibcFiles.O_CREAT, LibcFiles.O_WRONLY | LibcFiles.O_APPEND};
        for (String name : escapes.keySet()) {
            for (int flags : modes) assertErrno(Errno.ELOOP, () -> root.openFile(b(name), flags, 0644));
        }
        assertEquals("secret", Files.readString(secret));
        // O_CREAT never creates through a dangling symlink; with O_EXCL the symlink simply exists.
        assertErrno(Errno.EEXIST, () -> root.openFile(b("dangling"), LibcFiles.O_WRONLY | LibcFiles.O_CREAT | LibcFiles.O_EXCL, 0644));
        assertFalse(Files.exists(outside.resolve("new"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void readdirListsSymlinksWithoutDescending() {
        List<HostDirEntry> entries = root.readdir();
        assertEquals(escapes.keySet(), entries.stream().map(HostDirEntry::nameString).collect(Collectors.toSet()));
        for (HostDirEntry e : entries) assertEquals(HostDirEntry.DT_LNK, e.type(), e.nameString());
    }

    @Test
    void changingAnEntryChangesTheSymlinkNeverItsTarget() throws IOException {
        Object secretOwner = Files.getAttribute(secret, "unix:uid");
        FileTime secretMtime = Files.getLastModifiedTime(secret);

        // Linux cannot change a symlink's mode; the host's answer is EOPNOTSUPP, the target keeps 0600.
        assertErrno(Errno.EOPNOTSUPP, () -> root.chmod(b("toSecret"), 0777));
        assertErrno(Errno.EOPNOTSUPP, () -> root.chmod(b("toSecretRel"), 0777));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));

        root.utimens(b("toSecret"), 1_000_000_000L, 5, 1_000_000_000L, 7);
        assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(mount.resolve("toSecret"), LinkOption.NOFOLLOW_LINKS).toMillis());
        assertEquals(secretMtime, Files.getLastModifiedTime(secret));

        int me = (Integer) Files.getAttribute(mount, "unix:uid");
        int newOwner = me == 0 ? 12345 : me;  // only root may give a file away
        root.chown(b("toSecret"), newOwner, -1);
        assertEquals(newOwner, Files.getAttribute(mount.resolve("toSecret"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(secretOwner, Files.getAttribute(secret, "unix:uid"));
    }

    @Test
    void creatingOverASymlinkFailsAndCreatesNothingOutside() throws IOException {
        assertErrno(Errno.EEXIST, () -> root.mkdir(b("toDir"), 0755));
        assertErrno(Errno.EEXIST, () -> root.mkdir(b("dangling"), 0755));
        assertErrno(Errno.EEXIST, () -> root.mknod(b("dangling"), HostStat.S_IFIFO | 0600, 0));
        assertErrno(Errno.EEXIST, () -> root.symlink(b("dangling"), b("x")));
        assertErrno(Errno.EEXIST, () -> root.link(b("abs"), root, b("dangling")));
        assertFalse(Files.exists(outside.resolve("new"), LinkOption.NOFOLLOW_LINKS));
        try (var s = Files.list(outsideDir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void removingAndMovingASymlinkLeavesItsTargetAlone() throws IOException {
        assertErrno(Errno.ENOTDIR, () -> root.rmdir(b("toDir")));
        root.unlink(b("toSecret"));
        assertFalse(Files.exists(mount.resolve("toSecret"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("secret", Files.readString(secret));

        // A hard link to a symlink is another name for the symlink (linkat without AT_SYMLINK_FOLLOW).
        root.link(b("toDir"), root, b("hard"));
        HostStat hard = assertInstanceOf(HostLookup.Found.class, root.lookup(b("hard"))).stat();
        assertTrue(hard.isSymlink());
        assertEquals(2, hard.nlink());
        assertEquals(2L, ((Number) Files.getAttribute(outsideDir, "unix:nlink")).longValue(), "the target's links are untouched");

        root.rename(b("toDir"), root, b("moved"), 0);
        assertTrue(Files.isSymbolicLink(mount.resolve("moved")));
        assertTrue(Files.isDirectory(outsideDir, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void namesThatAreNotOneComponentAreRefused() {
        List<String> bad = List.of("a/b", "/", "/etc", "..", ".", "", "../x", "x/..", "a\0b", "sub/");
        Map<String, Consumer<byte[]>> ops = Map.ofEntries(
                Map.entry("lookup", n -> root.lookup(n)),
                Map.entry("openDirectory", n -> root.openDirectory(n)),
                Map.entry("openFile", n -> root.openFile(n, LibcFiles.O_RDONLY, 0)),
                Map.entry("readlink", n -> root.readlink(n)),
                Map.entry("mkdir", n -> root.mkdir(n, 0755)),
                Map.entry("mknod", n -> root.mknod(n, HostStat.S_IFIFO | 0600, 0)),
                Map.entry("symlink", n -> root.symlink(n, b("target"))),
                Map.entry("link from", n -> root.link(n, root, b("new"))),
                Map.entry("link to", n -> root.link(b("abs"), root, n)),
                Map.entry("unlink", n -> root.unlink(n)),
                Map.entry("rmdir", n -> root.rmdir(n)),
                Map.entry("rename from", n -> root.rename(n, root, b("new"), 0)),
                Map.entry("rename to", n -> root.rename(b("abs"), root, n, 0)),
                Map.entry("chmod", n -> root.chmod(n, 0644)),
                Map.entry("chown", n -> root.chown(n, -1, -1)),
                Map.entry("utimens", n -> root.utimens(n, 0, LibcFiles.UTIME_NOW, 0, LibcFiles.UTIME_NOW)));
        for (String name : bad) {
            for (var op : ops.entrySet()) {
                assertThrows(IllegalArgumentException.class, () -> op.getValue().accept(b(name)), op.getKey() + " \"" + name + "\"");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> root.symlink(b("l"), b("a\0/etc")));
        for (int flags : new int[] {LibcFiles.O_PATH, LibcFiles.O_DIRECTORY, LibcFiles.O_TMPFILE | LibcFiles.O_RDWR}) {
            assertThrows(IllegalArgumentException.class, () -> root.openFile(b("abs"), flags, 0));
        }
        assertTrue(Files.exists(mount.resolve("abs"), LinkOption.NOFOLLOW_LINKS), "nothing was renamed or removed");
    }

    @Test
    void aDirectoryReplacedByASymlinkAfterLookupIsNotOpened() throws IOException {
        Files.createDirectory(mount.resolve("d"));
        Files.writeString(mount.resolve("f"), "inside");
        assertTrue(assertInstanceOf(HostLookup.Found.class, root.lookup(b("d"))).stat().isDirectory());
        assertTrue(assertInstanceOf(HostLookup.Found.class, root.lookup(b("f"))).stat().isRegularFile());

        // Another host process swaps both for symlinks to the outside before hostfs opens them.
        Files.move(mount.resolve("d"), mount.resolve("d.old"));
        Files.createSymbolicLink(mount.resolve("d"), outsideDir);
        Files.move(mount.resolve("f"), mount.resolve("f.old"));
        Files.createSymbolicLink(mount.resolve("f"), secret);

        assertLoopOrNotDir(() -> root.openDirectory(b("d")));
        assertErrno(Errno.ELOOP, () -> root.openFile(b("f"), LibcFiles.O_RDWR | LibcFiles.O_TRUNC, 0));
        assertEquals("secret", Files.readString(secret));
    }

    @Test
    void anOpenedDirectoryFollowsItsInodeNotItsName() throws IOException {
        Files.createDirectory(mount.resolve("d"));
        try (HostDirectory d = root.openDirectory(b("d"))) {
            Files.move(mount.resolve("d"), mount.resolve("d.old"));
            Files.createSymbolicLink(mount.resolve("d"), outsideDir);
            d.mkdir(b("made"), 0755);
        }
        assertTrue(Files.isDirectory(mount.resolve("d.old/made")));
        try (var s = Files.list(outsideDir)) {
            assertEquals(0, s.count());
        }
    }

    /**
     * A host thread keeps swapping "d" (a real directory) and "f" (a real file) with symlinks to
     * the outside, atomically (RENAME_EXCHANGE), while opens run. Every open either fails or
     * gets the real one: never the outside.
     */
    @Test
    void racingSwapsNeverLetAnOpenEscape() throws Exception {
        Files.createDirectory(mount.resolve("d"));
        Files.writeString(mount.resolve("f"), "inside");
        Files.createSymbolicLink(mount.resolve("dLink"), outsideDir);
        Files.createSymbolicLink(mount.resolve("fLink"), secret);
        long realDir = (Long) Files.getAttribute(mount.resolve("d"), "unix:ino");
        long realFile = (Long) Files.getAttribute(mount.resolve("f"), "unix:ino");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> swapFailure = new AtomicReference<>();
        Thread swapper = new Thread(() -> {
            try (HostDirectory mine = HostDirectory.open(mount)) {
                while (!stop.get()) {
                    mine.rename(b("d"), mine, b("dLink"), LibcFiles.RENAME_EXCHANGE);
                    mine.rename(b("f"), mine, b("fLink"), LibcFiles.RENAME_EXCHANGE);
                }
            } catch (Throwable t) {
                swapFailure.set(t);
            }
        });
        swapper.start();
        int dirOpens = 0, fileOpens = 0, refused = 0;
        Set<Integer> allowed = Set.of(Errno.ELOOP.number(), Errno.ENOTDIR.number());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16);
            long deadline = System.nanoTime() + 500_000_000L;
            for (int i = 0; i < 200_000 && System.nanoTime() < deadline; i++) {
                try (HostDirectory d = root.openDirectory(b("d"))) {
                    assertEquals(realDir, d.stat().ino());
                    dirOpens++;
                } catch (HostException e) {
                    assertTrue(allowed.contains(e.errno()), "errno " + e.errno());
                    refused++;
                }
                try (HostFile f = root.openFile(b("f"), LibcFiles.O_RDONLY, 0)) {
                    assertEquals(realFile, f.stat().ino());
                    assertEquals("inside", new String(buf.asSlice(0, f.pread(buf, 0)).toArray(JAVA_BYTE), UTF_8));
                    fileOpens++;
                } catch (HostException e) {
                    assertEquals(Errno.ELOOP.number(), e.errno());
                    refused++;
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        assertNull(swapFailure.get());
        assertTrue(dirOpens > 0 && fileOpens > 0 && refused > 0,
                "the race was exercised: " + dirOpens + " dir, " + fileOpens + " file opens, " + refused + " refused");
        assertEquals("secret", Files.readString(secret));
    }
}
