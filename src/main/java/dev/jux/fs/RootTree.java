package dev.jux.fs;

import dev.jux.fs.tmpfs.TmpFs;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.Mount;

/**
 * The root file system Jux boots with until the overlay root exists: a tmpfs at "/" holding
 * the directories programs expect (Linux's rootfs before init mounts anything):
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
