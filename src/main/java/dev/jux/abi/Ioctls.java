package dev.jux.abi;

/**
 * ioctl(2) request numbers for terminals and files ({@code <asm-generic/ioctls.h>}) and the
 * {@code _IOC} encoding of the others ({@code <asm-generic/ioctl.h>}).
 */
public final class Ioctls {
    private Ioctls() {}

    /** Two old file ioctls with bare numbers ({@code <linux/fs.h>}). */
    public static final int FIBMAP = 1;
    public static final int FIGETBSZ = 2;
    public static final int TCGETS = 0x5401;
    public static final int TCSETS = 0x5402;
    public static final int TCSETSW = 0x5403;
    public static final int TCSETSF = 0x5404;
    public static final int TCGETA = 0x5405;
    public static final int TCSETA = 0x5406;
    public static final int TCSETAW = 0x5407;
    public static final int TCSETAF = 0x5408;
    public static final int TCSBRK = 0x5409;
    public static final int TCXONC = 0x540A;
    public static final int TCFLSH = 0x540B;
    public static final int TIOCEXCL = 0x540C;
    public static final int TIOCNXCL = 0x540D;
    public static final int TIOCSCTTY = 0x540E;
    public static final int TIOCGPGRP = 0x540F;
    public static final int TIOCSPGRP = 0x5410;
    public static final int TIOCOUTQ = 0x5411;
    public static final int TIOCSTI = 0x5412;
    public static final int TIOCGWINSZ = 0x5413;
    public static final int TIOCSWINSZ = 0x5414;
    public static final int TIOCMGET = 0x5415;
    public static final int TIOCMBIS = 0x5416;
    public static final int TIOCMBIC = 0x5417;
    public static final int TIOCMSET = 0x5418;
    public static final int TIOCGSOFTCAR = 0x5419;
    public static final int TIOCSSOFTCAR = 0x541A;
    public static final int FIONREAD = 0x541B;
    public static final int TIOCLINUX = 0x541C;
    public static final int TIOCCONS = 0x541D;
    public static final int TIOCGSERIAL = 0x541E;
    public static final int TIOCSSERIAL = 0x541F;
    public static final int TIOCPKT = 0x5420;
    public static final int FIONBIO = 0x5421;
    public static final int TIOCNOTTY = 0x5422;
    public static final int TIOCSETD = 0x5423;
    public static final int TIOCGETD = 0x5424;
    public static final int TCSBRKP = 0x5425;
    public static final int TIOCSBRK = 0x5427;
    public static final int TIOCCBRK = 0x5428;
    public static final int TIOCGSID = 0x5429;
    public static final int TIOCGPTN = 0x80045430;
    public static final int TIOCSPTLCK = 0x40045431;
    public static final int TIOCGDEV = 0x80045432;
    public static final int TIOCSIG = 0x40045436;
    public static final int TIOCVHANGUP = 0x5437;
    public static final int TIOCGPKT = 0x80045438;
    public static final int TIOCGPTLCK = 0x80045439;
    public static final int TIOCGEXCL = 0x80045440;
    public static final int TIOCGPTPEER = 0x5441;
    public static final int FIONCLEX = 0x5450;
    public static final int FIOCLEX = 0x5451;
    public static final int FIOASYNC = 0x5452;
    public static final int FIOQSIZE = 0x5460;

    public static final int IOC_NONE = 0;
    public static final int IOC_WRITE = 1;
    public static final int IOC_READ = 2;

