package dev.jux.syscall.strace;

/**
 * C-style quoting of guest bytes as strace prints them: {@code "hello\n"}. Printable ASCII
 * stays as is; {@code \t \n \v \f \r \" \\} get their letter escapes; every other byte is
 * octal, as short as possible unless the next printed byte is an octal digit, then three digits
 * ({@code "\1" "9"} but {@code "\0011"}). Bytes 0x80 and above are octal too: strace does not
 * decode UTF-8.
 */
public final class QuotedString {
    private QuotedString() {}

    /** The first {@code len} bytes of {@code b} in double quotes, octal escapes. */
    public static String quote(byte[] b, int len) {
        StringBuilder sb = new StringBuilder(len + 2).append('"');
        for (int i = 0; i < len; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x0b -> sb.append("\\v");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        boolean digitFollows = i + 1 < len && b[i + 1] >= '0' && b[i + 1] <= '7';
                        String oct = Integer.toOctalString(c);
                        sb.append('\\');
                        if (digitFollows) sb.append("0".repeat(3 - oct.length()));
                        sb.append(oct);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Every byte as {@code \xNN}: strace's forced-hex style, used for getrandom's buffer,
     * whose contents are not text.
     */
    public static String quoteHex(byte[] b, int len) {
        StringBuilder sb = new StringBuilder(len * 4 + 2).append('"');
        for (int i = 0; i < len; i++) {
            sb.append("\\x").append(Character.forDigit((b[i] >> 4) & 0xf, 16))
                    .append(Character.forDigit(b[i] & 0xf, 16));
        }
        return sb.append('"').toString();
    }
}
