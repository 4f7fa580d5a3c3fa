package dev.jux.fs.tmpfs;

import dev.jux.fs.vfs.Inode;

/** A FIFO, socket or device node made by mknod(2): attributes only, no data in tmpfs. */
final class TmpSpecialFile extends Inode {
    TmpSpecialFile(TmpFs fs, int mode, long rdev, int uid, int gid) {
        super(fs, fs.allocateIno(), mode, uid, gid);
        this.rdev = rdev;
        fs.inodesUsed.incrementAndGet();
    }

    @Override
    public long size() {
        return 0;
    }
}