    /**
     * Names as strace 6.1 prints them; it cannot tell the terminal requests 0x5402..0x5404 from
     * the OSS sequencer ones with the same numbers, so it prints both.
     */
    private static final ValueTable NAMES = ValueTable.builder("_IOC_???")
            .add("FIBMAP", FIBMAP).add("FIGETBSZ", FIGETBSZ)
            .add("TCGETS", TCGETS)
            .add("SNDCTL_TMR_START or TCSETS", TCSETS)
            .add("SNDCTL_TMR_STOP or TCSETSW", TCSETSW)
            .add("SNDCTL_TMR_CONTINUE or TCSETSF", TCSETSF)
            .add("TCGETA", TCGETA).add("TCSETA", TCSETA).add("TCSETAW", TCSETAW)
            .add("TCSETAF", TCSETAF).add("TCSBRK", TCSBRK).add("TCXONC", TCXONC)
            .add("TCFLSH", TCFLSH).add("TIOCEXCL", TIOCEXCL).add("TIOCNXCL", TIOCNXCL)
            .add("TIOCSCTTY", TIOCSCTTY).add("TIOCGPGRP", TIOCGPGRP).add("TIOCSPGRP", TIOCSPGRP)
            .add("TIOCOUTQ", TIOCOUTQ).add("TIOCSTI", TIOCSTI).add("TIOCGWINSZ", TIOCGWINSZ)
            .add("TIOCSWINSZ", TIOCSWINSZ).add("TIOCMGET", TIOCMGET).add("TIOCMBIS", TIOCMBIS)
            .add("TIOCMBIC", TIOCMBIC).add("TIOCMSET", TIOCMSET)
            .add("TIOCGSOFTCAR", TIOCGSOFTCAR).add("TIOCSSOFTCAR", TIOCSSOFTCAR)
            .add("FIONREAD", FIONREAD).add("TIOCLINUX", TIOCLINUX).add("TIOCCONS", TIOCCONS)
            .add("TIOCGSERIAL", TIOCGSERIAL).add("TIOCSSERIAL", TIOCSSERIAL)
            .add("TIOCPKT", TIOCPKT).add("FIONBIO", FIONBIO).add("TIOCNOTTY", TIOCNOTTY)
            .add("TIOCSETD", TIOCSETD).add("TIOCGETD", TIOCGETD).add("TCSBRKP", TCSBRKP)
            .add("TIOCSBRK", TIOCSBRK).add("TIOCCBRK", TIOCCBRK).add("TIOCGSID", TIOCGSID)
            .add("TIOCGPTN", Integer.toUnsignedLong(TIOCGPTN))
            .add("TIOCSPTLCK", Integer.toUnsignedLong(TIOCSPTLCK))
            .add("TIOCGDEV", Integer.toUnsignedLong(TIOCGDEV))
            .add("TIOCSIG", Integer.toUnsignedLong(TIOCSIG))
            .add("TIOCVHANGUP", TIOCVHANGUP)
            .add("TIOCGPKT", Integer.toUnsignedLong(TIOCGPKT))
            .add("TIOCGPTLCK", Integer.toUnsignedLong(TIOCGPTLCK))
            .add("TIOCGEXCL", Integer.toUnsignedLong(TIOCGEXCL))
            .add("TIOCGPTPEER", TIOCGPTPEER).add("FIONCLEX", FIONCLEX).add("FIOCLEX", FIOCLEX)
            .add("FIOASYNC", FIOASYNC).add("FIOQSIZE", FIOQSIZE)
            .build();

    private static final String[] DIRECTIONS = {"_IOC_NONE", "_IOC_WRITE", "_IOC_READ",
        "_IOC_READ|_IOC_WRITE"};

    /** The name of a request, or null. Only the low 32 bits count, as in the kernel. */
    public static String name(long request) {
        return NAMES.name(request & 0xffffffffL);
    }

    /**
     * A request as strace prints it: its name, or the _IOC decoding of an unknown one,
     * {@code _IOC(_IOC_READ|_IOC_WRITE, 0x54, 0, 0x10)} (direction, type, number, size).
     */
    public static String render(long request) {
        int req = (int) request;
        String name = name(req);
        if (name != null) return name;
        return "_IOC(" + DIRECTIONS[(req >>> 30) & 3] + ", " + Hex.of((req >>> 8) & 0xff) + ", "
                + Hex.of(req & 0xff) + ", " + Hex.of((req >>> 16) & 0x3fff) + ")";
    }
}
