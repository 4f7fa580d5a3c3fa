package dev.jux.fs.vfs;

import static org.junit.jupiter.api.Assertions.*;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.tmpfs.TmpFs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The path walk and the namespace operations on tmpfs, without a guest. */
class PathWalkerTest {
    private Mount rootMount;
    private Location root;
    private PathWalker w;

    @BeforeEach
    void setUp() {
        rootMount = Mount.root(new TmpFs(0755, 0, 0));
        root = rootMount.rootLocation();
        w = walker(FsCredentials.ROOT);
        Namespace.mkdir(w, root, p("/a"), 0755);
        Namespace.mkdir(w, root, p("/a/b"), 0755);
        Opener.open(w, root, p("/a/f"), dev.jux.abi.OpenFlags.O_CREAT | dev.jux.abi.OpenFlags.O_WRONLY, 0644);
    }

    private PathWalker walker(FsCredentials c) {
        return new PathWalker(root, c);
    }

    private static ByteString p(String s) {
        return ByteString.of(s);
    }

    private Location resolve(String path) {
        return walker(FsCredentials.ROOT).resolve(root, p(path), true);
    }

    private static void fails(Errno e, Executable x) {
        LinuxException ex = assertThrows(LinuxException.class, x);
        assertEquals(e, ex.errno());
    }

    @Test
    void dotsAndSlashes() {
        Location b = resolve("/a/b");
        assertSame(b.inode(), resolve("//a/./b//").inode());
        assertSame(resolve("/a").inode(), resolve("/a/b/..").inode());
        assertSame(root.inode(), resolve("/../..").inode());
        fails(Errno.ENOTDIR, () -> resolve("/a/f/"));
        fails(Errno.ENOTDIR, () -> resolve("/a/f/."));
        fails(Errno.ENOENT, () -> resolve("/a/missing/x"));
        fails(Errno.ENOENT, () -> resolve(""));
    }

    @Test
    void symlinksAndTheirLimit() {
        Namespace.symlink(w, p("b"), root, p("/a/lb"));
        Namespace.symlink(w, p("/a/f"), root, p("/abs"));
        assertSame(resolve("/a/b").inode(), resolve("/a/lb").inode());
        assertTrue(walker(FsCredentials.ROOT).resolve(root, p("/a/lb"), false).inode().isSymlink());
        assertSame(resolve("/a/b").inode(), walker(FsCredentials.ROOT).resolve(root, p("/a/lb/"), false).inode());
        assertSame(resolve("/a/f").inode(), resolve("/abs").inode());
        Namespace.symlink(w, p("/a/f"), root, p("/c0"));
        for (int i = 1; i <= 40; i++) Namespace.symlink(w, p("c" + (i - 1)), root, p("/c" + i));
        assertTrue(resolve("/c39").inode().isRegular());
        fails(Errno.ELOOP, () -> resolve("/c40"));
        Namespace.symlink(w, p("self"), root, p("/self"));
        fails(Errno.ELOOP, () -> resolve("/self"));
        fails(Errno.ELOOP, () -> walker(FsCredentials.ROOT).noSymlinks().resolve(root, p("/a/lb"), true));
    }

    @Test
    void searchPermissionOnEveryDirectory() {
        FsCredentials user = new FsCredentials(1000, 1000, new int[0]);
        Namespace.mkdir(w, root, p("/a/locked"), 0700);
        Namespace.mkdir(w, root, p("/a/locked/in"), 0777);
        fails(Errno.EACCES, () -> walker(user).resolve(root, p("/a/locked/in"), true));
        // The last component's own mode does not matter for lookup, only its parent's x bit.
        assertNotNull(walker(user).resolve(root, p("/a/locked"), true));
        fails(Errno.EACCES, () -> Namespace.mkdir(walker(user), root, p("/a/new"), 0755));
        assertNotNull(walker(FsCredentials.ROOT).resolve(root, p("/a/locked/in"), true));
    }

