package dev.jux.abi;

/**
 * open(2) flags on x86-64 ({@code <asm-generic/fcntl.h>}), and their rendering as strace
 * prints them: the access mode first, then the flags ({@code O_RDONLY|O_CLOEXEC}).
 */
public final class OpenFlags {
    private OpenFlags() {}

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_ACCMODE = 3;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DSYNC = 010000;
    /** Also called O_ASYNC; strace prints FASYNC. */
    public static final int FASYNC = 020000;
    public static final int O_DIRECT = 040000;
    /** The kernel sets it on every open on 64-bit (force_o_largefile), so F_GETFL shows it. */
    public static final int O_LARGEFILE = 0100000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_NOATIME = 01000000;
    public static final int O_CLOEXEC = 02000000;
    /** The bit that, with O_DSYNC, makes O_SYNC. */
    public static final int __O_SYNC = 04000000;
    public static final int O_SYNC = __O_SYNC | O_DSYNC;
    public static final int O_PATH = 010000000;
    /** The bit that, with O_DIRECTORY, makes O_TMPFILE. */
    public static final int __O_TMPFILE = 020000000;
    public static final int O_TMPFILE = __O_TMPFILE | O_DIRECTORY;

    /**
     * strace's order, measured on strace 6.1 by setting the bits in pairs; it is not numeric
     * (O_DIRECTORY comes after O_PATH, FASYNC last) and the composite O_SYNC and O_TMPFILE come
     * before their parts.
     */
    private static final FlagTable FLAGS = FlagTable.builder("O_???")
            .add("O_CREAT", O_CREAT)
            .add("O_EXCL", O_EXCL)
            .add("O_NOCTTY", O_NOCTTY)
            .add("O_TRUNC", O_TRUNC)
            .add("O_APPEND", O_APPEND)
            .add("O_NONBLOCK", O_NONBLOCK)
            .add("O_SYNC", O_SYNC)
            .add("O_DSYNC", O_DSYNC)
            .add("__O_SYNC", __O_SYNC)
            .add("O_DIRECT", O_DIRECT)
            .add("O_LARGEFILE", O_LARGEFILE)
            .add("O_NOFOLLOW", O_NOFOLLOW)
            .add("O_NOATIME", O_NOATIME)
            .add("O_CLOEXEC", O_CLOEXEC)
            .add("O_PATH", O_PATH)
            .add("O_TMPFILE", O_TMPFILE)
            .add("O_DIRECTORY", O_DIRECTORY)
            .add("__O_TMPFILE", __O_TMPFILE)
            .add("FASYNC", FASYNC)
            .build();

    private static final String[] ACCESS_MODES = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};

    /** Renders open/openat/fcntl(F_SETFL) flags: {@code O_WRONLY|O_CREAT|O_TRUNC}. */
    public static String render(int flags) {
        return FLAGS.renderAfter(ACCESS_MODES[flags & O_ACCMODE], Integer.toUnsignedLong(flags & ~O_ACCMODE));
    }

    /**
     * Renders flags that have no access mode (pipe2, dup3, eventfd...): {@code O_CLOEXEC},
     * "0", or {@code 0x4 /* O_??? *}{@code /}.
     */
    public static String renderWithoutAccessMode(int flags) {
        return FLAGS.render(Integer.toUnsignedLong(flags));
    }

    /** True if open(2) reads a mode argument for these flags (O_CREAT or O_TMPFILE). */
    public static boolean takesMode(int flags) {
        return (flags & O_CREAT) != 0 || (flags & __O_TMPFILE) != 0;
    }
}
