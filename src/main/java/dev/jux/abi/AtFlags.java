package dev.jux.abi;

/** The *at() family's directory fd and flags ({@code <linux/fcntl.h>}). */
public final class AtFlags {
    private AtFlags() {}

    /** "Relative to the current directory" as a dirfd argument. */
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** unlinkat(2); the same bit is AT_EACCESS for faccessat2(2). */
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EACCESS = 0x200;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    public static final int AT_NO_AUTOMOUNT = 0x800;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int AT_STATX_FORCE_SYNC = 0x2000;
    public static final int AT_STATX_DONT_SYNC = 0x4000;
    public static final int AT_RECURSIVE = 0x8000;

    /** What strace 6.1 names for newfstatat and most *at calls (it leaves the STATX bits raw). */
    private static final FlagTable FLAGS = FlagTable.builder("AT_???")
            .add("AT_SYMLINK_NOFOLLOW", AT_SYMLINK_NOFOLLOW)
            .add("AT_REMOVEDIR", AT_REMOVEDIR)
            .add("AT_SYMLINK_FOLLOW", AT_SYMLINK_FOLLOW)
            .add("AT_NO_AUTOMOUNT", AT_NO_AUTOMOUNT)
            .add("AT_EMPTY_PATH", AT_EMPTY_PATH)
            .add("AT_RECURSIVE", AT_RECURSIVE)
            .build();

    /** faccessat2(2) accepts only these three. */
    private static final FlagTable ACCESS_FLAGS = FlagTable.builder("AT_???")
            .add("AT_SYMLINK_NOFOLLOW", AT_SYMLINK_NOFOLLOW)
            .add("AT_EACCESS", AT_EACCESS)
            .add("AT_EMPTY_PATH", AT_EMPTY_PATH)
            .build();

    /** A dirfd argument: AT_FDCWD or the fd in decimal. */
    public static String renderDirfd(int fd) {
        return fd == AT_FDCWD ? "AT_FDCWD" : Integer.toString(fd);
    }

    /** {@code AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH}; "0" for none. */
    public static String render(int flags) {
        return FLAGS.render(Integer.toUnsignedLong(flags));
    }

    /** faccessat2's flags: {@code AT_EACCESS}. */
    public static String renderAccess(int flags) {
        return ACCESS_FLAGS.render(Integer.toUnsignedLong(flags));
    }
}
