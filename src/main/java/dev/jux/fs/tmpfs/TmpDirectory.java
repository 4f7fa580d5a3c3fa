package dev.jux.fs.tmpfs;

import dev.jux.abi.FileMode;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.DirSink;
import dev.jux.fs.vfs.Inode;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tmpfs directory. Entries keep the order they were created in; each gets a directory offset
 * that stays valid while others come and go (Linux 6.6+ tmpfs's stable offsets), so that
 * getdents64 can resume at any d_off. "." is offset 0, ".." is 1, entries start at 3.
 */
final class TmpDirectory extends Inode {
    /** Linux's BOGO_DIRENT_SIZE: tmpfs counts 20 bytes of st_size per entry, and 2 for "." and "..". */
    static final int BOGO_DIRENT_SIZE = 20;
    private static final long FIRST_OFFSET = 3;

    private final TmpFs fs;
    private final Map<ByteString, Entry> entries = new HashMap<>();
    private final TreeMap<Long, ByteString> byOffset = new TreeMap<>();
    private long nextOffset = FIRST_OFFSET;

    private record Entry(Inode inode, long offset) {}

    TmpDirectory(TmpFs fs, int mode, int uid, int gid) {
        super(fs, fs.allocateIno(), mode, uid, gid);
        this.fs = fs;
        this.nlink = 2;
        fs.inodesUsed.incrementAndGet();
    }

    @Override
    public long size() {
        synchronized (fs) {
            return (long) BOGO_DIRENT_SIZE * (2 + entries.size());
        }
    }

    @Override
    public Inode lookup(ByteString name) {
        synchronized (fs) {
            Entry e = entries.get(name);
            return e == null ? null : e.inode;
        }
    }

    private void add(ByteString name, Inode inode) {
        long off = nextOffset++;
        entries.put(name, new Entry(inode, off));
        byOffset.put(off, name);
        touchModified();
    }

    private Inode drop(ByteString name) {
        Entry e = entries.remove(name);
        byOffset.remove(e.offset);
        touchModified();
        return e.inode;
    }

    @Override
    public Inode create(ByteString name, int mode, long rdev, int uid, int gid) {
        synchronized (fs) {
            Inode i = FileMode.isRegular(mode) ? new TmpRegularFile(fs, mode, uid, gid) : new TmpSpecialFile(fs, mode, rdev, uid, gid);
            add(name, i);
            return i;
        }
    }

    @Override
    public Inode createUnnamed(int mode, int uid, int gid) {
        TmpRegularFile f = new TmpRegularFile(fs, FileMode.S_IFREG | (mode & 07777), uid, gid);
        f.adjustLinks(-1);
        return f;
    }

    @Override
    public Inode mkdir(ByteString name, int mode, int uid, int gid) {
        synchronized (fs) {
            TmpDirectory d = new TmpDirectory(fs, FileMode.S_IFDIR | (mode & 07777), uid, gid);
            add(name, d);
            adjustLinks(1);
            return d;
        }
    }

    @Override
    public Inode symlink(ByteString name, ByteString target, int uid, int gid) {
        synchronized (fs) {
            TmpSymlink s = new TmpSymlink(fs, target, uid, gid);
            add(name, s);
            return s;
        }
    }

    @Override
    public void link(ByteString name, Inode target) {
        synchronized (fs) {
            target.adjustLinks(1);
            target.touchChanged();
            add(name, target);
        }
    }

    @Override
    public void remove(ByteString name) {
        synchronized (fs) {
            unlinked(drop(name));
        }
    }

    /** An inode lost a name: a directory loses its own "." link and its parent's "..". */
    private void unlinked(Inode i) {
        if (i.isDirectory()) {
            i.adjustLinks(-2);
            adjustLinks(-1);
        } else {
            i.adjustLinks(-1);
        }
        i.touchChanged();
        if (i.nlink() == 0) fs.inodesUsed.decrementAndGet();
    }

    @Override
    public void rename(ByteString oldName, Inode newDir, ByteString newName, boolean exchange) {
        synchronized (fs) {
            TmpDirectory to = (TmpDirectory) newDir;
            Inode moving = drop(oldName);
            Inode replaced = to.entries.containsKey(newName) ? to.drop(newName) : null;
            to.add(newName, moving);
            moving.touchChanged();
            if (moving.isDirectory() && to != this) {
                adjustLinks(-1);
                to.adjustLinks(1);
            }
            if (replaced == null) return;
            if (exchange) {
                add(oldName, replaced);
                replaced.touchChanged();
                if (replaced.isDirectory() && to != this) {
                    to.adjustLinks(-1);
                    adjustLinks(1);
                }
            } else {
                to.unlinked(replaced);
            }
        }
    }

    @Override
    public boolean isEmptyDirectory() {
        synchronized (fs) {
            return entries.isEmpty();
        }
    }

    @Override
    public long readdir(long pos, long parentIno, DirSink sink) {
        pos = DirSink.dotEntries(pos, ino(), parentIno, sink);
        if (pos < 2) return pos;
        while (true) {
            ByteString name;
            Entry e;
            synchronized (fs) {
                var next = byOffset.ceilingEntry(Math.max(pos, FIRST_OFFSET));
                if (next == null) return pos;
                name = next.getValue();
                e = entries.get(name);
            }
            if (!sink.accept(name, e.inode.ino(), DirSink.typeOf(e.inode.mode()), e.offset + 1)) return pos;
            pos = e.offset + 1;
        }
    }
}
