package dev.jux.fs;

/** open(2) flag bits on x86-64 that the VFS interprets. */
public final class FileFlags {
    private FileFlags() {}

    public static final int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2;
    public static final int O_APPEND = 0x400, O_NONBLOCK = 0x800, O_ASYNC = 0x2000, O_DIRECT = 0x4000,
            O_NOATIME = 0x40000, O_CLOEXEC = 0x80000;
    /** The status flags fcntl(F_SETFL) may change (Linux's SETFL_MASK). */
    public static final int SETTABLE = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;

    public static boolean readable(int flags) {
        return (flags & O_ACCMODE) != O_WRONLY;
    }

    public static boolean writable(int flags) {
        return (flags & O_ACCMODE) != O_RDONLY;
    }
}
