package dev.jux.abi;

/** lseek(2) whence values ({@code <linux/fs.h>}). */
public final class SeekWhence {
    private SeekWhence() {}

    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    private static final ValueTable NAMES = ValueTable.builder("SEEK_???")
            .add("SEEK_SET", SEEK_SET)
            .add("SEEK_CUR", SEEK_CUR)
            .add("SEEK_END", SEEK_END)
            .add("SEEK_DATA", SEEK_DATA)
            .add("SEEK_HOLE", SEEK_HOLE)
            .build();

    public static String render(int whence) {
        return NAMES.render(Integer.toUnsignedLong(whence));
    }
}
