package dev.jux.abi;

/**
 * The kernel's struct termios ({@code <asm-generic/termbits.h>}): four 32-bit flag words,
 * c_line, and 19 control characters (36 bytes). Rendered as strace 6.1 prints TCGETS/TCSETS
 * arguments: {@code {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, ...}}.
 */
public final class Termios {
    private Termios() {}

    public static final int OFFSET_IFLAG = 0;
    public static final int OFFSET_OFLAG = 4;
    public static final int OFFSET_CFLAG = 8;
    public static final int OFFSET_LFLAG = 12;
    public static final int OFFSET_LINE = 16;
    public static final int OFFSET_CC = 17;
    public static final int NCCS = 19;
    public static final int SIZE = 36;

    // c_iflag
    public static final int IGNBRK = 0x1, BRKINT = 0x2, IGNPAR = 0x4, PARMRK = 0x8, INPCK = 0x10,
            ISTRIP = 0x20, INLCR = 0x40, IGNCR = 0x80, ICRNL = 0x100, IUCLC = 0x200, IXON = 0x400,
            IXANY = 0x800, IXOFF = 0x1000, IMAXBEL = 0x2000, IUTF8 = 0x4000;
    // c_oflag
    public static final int OPOST = 0x1, OLCUC = 0x2, ONLCR = 0x4, OCRNL = 0x8, ONOCR = 0x10,
            ONLRET = 0x20, OFILL = 0x40, OFDEL = 0x80, NLDLY = 0x100, CRDLY = 0x600,
            TABDLY = 0x1800, BSDLY = 0x2000, VTDLY = 0x4000, FFDLY = 0x8000;
    // c_cflag
    public static final int CBAUD = 0x100f, CSIZE = 0x30, CS5 = 0, CS6 = 0x10, CS7 = 0x20,
            CS8 = 0x30, CSTOPB = 0x40, CREAD = 0x80, PARENB = 0x100, PARODD = 0x200,
            HUPCL = 0x400, CLOCAL = 0x800, BOTHER = 0x1000, B38400 = 0xf, IBSHIFT = 16,
            CMSPAR = 0x40000000, CRTSCTS = 0x80000000;
    // c_lflag
    public static final int ISIG = 0x1, ICANON = 0x2, XCASE = 0x4, ECHO = 0x8, ECHOE = 0x10,
            ECHOK = 0x20, ECHONL = 0x40, NOFLSH = 0x80, TOSTOP = 0x100, ECHOCTL = 0x200,
            ECHOPRT = 0x400, ECHOKE = 0x800, FLUSHO = 0x1000, PENDIN = 0x4000, IEXTEN = 0x8000,
            EXTPROC = 0x10000;
    // c_cc indexes
    public static final int VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5,
            VMIN = 6, VSWTC = 7, VSTART = 8, VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12,
            VDISCARD = 13, VWERASE = 14, VLNEXT = 15, VEOL2 = 16;

    // tcflow(3) (TCXONC) and tcflush(3) (TCFLSH) actions
    public static final int TCOOFF = 0, TCOON = 1, TCIOFF = 2, TCION = 3;
    public static final int TCIFLUSH = 0, TCOFLUSH = 1, TCIOFLUSH = 2;

    private static final ValueTable FLOW = ValueTable.builder("TC???")
            .add("TCOOFF", TCOOFF).add("TCOON", TCOON).add("TCIOFF", TCIOFF).add("TCION", TCION)
            .build();
    private static final ValueTable FLUSH = ValueTable.builder("TC???")
            .add("TCIFLUSH", TCIFLUSH).add("TCOFLUSH", TCOFLUSH).add("TCIOFLUSH", TCIOFLUSH)
            .build();

    private static final FlagTable IFLAGS = FlagTable.builder("I???")
            .add("IGNBRK", IGNBRK).add("BRKINT", BRKINT).add("IGNPAR", IGNPAR)
            .add("PARMRK", PARMRK).add("INPCK", INPCK).add("ISTRIP", ISTRIP).add("INLCR", INLCR)
            .add("IGNCR", IGNCR).add("ICRNL", ICRNL).add("IUCLC", IUCLC).add("IXON", IXON)
            .add("IXANY", IXANY).add("IXOFF", IXOFF).add("IMAXBEL", IMAXBEL).add("IUTF8", IUTF8)
            .build();

    private static final FlagTable OFLAGS = FlagTable.builder("O???")
            .add("OPOST", OPOST).add("OLCUC", OLCUC).add("ONLCR", ONLCR).add("OCRNL", OCRNL)
            .add("ONOCR", ONOCR).add("ONLRET", ONLRET).add("OFILL", OFILL).add("OFDEL", OFDEL)
            .build();

    private static final FlagTable CFLAGS = FlagTable.builder("C???")
            .add("CSTOPB", CSTOPB).add("CREAD", CREAD).add("PARENB", PARENB)
            .add("PARODD", PARODD).add("HUPCL", HUPCL).add("CLOCAL", CLOCAL)
            .add("CMSPAR", CMSPAR).add("CRTSCTS", Integer.toUnsignedLong(CRTSCTS))
            .build();

