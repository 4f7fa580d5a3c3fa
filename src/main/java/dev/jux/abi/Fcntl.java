package dev.jux.abi;

/** fcntl(2) commands and their argument values ({@code <asm-generic/fcntl.h>}, {@code <linux/fcntl.h>}). */
public final class Fcntl {
    private Fcntl() {}

    public static final int F_DUPFD = 0;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_GETLK = 5;
    public static final int F_SETLK = 6;
    public static final int F_SETLKW = 7;
    public static final int F_SETOWN = 8;
    public static final int F_GETOWN = 9;
    public static final int F_SETSIG = 10;
    public static final int F_GETSIG = 11;
    public static final int F_SETOWN_EX = 15;
    public static final int F_GETOWN_EX = 16;
    public static final int F_GETOWNER_UIDS = 17;
    public static final int F_OFD_GETLK = 36;
    public static final int F_OFD_SETLK = 37;
    public static final int F_OFD_SETLKW = 38;
    public static final int F_SETLEASE = 1024;
    public static final int F_GETLEASE = 1025;
    public static final int F_NOTIFY = 1026;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int F_SETPIPE_SZ = 1031;
    public static final int F_GETPIPE_SZ = 1032;
    public static final int F_ADD_SEALS = 1033;
    public static final int F_GET_SEALS = 1034;
    public static final int F_GET_RW_HINT = 1035;
    public static final int F_SET_RW_HINT = 1036;
    public static final int F_GET_FILE_RW_HINT = 1037;
    public static final int F_SET_FILE_RW_HINT = 1038;

    public static final int FD_CLOEXEC = 1;

    public static final int F_RDLCK = 0;
    public static final int F_WRLCK = 1;
    public static final int F_UNLCK = 2;

    public static final int F_SEAL_SEAL = 0x1;
    public static final int F_SEAL_SHRINK = 0x2;
    public static final int F_SEAL_GROW = 0x4;
    public static final int F_SEAL_WRITE = 0x8;
    public static final int F_SEAL_FUTURE_WRITE = 0x10;

    public static final int DN_ACCESS = 0x1;
    public static final int DN_MODIFY = 0x2;
    public static final int DN_CREATE = 0x4;
    public static final int DN_DELETE = 0x8;
    public static final int DN_RENAME = 0x10;
    public static final int DN_ATTRIB = 0x20;
    public static final int DN_MULTISHOT = 0x80000000;

    private static final ValueTable COMMANDS = ValueTable.builder("F_???")
            .add("F_DUPFD", F_DUPFD).add("F_GETFD", F_GETFD).add("F_SETFD", F_SETFD)
            .add("F_GETFL", F_GETFL).add("F_SETFL", F_SETFL).add("F_GETLK", F_GETLK)
            .add("F_SETLK", F_SETLK).add("F_SETLKW", F_SETLKW).add("F_SETOWN", F_SETOWN)
            .add("F_GETOWN", F_GETOWN).add("F_SETSIG", F_SETSIG).add("F_GETSIG", F_GETSIG)
            .add("F_SETOWN_EX", F_SETOWN_EX).add("F_GETOWN_EX", F_GETOWN_EX)
            .add("F_GETOWNER_UIDS", F_GETOWNER_UIDS).add("F_OFD_GETLK", F_OFD_GETLK)
            .add("F_OFD_SETLK", F_OFD_SETLK).add("F_OFD_SETLKW", F_OFD_SETLKW)
            .add("F_SETLEASE", F_SETLEASE).add("F_GETLEASE", F_GETLEASE).add("F_NOTIFY", F_NOTIFY)
            .add("F_DUPFD_CLOEXEC", F_DUPFD_CLOEXEC).add("F_SETPIPE_SZ", F_SETPIPE_SZ)
            .add("F_GETPIPE_SZ", F_GETPIPE_SZ).add("F_ADD_SEALS", F_ADD_SEALS)
            .add("F_GET_SEALS", F_GET_SEALS).add("F_GET_RW_HINT", F_GET_RW_HINT)
            .add("F_SET_RW_HINT", F_SET_RW_HINT).add("F_GET_FILE_RW_HINT", F_GET_FILE_RW_HINT)
            .add("F_SET_FILE_RW_HINT", F_SET_FILE_RW_HINT)
            .build();

    private static final FlagTable FD_FLAGS = FlagTable.builder("FD_???")
            .add("FD_CLOEXEC", FD_CLOEXEC)
            .build();

    private static final ValueTable LOCK_TYPES = ValueTable.builder("F_???")
            .add("F_RDLCK", F_RDLCK).add("F_WRLCK", F_WRLCK).add("F_UNLCK", F_UNLCK)
            .build();

    private static final FlagTable SEALS = FlagTable.builder("F_SEAL_???")
            .add("F_SEAL_SEAL", F_SEAL_SEAL).add("F_SEAL_SHRINK", F_SEAL_SHRINK)
            .add("F_SEAL_GROW", F_SEAL_GROW).add("F_SEAL_WRITE", F_SEAL_WRITE)
            .add("F_SEAL_FUTURE_WRITE", F_SEAL_FUTURE_WRITE)
            .build();

    private static final FlagTable NOTIFY = FlagTable.builder("DN_???")
            .add("DN_ACCESS", DN_ACCESS).add("DN_MODIFY", DN_MODIFY).add("DN_CREATE", DN_CREATE)
            .add("DN_DELETE", DN_DELETE).add("DN_RENAME", DN_RENAME).add("DN_ATTRIB", DN_ATTRIB)
            .add("DN_MULTISHOT", Integer.toUnsignedLong(DN_MULTISHOT))
            .build();

    /** {@code F_SETFD}, or {@code 0x4d2 /* F_??? *}{@code /}. */
    public static String renderCommand(int cmd) {
        return COMMANDS.render(Integer.toUnsignedLong(cmd));
    }

    /** True for the commands strace knows; an unknown one shows its argument in hex. */
    public static boolean isKnownCommand(int cmd) {
        return COMMANDS.name(Integer.toUnsignedLong(cmd)) != null;
    }

    /** F_SETFD's argument and F_GETFD's result: {@code FD_CLOEXEC} or "0". */
    public static String renderFdFlags(long flags) {
        return FD_FLAGS.render(flags);
    }

    /** A lock type (l_type, F_SETLEASE's argument): {@code F_WRLCK}. */
    public static String renderLockType(int type) {
        return LOCK_TYPES.render(Integer.toUnsignedLong(type));
    }

    public static String renderSeals(int seals) {
        return SEALS.render(Integer.toUnsignedLong(seals));
    }

    public static String renderNotify(int flags) {
        return NOTIFY.render(Integer.toUnsignedLong(flags));
    }
}
