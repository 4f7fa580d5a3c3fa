package dev.jux.fs.hostfs;

import static org.junit.jupiter.api.Assertions.*;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.fs.Stat;
import dev.jux.fs.vfs.Attributes;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.FsCredentials;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Mount;
import dev.jux.fs.vfs.Namespace;
import dev.jux.fs.vfs.Opener;
import dev.jux.fs.vfs.PathWalker;
import dev.jux.fs.vfs.VfsFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** hostfs over a real host directory, through the VFS as the system calls use it. */
class HostFsTest {
    @TempDir
    Path tmp;
    Path dir;
    Path canary;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectory(tmp.resolve("root"));
        canary = Files.writeString(tmp.resolve("canary"), "secret\n");
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/file"), "hello\n");
        Files.createSymbolicLink(dir.resolve("rel"), Path.of("a/file"));
        Files.createSymbolicLink(dir.resolve("abs"), Path.of("/a/file"));
        Files.createSymbolicLink(dir.resolve("up"), Path.of("../canary"));
        Files.createSymbolicLink(dir.resolve("slash"), Path.of("/"));
        Files.createSymbolicLink(dir.resolve("hostcanary"), canary);
        Files.createLink(dir.resolve("hard"), dir.resolve("a/file"));
    }

    private static ByteString n(String s) {
        return ByteString.of(s);
    }

    private record Guest(Mount mount, PathWalker walker) {
        Location resolve(String path, boolean follow) {
            return walker.resolve(mount.rootLocation(), n(path), follow);
        }

        String read(String path) {
            VfsFile f = (VfsFile) Opener.open(walker, mount.rootLocation(), n(path), OpenFlags.O_RDONLY, 0);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(4096);
                long len = f.pread(buf, 0);
                return new String(buf.asSlice(0, len).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
            }
        }

        void write(String path, String text, int flags) {
            VfsFile f = (VfsFile) Opener.open(walker, mount.rootLocation(), n(path), OpenFlags.O_WRONLY | flags, 0644);
            try (Arena a = Arena.ofConfined()) {
                f.pwrite(a.allocateFrom(text, StandardCharsets.UTF_8).asSlice(0, text.length()), 0);
            }
        }
    }

    private Guest guest(boolean readOnly) {
        Mount m = Mount.root(HostFs.open(dir, readOnly));
        return new Guest(m, new PathWalker(m.rootLocation(), FsCredentials.ROOT));
    }

    private static LinuxException fails(Errno errno, Runnable r) {
        LinuxException e = assertThrows(LinuxException.class, r::run);
        assertEquals(errno, e.errno(), e.getMessage());
        return e;
    }

    @Test
    void statValuesAreTheHosts() throws IOException {
        Guest g = guest(true);
        for (String p : List.of("a", "a/file", "rel", "a/b")) {
            Stat s = g.resolve(p, false).inode().stat();
            Map<String, Object> host = Files.readAttributes(dir.resolve(p), "unix:*", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            assertEquals(((Number) host.get("ino")).longValue(), s.ino(), p);
            assertEquals(host.get("mode"), s.mode(), p);
            assertEquals(host.get("uid"), s.uid(), p);
            assertEquals(host.get("gid"), s.gid(), p);
            assertEquals(((Number) host.get("nlink")).longValue(), s.nlink(), p);
            assertEquals(host.get("size"), s.size(), p);
            FileTime mtime = (FileTime) host.get("lastModifiedTime");
            assertEquals(mtime.to(java.util.concurrent.TimeUnit.NANOSECONDS), s.mtimeSec() * 1_000_000_000L + s.mtimeNsec(), p);
        }
        assertEquals(g.mount().fileSystem().dev(), g.resolve("a", false).inode().stat().dev());
    }

    @Test
    void readdirListsTheHostsEntriesInTheHostsOrder() throws IOException {
        Guest g = guest(true);
        Inode root = g.mount().rootLocation().inode();
        List<String> names = new ArrayList<>();
        root.readdir(0, root.ino(), (name, ino, type, next) -> names.add(name.toString()));
        List<String> host = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.forEach(p -> host.add(p.getFileName().toString()));
        }
        assertEquals(".", names.get(0));
        assertEquals("..", names.get(1));
        assertEquals(host, names.subList(2, names.size()));
        // Resuming from each position gives the rest.
        List<Long> offs = new ArrayList<>();
        root.readdir(0, root.ino(), (name, ino, type, next) -> offs.add(next));
        List<String> rest = new ArrayList<>();
        root.readdir(offs.get(3), root.ino(), (name, ino, type, next) -> rest.add(name.toString()));
        assertEquals(names.subList(4, names.size()), rest);
    }

    @Test
    void symlinksAreReturnedNotFollowedAndResolveInTheGuest() {
        Guest g = guest(true);
        Inode rel = g.resolve("rel", false).inode();
        assertTrue(rel.isSymlink());
        assertEquals("a/file", rel.readlink().toString());
        assertEquals("hello\n", g.read("rel"));
        assertEquals("hello\n", g.read("abs"));  // "/" is the guest's root, not the host's
        assertSame(g.mount().rootLocation().inode(), g.resolve("slash", true).inode());
        assertSame(g.mount().rootLocation().inode(), g.resolve("slash/..", true).inode());
        fails(Errno.ENOENT, () -> g.read("up"));            // ../canary from the root is /canary
        fails(Errno.ENOENT, () -> g.read("hostcanary"));    // the host path does not exist in the guest
        fails(Errno.ENOENT, () -> g.read("../../../canary"));
        fails(Errno.ENOENT, () -> g.read("a/../../canary"));
    }

    @Test
    void hardLinksShareOneInode() {
        Guest g = guest(true);
        Inode a = g.resolve("a/file", false).inode(), b = g.resolve("hard", false).inode();
        assertSame(a, b);
        assertEquals(2, a.stat().nlink());
    }

    @Test
    void writesReachTheHostInReadWriteMode() throws IOException {
        Guest g = guest(false);
        g.write("a/new", "data", OpenFlags.O_CREAT | OpenFlags.O_EXCL);
        assertEquals("data", Files.readString(dir.resolve("a/new")));
        g.write("a/file", "HE", 0);
        assertEquals("HEllo\n", Files.readString(dir.resolve("a/file")));
        Namespace.mkdir(g.walker(), g.mount().rootLocation(), n("d"), 0750);
        assertTrue(Files.isDirectory(dir.resolve("d")));
        Namespace.symlink(g.walker(), n("/x"), g.mount().rootLocation(), n("d/s"));
        assertEquals("/x", Files.readSymbolicLink(dir.resolve("d/s")).toString());
        Namespace.link(g.walker(), g.resolve("a/new", false), g.mount().rootLocation(), n("d/l"));
        assertEquals(Files.getAttribute(dir.resolve("a/new"), "unix:ino"), Files.getAttribute(dir.resolve("d/l"), "unix:ino"));
        Namespace.rename(g.walker(), g.mount().rootLocation(), n("d/l"), g.mount().rootLocation(), n("moved"), 0);
        assertTrue(Files.exists(dir.resolve("moved")));
        Namespace.unlink(g.walker(), g.mount().rootLocation(), n("moved"));
        assertFalse(Files.exists(dir.resolve("moved")));
        Attributes.chmod(FsCredentials.ROOT, g.resolve("a/new", false), 0600);
        assertEquals(0600, (int) Files.getAttribute(dir.resolve("a/new"), "unix:mode") & 07777);
        Attributes.utimes(FsCredentials.ROOT, g.resolve("a/new", false), new long[] {5, 0, 7, 0});
        assertEquals(7000, Files.getLastModifiedTime(dir.resolve("a/new")).toMillis());
        Attributes.truncate(FsCredentials.ROOT, g.resolve("a/new", false), 2);
        assertEquals("da", Files.readString(dir.resolve("a/new")));
        g.resolve("a/new", false).inode().allocate(0, 100, false);
        assertEquals(100, Files.size(dir.resolve("a/new")));
        Namespace.rmdir(g.walker(), g.mount().rootLocation(), n("a/b"));
        assertFalse(Files.exists(dir.resolve("a/b")));
        assertEquals("secret\n", Files.readString(canary));
    }

    @Test
    void everyChangeIsErofsInReadOnlyMode() throws IOException {
        Guest g = guest(true);
        Location root = g.mount().rootLocation();
        fails(Errno.EROFS, () -> g.write("a/file", "x", 0));
        fails(Errno.EROFS, () -> g.write("a/new", "x", OpenFlags.O_CREAT));
        fails(Errno.EROFS, () -> Namespace.mkdir(g.walker(), root, n("d"), 0755));
        fails(Errno.EROFS, () -> Namespace.unlink(g.walker(), root, n("a/file")));
        fails(Errno.EROFS, () -> Namespace.rename(g.walker(), root, n("a/file"), root, n("x"), 0));
        fails(Errno.EROFS, () -> Namespace.symlink(g.walker(), n("t"), root, n("s")));
        fails(Errno.EROFS, () -> Namespace.link(g.walker(), g.resolve("a/file", false), root, n("l")));
        fails(Errno.EROFS, () -> Attributes.chmod(FsCredentials.ROOT, g.resolve("a/file", false), 0));
        fails(Errno.EROFS, () -> Attributes.truncate(FsCredentials.ROOT, g.resolve("a/file", false), 0));
        // Below the VFS too: the inode itself refuses.
        Inode f = g.resolve("a/file", false).inode();
        fails(Errno.EROFS, () -> f.truncate(0));
        try (Arena a = Arena.ofConfined()) {
            fails(Errno.EROFS, () -> f.write(0, a.allocate(1)));
        }
        assertEquals("hello\n", Files.readString(dir.resolve("a/file")));
    }

    @Test
    void changesMadeOnTheHostAreSeen() throws IOException {
        Guest g = guest(true);
        assertEquals("hello\n", g.read("a/file"));
        Files.move(dir.resolve("a/file"), dir.resolve("a/renamed"));
        fails(Errno.ENOENT, () -> g.read("a/file"));
        assertEquals("hello\n", g.read("a/renamed"));
        Files.writeString(dir.resolve("a/file"), "other\n");
        assertEquals("other\n", g.read("a/file"));
        Files.delete(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b"), "now a file\n");
        assertTrue(g.resolve("a/b", false).inode().isRegular());
        // A directory the host replaced by a symlink to outside is a guest symlink, resolved in the guest.
        Files.delete(dir.resolve("a/b"));
        Files.createSymbolicLink(dir.resolve("a/b"), tmp);
        fails(Errno.ENOENT, () -> g.read("a/b/canary"));
    }

    @Test
    void aSingleFileCanBeMounted() throws IOException {
        Mount m = Mount.root(HostFs.open(dir.resolve("a/file"), true));
        assertTrue(m.rootLocation().inode().isRegular());
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(16);
            assertEquals(6, m.rootLocation().inode().read(0, buf));
        }
    }
}
