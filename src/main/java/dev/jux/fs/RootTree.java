package dev.jux.fs;

import dev.jux.fs.devfs.DevFs;
import dev.jux.fs.hostfs.HostFs;
import dev.jux.fs.procfs.ProcFs;
import dev.jux.fs.sysfs.SysFs;
import dev.jux.fs.overlay.OverlayFs;
import dev.jux.fs.tmpfs.TmpFs;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.FsCredentials;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Mount;
import dev.jux.fs.vfs.PathWalker;
import java.nio.file.Path;

/**
 * The root file systems Jux boots with. {@link #overHost()} is the default root of `jux run`:
 * the host's / read-only under an in-memory layer. {@link #create()} is a bare tmpfs at "/"
 * (for tests and hosts without a usable /) holding the directories programs expect (Linux's
 * rootfs before init mounts anything):
 *
 * <pre>
 *   /      0755   /tmp  01777   /dev  0755   /proc  0555   /sys  0555   /etc  0755
 *   /root  0700   /home 0755    /usr  0755   /var   0755   /run  0755
 * </pre>
 *
 * all owned by root, with devfs mounted on /dev (and a tmpfs on /dev/shm), procfs on /proc and
 * sysfs on /sys.
 */
public final class RootTree {
    private RootTree() {}

    /**
     * The host's / read-only under a tmpfs (DESIGN.md): the guest reads the host's programs
     * and files, and nothing it writes reaches the host. procfs is mounted on /proc, sysfs on
     * /sys and devfs on /dev, so the guest never sees the host's processes or devices through
     * hostfs.
     */
    public static Mount overHost() {
        Mount root = Mount.root(OverlayFs.over(HostFs.open(Path.of("/"), true)));
        mountSystemFiles(root);
        return root;
    }

    /**
     * Mounts procfs on /proc, sysfs on /sys and devfs on /dev where those directories exist (as a container runtime does in its root); missing ones are
     * left alone.
     */
    public static void mountSystemFiles(Mount root) {
        PathWalker walker = new PathWalker(root.rootLocation(), FsCredentials.ROOT);
        Location proc = walker.child(root.rootLocation(), ByteString.of("proc"));
        if (proc != null && proc.inode().isDirectory()) Mount.attach(new ProcFs(), proc);
        Location sys = walker.child(root.rootLocation(), ByteString.of("sys"));
        if (sys != null && sys.inode().isDirectory()) Mount.attach(new SysFs(), sys);
        Location dev = walker.child(root.rootLocation(), ByteString.of("dev"));
        if (dev != null && dev.inode().isDirectory()) DevFs.mount(dev);
    }

    public static Mount create() {
        TmpFs fs = new TmpFs(0755, 0, 0);
        Inode root = fs.root();
        dir(root, "tmp", 01777);
        dir(root, "dev", 0755);
        dir(root, "proc", 0555);
        dir(root, "sys", 0555);
        dir(root, "etc", 0755);
        dir(root, "root", 0700);
        dir(root, "home", 0755);
        dir(root, "usr", 0755);
        dir(root, "var", 0755);
        dir(root, "run", 0755);
        Mount mount = Mount.root(fs);
        DevFs.mount(new Location(mount, mount.root().child(ByteString.of("dev"))));
        Mount.attach(new ProcFs(), new Location(mount, mount.root().child(ByteString.of("proc"))));
        Mount.attach(new SysFs(), new Location(mount, mount.root().child(ByteString.of("sys"))));
        return mount;
    }

    private static void dir(Inode parent, String name, int mode) {
        parent.mkdir(ByteString.of(name), mode, 0, 0);
    }
}
