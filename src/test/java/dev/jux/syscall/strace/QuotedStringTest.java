package dev.jux.syscall.strace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuotedStringTest {
    private static String q(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return QuotedString.quote(b, b.length);
    }

    @Test
    void printableTextIsKept() {
        assertEquals("\"hello, world\"", q("hello, world"));
        assertEquals("\"\"", q(""));
    }

    @Test
    void letterEscapes() {
        assertEquals("\"\\t\\n\\v\\f\\r\\\"\\\\\"", q("\t\n\u000b\f\r\"\\"));
    }

    @Test
    void octalEscapesAreShortUnlessAnOctalDigitFollows() {
        assertEquals("\"\\0\"", q("\0"));
        assertEquals("\"\\0000\"", q("\u00000"));
        assertEquals("\"\\0017\"", q("\u00017"));
        assertEquals("\"\\18\"", q("\u00018"));
        assertEquals("\"\\7\\10\\33\"", q("\u0007\b\u001b"));
        assertEquals("\"\\177\\200\\377\"", q("\u007f\u0080\u00ff"));
        assertEquals("\"\\177ELF\\2\\1\\1\\3\\0\\0\"", q("\u007fELF\u0002\u0001\u0001\u0003\0\0"));
    }

    @Test
    void onlyThePrintedPartCountsForTheDigitRule() {
        byte[] b = {1, '1'};
        assertEquals("\"\\1\"", QuotedString.quote(b, 1));
    }

    @Test
    void forcedHex() {
        assertEquals("\"\\xff\\x00\\x41\"", QuotedString.quoteHex(new byte[] {(byte) 0xff, 0, 0x41}, 3));
    }
}
