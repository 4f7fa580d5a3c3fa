package dev.jux.fs.hostfs;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.DirSink;
import dev.jux.fs.vfs.Inode;
import dev.jux.host.HostDirEntry;
import dev.jux.host.HostDirectory;
import dev.jux.host.HostFile;
import dev.jux.host.HostLookup;
import dev.jux.host.HostStat;
import dev.jux.host.LibcFiles;
import java.util.List;

/**
 * A host directory, held as an O_PATH fd for as long as the inode lives: a directory the host
 * renames stays the same inode, and every lookup is one name relative to that fd.
 */
final class HostDir extends HostInode {
    final HostDirectory dir;

    HostDir(HostFs fs, HostStat st, HostDirectory parent, byte[] name, HostDirectory dir) {
        super(fs, st, parent, name);
        this.dir = dir;
    }

    @Override
    HostStat fetch() {
        return HostFs.call(dir::stat);
    }

    @Override
    boolean stillValid() {
        // A removed directory whose number the host gave to a new one: the fd holds the old one.
        return refresh().nlink() > 0;
    }

    @Override
    void checkName() {
        HostStat viaName = super.fetch();
        if (viaName == null) throw new LinuxException(Errno.ESTALE, "the host directory moved");
    }

    @Override
    public Inode lookup(ByteString name) {
        byte[] n = name.toByteArray();
        HostLookup r = HostFs.call(() -> dir.lookup(n));
        if (!(r instanceof HostLookup.Found f)) return null;
        try {
            return fs.inodeFor(dir, n, f.stat());
        } catch (LinuxException e) {
            // Gone or replaced by a non-directory between the stat and the open: ask again once.
            if (e.errno() != Errno.ENOENT && e.errno() != Errno.ENOTDIR && e.errno() != Errno.ELOOP) throw e;
            r = HostFs.call(() -> dir.lookup(n));
            return r instanceof HostLookup.Found g ? fs.inodeFor(dir, n, g.stat()) : null;
        }
    }

    private Inode found(ByteString name) {
        Inode i = lookup(name);
        if (i == null) throw new LinuxException(Errno.ENOENT, "the host removed the new entry");
        refresh();
        return i;
    }

    @Override
    public Inode create(ByteString name, int mode, long rdev, int uid, int gid) {
        fs.checkWritable();
        byte[] n = name.toByteArray();
        if (FileMode.isRegular(mode)) {
            HostFile f = HostFs.call(() -> dir.openFile(n, LibcFiles.O_RDWR | LibcFiles.O_CREAT | LibcFiles.O_EXCL, mode & 07777));
            Inode i;
            try {
                // The host applied Jux's own umask; the guest's was applied already.
                if ((f.stat().mode() & 07777) != (mode & 07777)) f.chmod(mode & 07777);
                i = found(name);
            } catch (RuntimeException e) {
                f.close();
                throw e;
            }
            if (i instanceof HostRegularFile r) r.adopt(f, true);
            else f.close();
            return i;
        }
        HostFs.run(() -> dir.mknod(n, mode, rdev));
        exactMode(n, mode);
        return found(name);
    }

    @Override
    public Inode mkdir(ByteString name, int mode, int uid, int gid) {
        fs.checkWritable();
        byte[] n = name.toByteArray();
        HostFs.run(() -> dir.mkdir(n, mode & 07777));
        exactMode(n, mode);
        return found(name);
    }

    /** The host applied Jux's own umask to a new entry; the VFS applied the guest's already. */
    private void exactMode(byte[] n, int mode) {
        HostLookup r = HostFs.call(() -> dir.lookup(n));
        if (r instanceof HostLookup.Found f && (f.stat().mode() & 07777) != (mode & 07777)) {
            HostFs.run(() -> dir.chmod(n, mode & 07777));
        }
    }

