package dev.jux.abi;

/**
 * inotify(7)'s ABI: the event bits of {@code struct inotify_event.mask} and of
 * inotify_add_watch's mask (include/uapi/linux/inotify.h), the flags of inotify_init1, and the
 * event record's layout.
 */
public final class Inotify {
    private Inotify() {}

    public static final int IN_ACCESS = 0x1;
    public static final int IN_MODIFY = 0x2;
    public static final int IN_ATTRIB = 0x4;
    public static final int IN_CLOSE_WRITE = 0x8;
    public static final int IN_CLOSE_NOWRITE = 0x10;
    public static final int IN_OPEN = 0x20;
    public static final int IN_MOVED_FROM = 0x40;
    public static final int IN_MOVED_TO = 0x80;
    public static final int IN_CREATE = 0x100;
    public static final int IN_DELETE = 0x200;
    public static final int IN_DELETE_SELF = 0x400;
    public static final int IN_MOVE_SELF = 0x800;
    public static final int IN_ALL_EVENTS = 0xfff;

    /** Sent whatever the watch asked for: the file system went away, the queue filled, the watch ended. */
    public static final int IN_UNMOUNT = 0x2000;
    public static final int IN_Q_OVERFLOW = 0x4000;
    public static final int IN_IGNORED = 0x8000;

    // inotify_add_watch's flags.
    public static final int IN_ONLYDIR = 0x01000000;
    public static final int IN_DONT_FOLLOW = 0x02000000;
    public static final int IN_EXCL_UNLINK = 0x04000000;
    public static final int IN_MASK_CREATE = 0x10000000;
    public static final int IN_MASK_ADD = 0x20000000;
    public static final int IN_ISDIR = 0x40000000;
    public static final int IN_ONESHOT = 0x80000000;

    /** Linux's ALL_INOTIFY_BITS: a mask with none of these is EINVAL. */
    public static final int ALL_BITS = IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR
            | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD | IN_ISDIR | IN_ONESHOT;

    /** What a watch keeps of the mask it was given (Linux's INOTIFY_USER_MASK). */
    public static final int WATCH_BITS = IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK;

    /** The events a directory's watch also hears about its children, with their names (FS_EVENTS_POSS_ON_CHILD). */
    public static final int CHILD_EVENTS = IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_OPEN;

    /** inotify_init1's flags: IN_CLOEXEC and IN_NONBLOCK are O_CLOEXEC and O_NONBLOCK. */
    public static final int IN_CLOEXEC = OpenFlags.O_CLOEXEC;
    public static final int IN_NONBLOCK = OpenFlags.O_NONBLOCK;

    /** sizeof(struct inotify_event): wd, mask, cookie, len; a name follows, NUL-padded to a multiple of this. */
    public static final int EVENT_SIZE = 16;

    private static final FlagTable MASK = FlagTable.builder("IN_???")
            .add("IN_ACCESS", IN_ACCESS).add("IN_MODIFY", IN_MODIFY).add("IN_ATTRIB", IN_ATTRIB)
            .add("IN_CLOSE_WRITE", IN_CLOSE_WRITE).add("IN_CLOSE_NOWRITE", IN_CLOSE_NOWRITE)
            .add("IN_OPEN", IN_OPEN).add("IN_MOVED_FROM", IN_MOVED_FROM).add("IN_MOVED_TO", IN_MOVED_TO)
            .add("IN_CREATE", IN_CREATE).add("IN_DELETE", IN_DELETE).add("IN_DELETE_SELF", IN_DELETE_SELF)
            .add("IN_MOVE_SELF", IN_MOVE_SELF).add("IN_UNMOUNT", IN_UNMOUNT).add("IN_Q_OVERFLOW", IN_Q_OVERFLOW)
            .add("IN_IGNORED", IN_IGNORED).add("IN_ONLYDIR", IN_ONLYDIR).add("IN_DONT_FOLLOW", IN_DONT_FOLLOW)
            .add("IN_EXCL_UNLINK", IN_EXCL_UNLINK).add("IN_MASK_CREATE", IN_MASK_CREATE)
            .add("IN_MASK_ADD", IN_MASK_ADD).add("IN_ISDIR", IN_ISDIR)
            .add("IN_ONESHOT", Integer.toUnsignedLong(IN_ONESHOT))
            .build();

    private static final FlagTable INIT_FLAGS = FlagTable.builder("IN_???")
            .add("IN_NONBLOCK", IN_NONBLOCK).add("IN_CLOEXEC", IN_CLOEXEC)
            .build();

    /** inotify_init1's flags as strace shows them: {@code IN_NONBLOCK|IN_CLOEXEC}. */
    public static String renderInitFlags(int flags) {
        return INIT_FLAGS.render(Integer.toUnsignedLong(flags));
    }

    /** inotify_add_watch's mask as strace shows it: {@code IN_MODIFY|IN_CREATE}. */
    public static String renderMask(int mask) {
        return MASK.render(Integer.toUnsignedLong(mask));
    }
}
