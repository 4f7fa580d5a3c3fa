package dev.jux.fs.vfs;

/** Receives directory entries from {@link Inode#readdir}; returns false when it is full. */
@FunctionalInterface
public interface DirSink {
    /**
     * One entry. {@code nextPos} is the position to continue from after this entry (its d_off);
     * {@code type} is the d_type (DT_DIR, DT_REG...).
     */
    boolean accept(ByteString name, long ino, int type, long nextPos);

    int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10, DT_SOCK = 12;

    /**
     * Lists "." (position 0, next 1) and ".." (position 1, next 2) if {@code pos} is before
     * them, as Linux file systems list them first. Returns the position reached: below 2 means
     * the sink filled up and readdir should return that position.
     */
    static long dotEntries(long pos, long ino, long parentIno, DirSink sink) {
        if (pos == 0) {
            if (!sink.accept(ByteString.DOT, ino, DT_DIR, 1)) return 0;
            pos = 1;
        }
        if (pos == 1) {
            if (!sink.accept(ByteString.DOTDOT, parentIno, DT_DIR, 2)) return 1;
            pos = 2;
        }
        return pos;
    }

    /** d_type from a st_mode: the file type bits shifted down, as Linux's S_DT. */
    static int typeOf(int mode) {
        return (mode >> 12) & 15;
    }
}
