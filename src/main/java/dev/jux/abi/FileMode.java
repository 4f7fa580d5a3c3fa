package dev.jux.abi;

/**
 * File type and permission bits of {@code st_mode} ({@code <linux/stat.h>}), rendered as
 * strace prints them: {@code S_IFREG|0644}, {@code S_IFDIR|S_ISVTX|0777}.
 */
public final class FileMode {
    private FileMode() {}

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;
    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_ISVTX = 01000;
    /** The permission bits proper (rwxrwxrwx). */
    public static final int PERMISSIONS = 0777;

    private static final ValueTable TYPES = ValueTable.builder("S_IF???")
            .add("S_IFSOCK", S_IFSOCK)
            .add("S_IFLNK", S_IFLNK)
            .add("S_IFREG", S_IFREG)
            .add("S_IFBLK", S_IFBLK)
            .add("S_IFDIR", S_IFDIR)
            .add("S_IFCHR", S_IFCHR)
            .add("S_IFIFO", S_IFIFO)
            .build();

    public static int type(int mode) {
        return mode & S_IFMT;
    }

    public static boolean isDirectory(int mode) {
        return type(mode) == S_IFDIR;
    }

    public static boolean isRegular(int mode) {
        return type(mode) == S_IFREG;
    }

    public static boolean isSymlink(int mode) {
        return type(mode) == S_IFLNK;
    }

    /** Character or block device: stat shows st_rdev for these instead of st_size. */
    public static boolean isDevice(int mode) {
        return type(mode) == S_IFCHR || type(mode) == S_IFBLK;
    }

    /**
     * strace's symbolic st_mode: the type, the set-id and sticky bits, then every other bit in
     * octal ({@code S_IFREG|S_ISUID|0755}, {@code S_IFREG|000}). A type the kernel does not
     * define prints the whole value in octal. All 32 bits count, as in struct stat; for a
     * 16-bit umode_t argument (mknod) pass the low 16 bits.
     */
    public static String render(int mode) {
        long m = Integer.toUnsignedLong(mode);
        String type = type(mode) == 0 ? null : TYPES.name(type(mode));
        if (type(mode) != 0 && type == null) return octal(m);
        StringBuilder sb = new StringBuilder();
        if (type != null) sb.append(type).append('|');
        if ((m & S_ISUID) != 0) sb.append("S_ISUID|");
        if ((m & S_ISGID) != 0) sb.append("S_ISGID|");
        if ((m & S_ISVTX) != 0) sb.append("S_ISVTX|");
        return sb.append(octal(m & ~(long) (S_IFMT | S_ISUID | S_ISGID | S_ISVTX))).toString();
    }

    /**
     * A mode as plain octal, as strace prints the mode argument of open/chmod/mkdir: C's
     * {@code %#03o} of the low 16 bits ({@code 0644}, {@code 000}, {@code 0100644}).
     */
    public static String octal(int mode) {
        return octal(mode & 0xffffL);
    }

    private static String octal(long value) {
        String s = "0" + Long.toOctalString(value);
        return s.length() >= 3 ? s : "0".repeat(3 - s.length()) + s;
    }
}
