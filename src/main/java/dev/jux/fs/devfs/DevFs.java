package dev.jux.fs.devfs;

import dev.jux.abi.FileMode;
import dev.jux.fs.tmpfs.TmpFs;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Dentry;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Mount;

/**
 * /dev: like Linux's devtmpfs, a tmpfs the kernel fills with its device nodes. The nodes are
 * plain tmpfs nodes; opening one finds the driver by its number ({@link CharDevices}).
 *
 * <pre>
 *   null zero full random urandom tty ptmx  crw-rw-rw- root root  1:3 1:5 1:7 1:8 1:9 5:0 5:2
 *   console                                 crw------- root root  5:1
 *   fd -> /proc/self/fd   stdin stdout stderr -> /proc/self/fd/0 1 2
 *   pts/  (devpts, {@link DevPts})   shm/  (its own tmpfs, 01777)
 * </pre>
 */
public final class DevFs {
    private DevFs() {}

    /** A fresh, populated /dev file system (type "devtmpfs"). */
    public static TmpFs create() {
        TmpFs fs = new TmpFs(0755, 0, 0, "devtmpfs");
        Inode root = fs.root();
        node(root, "null", CharDevices.NULL);
        node(root, "zero", CharDevices.ZERO);
        node(root, "full", CharDevices.FULL);
        node(root, "random", CharDevices.RANDOM);
        node(root, "urandom", CharDevices.URANDOM);
        node(root, "tty", CharDevices.TTY);
        node(root, "ptmx", CharDevices.PTMX);
        root.create(ByteString.of("console"), FileMode.S_IFCHR | 0600, CharDevices.CONSOLE, 0, 0);
        link(root, "fd", "/proc/self/fd");
        link(root, "stdin", "/proc/self/fd/0");
        link(root, "stdout", "/proc/self/fd/1");
        link(root, "stderr", "/proc/self/fd/2");
        root.mkdir(ByteString.of("pts"), 0755, 0, 0);
        root.mkdir(ByteString.of("shm"), 01777, 0, 0);
        return fs;
    }

    /**
     * Mounts a fresh devfs over {@code at}, a tmpfs (01777) on its shm/ and a devpts on its pts/
     * (slave nodes in the group "tty" of the tree's /etc/group, else 0).
     */
    public static Mount mount(Location at) {
        TmpFs fs = create();
        Mount dev = Mount.attach(fs, at);
        Dentry shm = dev.root().child(ByteString.of("shm"));
        Mount.attach(new TmpFs(01777, 0, 0), new Location(dev, shm));
        DevPts.mount(new Location(dev, dev.root().child(ByteString.of("pts"))), groupId(at.mount().rootLocation(), "tty"));
        return dev;
    }

    /** The id of group {@code name} in {@code root}'s /etc/group, or 0. */
    static int groupId(Location root, String name) {
        try {
            Dentry etc = root.dentry().child(ByteString.of("etc"));
            Dentry group = etc == null ? null : etc.child(ByteString.of("group"));
            if (group == null || !group.inode().isRegular()) return 0;
            byte[] b;
            long n;
            // Host files read into native memory only.
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                java.lang.foreign.MemorySegment seg = arena.allocate(Math.max(1, Math.min(group.inode().size(), 1 << 20)));
                n = group.inode().read(0, seg);
                b = seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            }
            for (String line : new String(b, 0, (int) Math.max(0, n), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length >= 3 && f[0].equals(name)) return Integer.parseInt(f[2].trim());
            }
        } catch (RuntimeException e) {
            // An unreadable or odd /etc/group: root's group, as devpts without a gid= option.
        }
        return 0;
    }

    private static void node(Inode dir, String name, long rdev) {
        dir.create(ByteString.of(name), FileMode.S_IFCHR | 0666, rdev, 0, 0);
    }

    private static void link(Inode dir, String name, String target) {
        dir.symlink(ByteString.of(name), ByteString.of(target), 0, 0);
    }
}