    /** strace's order, which is not numeric (IEXTEN before ECHOCTL, TOSTOP near the end). */
    private static final FlagTable LFLAGS = FlagTable.builder("L???")
            .add("ISIG", ISIG).add("ICANON", ICANON).add("XCASE", XCASE).add("ECHO", ECHO)
            .add("ECHOE", ECHOE).add("ECHOK", ECHOK).add("ECHONL", ECHONL).add("NOFLSH", NOFLSH)
            .add("IEXTEN", IEXTEN).add("ECHOCTL", ECHOCTL).add("ECHOPRT", ECHOPRT)
            .add("ECHOKE", ECHOKE).add("FLUSHO", FLUSHO).add("PENDIN", PENDIN)
            .add("TOSTOP", TOSTOP).add("EXTPROC", EXTPROC)
            .build();

    private static final String[] BAUDS = {"B0", "B50", "B75", "B110", "B134", "B150", "B200",
        "B300", "B600", "B1200", "B1800", "B2400", "B4800", "B9600", "B19200", "B38400"};
    private static final String[] HIGH_BAUDS = {"BOTHER", "B57600", "B115200", "B230400",
        "B460800", "B500000", "B576000", "B921600", "B1000000", "B1152000", "B1500000",
        "B2000000", "B2500000", "B3000000", "B3500000", "B4000000"};
    private static final String[] TAB_DELAYS = {"TAB0", "TAB1", "TAB2", "XTABS"};

    /**
     * c_iflag. Like strace 6.1 this prints nothing at all for zero and a bare hex number for
     * unnamed bits (no "???" comment).
     */
    public static String renderIflag(int v) {
        return IFLAGS.join(Integer.toUnsignedLong(v));
    }

    /** c_oflag: the delay fields, always shown, then the flags after a '|' (even if none). */
    public static String renderOflag(int v) {
        long flags = Integer.toUnsignedLong(v & ~(NLDLY | CRDLY | TABDLY | BSDLY | VTDLY | FFDLY));
        return "NL" + ((v & NLDLY) >> 8) + "|CR" + ((v & CRDLY) >> 9) + "|" + TAB_DELAYS[(v & TABDLY) >> 11]
                + "|BS" + ((v & BSDLY) >> 13) + "|VT" + ((v & VTDLY) >> 14) + "|FF" + ((v & FFDLY) >> 15)
                + "|" + OFLAGS.join(flags);
    }

    /** c_cflag: baud rate, input baud rate if set, character size, then the flags. */
    public static String renderCflag(int v) {
        StringBuilder sb = new StringBuilder(baud(v & CBAUD));
        int ibaud = (v >>> IBSHIFT) & CBAUD;
        if (ibaud != 0) sb.append('|').append(baud(ibaud)).append("<<IBSHIFT");
        sb.append("|CS").append(5 + ((v & CSIZE) >> 4)).append('|');
        long flags = Integer.toUnsignedLong(v & ~(CBAUD | CBAUD << IBSHIFT | CSIZE));
        return sb.append(CFLAGS.join(flags)).toString();
    }

    /** c_lflag, in strace's order; nothing for zero, like c_iflag. */
    public static String renderLflag(int v) {
        return LFLAGS.join(Integer.toUnsignedLong(v));
    }

    /** TCXONC's argument: {@code TCOOFF}. */
    public static String renderFlow(int action) {
        return FLOW.render(Integer.toUnsignedLong(action));
    }

    /** TCFLSH's argument: {@code TCIFLUSH}. */
    public static String renderFlush(int queue) {
        return FLUSH.render(Integer.toUnsignedLong(queue));
    }

    private static String baud(int code) {
        return (code & BOTHER) != 0 ? HIGH_BAUDS[code & 0xf] : BAUDS[code & 0xf];
    }

    /** struct termio (TCGETA/TCSETA): four u16 flags, c_line, c_cc[NCC = 8]; 18 bytes with padding. */
    public static final int TERMIO_SIZE = 18, NCC = 8;

    /** kernel_termios_to_user_termio: the low 16 bits of each flag word, the line and the first 8 control characters. */
    public static byte[] toTermio(byte[] termios) {
        byte[] t = new byte[TERMIO_SIZE];
        for (int i = 0; i < 4; i++) {
            t[2 * i] = termios[4 * i];
            t[2 * i + 1] = termios[4 * i + 1];
        }
        t[8] = termios[OFFSET_LINE];
        System.arraycopy(termios, OFFSET_CC, t, 9, NCC);
        return t;
    }

    /** user_termio_to_kernel_termios: replaces the low 16 bits of each flag word, the line and the first 8 control characters of {@code current}. */
    public static byte[] fromTermio(byte[] termio, byte[] current) {
        byte[] t = current.clone();
        for (int i = 0; i < 4; i++) {
            t[4 * i] = termio[2 * i];
            t[4 * i + 1] = termio[2 * i + 1];
        }
        t[OFFSET_LINE] = termio[8];
        System.arraycopy(termio, 9, t, OFFSET_CC, NCC);
        return t;
    }
}
