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

    /** d_type from a st_mode: the file type bits shifted down, as Linux's S_DT. */
    static int typeOf(int mode) {
        return (mode >> 12) & 15;
    }
}