    @Override
    public Inode symlink(ByteString name, ByteString target, int uid, int gid) {
        fs.checkWritable();
        byte[] n = name.toByteArray();
        HostFs.run(() -> dir.symlink(n, target.toByteArray()));
        return found(name);
    }

    @Override
    public void link(ByteString name, Inode target) {
        fs.checkWritable();
        HostInode t = (HostInode) target;
        t.checkName();
        byte[] n = name.toByteArray();
        HostFs.run(() -> t.parentDir().link(t.name(), dir, n));
        found(name);
    }

    @Override
    public void remove(ByteString name) {
        fs.checkWritable();
        byte[] n = name.toByteArray();
        HostLookup r = HostFs.call(() -> dir.lookup(n));
        if (!(r instanceof HostLookup.Found f)) throw new LinuxException(Errno.ENOENT);
        // A file with a host fd keeps it (see OpenFiles): the guest may go on using it after the
        // unlink. Its link count is read again, for fstat and for inotify's IN_DELETE_SELF.
        Inode victim = lookup(name);
        if (f.stat().isDirectory()) {
            HostFs.run(() -> dir.rmdir(n));
        } else {
            HostFs.run(() -> dir.unlink(n));
        }
        if (victim instanceof HostInode h) h.refresh();
        refresh();
    }

    @Override
    public void rename(ByteString oldName, Inode newDir, ByteString newName, boolean exchange) {
        fs.checkWritable();
        HostDir to = (HostDir) newDir;
        byte[] o = oldName.toByteArray(), n = newName.toByteArray();
        Inode replaced = exchange ? null : to.lookup(newName);
        HostFs.run(() -> dir.rename(o, to.dir, n, exchange ? LibcFiles.RENAME_EXCHANGE : 0));
        to.lookup(newName);  // the moved inode now knows its new name
        if (exchange) lookup(oldName);
        if (replaced instanceof HostInode h) h.refresh();
        refresh();
        to.refresh();
    }

    @Override
    public boolean isEmptyDirectory() {
        return HostFs.call(dir::readdir).isEmpty();
    }

    /**
     * Lists the host's entries in the host's order. "." has d_off 1 and ".." 2 (made here, as
     * the VFS wants); a host entry's d_off is the host's own cookie for it. A later call
     * resumes after the entry whose cookie it got, or, if that entry is gone, after every entry
     * with a smaller cookie (host cookies grow along the listing on ext4, btrfs, xfs, tmpfs and
     * overlayfs). Cookies 1 and 2, which no common host file system gives to an entry, are not
     * told apart from "." and "..".
     */
    @Override
    public long readdir(long pos, long parentIno, DirSink sink) {
        pos = DirSink.dotEntries(pos, ino(), parentIno, sink);
        if (pos < 2) return pos;
        List<HostDirEntry> entries = HostFs.call(dir::readdir);
        int start = 0;
        if (pos != 2) {
            start = -1;
            for (int k = 0; k < entries.size(); k++) {
                if (entries.get(k).offset() == pos) {
                    start = k + 1;
                    break;
                }
            }
            if (start < 0) {
                start = entries.size();
                for (int k = 0; k < entries.size(); k++) {
                    if (Long.compareUnsigned(entries.get(k).offset(), pos) > 0) {
                        start = k;
                        break;
                    }
                }
            }
        }
        for (int k = start; k < entries.size(); k++) {
            HostDirEntry e = entries.get(k);
            int type = e.type();
            if (type == HostDirEntry.DT_UNKNOWN) type = typeByLookup(e.name());
            if (!sink.accept(ByteString.copyOf(e.name()), e.ino(), type, e.offset())) return pos;
            pos = e.offset();
        }
        return pos;
    }

    private int typeByLookup(byte[] name) {
        HostLookup r = HostFs.call(() -> dir.lookup(name));
        return r instanceof HostLookup.Found f ? DirSink.typeOf(f.stat().mode()) : HostDirEntry.DT_UNKNOWN;
    }
}
