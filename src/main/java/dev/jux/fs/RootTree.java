package dev.jux.fs;

import dev.jux.fs.hostfs.HostFs;
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
 *   /      0755   /tmp  01777   /dev  0755   /proc  0555   /etc  0755
 *   /root  0700   /home 0755    /usr  0755   /var   0755   /run  0755
 * </pre>
 *
 * all owned by root. /proc and /dev are empty directories until procfs and devfs exist.
 */
public final class RootTree {
    private RootTree() {}

    /**
     * The host's / read-only under a tmpfs (DESIGN.md): the guest reads the host's programs
     * and files, and nothing it writes reaches the host. /proc, /sys and /dev get empty tmpfs
     * mounts, so the guest never sees the host's processes or devices through hostfs (procfs,
     * sysfs and devfs come with issue 6).
     */
    public static Mount overHost() {
        Mount root = Mount.root(OverlayFs.over(HostFs.open(Path.of("/"), true)));
        PathWalker walker = new PathWalker(root.rootLocation(), FsCredentials.ROOT);
        for (String dir : new String[] {"proc", "sys", "dev"}) {
            Location at = walker.child(root.rootLocation(), ByteString.of(dir));
            if (at != null && at.inode().isDirectory()) Mount.attach(new TmpFs(0755, 0, 0), at);
        }
        return root;
    }

    public static Mount create() {
        TmpFs fs = new TmpFs(0755, 0, 0);
        Inode root = fs.root();
        dir(root, "tmp", 01777);
        dir(root, "dev", 0755);
        dir(root, "proc", 0555);
        dir(root, "etc", 0755);
        dir(root, "root", 0700);
        dir(root, "home", 0755);
        dir(root, "usr", 0755);
        dir(root, "var", 0755);
        dir(root, "run", 0755);
        return Mount.root(fs);
    }

    private static void dir(Inode parent, String name, int mode) {
        parent.mkdir(ByteString.of(name), mode, 0, 0);
    }
}
