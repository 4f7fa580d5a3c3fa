package dev.jux.fs.overlay;

import static dev.jux.abi.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
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
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same operations on the host's own overlayfs (mount -t overlay, as root only) and on
 * Jux's overlay over a tmpfs copy of the same lower tree: the merged views and the upper
 * layers must be the same (name, type, permissions, content or link target; whiteouts are
 * char 0/0 on both; opaque marks are compared when python3 can read the host's xattr).
 */
class HostOverlayComparisonTest {
    @TempDir
    Path tmp;
    private Path mnt;

    private static boolean isRoot() {
        try {
            return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim());
        } catch (IOException e) {
            return false;
        }
    }

    @AfterEach
    void unmount() throws Exception {
        if (mnt != null) new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor();
    }

    /** The lower tree, as (path, spec): "d MODE", "f MODE CONTENT", "l TARGET". */
    private static final String[][] LOWER = {
        {"etc", "d 755"}, {"etc/passwd", "f 644 root:x:0:0"}, {"etc/hosts", "f 600 127.0.0.1"},
        {"bin", "d 755"}, {"bin/busybox", "f 755 ELF"}, {"bin/sh", "l busybox"},
        {"data", "d 750"}, {"data/a", "d 700"}, {"data/a/x", "f 640 xx"},
        {"empty", "d 755"}, {"empty2", "d 711"}, {"usr", "d 755"}, {"usr/lib", "d 755"}, {"usr/lib/y", "f 644 y"},
    };

    /** The operations, each done on both sides. */
    interface Ops {
        void append(String path, String s) throws Exception;
        void chmod(String path, int mode) throws Exception;
        void unlink(String path) throws Exception;
        void rmdir(String path) throws Exception;
        void mkdir(String path, int mode) throws Exception;
        void create(String path, String s) throws Exception;
        void symlink(String target, String path) throws Exception;
        void link(String old, String path) throws Exception;
        /** Returns "ok" or the errno name. */
        String rename(String from, String to) throws Exception;
    }

    private static List<String> scenario(Ops o) throws Exception {
        List<String> results = new ArrayList<>();
        o.append("etc/passwd", "\nuser:x:1000:1000");
        o.chmod("etc/hosts", 0644);
        o.unlink("bin/sh");
        o.rmdir("empty");
        o.unlink("usr/lib/y");
        o.rmdir("usr/lib");
        o.mkdir("usr/lib", 0700);
        o.create("usr/lib/z", "zz");
        o.mkdir("mine", 0755);
        o.create("mine/f", "m");
        results.add(o.rename("mine", "empty2"));
        results.add(o.rename("data", "data2"));
        results.add(o.rename("etc/hosts", "bin/hosts"));
        results.add(o.rename("bin/busybox", "etc/passwd"));
        o.link("data/a/x", "data/x2");
        o.symlink("../etc", "bin/etc");
        o.create("etc/new", "n");
        o.unlink("etc/new");
        return results;
    }

    @Test
    void sameAsTheHostsOverlayfs() throws Exception {
        assumeTrue(isRoot(), "mounting an overlay needs root");
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path m = Files.createDirectories(tmp.resolve("merged"));
        TmpFs lowerFs = new TmpFs(0755, 0, 0);
        for (String[] e : LOWER) {
            String[] spec = e[1].split(" ", 3);
            Path p = lower.resolve(e[0]);
            String parent = e[0].contains("/") ? e[0].substring(0, e[0].lastIndexOf('/')) : "";
            Inode dir = lookup(lowerFs.root(), parent);
            ByteString name = ByteString.of(e[0].substring(e[0].lastIndexOf('/') + 1));
            switch (spec[0]) {
                case "d" -> {
                    Files.createDirectory(p);
                    dir.mkdir(name, Integer.parseInt(spec[1], 8), 0, 0);
                }
                case "f" -> {
                    Files.writeString(p, spec[2]);
                    dir.create(name, FileMode.S_IFREG | Integer.parseInt(spec[1], 8), 0, 0, 0)
                            .write(0, MemorySegment.ofArray(spec[2].getBytes(StandardCharsets.ISO_8859_1)));
                }
                default -> {
                    Files.createSymbolicLink(p, Path.of(spec[1]));
                    dir.symlink(name, ByteString.of(spec[1]), 0, 0);
                }
            }
            if (!spec[0].equals("l")) Files.setPosixFilePermissions(p, perms(Integer.parseInt(spec[1], 8)));
        }
        Process mount = new ProcessBuilder("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work + ",redirect_dir=off,index=off,metacopy=off,xino=off",
                m.toString()).redirectErrorStream(true).start();
        String err = new String(mount.getInputStream().readAllBytes());
        assumeTrue(mount.waitFor() == 0, "mount -t overlay failed: " + err);
        mnt = m;

        List<String> hostResults = scenario(new HostOps(m));
        OverlayFs ofs = OverlayFs.over(lowerFs);
        List<String> juxResults = scenario(new JuxOps(ofs));
        assertEquals(hostResults, juxResults);
        assertEquals(List.of("ok", "EXDEV", "ok", "ok"), juxResults);

        assertEquals(dumpHost(m, false), dumpJux(ofs.root(), false), "merged view");
        TreeMap<String, String> hostUpper = dumpHost(upper, true);
        TreeMap<String, String> juxUpper = dumpJux(ofs.upperLayer().root(), true);
        List<String> opaque = hostOpaque(upper);
        if (opaque != null) {
            for (String d : opaque) hostUpper.put(d, hostUpper.get(d) + " opaque");
            markOpaque(ofs, ofs.upperLayer().root(), "", juxUpper);
        } else {
            juxUpper.replaceAll((k, v) -> v.replace(" opaque", ""));
        }
        assertEquals(hostUpper, juxUpper, "upper layer");
    }

    private static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> s = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ.. OTHERS_EXECUTE
        for (int k = 0; k < 9; k++) if ((mode & (0400 >> k)) != 0) s.add(all[k]);
        return s;
    }

    private static Inode lookup(Inode dir, String path) {
        if (path.isEmpty()) return dir;
        for (String c : path.split("/")) dir = dir.lookup(ByteString.of(c));
        return dir;
    }

    private static TreeMap<String, String> dumpHost(Path root, boolean upper) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(root)) continue;
                String rel = root.relativize(p).toString();
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                long rdev = (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
                out.put(rel, describe(mode, rdev, () -> Files.readString(p), () -> Files.readSymbolicLink(p).toString()));
            }
        }
        return out;
    }

    interface Text {
        String get() throws IOException;
    }

    private static String describe(int mode, long rdev, Text content, Text target) throws IOException {
        int type = FileMode.type(mode);
        if (type == FileMode.S_IFCHR && rdev == 0) return "whiteout";
        String perm = Integer.toOctalString(mode & 07777);
        return switch (type) {
            case FileMode.S_IFDIR -> "dir " + perm;
            case FileMode.S_IFREG -> "file " + perm + " " + content.get();
            case FileMode.S_IFLNK -> "link " + target.get();
            default -> "special " + Integer.toOctalString(mode);
        };
    }

    private static TreeMap<String, String> dumpJux(Inode root, boolean upper) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        walk(root, "", out);
        return out;
    }

    private static void walk(Inode dir, String prefix, TreeMap<String, String> out) throws IOException {
        List<ByteString> names = new ArrayList<>();
        dir.readdir(0, dir.ino(), (n, ino, type, next) -> {
            if (!n.equals(ByteString.DOT) && !n.equals(ByteString.DOTDOT)) names.add(n);
            return true;
        });
        for (ByteString n : names) {
            Inode i = dir.lookup(n);
            String rel = prefix + n;
            out.put(rel, describe(i.mode(), i.stat().rdev(), () -> {
                byte[] b = new byte[(int) i.size()];
                i.read(0, MemorySegment.ofArray(b));
                return new String(b, StandardCharsets.ISO_8859_1);
            }, () -> i.readlink().toString()));
            if (i.isDirectory()) walk(i, rel + "/", out);
        }
    }

    private static void markOpaque(OverlayFs ofs, Inode dir, String prefix, TreeMap<String, String> out) {
        List<ByteString> names = new ArrayList<>();
        dir.readdir(0, dir.ino(), (n, ino, type, next) -> {
            if (!n.equals(ByteString.DOT) && !n.equals(ByteString.DOTDOT)) names.add(n);
            return true;
        });
        for (ByteString n : names) {
            Inode i = dir.lookup(n);
            if (!i.isDirectory()) continue;
            String rel = prefix + n;
            if (ofs.isOpaque(i)) out.put(rel, out.get(rel) + " opaque");
            markOpaque(ofs, i, rel + "/", out);
        }
    }

    /** The upper directories with trusted.overlay.opaque="y", read with python3; null if that fails. */
    private static List<String> hostOpaque(Path upper) {
        String py = "import os,sys\nr=sys.argv[1]\nfor d,ds,fs in os.walk(r):\n"
                + "  for x in ds:\n    p=os.path.join(d,x)\n"
                + "    try:\n      v=os.getxattr(p,'trusted.overlay.opaque',follow_symlinks=False)\n"
                + "    except OSError:\n      continue\n    if v==b'y': print(os.path.relpath(p,r))\n";
        try {
            Process p = new ProcessBuilder("python3", "-c", py, upper.toString()).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) return null;
            return out.lines().filter(l -> !l.isEmpty()).toList();
        } catch (Exception e) {
            return null;
        }
    }

    private record HostOps(Path m) implements Ops {
        public void append(String path, String s) throws IOException {
            Files.writeString(m.resolve(path), s, StandardOpenOption.APPEND);
        }
        public void chmod(String path, int mode) throws IOException {
            Files.setPosixFilePermissions(m.resolve(path), perms(mode));
        }
        public void unlink(String path) throws IOException {
            Files.delete(m.resolve(path));
        }
        public void rmdir(String path) throws IOException {
            Files.delete(m.resolve(path));
        }
        public void mkdir(String path, int mode) throws IOException {
            Files.createDirectory(m.resolve(path));
            Files.setPosixFilePermissions(m.resolve(path), perms(mode));
        }
        public void create(String path, String s) throws IOException {
            Files.writeString(m.resolve(path), s);
        }
        public void symlink(String target, String path) throws IOException {
            Files.createSymbolicLink(m.resolve(path), Path.of(target));
        }
        public void link(String old, String path) throws IOException {
            Files.createLink(m.resolve(path), m.resolve(old));
        }
        public String rename(String from, String to) throws IOException {
            try {
                Files.move(m.resolve(from), m.resolve(to), StandardCopyOption.ATOMIC_MOVE);
                return "ok";
            } catch (AtomicMoveNotSupportedException e) {
                return "EXDEV";
            }
        }
    }

    private static final class JuxOps implements Ops {
        private final Location root;
        private final PathWalker w;

        JuxOps(OverlayFs ofs) {
            root = Mount.root(ofs).rootLocation();
            w = new PathWalker(root, FsCredentials.ROOT);
        }

        private ByteString p(String path) {
            return ByteString.of("/" + path);
        }

        public void append(String path, String s) {
            VfsFile f = (VfsFile) Opener.open(w, root, p(path), O_WRONLY | O_APPEND, 0);
            f.write(null, MemorySegment.ofArray(s.getBytes(StandardCharsets.ISO_8859_1)));
        }
        public void chmod(String path, int mode) {
            Attributes.chmod(FsCredentials.ROOT, w.resolve(root, p(path), true), mode);
        }
        public void unlink(String path) {
            Namespace.unlink(w, root, p(path));
        }
        public void rmdir(String path) {
            Namespace.rmdir(w, root, p(path));
        }
        public void mkdir(String path, int mode) {
            Namespace.mkdir(w, root, p(path), mode);
        }
        public void create(String path, String s) {
            VfsFile f = (VfsFile) Opener.open(w, root, p(path), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            f.write(null, MemorySegment.ofArray(s.getBytes(StandardCharsets.ISO_8859_1)));
        }
        public void symlink(String target, String path) {
            Namespace.symlink(w, ByteString.of(target), root, p(path));
        }
        public void link(String old, String path) {
            Namespace.link(w, w.resolve(root, p(old), false), root, p(path));
        }
        public String rename(String from, String to) {
            try {
                Namespace.rename(w, root, p(from), root, p(to), 0);
                return "ok";
            } catch (LinuxException e) {
                return e.errno().name();
            }
        }
    }
}
