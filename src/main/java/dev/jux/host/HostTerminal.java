package dev.jux.host;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The host's terminal on one of Jux's own fds: isatty, struct termios get/set (tcgetattr/tcsetattr), window size. */
public final class HostTerminal {
    private HostTerminal() {}

    private static final long TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TIOCGWINSZ = 0x5413;
    public static final int TERMIOS_SIZE = 36;

    /** isatty(3): TCGETS succeeds. */
    public static boolean isTerminal(int fd) {
        return attributes(fd) != null;
    }

    /** tcgetattr: the 36-byte kernel struct termios, or null if {@code fd} is no terminal. */
    public static byte[] attributes(int fd) {
        byte[] out = new byte[TERMIOS_SIZE];
        return HostFiles.ioctlRead(fd, TCGETS, out) < 0 ? null : out;
    }

    /** tcsetattr(TCSANOW) or, with {@code drain}, TCSADRAIN; returns 0 or -errno. */
    public static int setAttributes(int fd, byte[] termios, boolean drain) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(64, 8);
            MemorySegment.copy(termios, 0, buf, ValueLayout.JAVA_BYTE, 0, termios.length);
            int r;
            do r = Libc.ioctl(fd, drain ? TCSETSW : TCSETS, buf); while (r == -4);
            return r;
        }
    }

    /** TIOCGWINSZ: {rows, columns, x pixels, y pixels}, or null. */
    public static int[] windowSize(int fd) {
        byte[] w = new byte[8];
        if (HostFiles.ioctlRead(fd, TIOCGWINSZ, w) < 0) return null;
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) out[i] = (w[2 * i] & 0xff) | (w[2 * i + 1] & 0xff) << 8;
        return out;
    }
}
