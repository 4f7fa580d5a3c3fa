package dev.jux.fs.overlay;

import static dev.jux.abi.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import dev.jux.fs.Stat;
import dev.jux.fs.tmpfs.TmpFs;
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
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The overlay over a pre-populated tmpfs lower layer, through the VFS operations the system calls use. */
class OverlayFsTest {
    private TmpFs lowerFs;
    private OverlayFs ofs;
    private Location root;
    private PathWalker w;

    static ByteString n(String s) {
        return ByteString.of(s);
    }

    /** The lower layer: /etc/passwd, /etc/hosts, /bin/sh -> busybox, /bin/busybox (0755), /data/a/x, /empty, /usr/lib/y. */
    static TmpFs lowerTree() {
        TmpFs fs = new TmpFs(0755, 0, 0);
        Inode r = fs.root();
        Inode etc = r.mkdir(n("etc"), 0755, 0, 0);
        file(etc, "passwd", 0644, "root:x:0:0\n");
        file(etc, "hosts", 0600, "127.0.0.1 localhost\n");
        Inode bin = r.mkdir(n("bin"), 0755, 0, 0);
        file(bin, "busybox", 0755, "ELF...");
        bin.symlink(n("sh"), n("busybox"), 0, 0);
        Inode data = r.mkdir(n("data"), 0750, 1000, 1000);
        Inode a = data.mkdir(n("a"), 0700, 1000, 1000);
        file(a, "x", 0640, "xx").setOwner(1000, 1000);
        r.mkdir(n("empty"), 0755, 0, 0);
        Inode usr = r.mkdir(n("usr"), 0755, 0, 0);
        Inode lib = usr.mkdir(n("lib"), 0755, 0, 0);
        file(lib, "y", 0644, "y");
        return fs;
    }

    static Inode file(Inode dir, String name, int mode, String content) {
        Inode f = dir.create(n(name), FileMode.S_IFREG | mode, 0, 0, 0);
        f.write(0, MemorySegment.ofArray(content.getBytes(StandardCharsets.ISO_8859_1)));
        return f;
    }

    @BeforeEach
    void setUp() {
        lowerFs = lowerTree();
        ofs = OverlayFs.over(lowerFs);
        root = Mount.root(ofs).rootLocation();
        w = new PathWalker(root, FsCredentials.ROOT);
    }

    private Location at(String path) {
        return w.resolve(root, n(path), false);
    }

    private Inode lowerAt(String path) {
        Inode i = lowerFs.root();
        for (String c : path.substring(1).split("/")) i = i.lookup(n(c));
        return i;
    }

    private Inode upperAt(String path) {
        Inode i = ofs.upperLayer().root();
        for (String c : path.substring(1).split("/")) {
            if (i == null) return null;
            i = i.lookup(n(c));
        }
        return i;
    }

    private String read(String path) {
        VfsFile f = (VfsFile) Opener.open(w, root, n(path), O_RDONLY, 0);
        byte[] b = new byte[4096];
        long k = f.pread(MemorySegment.ofArray(b), 0);
        return new String(b, 0, (int) k, StandardCharsets.ISO_8859_1);
    }

