package dev.jux.fs.procfs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;

/** Numbers written to /proc files, read as Linux's kstrtoint does after strstrip. */
final class ProcNumbers {
    private ProcNumbers() {}

    /**
     * White space around it stripped, an optional sign, then base 0: "0x" hexadecimal, a
     * leading 0 octal, else decimal. EINVAL for anything else, ERANGE past an int.
     */
    static int parseInt(byte[] written) {
        int from = 0, to = 0;
        while (to < written.length && written[to] != 0) to++;      // a C string: up to the first NUL
        while (from < to && isSpace(written[from])) from++;
        while (to > from && isSpace(written[to - 1])) to--;
        boolean negative = false;
        if (from < to && (written[from] == '-' || written[from] == '+')) negative = written[from++] == '-';
        int base = 10;
        if (to - from > 1 && written[from] == '0' && (written[from + 1] | 0x20) == 'x') {
            base = 16;
            from += 2;
        } else if (to - from > 1 && written[from] == '0') {
            base = 8;
            from++;
        }
        if (from >= to) throw new LinuxException(Errno.EINVAL);
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(written[i], base);
            if (digit < 0) throw new LinuxException(Errno.EINVAL);
            value = value * base + digit;
            if (value > 1L << 31) throw new LinuxException(Errno.ERANGE);
        }
        if (negative) value = -value;
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) throw new LinuxException(Errno.ERANGE);
        return (int) value;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == 0x0b || b == 0x0c;
    }
}
