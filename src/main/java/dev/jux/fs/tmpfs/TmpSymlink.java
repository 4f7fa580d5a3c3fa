package dev.jux.fs.tmpfs;

import dev.jux.abi.FileMode;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Inode;

/** A tmpfs symlink. Its mode is always 0777, as on Linux. */
final class TmpSymlink extends Inode {
    /** Linux's SHORT_SYMLINK_LEN: shorter targets live in the inode and use no blocks. */
    private static final int SHORT_SYMLINK_LEN = 128;
    private final ByteString target;

    TmpSymlink(TmpFs fs, ByteString target, int uid, int gid) {
        super(fs, fs.allocateIno(), FileMode.S_IFLNK | 0777, uid, gid);
        this.target = target;
        fs.inodesUsed.incrementAndGet();
    }

    @Override
    public long size() {
        return target.length();
    }

    @Override
    public long blocks() {
        return target.length() < SHORT_SYMLINK_LEN ? 0 : BLOCK_SIZE / 512;
    }

    @Override
    public ByteString readlink() {
        return target;
    }
}
