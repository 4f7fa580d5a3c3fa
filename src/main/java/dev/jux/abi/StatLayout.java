package dev.jux.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** struct stat on x86-64 (144 bytes), as stat(2), fstat(2) and newfstatat(2) fill it. */
public final class StatLayout {
    private StatLayout() {}

    public static final int SIZE = 144;

    /** Encodes the fields in struct order: dev, ino, nlink, mode, uid, gid, rdev, size, blksize, blocks, a/m/c times. */
    public static byte[] encode(long dev, long ino, long nlink, int mode, int uid, int gid, long rdev, long size,
                                long blksize, long blocks, long atimeSec, long atimeNsec, long mtimeSec,
                                long mtimeNsec, long ctimeSec, long ctimeNsec) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(dev).putLong(ino).putLong(nlink).putInt(mode).putInt(uid).putInt(gid).putInt(0)
                .putLong(rdev).putLong(size).putLong(blksize).putLong(blocks)
                .putLong(atimeSec).putLong(atimeNsec).putLong(mtimeSec).putLong(mtimeNsec)
                .putLong(ctimeSec).putLong(ctimeNsec);
        return b.array();
    }
}
