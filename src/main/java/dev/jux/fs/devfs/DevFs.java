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
 *   null zero full random urandom tty   crw-rw-rw- root root  1:3 1:5 1:7 1:8 1:9 5:0
 *   console                                 crw------- root root  5:1
 *   fd -> /proc/self/fd   stdin stdout stderr -> /proc/self/fd/0 1 2
 *   pts/  (empty, 0755)   shm/  (its own tmpfs, 01777)
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
        root.create(ByteString.of("console"), FileMode.S_IFCHR | 0600, CharDevices.CONSOLE, 0, 0);
        link(root, "fd", "/proc/self/fd");
        link(root, "stdin", "/proc/self/fd/0");
        link(root, "stdout", "/proc/self/fd/1");
        link(root, "stderr", "/proc/self/fd/2");
        root.mkdir(ByteString.of("pts"), 0755, 0, 0);
        root.mkdir(ByteString.of("shm"), 01777, 0, 0);
        return fs;
    }

    /** Mounts a fresh devfs over {@code at}, and a tmpfs (01777) on its shm/. */
    public static Mount mount(Location at) {
        TmpFs fs = create();
        Mount dev = Mount.attach(fs, at);
        Dentry shm = dev.root().child(ByteString.of("shm"));
        Mount.attach(new TmpFs(01777, 0, 0), new Location(dev, shm));
        return dev;
    }

    private static void node(Inode dir, String name, long rdev) {
        dir.create(ByteString.of(name), FileMode.S_IFCHR | 0666, rdev, 0, 0);
    }

    private static void link(Inode dir, String name, String target) {
        dir.symlink(ByteString.of(name), ByteString.of(target), 0, 0);
    }
}
