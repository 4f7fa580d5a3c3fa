package dev.jux.loader;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.util.Arrays;

/**
 * A {@code #!} line, parsed as Linux's binfmt_script (load_script, 5.1+) parses the first
 * {@link #BUF_SIZE} bytes of a file: the interpreter path after "#!" and any spaces or tabs,
 * ending at a space, tab, NUL or the end of the line; the optional argument is the rest of the
 * line, spaces and tabs trimmed at both ends, never split, and cut at a NUL.
 *
 * <p>Without a newline in the buffer the line may be truncated: Linux still runs it if the
 * interpreter path ends (a space, tab or NUL follows it) within the buffer, and only the
 * argument is cut; otherwise ENOEXEC rather than run a truncated interpreter name.
 *
 * @param interpreter the interpreter path, never empty
 * @param argument the optional argument, or null if there is none
 */
public record Shebang(byte[] interpreter, byte[] argument) {
    /** Linux's BINPRM_BUF_SIZE: how much of the file exec looks at. */
    public static final int BUF_SIZE = 256;

    /** True if {@code head} starts with "#!": the file is a script for {@link #parse}. */
    public static boolean isScript(byte[] head) {
        return head.length >= 2 && head[0] == '#' && head[1] == '!';
    }

    /**
     * Parses the start of a file that {@link #isScript is a script}; {@code head} holds its
     * first bytes (at most {@link #BUF_SIZE} are looked at; a shorter file is as if padded
     * with NULs). Throws ENOEXEC when there is no interpreter name or it may be truncated.
     */
    public static Shebang parse(byte[] head) {
        if (!isScript(head)) throw new LinuxException(Errno.ENOEXEC, "not a #! script");
        // Linux's bprm->buf: the file's first bytes, NUL-padded. Its last byte is never part of the line.
        byte[] buf = Arrays.copyOf(head, BUF_SIZE);
        int bufEnd = BUF_SIZE - 1;
        int end = indexOf(buf, (byte) '\n', 0, BUF_SIZE);
        if (end < 0) {
            int first = nextNonSpaceTab(buf, 2, bufEnd);
            if (first < 0) throw new LinuxException(Errno.ENOEXEC, "#! line of blanks only");
            if (nextTerminator(buf, first, bufEnd) < 0) throw new LinuxException(Errno.ENOEXEC, "#! interpreter name truncated");
            end = bufEnd;
        }
        while (end > 2 && isSpaceTab(buf[end - 1])) end--;
        int name = nextNonSpaceTab(buf, 2, end);
        if (name < 0 || name == end) throw new LinuxException(Errno.ENOEXEC, "no interpreter after #!");
        int sep = nextTerminator(buf, name, end);
        byte[] argument = null;
        if (sep >= 0 && buf[sep] != 0) {
            int arg = nextNonSpaceTab(buf, sep, end);
            if (arg >= 0) argument = cString(buf, arg, end);
        }
        return new Shebang(cString(buf, name, sep >= 0 ? sep : end), argument);
    }

    private static boolean isSpaceTab(byte c) {
        return c == ' ' || c == '\t';
    }

    /** The first index in [from, to) that is not a space or tab, or -1. */
    private static int nextNonSpaceTab(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (!isSpaceTab(b[i])) return i;
        return -1;
    }

    /** The first index in [from, to) holding a space, tab or NUL, or -1. */
    private static int nextTerminator(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (isSpaceTab(b[i]) || b[i] == 0) return i;
        return -1;
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == c) return i;
        return -1;
    }

    /** Bytes [from, to) up to the first NUL, as Linux then treats them as C strings. */
    private static byte[] cString(byte[] b, int from, int to) {
        int nul = indexOf(b, (byte) 0, from, to);
        return Arrays.copyOfRange(b, from, nul >= 0 ? nul : to);
    }
}