    private static String content(Inode i) {
        byte[] b = new byte[(int) i.size()];
        i.read(0, MemorySegment.ofArray(b));
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private void write(String path, int flags, String s) {
        VfsFile f = (VfsFile) Opener.open(w, root, n(path), flags, 0644);
        f.write(null, MemorySegment.ofArray(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private List<String> list(String path) {
        VfsFile f = (VfsFile) Opener.open(w, root, n(path), O_RDONLY | O_DIRECTORY, 0);
        List<String> names = new ArrayList<>();
        f.readdir((name, ino, type, next) -> names.add(name.toString()));
        return names;
    }

    private static void fails(Errno e, Executable x) {
        LinuxException ex = assertThrows(LinuxException.class, x);
        assertEquals(e, ex.errno());
    }

    private static boolean isWhiteout(Inode i) {
        return i != null && i.type() == FileMode.S_IFCHR && i.stat().rdev() == 0;
    }

    @Test
    void readsThroughWithoutCopyingUp() {
        assertEquals("root:x:0:0\n", read("/etc/passwd"));
        Stat s = at("/etc/hosts").inode().stat();
        Stat l = lowerAt("/etc/hosts").stat();
        assertEquals(FileMode.S_IFREG | 0600, s.mode());
        assertEquals(l.ino(), s.ino());
        assertEquals(l.dev(), s.dev());
        assertEquals(l.mtimeSec(), s.mtimeSec());
        assertEquals(1000, at("/data").inode().uid());
        assertEquals("xx", read("/data/a/x"));
        assertNull(upperAt("/etc"), "reading copies nothing up");
        assertTrue(ofs.upperLayer().root().isEmptyDirectory());
    }

    @Test
    void symlinksReadThrough() {
        assertEquals("busybox", at("/bin/sh").inode().readlink().toString());
        assertEquals("ELF...", read("/bin/sh"));
        assertSame(at("/bin/busybox").inode(), w.resolve(root, n("/bin/sh"), true).inode());
    }

    @Test
    void writeCopiesUpContentModeOwnerAndParents() {
        Inode before = at("/data/a/x").inode();
        long ino = before.ino();
        VfsFile f = (VfsFile) Opener.open(w, root, n("/data/a/x"), O_WRONLY, 0);
        f.pwrite(MemorySegment.ofArray("X".getBytes()), 0);
        assertEquals("Xx", read("/data/a/x"));
        assertEquals("xx", content(lowerAt("/data/a/x")), "the lower file never changes");
        Inode up = upperAt("/data/a/x");
        assertEquals("Xx", content(up));
        assertEquals(FileMode.S_IFREG | 0640, up.mode());
        // The parents came up with their mode and owner.
        assertEquals(FileMode.S_IFDIR | 0750, upperAt("/data").mode());
        assertEquals(1000, upperAt("/data").uid());
        assertEquals(FileMode.S_IFDIR | 0700, upperAt("/data/a").mode());
        assertEquals(lowerAt("/data/a").stat().mtimeNsec(), upperAt("/data/a").stat().mtimeNsec());
        // The same overlay inode, with the origin's number, before and after copy-up.
        assertSame(before, at("/data/a/x").inode());
        assertEquals(ino, at("/data/a/x").inode().stat().ino());
        assertEquals(lowerAt("/data/a/x").stat().dev(), at("/data/a/x").inode().stat().dev());
    }

    @Test
    void truncateAndMetadataChangesCopyUp() {
        write("/etc/passwd", O_WRONLY | O_TRUNC, "new\n");
        assertEquals("new\n", read("/etc/passwd"));
        assertEquals("root:x:0:0\n", content(lowerAt("/etc/passwd")));
        Attributes.chmod(FsCredentials.ROOT, at("/etc/hosts"), 0644);
        assertEquals(FileMode.S_IFREG | 0644, at("/etc/hosts").inode().mode());
        assertEquals(FileMode.S_IFREG | 0600, lowerAt("/etc/hosts").mode());
        assertEquals("127.0.0.1 localhost\n", content(upperAt("/etc/hosts")), "chmod copies the data too");
        Attributes.chown(FsCredentials.ROOT, at("/usr/lib/y"), 5, 6);
        assertEquals(5, upperAt("/usr/lib/y").uid());
        assertEquals(0, lowerAt("/usr/lib/y").uid());
        Attributes.utimes(FsCredentials.ROOT, at("/bin/busybox"), new long[] {1, 0, 2, 0});
        assertEquals(2, at("/bin/busybox").inode().stat().mtimeSec());
        assertNotEquals(2, lowerAt("/bin/busybox").stat().mtimeSec());
    }

    @Test
    void unlinkAndRmdirLeaveWhiteouts() {
        Namespace.unlink(w, root, n("/etc/passwd"));
        fails(Errno.ENOENT, () -> at("/etc/passwd"));
        assertTrue(isWhiteout(upperAt("/etc/passwd")));
        assertNotNull(lowerAt("/etc/passwd"));
        assertEquals(List.of(".", "..", "hosts"), list("/etc"));
        Namespace.rmdir(w, root, n("/empty"));
        fails(Errno.ENOENT, () -> at("/empty"));
        assertTrue(isWhiteout(upperAt("/empty")));
        // A file created in the overlay and removed leaves nothing.
        write("/tmpfile", O_WRONLY | O_CREAT, "t");
        Namespace.unlink(w, root, n("/tmpfile"));
        assertNull(upperAt("/tmpfile"));
        // Re-creating over a whiteout replaces it.
        write("/etc/passwd", O_WRONLY | O_CREAT, "again");
        assertEquals("again", read("/etc/passwd"));
        assertEquals(FileMode.S_IFREG, upperAt("/etc/passwd").type());
    }

    @Test
    void rmdirOfAMergedDirectoryNeedsItEmptyInTheMergedView() {
        fails(Errno.ENOTEMPTY, () -> Namespace.rmdir(w, root, n("/data/a")));
        Namespace.unlink(w, root, n("/data/a/x"));
        // The upper /data/a holds only a whiteout: empty in the merged view.
        assertTrue(isWhiteout(upperAt("/data/a/x")));
        Namespace.rmdir(w, root, n("/data/a"));
        assertTrue(isWhiteout(upperAt("/data/a")));
        fails(Errno.ENOTEMPTY, () -> Namespace.rmdir(w, root, n("/usr")));
    }

    @Test
    void mkdirAfterRmdirIsOpaque() {
        Namespace.unlink(w, root, n("/usr/lib/y"));
        Namespace.rmdir(w, root, n("/usr/lib"));
        Namespace.mkdir(w, root, n("/usr/lib"), 0700);
        assertEquals(List.of(".", ".."), list("/usr/lib"));
        fails(Errno.ENOENT, () -> at("/usr/lib/y"));
        assertTrue(ofs.isOpaque(upperAt("/usr/lib")));
        assertEquals(FileMode.S_IFDIR | 0700, at("/usr/lib").inode().mode());
        // A plain copied-up directory is not opaque.
        assertFalse(ofs.isOpaque(upperAt("/usr")));
    }

    @Test
    void readdirMergesWithoutDuplicates() {
        write("/etc/passwd", O_WRONLY | O_APPEND, "more\n"); // copied up: in both layers
        write("/etc/new", O_WRONLY | O_CREAT, "n");
        Namespace.symlink(w, n("hosts"), root, n("/etc/h"));
        List<String> names = list("/etc");
        assertEquals(List.of(".", "..", "passwd", "new", "h", "hosts"), names);
        // d_ino matches st_ino for every entry.
        VfsFile f = (VfsFile) Opener.open(w, root, n("/etc"), O_RDONLY | O_DIRECTORY, 0);
        f.readdir((name, ino, type, next) -> {
            if (name.toString().startsWith(".")) return true;
            Inode i = at("/etc/" + name).inode();
            assertEquals(i.stat().ino(), ino, name.toString());
            assertEquals(i.type() >> 12, type);
            return true;
        });
        assertEquals(new TreeSet<>(List.of(".", "..", "bin", "data", "empty", "etc", "usr")), new TreeSet<>(list("/")));
    }

    @Test
    void readdirResumesAcrossBothLayers() {
        for (int k = 0; k < 5; k++) write("/usr/lib/u" + k, O_WRONLY | O_CREAT, "");
        for (int k = 0; k < 5; k++) file(lowerAt("/usr/lib"), "l" + k, 0644, "");
        VfsFile f = (VfsFile) Opener.open(w, root, n("/usr/lib"), O_RDONLY | O_DIRECTORY, 0);
        List<String> names = new ArrayList<>();
        while (true) {
            int[] got = {0};
            f.readdir((name, ino, type, next) -> {
                if (got[0] == 2) return false;
                got[0]++;
                names.add(name.toString());
                return true;
            });
            if (got[0] == 0) break;
        }
        assertEquals(List.of(".", "..", "u0", "u1", "u2", "u3", "u4", "y", "l0", "l1", "l2", "l3", "l4"), names);
    }

    @Test
    void renameOfALowerDirectoryIsExdev() {
        fails(Errno.EXDEV, () -> Namespace.rename(w, root, n("/data"), root, n("/data2"), 0));
        fails(Errno.EXDEV, () -> Namespace.rename(w, root, n("/empty"), root, n("/e2"), 0));
        // A directory made in the overlay moves; over a lower (empty) directory it becomes opaque.
        Namespace.mkdir(w, root, n("/mine"), 0755);
        write("/mine/f", O_WRONLY | O_CREAT, "m");
        Namespace.rename(w, root, n("/mine"), root, n("/empty"), 0);
        assertEquals(List.of(".", "..", "f"), list("/empty"));
        assertTrue(ofs.isOpaque(upperAt("/empty")));
        fails(Errno.ENOENT, () -> at("/mine"));
    }

    @Test
    void renameOfLowerFilesCopiesUpAndWhitesOut() {
        Namespace.rename(w, root, n("/etc/hosts"), root, n("/usr/hosts"), 0);
        assertEquals("127.0.0.1 localhost\n", read("/usr/hosts"));
        fails(Errno.ENOENT, () -> at("/etc/hosts"));
        assertTrue(isWhiteout(upperAt("/etc/hosts")));
        assertEquals(lowerAt("/etc/hosts").ino(), at("/usr/hosts").inode().stat().ino());
        // Over another lower file: it is replaced, the old name is whited out.
        Namespace.rename(w, root, n("/etc/passwd"), root, n("/usr/lib/y"), 0);
        assertEquals("root:x:0:0\n", read("/usr/lib/y"));
        assertEquals(List.of(".", ".."), list("/etc"));
        // And back over a whiteout.
        Namespace.rename(w, root, n("/usr/hosts"), root, n("/etc/hosts"), 0);
        assertEquals(List.of(".", "..", "hosts"), list("/etc"));
        assertNull(upperAt("/usr/hosts"), "no whiteout where the lower layer has nothing");
        // RENAME_EXCHANGE of two lower files.
        Namespace.rename(w, root, n("/bin/busybox"), root, n("/usr/lib/y"), Namespace.RENAME_EXCHANGE);
        assertEquals("ELF...", read("/usr/lib/y"));
        assertEquals("root:x:0:0\n", read("/bin/busybox"));
    }

    @Test
    void hardLinksAfterCopyUp() {
        Location old = at("/etc/passwd");
        Namespace.link(w, old, root, n("/etc/passwd2"));
        Inode a = at("/etc/passwd").inode(), b = at("/etc/passwd2").inode();
        assertSame(a, b);
        assertEquals(2, a.nlink());
        assertSame(upperAt("/etc/passwd"), upperAt("/etc/passwd2"));
        write("/etc/passwd2", O_WRONLY | O_APPEND, "x");
        assertEquals("root:x:0:0\nx", read("/etc/passwd"));
        Namespace.unlink(w, root, n("/etc/passwd"));
        assertEquals(1, b.nlink());
        assertTrue(isWhiteout(upperAt("/etc/passwd")));
        assertEquals("root:x:0:0\nx", read("/etc/passwd2"));
    }

    @Test
    void openLowerFileSurvivesUnlink() {
        VfsFile f = (VfsFile) Opener.open(w, root, n("/etc/hosts"), O_RDWR, 0);
        Namespace.unlink(w, root, n("/etc/hosts"));
        assertEquals(0, f.stat().nlink());
        f.pwrite(MemorySegment.ofArray("::1".getBytes()), 0);
        byte[] b = new byte[5];
        f.pread(MemorySegment.ofArray(b), 0);
        assertEquals("::1.0", new String(b, StandardCharsets.ISO_8859_1));
        fails(Errno.ENOENT, () -> at("/etc/hosts"));
        assertEquals("127.0.0.1 localhost\n", content(lowerAt("/etc/hosts")));
    }

    @Test
    void permissionsComeFromTheVisibleLayer() {
        FsCredentials user = new FsCredentials(1000, 1000, new int[0]);
        FsCredentials other = new FsCredentials(2000, 2000, new int[0]);
        PathWalker uw = new PathWalker(root, user);
        PathWalker ow = new PathWalker(root, other);
        assertEquals("xx", new String(readAll(uw, "/data/a/x")));
        fails(Errno.EACCES, () -> Opener.open(ow, root, n("/data/a/x"), O_RDONLY, 0));
        fails(Errno.EACCES, () -> Opener.open(uw, root, n("/etc/hosts"), O_RDONLY, 0));
        fails(Errno.EACCES, () -> Namespace.unlink(uw, root, n("/etc/passwd")));
        fails(Errno.EPERM, () -> Attributes.chmod(user, at("/etc/passwd"), 0777));
        assertNull(upperAt("/etc"), "failed operations copy nothing up");
        Namespace.mkdir(uw, root, n("/data/a/sub"), 0755);
        assertEquals(1000, at("/data/a/sub").inode().uid());
        // Permissions of a copied-up directory are those of the lower one.
        assertEquals(FileMode.S_IFDIR | 0700, upperAt("/data/a").mode());
        fails(Errno.EACCES, () -> Namespace.mkdir(ow, root, n("/data/a/other"), 0755));
    }

    private static byte[] readAll(PathWalker pw, String path) {
        VfsFile f = (VfsFile) Opener.open(pw, pw.root(), n(path), O_RDONLY, 0);
        byte[] b = new byte[(int) f.stat().size()];
        f.pread(MemorySegment.ofArray(b), 0);
        return b;
    }

    @Test
    void inodeNumbersAndDevices() {
        Stat dir = at("/etc").inode().stat();
        assertEquals(ofs.dev(), dir.dev(), "directories show the overlay's device");
        assertEquals(lowerAt("/etc").ino(), dir.ino());
        write("/fresh", O_WRONLY | O_CREAT, "");
        Stat fresh = at("/fresh").inode().stat();
        assertEquals(ofs.upperLayer().dev(), fresh.dev());
        assertEquals(upperAt("/fresh").ino(), fresh.ino());
        // A merged directory has nlink 1, as on Linux.
        write("/etc/new", O_WRONLY | O_CREAT, "");
        assertEquals(1, at("/etc").inode().nlink());
        assertEquals("overlay", ofs.type());
        assertEquals(OverlayFs.MAGIC, ofs.statfs().type());
    }

    @Test
    void theLowerLayerIsNeverWritten() {
        long before = lowerFs.statfs().filesFree();
        write("/etc/passwd", O_WRONLY | O_APPEND, "z");
        Namespace.unlink(w, root, n("/bin/sh"));
        Namespace.rmdir(w, root, n("/empty"));
        Namespace.mkdir(w, root, n("/empty"), 0755);
        Namespace.rename(w, root, n("/usr/lib/y"), root, n("/y"), 0);
        Attributes.chmod(FsCredentials.ROOT, at("/data"), 0700);
        assertEquals(before, lowerFs.statfs().filesFree());
        assertEquals(FileMode.S_IFDIR | 0750, lowerAt("/data").mode());
        assertEquals("root:x:0:0\n", content(lowerAt("/etc/passwd")));
        assertNotNull(lowerAt("/bin/sh"));
        assertNotNull(lowerAt("/usr/lib/y"));
    }
}
