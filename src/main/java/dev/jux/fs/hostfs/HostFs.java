package dev.jux.fs.hostfs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.vfs.FileSystem;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.StatFs;
import dev.jux.host.HostDirectory;
import dev.jux.host.HostException;
import dev.jux.host.HostLookup;
import dev.jux.host.HostStat;
import dev.jux.host.HostStatfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * hostfs: a host directory (or a single host file) passed through to the guest, read-only or
 * read-write. Every inode is backed by the host file it stands for; every host call names ONE
 * component relative to a held directory fd and never follows a host symlink
 * ({@link HostDirectory}). Paths are walked by the guest's own PathWalker: a host symlink is a
 * guest symlink, resolved in the guest's namespace; ".." is the guest dentry's parent.
 *
 * <p>What the guest sees: the host's inode numbers, modes, owners, sizes, timestamps, link
 * counts, symlink targets and directory order. st_dev is not the host's: each HostFs has its
 * own anonymous device number (major 0, as tmpfs), so that st_dev tells guest mounts apart
 * and never collides with Jux's own tmpfs devices. Host mount points below the source are
 * crossed (their inode numbers could then collide within one st_dev; not worth refusing).
 *
 * <p>Inodes are cached per file system by host (st_dev, st_ino), so two hard links are one
 * inode. Names change behind Jux's back, so {@link #revalidatesNames()} is true and every
 * lookup asks the host again; attributes are refreshed by each lookup and by each stat.
 *
 * <p>Writes go to the host in read-write mode, as the user running Jux: a file the guest creates
 * belongs to that user, not to the guest's uid (no id mapping). In read-only mode every change
 * fails with EROFS, here as well as in the VFS.
 */
public final class HostFs extends FileSystem {
    private final boolean readOnly;
    private final HostInode root;
    private final ConcurrentHashMap<Key, HostInode> inodes = new ConcurrentHashMap<>();
    private final HostDirectory statfsDir;
    final OpenFiles openFiles = new OpenFiles();

    private record Key(long dev, long ino) {
        // Written out, not the record's own: see docs/design.md, "Start-up".
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.dev == dev && k.ino == ino;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(dev * 31 + ino);
        }
    }

    private HostFs(Path source, boolean readOnly) {
        this.readOnly = readOnly;
        Path abs = source.toAbsolutePath().normalize();
        HostDirectory parent = abs.getParent() == null ? null : HostDirectory.open(abs.getParent());
        byte[] name = abs.getFileName() == null ? null : abs.getFileName().toString().getBytes(StandardCharsets.UTF_8);
        HostStat st;
        if (parent == null) {
            HostDirectory d = HostDirectory.open(abs);
            st = d.stat();
            root = new HostDir(this, st, null, null, d);
            statfsDir = d;
        } else {
            HostLookup r = parent.lookup(name);
            if (!(r instanceof HostLookup.Found f)) throw new HostException("fstatat " + abs, Errno.ENOENT.number());
            if (f.stat().isSymlink()) {
                // The source path is the operator's choice, so follow a final symlink as mount --bind does.
                Path real;
                try {
                    real = abs.toRealPath();
                } catch (java.io.IOException e) {
                    throw new HostException("realpath " + abs, Errno.ENOENT.number());
                }
                HostFs fs = new HostFs(real, readOnly);
                throw new Redirect(fs);
            }
            root = create(f.stat(), parent, name);
            statfsDir = root instanceof HostDir d ? d.dir : parent;
        }
        inodes.put(new Key(st(root).dev(), root.ino()), root);
    }

    /** Internal: a source that is a symlink is mounted as its target. */
    private static final class Redirect extends RuntimeException {
        final HostFs fs;

        Redirect(HostFs fs) {
            super(null, null, false, false);
            this.fs = fs;
        }
    }

    /**
     * Mounts the host directory or file {@code source}. Symlinks in the source path are followed
     * (the operator chose it, as with mount --bind); nothing the guest does later is.
     */
    public static HostFs open(Path source, boolean readOnly) {
        try {
            return new HostFs(source, readOnly);
        } catch (Redirect r) {
            return r.fs;
        }
    }

    private static HostStat st(HostInode i) {
        return i.hostStat();
    }

    @Override
    public Inode root() {
        return root;
    }

    @Override
    public String type() {
        return "hostfs";
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public boolean revalidatesNames() {
        return true;
    }

    @Override
    public StatFs statfs() {
        HostStatfs s = call(statfsDir::statfs);
        long flags = s.flags() | StatFs.ST_VALID | (readOnly ? StatFs.ST_RDONLY : 0);
        return new StatFs(s.type(), s.blockSize(), s.blocks(), s.blocksFree(), s.blocksAvailable(), s.files(),
                s.filesFree(), dev(), s.nameMax(), s.fragmentSize(), flags);
    }

    /** EROFS unless the file system is writable: every change checks this besides the VFS. */
    void checkWritable() {
        if (readOnly) throw new LinuxException(Errno.EROFS);
    }

    /**
     * The inode for host entry {@code name} of {@code dir} whose stat is {@code st}: the cached
     * one for its (dev, ino) if it still is that file, else a new one.
     */
    HostInode inodeFor(HostDirectory dir, byte[] name, HostStat st) {
        Key key = new Key(st.dev(), st.ino());
        HostInode cached = inodes.get(key);
        if (cached != null && cached.type() == (st.mode() & 0170000) && cached.stillValid()) {
            cached.found(dir, name, st);
            return cached;
        }
        HostInode fresh = create(st, dir, name);
        HostInode prev = inodes.put(key, fresh);
        if (prev != null && prev != fresh) prev.forget();
        return fresh;
    }

    private HostInode create(HostStat st, HostDirectory dir, byte[] name) {
        if (st.isDirectory()) {
            HostDirectory sub = call(() -> dir.openDirectory(name));
            HostStat real = call(sub::stat);
            if (real.dev() != st.dev() || real.ino() != st.ino()) {
                // Replaced between the fstatat and the openat: describe what was opened.
                st = real;
            }
            return new HostDir(this, st, dir, name, sub);
        }
        if (st.isRegularFile()) return new HostRegularFile(this, st, dir, name);
        if (st.isSymlink()) return new HostSymlink(this, st, dir, name);
        return new HostSpecialFile(this, st, dir, name);
    }

    /** Runs a host operation, turning a host errno into the guest's. */
    static <T> T call(Supplier<T> op) {
        try {
            return op.get();
        } catch (HostException e) {
            throw error(e);
        }
    }

    static void run(Runnable op) {
        try {
            op.run();
        } catch (HostException e) {
            throw error(e);
        }
    }

    static LinuxException error(HostException e) {
        Errno errno = Errno.of(e.errno());
        return new LinuxException(errno != null ? errno : Errno.EIO, e.getMessage());
    }
}
