package dev.jux.abi;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SyscallNumbersTest {
    private static final Path HEADER = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");

    @Test
    void wellKnownNumbers() {
        assertEquals(0, SyscallNumbers.READ);
        assertEquals(1, SyscallNumbers.WRITE);
        assertEquals(59, SyscallNumbers.EXECVE);
        assertEquals(231, SyscallNumbers.EXIT_GROUP);
        assertEquals(257, SyscallNumbers.OPENAT);
        assertEquals("read", SyscallNumbers.name(0));
        assertEquals("openat", SyscallNumbers.name(257));
        assertEquals(257, SyscallNumbers.number("openat"));
        assertEquals(-1, SyscallNumbers.number("no_such_call"));
    }

    @Test
    void gapsAndOutOfRange() {
        assertNull(SyscallNumbers.name(335)); // 335..423 are unassigned on x86-64
        assertNull(SyscallNumbers.name(-1));
        assertNull(SyscallNumbers.name(100000));
        assertEquals(-1, SyscallNumbers.argCount(335));
    }

    @Test
    void argumentCountsOfTheRawEntryPoints() {
        assertEquals(3, SyscallNumbers.argCount(SyscallNumbers.READ));
        assertEquals(3, SyscallNumbers.argCount(SyscallNumbers.OPEN));
        assertEquals(6, SyscallNumbers.argCount(SyscallNumbers.MMAP));
        assertEquals(0, SyscallNumbers.argCount(SyscallNumbers.GETPID));
        assertEquals(4, SyscallNumbers.argCount(SyscallNumbers.RT_SIGACTION));
        assertEquals(5, SyscallNumbers.argCount(SyscallNumbers.CLONE));
        assertEquals(3, SyscallNumbers.argCount(SyscallNumbers.FACCESSAT));
        assertEquals(4, SyscallNumbers.argCount(SyscallNumbers.RSEQ));
    }

    /** Every name in the host's header maps to the same number here, and nothing more. */
    @Test
    void matchesTheHostHeader() throws IOException {
        assumeTrue(Files.exists(HEADER), "no kernel headers on this host");
        Matcher m = Pattern.compile("#define __NR_(\\w+) (\\d+)").matcher(Files.readString(HEADER));
        int count = 0;
        int max = 0;
        while (m.find()) {
            int nr = Integer.parseInt(m.group(2));
            assertEquals(m.group(1), SyscallNumbers.name(nr));
            max = Math.max(max, nr);
            count++;
        }
        int named = 0;
        for (int nr = 0; nr <= SyscallNumbers.MAX; nr++) if (SyscallNumbers.name(nr) != null) named++;
        assertEquals(count, named);
        assertEquals(max, SyscallNumbers.MAX);
    }
}