    @Test
    void rootOverridesExceptExecuteWithoutAnyXBit() {
        Inode f = resolve("/a/f").inode();
        f.setPermissions(0);
        assertTrue(Permissions.allowed(f, FsCredentials.ROOT, Permissions.MAY_READ | Permissions.MAY_WRITE));
        assertFalse(Permissions.allowed(f, FsCredentials.ROOT, Permissions.MAY_EXEC));
        f.setPermissions(0001);
        assertTrue(Permissions.allowed(f, FsCredentials.ROOT, Permissions.MAY_EXEC));
        f.setPermissions(0070);
        FsCredentials member = new FsCredentials(7, 9, new int[] {0});
        assertTrue(Permissions.allowed(f, member, Permissions.MAY_READ));
        FsCredentials other = new FsCredentials(7, 9, new int[0]);
        assertFalse(Permissions.allowed(f, other, Permissions.MAY_READ));
    }

    @Test
    void stickyDirectories() {
        Namespace.mkdir(w, root, p("/t"), 01777);
        FsCredentials alice = new FsCredentials(1000, 1000, new int[0]);
        FsCredentials bob = new FsCredentials(1001, 1001, new int[0]);
        Opener.open(walker(alice), root, p("/t/mine"), dev.jux.abi.OpenFlags.O_CREAT | dev.jux.abi.OpenFlags.O_WRONLY, 0644);
        fails(Errno.EPERM, () -> Namespace.unlink(walker(bob), root, p("/t/mine")));
        Namespace.unlink(walker(alice), root, p("/t/mine"));
    }

    @Test
    void mountsAreCrossedBothWays() {
        Location at = resolve("/a/b");
        TmpFs other = new TmpFs(01777, 0, 0);
        Mount m = Mount.attach(other, at);
        Location inside = resolve("/a/b");
        assertSame(other.root(), inside.inode());
        assertSame(m, inside.mount());
        assertSame(resolve("/a").inode(), resolve("/a/b/..").inode());
        Namespace.mkdir(w, root, p("/a/b/x"), 0755);
        assertSame(other, resolve("/a/b/x").inode().fileSystem());
        fails(Errno.EBUSY, () -> Namespace.rmdir(w, root, p("/a/b")));
        fails(Errno.EXDEV, () -> Namespace.rename(w, root, p("/a/f"), root, p("/a/b/f"), 0));
        fails(Errno.EXDEV, () -> walker(FsCredentials.ROOT).noXdev().resolve(root, p("/a/b/x"), true));
        assertEquals("/a/b/x", Attributes.pathOf(resolve("/a/b/x"), root).toString());
    }

    @Test
    void dotdotStopsAtAChangedRoot() {
        Location newRoot = resolve("/a");
        PathWalker jailed = new PathWalker(newRoot, FsCredentials.ROOT);
        assertSame(newRoot.inode(), jailed.resolve(newRoot, p("../../.."), true).inode());
        assertSame(resolve("/a/f").inode(), jailed.resolve(newRoot, p("/f"), true).inode());
        assertEquals("/b", Attributes.pathOf(resolve("/a/b"), newRoot).toString());
        assertEquals("(unreachable)/", Attributes.pathOf(root, newRoot).toString().substring(0, 14));
        PathWalker beneath = PathWalker.scoped(newRoot, FsCredentials.ROOT, true);
        fails(Errno.EXDEV, () -> beneath.resolve(newRoot, p(".."), true));
        fails(Errno.EXDEV, () -> beneath.resolve(newRoot, p("/f"), true));
    }

    @Test
    void namesAreBytes() {
        byte[] raw = {(byte) 0xff, (byte) 0xfe, 'x'};
        Namespace.mkdir(w, root, ByteString.copyOf(raw), 0755);
        assertTrue(w.resolve(root, ByteString.copyOf(raw), true).inode().isDirectory());
        fails(Errno.ENAMETOOLONG, () -> resolve("/" + "n".repeat(256)));
    }

    @Test
    void renameRules() {
        fails(Errno.EINVAL, () -> Namespace.rename(w, root, p("/a"), root, p("/a/b/c"), 0));
        fails(Errno.ENOTEMPTY, () -> Namespace.rename(w, root, p("/a/b"), root, p("/a"), 0));
        fails(Errno.EISDIR, () -> Namespace.rename(w, root, p("/a/f"), root, p("/a/b"), 0));
        fails(Errno.ENOTDIR, () -> Namespace.rename(w, root, p("/a/b"), root, p("/a/f"), 0));
        Location before = resolve("/a/b");
        Namespace.rename(w, root, p("/a"), root, p("/z"), 0);
        assertEquals("/z/b", Attributes.pathOf(before, root).toString());
        assertEquals(3, resolve("/z").inode().nlink());
    }
}
