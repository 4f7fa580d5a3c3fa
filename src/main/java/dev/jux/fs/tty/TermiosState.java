package dev.jux.fs.tty;

import dev.jux.abi.Termios;

/**
 * A terminal's settings, the kernel's struct termios (abi/Termios has the layout), decoded into
 * fields. Not thread-safe: the line discipline owns its copy under its lock.
 */
public final class TermiosState {
    public int iflag, oflag, cflag, lflag, line;
    public final byte[] cc = new byte[Termios.NCCS];

    /** Linux's tty_std_termios: what a new terminal starts with (cooked, echo, signals, ^C ^\ ^? ^U ^D ...). */
    public static TermiosState defaults() {
        TermiosState t = new TermiosState();
        t.iflag = Termios.ICRNL | Termios.IXON;
        t.oflag = Termios.OPOST | Termios.ONLCR;
        t.cflag = Termios.B38400 | Termios.CS8 | Termios.CREAD | Termios.HUPCL;
        t.lflag = Termios.ISIG | Termios.ICANON | Termios.ECHO | Termios.ECHOE | Termios.ECHOK
                | Termios.ECHOCTL | Termios.ECHOKE | Termios.IEXTEN;
        byte[] c = t.cc;
        c[Termios.VINTR] = 3;
        c[Termios.VQUIT] = 0x1c;
        c[Termios.VERASE] = 0x7f;
        c[Termios.VKILL] = 0x15;
        c[Termios.VEOF] = 4;
        c[Termios.VTIME] = 0;
        c[Termios.VMIN] = 1;
        c[Termios.VSTART] = 0x11;
        c[Termios.VSTOP] = 0x13;
        c[Termios.VSUSP] = 0x1a;
        c[Termios.VREPRINT] = 0x12;
        c[Termios.VDISCARD] = 0x0f;
        c[Termios.VWERASE] = 0x17;
        c[Termios.VLNEXT] = 0x16;
        return t;
    }

    public static TermiosState decode(byte[] b) {
        TermiosState t = new TermiosState();
        t.iflag = intAt(b, Termios.OFFSET_IFLAG);
        t.oflag = intAt(b, Termios.OFFSET_OFLAG);
        t.cflag = intAt(b, Termios.OFFSET_CFLAG);
        t.lflag = intAt(b, Termios.OFFSET_LFLAG);
        t.line = b[Termios.OFFSET_LINE] & 0xff;
        System.arraycopy(b, Termios.OFFSET_CC, t.cc, 0, Termios.NCCS);
        return t;
    }

    public byte[] encode() {
        byte[] b = new byte[Termios.SIZE];
        putInt(b, Termios.OFFSET_IFLAG, iflag);
        putInt(b, Termios.OFFSET_OFLAG, oflag);
        putInt(b, Termios.OFFSET_CFLAG, cflag);
        putInt(b, Termios.OFFSET_LFLAG, lflag);
        b[Termios.OFFSET_LINE] = (byte) line;
        System.arraycopy(cc, 0, b, Termios.OFFSET_CC, Termios.NCCS);
        return b;
    }

    public TermiosState copy() {
        return decode(encode());
    }

    /** A control character, or -1 if disabled (Linux's _POSIX_VDISABLE is 0). */
    public int control(int index) {
        int c = cc[index] & 0xff;
        return c == 0 ? -1 : c;
    }

    public boolean i(int flag) {
        return (iflag & flag) != 0;
    }

    public boolean o(int flag) {
        return (oflag & flag) != 0;
    }

    public boolean l(int flag) {
        return (lflag & flag) != 0;
    }

    private static int intAt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }
}
