package dev.jux.fs.devfs;

import dev.jux.abi.DeviceNumber;
import dev.jux.abi.FileMode;
import dev.jux.fs.tmpfs.TmpFs;
import dev.jux.fs.tty.Pty;
import dev.jux.fs.tty.TtyProcesses;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Dentry;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Mount;
import dev.jux.fs.vfs.StatFs;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * devpts (/dev/pts): the pseudo-terminals of one instance (Linux's fs/devpts). Opening /dev/ptmx
 * next to it makes a {@link Pty} with the lowest free index N and a node N (crw--w----, 136:N,
 * owned by the opener's fsuid and the "tty" group, as systemd's mount options gid=5,mode=620);
 * the node goes when the master closes and the index when both sides have. pts/ptmx (c---------
 * 5:2) opens a master too.
 */
public final class DevPts extends TmpFs implements Pty.Owner {
    /** DEVPTS_SUPER_MAGIC. */
    public static final long MAGIC = 0x1cd1;
    /** Linux's default pty limit (/proc/sys/kernel/pty/max). */
    static final int MAX_PTYS = 4096;

    private final int ttyGid;
    private final BitSet used = new BitSet();
    private final Map<Integer, Pty> ptys = new HashMap<>();
    private volatile Mount mount;

    public DevPts(int ttyGid) {
        super(0755, 0, 0, "devpts");
        this.ttyGid = ttyGid;
        root().create(ByteString.of("ptmx"), FileMode.S_IFCHR, CharDevices.PTMX, 0, 0);
    }

    /** Mounts a new instance on {@code at}. */
    public static Mount mount(Location at, int ttyGid) {
        DevPts fs = new DevPts(ttyGid);
        fs.mount = Mount.attach(fs, at);
        return fs.mount;
    }

    /** The devpts a ptmx node at {@code ptmx} belongs to: its own file system, or the one mounted on "pts" beside it (devpts_acquire); null if none. */
    public static DevPts beside(Location ptmx) {
        if (ptmx.mount().fileSystem() instanceof DevPts d) return d;
        Dentry parent = ptmx.dentry().parent();
        if (parent == null) return null;
        Dentry pts = parent.child(ByteString.of("pts"));
        if (pts == null) return null;
        Mount m = ptmx.mount().mountedAt(pts);
        while (m != null) {
            if (m.fileSystem() instanceof DevPts d) return d;
            m = m.mountedAt(m.root());
        }
        return null;
    }

    /** ptmx_open: a new pair; ENOSPC when every index is taken. */
    public Pty openMaster(TtyProcesses processes, int uid) {
        int index;
        synchronized (this) {
            index = used.nextClearBit(0);
            if (index >= MAX_PTYS) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.ENOSPC);
            used.set(index);
        }
        Pty pty = new Pty(index, processes, this);
        synchronized (this) {
            ptys.put(index, pty);
        }
        root().create(name(index), FileMode.S_IFCHR | 0620, DeviceNumber.makedev(Pty.SLAVE_MAJOR, index), uid, ttyGid);
        return pty;
    }

    /** The pair behind node {@code rdev} of this instance, or null. */
    public synchronized Pty pty(long rdev) {
        if (DeviceNumber.major(rdev) != Pty.SLAVE_MAJOR) return null;
        return ptys.get((int) DeviceNumber.minor(rdev));
    }

    /** Where the slave of {@code pty} is (TIOCGPTPEER opens it there); null once its node is gone. */
    public Location slaveLocation(Pty pty) {
        Mount m = mount;
        if (m == null) return null;
        Dentry d = m.root().child(name(pty.index()));
        return d == null ? null : new Location(m, d);
    }

    @Override
    public void masterClosed(Pty pty) {
        ByteString name = name(pty.index());
        Inode root = root();
        if (root.lookup(name) != null) {
            root.remove(name);
            Mount m = mount;
            if (m != null) m.root().removed(name);
        }
    }

    @Override
    public synchronized void released(Pty pty) {
        if (ptys.get(pty.index()) == pty) {
            ptys.remove(pty.index());
            used.clear(pty.index());
        }
    }

    private static ByteString name(int index) {
        return ByteString.of(Integer.toString(index));
    }

    @Override
    public StatFs statfs() {
        return new StatFs(MAGIC, Inode.BLOCK_SIZE, 0, 0, 0, 0, 0, dev(), 255, Inode.BLOCK_SIZE, StatFs.ST_VALID);
    }
}
