package dev.jux.abi;

/** poll(2) event bits ({@code <asm-generic/poll.h>}) and the sets select(2) maps them to (fs/select.c). */
public final class Poll {
    private Poll() {}

    public static final int POLLIN = 0x1;
    public static final int POLLPRI = 0x2;
    public static final int POLLOUT = 0x4;
    public static final int POLLERR = 0x8;
    public static final int POLLHUP = 0x10;
    public static final int POLLNVAL = 0x20;
    public static final int POLLRDNORM = 0x40;
    public static final int POLLRDBAND = 0x80;
    public static final int POLLWRNORM = 0x100;
    public static final int POLLWRBAND = 0x200;
    public static final int POLLMSG = 0x400;
    public static final int POLLRDHUP = 0x2000;

    /** What a file without a poll operation reports (Linux's DEFAULT_POLLMASK): always ready. */
    public static final int DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

    /**
     * The events that make an fd "readable", "writable" or "exceptional" for select(2);
     * POLLNVAL (an fd select cannot use, such as O_PATH) counts in all three, as Linux 6.x does.
     */
    public static final int SELECT_IN = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR | POLLNVAL;
    public static final int SELECT_OUT = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR | POLLNVAL;
    public static final int SELECT_EX = POLLPRI | POLLNVAL;
}
